/**
 * Image transforms with torchvision's arithmetic (float32 results are bit-identical).
 *
 * A transform is a function of one sample. Transforms marked `batchable` also accept a batch
 * (an {@link ImageU8} with `count`, or a tensor with a leading batch dim) and return exactly the
 * stacked per-sample results; datasets use that to transform a whole batch at once.
 */
import { allocate, isFloating } from '../tensor/dtype.js';
import { shapeStr } from '../tensor/shape.js';
import { Tensor } from '../tensor/tensor.js';

/**
 * An 8-bit image (what a PIL image or a uint8 array is to torchvision): pixels row-major with
 * channels last (H×W×C), or `count` such images back to back (a batch).
 */
export interface ImageU8 {
  data: Uint8Array;
  height: number;
  width: number;
  /** Channels per pixel (default 1). */
  channels?: number;
  /** When set, `data` holds this many images and transforms return batched results. */
  count?: number;
}

/** A sample transform; `batchable` ones also map batches (see the module notes). */
export type Transform<I, O> = ((x: I) => O) & { readonly batchable?: boolean };

function markBatchable<I, O>(fn: (x: I) => O): Transform<I, O> {
  return Object.assign(fn, { batchable: true as const });
}

/** float32(v / 255) for every byte value: torchvision's `img.to(float32).div(255)`. */
const BYTE_TO_UNIT = /* @__PURE__ */ (() => {
  const t = new Float32Array(256);
  for (let v = 0; v < 256; v++) t[v] = v / 255; // double division rounded once: the float32 quotient
  return t;
})();

/**
 * torchvision's `ToTensor` for 8-bit images: H×W×C bytes → a float32 C×H×W tensor of values
 * `v / 255` (exactly the float32 quotients), or [count, C, H, W] for a batch. A grayscale 28×28
 * image becomes 1×28×28.
 */
export const toTensor: Transform<ImageU8, Tensor> = markBatchable((img: ImageU8): Tensor => {
  const { data, height: h, width: w } = img;
  const c = img.channels ?? 1;
  const count = img.count ?? 1;
  for (const [name, v] of [
    ['height', h],
    ['width', w],
    ['channels', c],
    ['count', count],
  ] as const) {
    if (!Number.isInteger(v) || v < 0) throw new RangeError(`toTensor: ${name} must be a non-negative integer (got ${v})`);
  }
  const per = h * w * c;
  if (data.length !== per * count) {
    throw new RangeError(
      `toTensor: image data has ${data.length} bytes, expected ${count === 1 ? '' : `${count}×`}${h}×${w}×${c} = ${per * count}`,
    );
  }
  const out = new Float32Array(data.length);
  if (c === 1) {
    for (let i = 0; i < data.length; i++) out[i] = BYTE_TO_UNIT[data[i]];
  } else {
    const hw = h * w;
    for (let b = 0; b < count; b++) {
      const o = b * per;
      for (let p = 0; p < hw; p++) for (let ch = 0; ch < c; ch++) out[o + ch * hw + p] = BYTE_TO_UNIT[data[o + p * c + ch]];
    }
  }
  const shape = img.count === undefined ? [c, h, w] : [count, c, h, w];
  return Tensor._fromData(out, shape, 'float32');
});

/**
 * torchvision's `Normalize(mean, std)`: `(x − mean[c]) / std[c]` per channel of a float tensor
 * image [..., C, H, W] (so batches work too), computed in the tensor's dtype like torchvision's
 * `sub_(mean).div_(std)`. `mean`/`std` have one entry per channel, or one for all. The result is a
 * new tensor; it is not recorded for autograd (a data transform).
 * @example normalize([0.1307], [0.3081]) // MNIST's usual statistics
 */
export function normalize(mean: readonly number[], std: readonly number[]): Transform<Tensor, Tensor> {
  if (mean.length === 0 || mean.length !== std.length) {
    throw new RangeError(`normalize: mean and std need the same, non-zero number of entries (got ${mean.length} and ${std.length})`);
  }
  return markBatchable((x: Tensor): Tensor => {
    if (!(x instanceof Tensor)) throw new TypeError('normalize: expected a Tensor (apply toTensor first)');
    if (!isFloating(x.dtype)) throw new TypeError(`normalize: input tensor should be a float tensor (got ${x.dtype})`);
    if (x.ndim < 3) throw new RangeError(`normalize: expected a tensor image of size (..., C, H, W), got shape ${shapeStr(x.shape)}`);
    const c = x.shape[x.ndim - 3];
    if (mean.length !== 1 && mean.length !== c) {
      throw new RangeError(`normalize: ${mean.length} mean/std values do not match ${c} channels of shape ${shapeStr(x.shape)}`);
    }
    const f32 = x.dtype === 'float32';
    const r = f32 ? Math.fround : (v: number) => v;
    const m = Array.from({ length: c }, (_, k) => r(mean.length === 1 ? mean[0] : mean[k]));
    const s = Array.from({ length: c }, (_, k) => r(std.length === 1 ? std[0] : std[k]));
    s.forEach((v, k) => {
      if (v === 0)
        throw new RangeError(`normalize: std evaluated to zero after conversion to ${x.dtype} (channel ${k}), leading to division by zero`);
    });
    const src = x.data;
    const out = allocate(x.dtype, src.length) as Float32Array | Float64Array;
    const hw = x.shape[x.ndim - 2] * x.shape[x.ndim - 1];
    const outer = hw * c === 0 ? 0 : src.length / (hw * c);
    let i = 0;
    for (let o = 0; o < outer; o++) {
      for (let k = 0; k < c; k++) {
        const mk = m[k];
        const sk = s[k];
        // Float32Array stores round each step: fround(fround(x - m) / s), torchvision's two ops.
        if (f32) for (let p = 0; p < hw; p++, i++) out[i] = Math.fround(src[i] - mk) / sk;
        else for (let p = 0; p < hw; p++, i++) out[i] = (src[i] - mk) / sk;
      }
    }
    return Tensor._fromData(out, x.shape, x.dtype);
  });
}

/** Applies transforms left to right (torchvision's `Compose`); batchable when all of them are. */
export function compose<A, B>(t1: Transform<A, B>): Transform<A, B>;
export function compose<A, B, C>(t1: Transform<A, B>, t2: Transform<B, C>): Transform<A, C>;
export function compose<A, B, C, D>(t1: Transform<A, B>, t2: Transform<B, C>, t3: Transform<C, D>): Transform<A, D>;
export function compose<A, B, C, D, E>(t1: Transform<A, B>, t2: Transform<B, C>, t3: Transform<C, D>, t4: Transform<D, E>): Transform<A, E>;
export function compose(...transforms: Transform<unknown, unknown>[]): Transform<unknown, unknown>;
export function compose(...transforms: Transform<unknown, unknown>[]): Transform<unknown, unknown> {
  const bad = transforms.findIndex((t) => typeof t !== 'function');
  if (bad >= 0)
    throw new TypeError(`compose: every argument must be a transform (a function), but argument ${bad} is ${typeof transforms[bad]}`);
  const fn = (x: unknown) => transforms.reduce((v, t) => t(v), x);
  return transforms.every((t) => t.batchable) ? markBatchable(fn) : fn;
}
