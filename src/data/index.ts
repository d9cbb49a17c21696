/**
 * Data loading, PyTorch's `torch.utils.data` plus what the exercises need: datasets, samplers,
 * the DataLoader (PyTorch-exact shuffles), collate, image transforms, an in-memory MNIST-style
 * dataset and label tools. Browser-safe; file readers live in `nabla/node`.
 */
import { counted } from '../tensor/keywords.js';
import * as C from './collate.js';
import * as Ds from './dataset.js';
import * as Lb from './labels.js';
import * as Tr from './transforms.js';

export type { Collated } from './collate.js';
export { DataLoader, type DataLoaderOptions } from './dataloader.js';
export { ConcatDataset, type Dataset, type RandomSplitOptions, type SampleOf, Subset, TensorDataset } from './dataset.js';
export { type FractionSubsetOptions, type RandomLabelOptions, RandomLabels } from './labels.js';
export { MnistLike, type MnistLikeOptions } from './mnist.js';
export { BatchSampler, RandomSampler, type RandomSamplerOptions, type Sampler, SequentialSampler, type Sized } from './sampler.js';
export { compose, type ImageU8, type Transform, toTensor } from './transforms.js';

// Each refuses surplus arguments, naming itself (tensor/keywords.ts).
export const defaultCollate = counted('defaultCollate', C.defaultCollate, ['batch']);
export const randomSplit = counted('randomSplit', Ds.randomSplit, ['dataset', 'lengths', 'opts?']);
export const withRandomLabels = counted('withRandomLabels', Lb.withRandomLabels, ['dataset', 'opts?']);
export const fractionSubset = counted('fractionSubset', Lb.fractionSubset, ['dataset', 'fraction', 'opts?']);
export const normalize = counted('normalize', Tr.normalize, ['mean', 'std']);
