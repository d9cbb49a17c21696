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
export const batchNorm = keywords('batchNorm', BN.batchNorm, ['input', 'runningMean', 'runningVar', 'weight?', 'bias?'], {
  variadic: true,
});
export const conv2d = keywords('conv2d', Conv.conv2d, ['input', 'weight', 'bias?'], { variadic: true });
export const erf = keywords('erf', G.erf, ['input']);
export const gelu = keywords('gelu', G.gelu, ['input', 'approximate?']);
export const adaptiveAvgPool2d = keywords('adaptiveAvgPool2d', Pool.adaptiveAvgPool2d, ['input', 'outputSize']);
export const leakyRelu = keywords('leakyRelu', Act.leakyRelu, ['input', 'negativeSlope?']);
export const linear = keywords('linear', Lin.linear, ['input', 'weight', 'bias?']);
export const embedding = keywords('embedding', Norm.embedding, ['input', 'weight', 'paddingIdx?']);
export const layerNorm = keywords('layerNorm', Norm.layerNorm, ['input', 'normalizedShape', 'weight?', 'bias?', 'eps?']);
export const groupNorm = keywords('groupNorm', Norm.groupNorm, ['input', 'numGroups', 'weight?', 'bias?', 'eps?']);
export const mseLoss = keywords('mseLoss', Loss.mseLoss, ['input', 'target'], { options: ['reduction'] });
export const l1Loss = keywords('l1Loss', Loss.l1Loss, ['input', 'target'], { options: ['reduction'] });
export const nllLoss = keywords('nllLoss', Loss.nllLoss, ['input', 'target'], { options: ['weight', 'ignoreIndex', 'reduction'] });
export const crossEntropy = keywords('crossEntropy', Loss.crossEntropy, ['input', 'target'], {
  options: ['weight', 'ignoreIndex', 'reduction', 'labelSmoothing'],
});
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
