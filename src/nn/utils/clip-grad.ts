/**
 * Gradient clipping, PyTorch 1.13's `torch.nn.utils.clip_grad_norm_` and `clip_grad_value_`,
 * operation for operation: float64 results are PyTorch's bit for bit; float32 norms are within an
 * ulp or two (PyTorch sums their squares in float32 vector lanes, nabla's `norm` in double).
 */
import { noGrad } from '../../autograd/grad-mode.js';
import { add, mul } from '../../ops/binary.js';
import { tensor } from '../../ops/creation.js';
import { clamp_, mul_ } from '../../ops/inplace.js';
import { stack } from '../../ops/join.js';
import { norm } from '../../ops/norm.js';
import { max } from '../../ops/reduce.js';
import { abs, clamp, reciprocal } from '../../ops/unary.js';
import { Tensor } from '../../tensor/tensor.js';

/** The gradients of `parameters` (one tensor or an iterable of them) that exist. */
function gradsOf(fn: string, parameters: Tensor | Iterable<Tensor>): Tensor[] {
  const ps = parameters instanceof Tensor ? [parameters] : parameters;
  if (ps === null || typeof ps !== 'object' || typeof (ps as Iterable<Tensor>)[Symbol.iterator] !== 'function') {
    throw new TypeError(`${fn}: parameters must be a Tensor or an iterable of Tensors (e.g. model.parameters())`);
  }
  const grads: Tensor[] = [];
  for (const p of ps) {
    if (!(p instanceof Tensor)) throw new TypeError(`${fn}: every parameter must be a Tensor`);
    if (p.grad !== null) grads.push(p.grad);
  }
  return grads;
}

function finite(fn: string, name: string, v: number, allowInf = false): void {
  if (typeof v !== 'number' || Number.isNaN(v) || (!allowInf && !Number.isFinite(v))) {
    throw new TypeError(`${fn}: ${name} must be a ${allowInf ? 'number (Infinity allowed)' : 'finite number'} (got ${String(v)})`);
  }
}

/**
 * Scales the gradients of `parameters` in place so that their joint `normType`-norm (the norm of
 * the per-gradient norms) is at most `maxNorm`, and returns that norm before clipping (a 0-d
 * tensor). `normType` Infinity uses the largest absolute value. With `errorIfNonfinite`, a NaN or
 * infinite total norm is an error instead of scaling every gradient by it.
 */
export function clipGradNorm_(parameters: Tensor | Iterable<Tensor>, maxNorm: number, normType = 2, errorIfNonfinite = false): Tensor {
  const fn = 'clipGradNorm_';
  finite(fn, 'maxNorm', maxNorm);
  finite(fn, 'normType', normType, true);
  if (typeof errorIfNonfinite !== 'boolean') throw new TypeError(`${fn}: errorIfNonfinite must be a boolean`);
  const grads = gradsOf(fn, parameters);
  if (grads.length === 0) return tensor(0);
  return noGrad(() => {
    let total: Tensor;
    if (normType === Number.POSITIVE_INFINITY) {
      const norms = grads.map((g) => max(abs(g)));
      total = norms.length === 1 ? norms[0] : max(stack(norms));
    } else {
      total = norm(stack(grads.map((g) => norm(g, normType))), normType);
    }
    if (errorIfNonfinite && !Number.isFinite(total.item())) {
      throw new RangeError(
        `${fn}: the total norm of order ${normType} for gradients from \`parameters\` is non-finite, so it cannot be clipped. To disable this error and scale the gradients by the non-finite norm anyway, set errorIfNonfinite to false`,
      );
    }
    // PyTorch writes `max_norm / (total_norm + 1e-6)`; a number divided by a tensor is the
    // tensor's reciprocal times the number there.
    const coef = clamp(mul(reciprocal(add(total, 1e-6)), maxNorm), null, 1);
    for (const g of grads) mul_(g, coef);
    return total;
  });
}

/** Clamps every gradient of `parameters` in place to [−clipValue, clipValue]. */
export function clipGradValue_(parameters: Tensor | Iterable<Tensor>, clipValue: number): void {
  const fn = 'clipGradValue_';
  finite(fn, 'clipValue', clipValue, true);
  const grads = gradsOf(fn, parameters);
  noGrad(() => {
    for (const g of grads) clamp_(g, -clipValue, clipValue);
  });
}
