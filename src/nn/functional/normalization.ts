import '../../tensor/methods.js';
import { add, eq, mul, sub, where } from '../../ops/binary.js';
import { detach } from '../../ops/convert.js';
import { index } from '../../ops/indexing.js';
import { mean, variance } from '../../ops/reduce.js';
import { rsqrt } from '../../ops/unary.js';
import { reshape, unsqueeze } from '../../ops/views.js';
import { isFloating } from '../../tensor/dtype.js';
import { shapeStr } from '../../tensor/shape.js';
import type { Tensor } from '../../tensor/tensor.js';

/** (x − mean) / √(var + eps) over `dims` (biased variance, as normalization layers use). */
function normalize(x: Tensor, dims: number[], eps: number): Tensor {
  const m = mean(x, { dim: dims, keepdim: true });
  const v = variance(x, { dim: dims, keepdim: true, correction: 0 });
  return mul(sub(x, m), rsqrt(add(v, eps)));
}

function checkFloat(op: string, x: Tensor): void {
  if (!isFloating(x.dtype)) throw new TypeError(`${op}: expected a floating-point input, but got ${x.dtype}`);
}

/**
 * Layer normalization over the last dims, which must equal `normalizedShape`
 * (`torch.nn.functional.layer_norm(input, normalized_shape, weight, bias, eps)`).
 */
export function layerNorm(
  input: Tensor,
  normalizedShape: number | readonly number[],
  weight?: Tensor | null,
  bias?: Tensor | null,
  eps = 1e-5,
): Tensor {
  const op = 'layerNorm';
  checkFloat(op, input);
  const ns = typeof normalizedShape === 'number' ? [normalizedShape] : [...normalizedShape];
  const tail = input.shape.slice(input.ndim - ns.length);
  if (ns.length === 0 || ns.length > input.ndim || tail.some((s, i) => s !== ns[i])) {
    throw new RangeError(
      `${op}: given normalized_shape=${shapeStr(ns)}, expected input with shape [*, ${ns.join(', ')}], but got input of size ${shapeStr(input.shape)}`,
    );
  }
  const dims = ns.map((_, i) => input.ndim - ns.length + i);
  let y = normalize(input, dims, eps);
  if (weight) y = mul(y, weight);
  if (bias) y = add(y, bias);
  return y;
}

/**
 * Group normalization: channels (dim 1) split into `numGroups` groups, each normalized over its
 * channels and all spatial positions (`torch.nn.functional.group_norm`).
 */
export function groupNorm(input: Tensor, numGroups: number, weight?: Tensor | null, bias?: Tensor | null, eps = 1e-5): Tensor {
  const op = 'groupNorm';
  checkFloat(op, input);
  if (input.ndim < 2) throw new RangeError(`${op}: expected at least 2 dims [N, C, *], got input of shape ${shapeStr(input.shape)}`);
  const [n, c] = input.shape;
  if (!Number.isInteger(numGroups) || numGroups <= 0 || c % numGroups !== 0) {
    throw new RangeError(`${op}: expected number of channels in input (${c}) to be divisible by num_groups (${numGroups})`);
  }
  const grouped = reshape(input, [n, numGroups, -1]);
  let y = reshape(normalize(grouped, [2], eps), input.shape);
  // Per-channel affine: [C] viewed as [C, 1, …] to broadcast over the spatial dims.
  const channel = (t: Tensor) => reshape(t, [c, ...input.shape.slice(2).map(() => 1)]);
  if (weight) y = mul(y, channel(weight));
  if (bias) y = add(y, channel(bias));
  return y;
}

/**
 * Rows of `weight` picked by the int32 `input` (`torch.nn.functional.embedding`): output shape
 * `[...input.shape, embeddingDim]`. Rows at `paddingIdx` get no gradient.
 */
export function embedding(input: Tensor, weight: Tensor, paddingIdx?: number | null): Tensor {
  if (weight.ndim !== 2)
    throw new RangeError(`embedding: weight must be 2-D [numEmbeddings, embeddingDim] (got ${shapeStr(weight.shape)})`);
  const out = index(weight, input);
  if (paddingIdx === undefined || paddingIdx === null) return out;
  const pad = paddingIdx < 0 ? paddingIdx + weight.shape[0] : paddingIdx;
  // Same values; the padding positions take the detached copy so no gradient reaches that row.
  return where(unsqueeze(eq(input, pad), -1), detach(out), out);
}
