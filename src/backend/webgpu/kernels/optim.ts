// Optimizer steps on GPU arrays, one dispatch per parameter tensor. Float32 only; the update
// follows the reference's order of operations (src/backend/js/optim.ts), with WGSL's fma where
// the reference fuses (the GPU may or may not round a WGSL fma once, so results agree with the
// reference to float32 rounding, not always bit for bit).
import type { AdadeltaStepOptions, AdamStepOptions, SgdStepOptions } from '../../backend.js';
import { type GpuArray, WebGpuContext } from '../context.js';
import { COMMON, elementMain, groupsFor, paramsBinding } from '../wgsl.js';

function checkFloat(kernel: string, arrays: readonly GpuArray[]): void {
  for (const a of arrays) {
    if (a.dtype !== 'float32') throw new Error(`webgpu ${kernel}: parameters, gradients and state must be float32, got ${a.dtype}`);
  }
}

/** SGD (with momentum, dampening, weight decay, Nesterov, maximize) on every tensor of a group, in place. */
export function sgdStep(
  ctx: WebGpuContext,
  params: GpuArray[],
  grads: GpuArray[],
  momentumBuffers: GpuArray[] | null,
  initBuffers: boolean[],
  o: SgdStepOptions,
): void {
  checkFloat('sgdStep', [...params, ...grads, ...(momentumBuffers ?? [])]);
  const withBuf = momentumBuffers !== null;
  const pipe = ctx.pipeline('sgdStep', `sgdStep:${withBuf}`, () =>
    [
      paramsBinding(0),
      '@group(0) @binding(1) var<storage, read_write> w: array<f32>;',
      '@group(0) @binding(2) var<storage, read> g: array<f32>;',
      withBuf ? '@group(0) @binding(3) var<storage, read_write> b: array<f32>;' : '',
      elementMain(
        'p[0]',
        // p: [n, decay, init, nesterov, then floats wd, momentum, 1 - dampening, -lr, sign]
        `  var d = pf(8) * g[i];
  if (p[1] != 0) { d = fma(w[i], pf(4), d); }
${
  withBuf
    ? `  var v = d;
  if (p[2] == 0) { v = fma(d, pf(6), b[i] * pf(5)); }
  b[i] = v;
  if (p[3] != 0) { d = fma(v, pf(5), d); } else { d = v; }`
    : ''
}
  w[i] = fma(d, pf(7), w[i]);`,
      ),
    ].join('\n'),
  );
  for (let t = 0; t < params.length; t++) {
    const n = params[t].length;
    if (grads[t].length !== n || (withBuf && momentumBuffers[t].length !== n)) {
      throw new Error(`webgpu sgdStep: tensor ${t} has ${n} elements but its gradient or momentum buffer differs`);
    }
    if (n === 0) continue;
    const prm = ctx.params(
      [n, o.weightDecay !== 0 ? 1 : 0, initBuffers[t] === true ? 1 : 0, o.nesterov ? 1 : 0],
      [o.weightDecay, o.momentum, 1 - o.dampening, -o.lr, o.maximize ? -1 : 1],
    );
    const bindings = [{ array: prm }, { array: params[t], write: true }, { array: grads[t] }];
    if (withBuf) bindings.push({ array: momentumBuffers[t], write: true });
    ctx.dispatch(pipe, bindings, WebGpuContext.groups1d(groupsFor(n)));
  }
}

function checkLengths(kernel: string, t: number, n: number, others: readonly (GpuArray | undefined)[]): void {
  for (const a of others) {
    if (a !== undefined && a.length !== n)
      throw new Error(`webgpu ${kernel}: tensor ${t} has ${n} elements but its gradient or state has ${a.length}`);
  }
}

