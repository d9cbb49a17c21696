import { ones, zeros } from '../ops/creation.js';
import type { Tensor } from '../tensor/tensor.js';
import { noGrad } from './grad-mode.js';

export interface GradcheckOptions {
  /** Finite-difference step. */
  eps?: number;
  /** Absolute tolerance. */
  atol?: number;
  /** Relative tolerance (relative to the numerical value). */
  rtol?: number;
  /** Throw on mismatch (default) or just return the result. */
  raiseException?: boolean;
}

/** The worst-matching Jacobian entry gradcheck found. */
export interface GradcheckResult {
  ok: boolean;
  /** max |analytical − numerical| over all checked entries. */
  maxAbsError: number;
  worst: {
    input: number;
    inputElement: number;
    output: number;
    outputElement: number;
    analytical: number;
    numerical: number;
  } | null;
}

function outputsOf(y: Tensor | readonly Tensor[]): Tensor[] {
  return (Array.isArray(y) ? [...y] : [y as Tensor]).filter((t) => t.dtype === 'float64' || t.dtype === 'float32');
}

/** Flat storage position of row-major element `i` of `t`. */
function position(t: Tensor, i: number): number {
  let pos = t.offset;
  let rest = i;
  for (let d = t.ndim - 1; d >= 0; d--) {
    pos += (rest % t.shape[d]) * t.strides[d];
    rest = Math.floor(rest / t.shape[d]);
  }
  return pos;
}

/**
 * Compares the gradients autograd computes for `fn` at `inputs` with central differences, entry by
 * entry of the Jacobian, in float64. Checks every input that requires grad.
 * @example gradcheck((a, b) => a.mul(b).sum(), [x, y])
 */
export function gradcheck(
  fn: (...inputs: Tensor[]) => Tensor | readonly Tensor[],
  inputs: readonly Tensor[],
  opts: GradcheckOptions = {},
): GradcheckResult {
  const eps = opts.eps ?? 1e-6;
  const atol = opts.atol ?? 1e-5;
  const rtol = opts.rtol ?? 1e-3;
  const checked = inputs.map((t, i) => ({ t, i })).filter(({ t }) => t.requiresGrad);
  if (checked.length === 0) throw new Error('gradcheck: no input requires grad');
  for (const { t, i } of checked) {
    if (t.dtype !== 'float64') {
      throw new TypeError(`gradcheck: input ${i} is ${t.dtype}; gradcheck needs float64 inputs for accurate differences`);
    }
    if (!t.isLeaf) throw new Error(`gradcheck: input ${i} must be a leaf tensor`);
  }
  const outs = outputsOf(fn(...inputs));
  const result: GradcheckResult = { ok: true, maxAbsError: 0, worst: null };
  const consider = (input: number, inputElement: number, output: number, outputElement: number, a: number, n: number) => {
    const err = Math.abs(a - n);
    const bad = !(err <= atol + rtol * Math.abs(n));
    if (err > result.maxAbsError || Number.isNaN(err) || (bad && result.ok)) {
      result.maxAbsError = Number.isNaN(err) ? Number.NaN : Math.max(result.maxAbsError, err);
      result.worst = { input, inputElement, output, outputElement, analytical: a, numerical: n };
    }
    if (bad) result.ok = false;
  };

  // Numerical Jacobian columns: perturb one input element at a time.
  const numerical = checked.map(({ t }) => {
    const cols: Float64Array[][] = [];
    for (let j = 0; j < t.numel; j++) {
      // Probes write one element through the device's memory API, leaving the version counter
      // alone (the graph recorded above must stay valid).
      const p = position(t, j);
      const orig = t._readElement(p);
      const run = () => noGrad(() => outputsOf(fn(...inputs)).map((o) => Float64Array.from(o.data)));
      t._writeElement(p, orig + eps);
      const plus = run();
      t._writeElement(p, orig - eps);
      const minus = run();
      t._writeElement(p, orig);
      cols.push(plus.map((pv, o) => pv.map((v, k) => (v - minus[o][k]) / (2 * eps))));
    }
    return cols;
  });

  // Analytical Jacobian rows: one backward per output element.
  outs.forEach((out, o) => {
    if (!out.requiresGrad) {
      checked.forEach(({ t, i }, c) => {
        for (let j = 0; j < t.numel; j++) for (let k = 0; k < out.numel; k++) consider(i, j, o, k, 0, numerical[c][j][o][k]);
      });
      return;
    }
    for (let k = 0; k < out.numel; k++) {
      for (const { t } of checked) t.grad = null;
      const seed = zeros(out.shape, { dtype: out.dtype, device: out.device });
      seed._writeElement(k, 1);
      out.backward(out.numel === 1 ? ones(out.shape, { dtype: out.dtype, device: out.device }) : seed, { retainGraph: true });
      checked.forEach(({ t, i }, c) => {
        const g = t.grad === null ? null : (t.grad as Tensor).data;
        for (let j = 0; j < t.numel; j++) consider(i, j, o, k, g === null ? 0 : g[j], numerical[c][j][o][k]);
      });
    }
  });
  for (const { t } of checked) t.grad = null;

  if (!result.ok && (opts.raiseException ?? true)) {
    const w = result.worst;
    throw new Error(
      `gradcheck: Jacobian mismatch for output ${w?.output} element ${w?.outputElement} with respect to input ` +
        `${w?.input} element ${w?.inputElement}: analytical ${w?.analytical}, numerical ${w?.numerical} ` +
        `(atol ${atol}, rtol ${rtol})`,
    );
  }
  return result;
}
