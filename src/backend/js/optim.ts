// Optimizer steps over every parameter of a group, one pass per tensor. Float32 tensors follow
// PyTorch 1.13's single-tensor optimizers operation for operation: every op's result is rounded to
// float32, scalars are cast to float32 first (as ATen casts a Python scalar to the tensor's type),
// and ATen's add(alpha)/addcmul are fused multiply-adds (its vectorized kernels use fmadd and the
// compiler fuses the scalar tails), so fma32 rounds those once. Float64 tensors use the same
// order in double without fused rounding (JavaScript has no fma).

import type { TypedArray } from '../../tensor/dtype.js';
import type { AdadeltaStepOptions, AdamStepOptions, SgdStepOptions } from '../backend.js';

const f = Math.fround;

/**
 * x·y + z rounded once to float32, for float32 x, y, z. The product is exact in double; the sum
 * rounds to double and then to float32, which differs from rounding once only when the double lands
 * exactly halfway between two floats while the exact sum does not: then the sum's rounding error
 * (TwoSum) says which way the exact value lies.
 */
export function fma32(x: number, y: number, z: number): number {
  const p = x * y;
  const s = p + z;
  const r = f(s);
  const d = s - r;
  if (d === 0) return r;
  const other = r + 2 * d;
  if (f(other) !== other) return r; // s is not a midpoint (also covers Inf/NaN)
  const bp = s - z;
  const e = p - bp + (z - (s - bp));
  if (e === 0) return r; // an exact tie: fround already rounded it to even
  return e > 0 === d > 0 ? other : r;
}

export function sgdStep(
  params: TypedArray[],
  grads: TypedArray[],
  momentumBuffers: TypedArray[] | null,
  initBuffers: boolean[],
  o: SgdStepOptions,
): void {
  for (let t = 0; t < params.length; t++) {
    const buf = momentumBuffers === null ? null : momentumBuffers[t];
    if (params[t] instanceof Float32Array) sgd32(params[t], grads[t], buf, initBuffers[t] === true, o);
    else sgd64(params[t], grads[t], buf, initBuffers[t] === true, o);
  }
}

function sgd32(p: TypedArray, g: TypedArray, b: TypedArray | null, init: boolean, o: SgdStepOptions): void {
  const decay = o.weightDecay !== 0;
  const wd = f(o.weightDecay);
  const mom = f(o.momentum);
  const keep = f(1 - o.dampening);
  const step = f(-o.lr);
  const sign = o.maximize ? -1 : 1;
  const n = p.length;
  for (let i = 0; i < n; i++) {
    let d = sign * g[i];
    if (decay) d = fma32(p[i], wd, d);
    if (b !== null) {
      const v = init ? d : fma32(d, keep, f(b[i] * mom));
      b[i] = v;
      d = o.nesterov ? fma32(v, mom, d) : v;
    }
    p[i] = fma32(d, step, p[i]);
  }
}

function sgd64(p: TypedArray, g: TypedArray, b: TypedArray | null, init: boolean, o: SgdStepOptions): void {
  const { weightDecay: wd, momentum: mom, nesterov } = o;
  const keep = 1 - o.dampening;
  const sign = o.maximize ? -1 : 1;
  const n = p.length;
  for (let i = 0; i < n; i++) {
    let d = sign * g[i];
    if (wd !== 0) d = d + wd * p[i];
    if (b !== null) {
      const v = init ? d : b[i] * mom + keep * d;
      b[i] = v;
      d = nesterov ? d + mom * v : v;
    }
    p[i] = p[i] + -o.lr * d;
  }
}

export function adamStep(
  params: TypedArray[],
  grads: TypedArray[],
  expAvgs: TypedArray[],
  expAvgSqs: TypedArray[],
  maxExpAvgSqs: TypedArray[] | null,
  stepSizes: number[],
  bc2Sqrts: number[],
  o: AdamStepOptions,
): void {
  for (let t = 0; t < params.length; t++) {
    const mx = maxExpAvgSqs === null ? null : maxExpAvgSqs[t];
    if (params[t] instanceof Float32Array) adam32(params[t], grads[t], expAvgs[t], expAvgSqs[t], mx, stepSizes[t], bc2Sqrts[t], o);
    else adam64(params[t], grads[t], expAvgs[t], expAvgSqs[t], mx, stepSizes[t], bc2Sqrts[t], o);
  }
}

/** torch.maximum: NaN if either is NaN. */
const maxNaN = (a: number, b: number) => (a > b || a !== a ? a : b);

