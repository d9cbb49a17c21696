import '../../tensor/methods.js';
import { inBf16 } from '../../autocast/bf16.js';
import { castBf16 } from '../../autocast/cast.js';
import { unroundedProducts } from '../../autocast/dispatch.js';
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
  // In an autocast scope the bias joins PyTorch's bf16 linear: rounded to bf16, added to the
  // float32 sums of the product, and the result rounded once.
  if (bias && bias.dtype === 'float32' && inBf16(input.storage.device, input.dtype)) {
    return castBf16(
      add(
        unroundedProducts(() => matmul(input, t(weight))),
        castBf16(bias),
      ),
    );
  }
  const out = matmul(input, t(weight));
  return bias ? add(out, bias) : out;
}
