/**
 * The functional forms of the layers and losses, like `torch.nn.functional` (exported as `F`):
 * `F.relu(x)`, `F.conv2d(x, w, b, { padding: 1 })`, `F.crossEntropy(logits, labels)`.
 */
import '../tensor/methods.js';

import * as BN from '../ops/batchnorm.js';
import * as Conv from '../ops/conv.js';
import * as G from '../ops/gelu.js';
import * as Pool from '../ops/pool.js';
import { keywords } from '../tensor/keywords.js';
import * as Act from './functional/activation.js';
import * as Lin from './functional/linear.js';
import * as Loss from './functional/loss.js';
import * as Norm from './functional/normalization.js';

// Each takes PyTorch's parameter names as a last options object too, and refuses surplus
// arguments and unknown options (tensor/keywords.ts); `variadic` ones read their further
// arguments (stride, training, …) themselves.
/**
 * Batch normalization over dim 1 of an [N, C] or [N, C, H, W] (any [N, C, ...]) input, exactly
 * torch.nn.functional.batch_norm. In training mode it normalizes with the batch mean and biased
 * variance and, when running statistics are given, updates them in place:
 * running = (1 − momentum)·running + momentum·batch, with the unbiased variance for runningVar.
 * In eval mode it normalizes with runningMean/runningVar.
 */
export const batchNorm = keywords('batchNorm', BN.batchNorm, ['input', 'runningMean', 'runningVar', 'weight?', 'bias?'], {
  variadic: true,
});
export const conv2d = keywords('conv2d', Conv.conv2d, ['input', 'weight', 'bias?'], { variadic: true });
export const erf = keywords('erf', G.erf, ['input']);
/**
 * Gaussian error linear unit, `x·Φ(x)` with Φ the standard normal CDF (`approximate: 'none'`),
 * or `0.5·x·(1 + tanh(√(2/π)·(x + 0.044715·x³)))` (`'tanh'`), like `torch.nn.functional.gelu`.
 * Computed in double precision and rounded to the input's dtype.
 */
export const gelu = keywords('gelu', G.gelu, ['input', 'approximate?']);
/**
 * Adaptive average pooling to `outputSize` (an int for a square output, or [h, w]): output row i
 * averages input rows floor(i·H/h) to ceil((i+1)·H/h), like torch.nn.functional.adaptive_avg_pool2d.
 */
export const adaptiveAvgPool2d = keywords('adaptiveAvgPool2d', Pool.adaptiveAvgPool2d, ['input', 'outputSize']);
/**
 * max(0, x) + slope·min(0, x) (`torch.nn.functional.leaky_relu`); the gradient is 1 for x > 0
 * and `negativeSlope` elsewhere, as in PyTorch.
 */
export const leakyRelu = keywords('leakyRelu', Act.leakyRelu, ['input', 'negativeSlope?']);
/**
 * `input @ weightᵀ + bias` over the last dim of `input` (`torch.nn.functional.linear`): input
 * [*, in], weight [out, in], bias [out].
 */
export const linear = keywords('linear', Lin.linear, ['input', 'weight', 'bias?']);
/**
 * Rows of `weight` picked by the int32 `input` (`torch.nn.functional.embedding`): output shape
 * `[...input.shape, embeddingDim]`. Rows at `paddingIdx` get no gradient.
 */
export const embedding = keywords('embedding', Norm.embedding, ['input', 'weight', 'paddingIdx?']);
/**
 * Layer normalization over the last dims, which must equal `normalizedShape`
 * (`torch.nn.functional.layer_norm(input, normalized_shape, weight, bias, eps)`).
 */
export const layerNorm = keywords('layerNorm', Norm.layerNorm, ['input', 'normalizedShape', 'weight?', 'bias?', 'eps?']);
/**
 * Group normalization: channels (dim 1) split into `numGroups` groups, each normalized over its
 * channels and all spatial positions (`torch.nn.functional.group_norm`).
 */
export const groupNorm = keywords('groupNorm', Norm.groupNorm, ['input', 'numGroups', 'weight?', 'bias?', 'eps?']);
/** Mean squared error, `(input − target)²` reduced. */
export const mseLoss = keywords('mseLoss', Loss.mseLoss, ['input', 'target'], { options: ['reduction'] });
/** Mean absolute error, `|input − target|` reduced. */
export const l1Loss = keywords('l1Loss', Loss.l1Loss, ['input', 'target'], { options: ['reduction'] });
/**
 * Negative log-likelihood of int32 class `target`s under log-probabilities `input`
 * ([C], [N, C] or [N, C, d1, …]). With `reduction: 'mean'` the sum is divided by the total
 * weight of the non-ignored targets (PyTorch's weighted mean; NaN when every target is ignored).
 */
export const nllLoss = keywords('nllLoss', Loss.nllLoss, ['input', 'target'], { options: ['weight', 'ignoreIndex', 'reduction'] });
/**
 * Cross-entropy between logits `input` ([C], [N, C] or [N, C, d1, …]) and either int32 class
 * indices (shape without the class dim) or class probabilities (same shape as `input`), like
 * `torch.nn.functional.cross_entropy` with `weight`, `ignoreIndex`, `labelSmoothing` and
 * `reduction`. Computed stably from `logSoftmax`, so large logits are fine.
 */
export const crossEntropy = keywords('crossEntropy', Loss.crossEntropy, ['input', 'target'], {
  options: ['weight', 'ignoreIndex', 'reduction', 'labelSmoothing'],
});
/**
 * Binary cross-entropy of probabilities `input` (in [0, 1]) against `target` of the same shape:
 * −w·(y·log x + (1 − y)·log(1 − x)), each log clamped at −100 like PyTorch so that x = 0 or 1
 * gives a finite loss. The input gradient is PyTorch's w·(x − y) / max(x(1 − x), 1e-12).
 * Inputs outside [0, 1] are an error where the device reads synchronously (the check reads the
 * input); elsewhere they give NaN, as CUDA's asynchronous check would not stop the op either.
 */
export const binaryCrossEntropy = keywords('binaryCrossEntropy', Loss.binaryCrossEntropy, ['input', 'target'], {
  options: ['weight', 'reduction'],
});
export const binaryCrossEntropyWithLogits = keywords(
  'binaryCrossEntropyWithLogits',
  Loss.binaryCrossEntropyWithLogits,
  ['input', 'target'],
  {
    options: ['weight', 'reduction', 'posWeight'],
  },
);
export { flatten, oneHot, relu, sigmoid, tanh } from '../ops/api.js';
export { dropout } from '../ops/dropout.js';
export type { GeluApproximate } from '../ops/gelu.js';
export { avgPool2d, maxPool2d, maxPool2dWithIndices } from '../ops/pool.js';
export { logSoftmax, softmax } from '../ops/softmax.js';
export type {
  BCELossOptions,
  BCEWithLogitsOptions,
  CrossEntropyOptions,
  NLLLossOptions,
  Reduction,
  ReductionOptions,
} from './functional/loss.js';
