/**
 * Neural-network building blocks, like `torch.nn`: `Module` and its containers, layers, losses,
 * the functional forms (`F`), initializers (`init`) and gradient clipping (`utils`).
 */
import '../tensor/methods.js';

export { GELU, LeakyReLU, LogSoftmax, ReLU, Sigmoid, Softmax, Tanh } from './activation.js';
export { BatchNorm1d, BatchNorm2d, BatchNormBase, type BatchNormOptions } from './batchnorm.js';
export { ModuleDict, ModuleList, Sequential } from './container.js';
export { Conv2d, type Conv2dOptions, type Size2 } from './conv.js';
export { Dropout } from './dropout.js';
export { Embedding, type EmbeddingOptions } from './embedding.js';
export { Flatten } from './flatten.js';
export * as F from './functional.js';
export * as init from './init-public.js';
export { type FactoryOptions, Identity, Linear } from './linear.js';
export { BCELoss, BCEWithLogitsLoss, CrossEntropyLoss, L1Loss, Loss, MSELoss, NLLLoss } from './loss.js';
export {
  type AnyModule,
  type ForwardHook,
  type ForwardPreHook,
  type LoadResult,
  Module,
  type RemovableHandle,
  type StateDict,
} from './module.js';
export { GroupNorm, type GroupNormOptions, LayerNorm, type LayerNormOptions } from './normalization.js';
export { Parameter } from './parameter.js';
export { AdaptiveAvgPool2d, AvgPool2d, type AvgPool2dOptions, MaxPool2d, type MaxPool2dOptions } from './pooling.js';
export * as utils from './utils-public.js';
