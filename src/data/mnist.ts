import type { ParamSpec } from '../tensor/args.js';
import { Tensor } from '../tensor/tensor.js';
import type { Collated } from './collate.js';
import { checkIndex, type Dataset, TensorDataset } from './dataset.js';
import { type ImageU8, type Transform, toTensor } from './transforms.js';

/** The options of the MNIST-like loaders beyond the image size (`loadMnist`, `loadIdxDataset`). */
export const MNIST_LIKE_KEYS: readonly ParamSpec[] = [
  ['transform', { desc: 'a function', ok: (v) => typeof v === 'function' }],
  ['targetTransform', { desc: 'a function', ok: (v) => typeof v === 'function' }],
  ['classes', { desc: 'an array of class names', ok: (v) => Array.isArray(v) }],
];

/** Options of {@link MnistLike}. */
export interface MnistLikeOptions<X> {
  /** Image height (default 28). */
  height?: number;
  /** Image width (default 28). */
  width?: number;
  /** Applied to each 8-bit image (default {@link toTensor}: a float32 1×H×W tensor in [0, 1]). */
  transform?: Transform<ImageU8, X>;
  /** Applied to each label (default none). */
  targetTransform?: (label: number) => number;
  /** Class names, index = label (default '0'…'9'). */
  classes?: readonly string[];
}

/**
 * An in-memory MNIST-style dataset: N grayscale 8-bit images of H×W (row-major, image after
 * image) and N integer labels. `get(i)` is the PyTorch-like pair `[transform(image), label]`,
 * by default `[float32 1×28×28 tensor in [0, 1], number]`.
 *
 * Batches: with a batchable transform (toTensor, normalize, compose of those) `getBatch` gathers
 * the batch's bytes and transforms them at once, giving `[float32 B×1×H×W, int32 B]` — the same
 * values as collating `get(i)`.
 */
export class MnistLike<X = Tensor> implements Dataset<[X, number]> {
  /** All images, `length`·H·W bytes. */
  readonly images: Uint8Array;
  /** All labels. */
  readonly labels: Int32Array;
  readonly height: number;
  readonly width: number;
  readonly transform: Transform<ImageU8, X>;
  readonly targetTransform: ((label: number) => number) | undefined;
  readonly classes: readonly string[];

  constructor(images: Uint8Array, labels: ArrayLike<number>, opts: MnistLikeOptions<X> = {}) {
    this.height = opts.height ?? 28;
    this.width = opts.width ?? 28;
    const hw = this.height * this.width;
    if (!Number.isInteger(hw) || hw <= 0) throw new RangeError(`MnistLike: bad image size ${this.height}×${this.width}`);
    if (images.length !== labels.length * hw) {
      throw new RangeError(
        `MnistLike: ${labels.length} labels need ${labels.length}×${this.height}×${this.width} = ${labels.length * hw} image bytes, got ${images.length}`,
      );
    }
    this.images = images;
    this.labels = labels instanceof Int32Array ? labels : Int32Array.from(labels);
    this.transform = opts.transform ?? (toTensor as unknown as Transform<ImageU8, X>);
    this.targetTransform = opts.targetTransform;
    this.classes = opts.classes ?? ['0', '1', '2', '3', '4', '5', '6', '7', '8', '9'];
  }

  get length(): number {
    return this.labels.length;
  }

  /** The raw bytes of image `i` (a view, not a copy). */
  image(index: number): ImageU8 {
    checkIndex('MnistLike.image', index, this.length);
    const hw = this.height * this.width;
    return { data: this.images.subarray(index * hw, (index + 1) * hw), height: this.height, width: this.width };
  }

  /** The (target-transformed) label of sample `i`. */
  label(index: number): number {
    checkIndex('MnistLike.label', index, this.length);
    const y = this.labels[index];
    return this.targetTransform ? this.targetTransform(y) : y;
  }

  get(index: number): [X, number] {
    return [this.transform(this.image(index)), this.label(index)];
  }

  getBatch(indices: ArrayLike<number>): Collated<[X, number]> | undefined {
    if (!this.transform.batchable) return undefined;
    const k = indices.length;
    const hw = this.height * this.width;
    const bytes = new Uint8Array(k * hw);
    const labels = new Int32Array(k);
    let labelsInt = true;
    const ys: number[] = new Array(k);
    for (let j = 0; j < k; j++) {
      const i = indices[j];
      checkIndex('MnistLike.getBatch', i, this.length);
      bytes.set(this.images.subarray(i * hw, (i + 1) * hw), j * hw);
      const y = this.targetTransform ? this.targetTransform(this.labels[i]) : this.labels[i];
      ys[j] = y;
      if (!Number.isInteger(y) || y < -2147483648 || y > 2147483647) labelsInt = false;
      labels[j] = y;
    }
    const x = this.transform({ data: bytes, height: this.height, width: this.width, count: k });
    const y = labelsInt ? Tensor._fromData(labels, [k], 'int32') : Tensor._fromData(Float32Array.from(ys), [k], 'float32');
    return [x, y] as unknown as Collated<[X, number]>;
  }

  /** The labels as an int32 tensor [N] (PyTorch's `targets`); shares memory with `labels`. */
  get targets(): Tensor {
    return Tensor._fromData(this.labels, [this.length], 'int32');
  }

  /**
   * The whole dataset transformed once into a {@link TensorDataset} `[images, labels]`
   * (needs a batchable transform): for training many epochs without re-transforming.
   */
  toTensorDataset(): TensorDataset {
    if (!this.transform.batchable) throw new TypeError('MnistLike.toTensorDataset: the transform is not batchable');
    const all = Int32Array.from({ length: this.length }, (_, i) => i);
    const [x, y] = this.getBatch(all) as unknown as [Tensor, Tensor];
    return new TensorDataset(x, y);
  }
}
