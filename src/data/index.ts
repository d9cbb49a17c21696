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
/**
 * PyTorch's `default_collate`: stacks tensors into one with a new leading batch dim; numbers
 * become a 1-D tensor (int32 when all are integers in int32 range, otherwise float32 — PyTorch
 * makes int64 / float64); booleans a bool tensor; strings stay a list; arrays (tuples) and
 * plain objects are collated position by position / key by key.
 * @example defaultCollate([[x0, 3], [x1, 5]]) // → [stack([x0, x1]), tensor([3, 5])]
 */
export const defaultCollate = counted('defaultCollate', C.defaultCollate, ['batch']);
/**
 * Splits `dataset` into non-overlapping random subsets, PyTorch's `random_split`: `lengths` are
 * sizes summing to `dataset.length`, or fractions summing to 1 (each split gets
 * ⌊fraction·n⌋, then the remainder is dealt out one by one from the first split). The order
 * is `randperm(n, generator)` cut into consecutive pieces, so the same seed gives the same
 * subsets as PyTorch.
 * @example randomSplit(ds, [0.8, 0.2], { generator: new Generator(42) })
 */
export const randomSplit = counted('randomSplit', Ds.randomSplit, ['dataset', 'lengths', 'opts?']);
/**
 * Replaces a `fraction` of the labels of a `[x, label]` dataset by uniformly random classes,
 * fixed once. The recipe, in PyTorch terms, with `k = round(fraction · n)`:
 * ```
 * perm = torch.randperm(n, generator=g)
 * indices = perm[:k].sort().values
 * new_labels = torch.randint(0, num_classes, (k,), generator=g)
 * ```
 * The result exposes `indices` and `newLabels`; labels come out as numbers.
 * @example withRandomLabels(train, { fraction: 1, generator: new Generator(0) })
 */
export const withRandomLabels = counted('withRandomLabels', Lb.withRandomLabels, ['dataset', 'opts?']);
/**
 * A seeded random `fraction` of a dataset ("10% of MNIST": 6,000 of 60,000): the first
 * `round(fraction · n)` entries of `randperm(n, generator)`, in that order — the same subset as
 * `random_split(dataset, [k, n - k], generator=g)[0]` in PyTorch.
 */
export const fractionSubset = counted('fractionSubset', Lb.fractionSubset, ['dataset', 'fraction', 'opts?']);
/**
 * torchvision's `Normalize(mean, std)`: `(x − mean[c]) / std[c]` per channel of a float tensor
 * image [..., C, H, W] (so batches work too), computed in the tensor's dtype like torchvision's
 * `sub_(mean).div_(std)`. `mean`/`std` have one entry per channel, or one for all. The result is a
 * new tensor; it is not recorded for autograd (a data transform).
 * @example normalize([0.1307], [0.3081]) // MNIST's usual statistics
 */
export const normalize = counted('normalize', Tr.normalize, ['mean', 'std']);