function adam32(
  p: TypedArray,
  g: TypedArray,
  m: TypedArray,
  v: TypedArray,
  mx: TypedArray | null,
  stepSize: number,
  bc2Sqrt: number,
  o: AdamStepOptions,
): void {
  const l2 = !o.decoupled && o.weightDecay !== 0;
  const wd = f(o.weightDecay);
  const decay = f(1 - o.lr * o.weightDecay);
  const shrink = o.decoupled && decay !== 1;
  const b1 = f(o.beta1);
  const c1 = f(1 - o.beta1);
  const b2 = f(o.beta2);
  const c2 = f(1 - o.beta2);
  const eps = f(o.eps);
  const step = f(-stepSize);
  const bc = f(bc2Sqrt);
  const sign = o.maximize ? -1 : 1;
  const n = p.length;
  for (let i = 0; i < n; i++) {
    let gi = sign * g[i];
    let pi = p[i];
    if (shrink) pi = f(pi * decay);
    else if (l2) gi = fma32(pi, wd, gi);
    const mi = fma32(gi, c1, f(m[i] * b1));
    m[i] = mi;
    let vi = fma32(f(c2 * gi), gi, f(v[i] * b2));
    v[i] = vi;
    if (mx !== null) {
      vi = maxNaN(mx[i], vi);
      mx[i] = vi;
    }
    const denom = f(f(f(Math.sqrt(vi)) / bc) + eps);
    p[i] = f(pi + f(f(step * mi) / denom));
  }
}

function adam64(
  p: TypedArray,
  g: TypedArray,
  m: TypedArray,
  v: TypedArray,
  mx: TypedArray | null,
  stepSize: number,
  bc2Sqrt: number,
  o: AdamStepOptions,
): void {
  const l2 = !o.decoupled && o.weightDecay !== 0;
  const wd = o.weightDecay;
  const decay = 1 - o.lr * o.weightDecay;
  const shrink = o.decoupled && decay !== 1;
  const { beta1: b1, beta2: b2, eps } = o;
  const sign = o.maximize ? -1 : 1;
  const n = p.length;
  for (let i = 0; i < n; i++) {
    let gi = sign * g[i];
    let pi = p[i];
    if (shrink) pi = pi * decay;
    else if (l2) gi = gi + wd * pi;
    const mi = m[i] * b1 + (1 - b1) * gi;
    m[i] = mi;
    let vi = v[i] * b2 + (1 - b2) * gi * gi;
    v[i] = vi;
    if (mx !== null) {
      vi = maxNaN(mx[i], vi);
      mx[i] = vi;
    }
    p[i] = pi + (-stepSize * mi) / (Math.sqrt(vi) / bc2Sqrt + eps);
  }
}

export function adadeltaStep(
  params: TypedArray[],
  grads: TypedArray[],
  squareAvgs: TypedArray[],
  accDeltas: TypedArray[],
  o: AdadeltaStepOptions,
): void {
  for (let t = 0; t < params.length; t++) {
    if (params[t] instanceof Float32Array) adadelta32(params[t], grads[t], squareAvgs[t], accDeltas[t], o);
    else adadelta64(params[t], grads[t], squareAvgs[t], accDeltas[t], o);
  }
}

function adadelta32(p: TypedArray, g: TypedArray, s: TypedArray, u: TypedArray, o: AdadeltaStepOptions): void {
  const decay = o.weightDecay !== 0;
  const wd = f(o.weightDecay);
  const rho = f(o.rho);
  const c = f(1 - o.rho);
  const eps = f(o.eps);
  const step = f(-o.lr);
  const sign = o.maximize ? -1 : 1;
  const n = p.length;
  for (let i = 0; i < n; i++) {
    let gi = sign * g[i];
    if (decay) gi = fma32(p[i], wd, gi);
    const si = fma32(f(c * gi), gi, f(s[i] * rho));
    s[i] = si;
    const std = f(Math.sqrt(f(si + eps)));
    const delta = f(f(f(Math.sqrt(f(u[i] + eps))) / std) * gi);
    u[i] = fma32(f(c * delta), delta, f(u[i] * rho));
    p[i] = fma32(delta, step, p[i]);
  }
}

function adadelta64(p: TypedArray, g: TypedArray, s: TypedArray, u: TypedArray, o: AdadeltaStepOptions): void {
  const { rho, eps, weightDecay: wd } = o;
  const sign = o.maximize ? -1 : 1;
  const n = p.length;
  for (let i = 0; i < n; i++) {
    let gi = sign * g[i];
    if (wd !== 0) gi = gi + wd * p[i];
    const si = s[i] * rho + (1 - rho) * gi * gi;
    s[i] = si;
    const delta = (Math.sqrt(u[i] + eps) / Math.sqrt(si + eps)) * gi;
    u[i] = u[i] * rho + (1 - rho) * delta * delta;
    p[i] = p[i] + -o.lr * delta;
  }
}
