/**
 * Data loading, PyTorch's `torch.utils.data` plus what the exercises need: datasets, samplers,
 * the DataLoader (PyTorch-exact shuffles), collate, image transforms, an in-memory MNIST-style
 * dataset and label tools. Browser-safe; file readers live in `nabla/node`.
 */
export { type Collated, defaultCollate } from './collate.js';
export { DataLoader, type DataLoaderOptions } from './dataloader.js';
export { ConcatDataset, type Dataset, type RandomSplitOptions, randomSplit, type SampleOf, Subset, TensorDataset } from './dataset.js';
export { type FractionSubsetOptions, fractionSubset, type RandomLabelOptions, RandomLabels, withRandomLabels } from './labels.js';
export { MnistLike, type MnistLikeOptions } from './mnist.js';
export { BatchSampler, RandomSampler, type RandomSamplerOptions, type Sampler, SequentialSampler, type Sized } from './sampler.js';
export { compose, type ImageU8, normalize, type Transform, toTensor } from './transforms.js';