/** Adam/AdamW (L2 or decoupled weight decay, AMSGrad, maximize) on every tensor of a group, in place. */
export function adamStep(
  ctx: WebGpuContext,
  params: GpuArray[],
  grads: GpuArray[],
  expAvgs: GpuArray[],
  expAvgSqs: GpuArray[],
  maxExpAvgSqs: GpuArray[] | null,
  stepSizes: number[],
  bc2Sqrts: number[],
  o: AdamStepOptions,
): void {
  checkFloat('adamStep', [...params, ...grads, ...expAvgs, ...expAvgSqs, ...(maxExpAvgSqs ?? [])]);
  const amsgrad = maxExpAvgSqs !== null;
  const pipe = ctx.pipeline('adamStep', `adamStep:${amsgrad}`, () =>
    [
      COMMON,
      paramsBinding(0),
      '@group(0) @binding(1) var<storage, read_write> w: array<f32>;',
      '@group(0) @binding(2) var<storage, read> g: array<f32>;',
      '@group(0) @binding(3) var<storage, read_write> m: array<f32>;',
      '@group(0) @binding(4) var<storage, read_write> v: array<f32>;',
      amsgrad ? '@group(0) @binding(5) var<storage, read_write> mx: array<f32>;' : '',
      elementMain(
        'p[0]',
        // p: [n, l2, shrink, then floats wd, 1 - lr·wd, β1, 1 − β1, β2, 1 − β2, ε, −stepSize, √(1 − β2^t), sign]
        `  var gi = pf(12) * g[i];
  var pi = w[i];
  if (p[2] != 0) { pi = pi * pf(4); } else if (p[1] != 0) { gi = fma(pi, pf(3), gi); }
  let mi = fma(gi, pf(6), m[i] * pf(5));
  m[i] = mi;
  var vi = fma(pf(8) * gi, gi, v[i] * pf(7));
  v[i] = vi;
${amsgrad ? '  let old = mx[i];\n  if (old > vi || isnan_(old)) { vi = old; }\n  mx[i] = vi;' : ''}
  let denom = sqrt(vi) / pf(11) + pf(9);
  w[i] = pi + (pf(10) * mi) / denom;`,
      ),
    ].join('\n'),
  );
  const decay = 1 - o.lr * o.weightDecay;
  const shrink = o.decoupled && Math.fround(decay) !== 1;
  const l2 = !o.decoupled && o.weightDecay !== 0;
  for (let t = 0; t < params.length; t++) {
    const n = params[t].length;
    checkLengths('adamStep', t, n, [grads[t], expAvgs[t], expAvgSqs[t], maxExpAvgSqs?.[t]]);
    if (n === 0) continue;
    const prm = ctx.params(
      [n, l2 ? 1 : 0, shrink ? 1 : 0],
      [o.weightDecay, decay, o.beta1, 1 - o.beta1, o.beta2, 1 - o.beta2, o.eps, -stepSizes[t], bc2Sqrts[t], o.maximize ? -1 : 1],
    );
    const bindings = [
      { array: prm },
      { array: params[t], write: true },
      { array: grads[t] },
      { array: expAvgs[t], write: true },
      { array: expAvgSqs[t], write: true },
    ];
    if (maxExpAvgSqs !== null) bindings.push({ array: maxExpAvgSqs[t], write: true });
    ctx.dispatch(pipe, bindings, WebGpuContext.groups1d(groupsFor(n)));
  }
}

/** Adadelta (weight decay, maximize) on every tensor of a group, in place. */
export function adadeltaStep(
  ctx: WebGpuContext,
  params: GpuArray[],
  grads: GpuArray[],
  squareAvgs: GpuArray[],
  accDeltas: GpuArray[],
  o: AdadeltaStepOptions,
): void {
  checkFloat('adadeltaStep', [...params, ...grads, ...squareAvgs, ...accDeltas]);
  const pipe = ctx.pipeline('adadeltaStep', 'adadeltaStep', () =>
    [
      paramsBinding(0),
      '@group(0) @binding(1) var<storage, read_write> w: array<f32>;',
      '@group(0) @binding(2) var<storage, read> g: array<f32>;',
      '@group(0) @binding(3) var<storage, read_write> s: array<f32>;',
      '@group(0) @binding(4) var<storage, read_write> u: array<f32>;',
      elementMain(
        'p[0]',
        // p: [n, decay, then floats wd, ρ, 1 − ρ, ε, −lr, sign]
        `  var gi = pf(7) * g[i];
  if (p[1] != 0) { gi = fma(w[i], pf(2), gi); }
  let si = fma(pf(4) * gi, gi, s[i] * pf(3));
  s[i] = si;
  let delta = (sqrt(u[i] + pf(5)) / sqrt(si + pf(5))) * gi;
  u[i] = fma(pf(4) * delta, delta, u[i] * pf(3));
  w[i] = fma(delta, pf(6), w[i]);`,
      ),
    ].join('\n'),
  );
  for (let t = 0; t < params.length; t++) {
    const n = params[t].length;
    checkLengths('adadeltaStep', t, n, [grads[t], squareAvgs[t], accDeltas[t]]);
    if (n === 0) continue;
    const prm = ctx.params([n, o.weightDecay !== 0 ? 1 : 0], [o.weightDecay, o.rho, 1 - o.rho, o.eps, -o.lr, o.maximize ? -1 : 1]);
    ctx.dispatch(
      pipe,
      [
        { array: prm },
        { array: params[t], write: true },
        { array: grads[t] },
        { array: squareAvgs[t], write: true },
        { array: accDeltas[t], write: true },
      ],
      WebGpuContext.groups1d(groupsFor(n)),
    );
  }
}
