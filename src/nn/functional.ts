/**
 * The functional forms of the layers and losses, like `torch.nn.functional` (exported as `F`):
 * `F.relu(x)`, `F.conv2d(x, w, b, { padding: 1 })`, `F.crossEntropy(logits, labels)`.
 */
import '../tensor/methods.js';

export { batchNorm } from '../ops/batchnorm.js';
export { conv2d } from '../ops/conv.js';
export { dropout } from '../ops/dropout.js';
export { erf, type GeluApproximate, gelu } from '../ops/gelu.js';
export { oneHot } from '../ops/indexing.js';
export { adaptiveAvgPool2d, avgPool2d, maxPool2d, maxPool2dWithIndices } from '../ops/pool.js';
export { logSoftmax, softmax } from '../ops/softmax.js';
export { relu, sigmoid, tanh } from '../ops/unary.js';
export { flatten } from '../ops/views.js';
export { leakyRelu } from './functional/activation.js';
export { linear } from './functional/linear.js';
export {
  type BCELossOptions,
  type BCEWithLogitsOptions,
  binaryCrossEntropy,
  binaryCrossEntropyWithLogits,
  type CrossEntropyOptions,
  crossEntropy,
  l1Loss,
  mseLoss,
  type NLLLossOptions,
  nllLoss,
  type Reduction,
  type ReductionOptions,
} from './functional/loss.js';
export { embedding, groupNorm, layerNorm } from './functional/normalization.js';
