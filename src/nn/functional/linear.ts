import '../../tensor/methods.js';
import { add } from '../../ops/binary.js';
import { matmul } from '../../ops/linalg.js';
import { t } from '../../ops/views.js';
import { shapeStr } from '../../tensor/shape.js';
import type { Tensor } from '../../tensor/tensor.js';

/**
 * `input @ weightᵀ + bias` over the last dim of `input` (`torch.nn.functional.linear`): input
 * [*, in], weight [out, in], bias [out].
 */
export function linear(input: Tensor, weight: Tensor, bias?: Tensor | null): Tensor {
  if (weight.ndim !== 2) throw new RangeError(`linear: weight must be 2-D [out_features, in_features] (got ${shapeStr(weight.shape)})`);
  const inF = weight.shape[1];
  if (input.ndim === 0 || input.shape[input.ndim - 1] !== inF) {
    throw new RangeError(
      `linear: input ${shapeStr(input.shape)} and weight ${shapeStr(weight.shape)} don't match: the input's last dim must be in_features = ${inF}`,
    );
  }
  const out = matmul(input, t(weight));
  return bias ? add(out, bias) : out;
}
