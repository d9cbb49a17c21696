import { describe, expect, it } from 'vitest';
import { data, tensor } from '../../src/index.js';
import { fixture } from './fixture.js';

const { toTensor, normalize, compose } = data;

const bytes = Uint8Array.from({ length: 256 }, (_, i) => i);

describe('toTensor (torchvision ToTensor)', () => {
  it('maps 8-bit values to float32 v/255 exactly as PyTorch', () => {
    const t = toTensor({ data: bytes, height: 16, width: 16 });
    expect(t.dtype).toBe('float32');
    expect(t.shape).toEqual([1, 16, 16]);
    expect(Array.from(t.data)).toEqual(fixture.transforms.toTensor);
  });

  it('moves channels first and handles batches', () => {
    // 2×2 RGB, HWC.
    const rgb = Uint8Array.from([0, 51, 102, 153, 204, 255, 255, 0, 51, 102, 153, 204]);
    const t = toTensor({ data: rgb, height: 2, width: 2, channels: 3 });
    expect(t.shape).toEqual([3, 2, 2]);
    expect(Array.from(t.data).map((v) => Math.round(v * 255))).toEqual([0, 153, 255, 102, 51, 204, 0, 153, 102, 255, 51, 204]);
    const batch = toTensor({ data: new Uint8Array([...rgb, ...rgb]), height: 2, width: 2, channels: 3, count: 2 });
    expect(batch.shape).toEqual([2, 3, 2, 2]);
    expect(Array.from(batch.data)).toEqual([...t.data, ...t.data]);
    expect(toTensor.batchable).toBe(true);
  });

  it('rejects data of the wrong length', () => {
    expect(() => toTensor({ data: new Uint8Array(10), height: 3, width: 3 })).toThrow(/10 bytes, expected 3×3×1 = 9/);
  });
});

describe('normalize (torchvision Normalize)', () => {
  it('matches sub_(mean).div_(std) in float32, MNIST statistics', () => {
    const f = fixture.transforms.normalizeMnist;
    const t = normalize(f.mean, f.std)(toTensor({ data: bytes, height: 16, width: 16 }));
    expect(Array.from(t.data)).toEqual(f.values);
  });

  it('per channel, and the same on a batch', () => {
    const f = fixture.transforms.normalizeRgb;
    const x = toTensor({ data: bytes.subarray(0, 192), height: 8, width: 8, channels: 3 });
    // Fixture input is arange(256) viewed [4, 8, 8] (CHW), first 3 channels.
    const chw = tensor(Array.from({ length: 192 }, (_, i) => Math.fround(i / 255))).reshape(f.shape);
    const n = normalize(f.mean, f.std);
    expect(Array.from(n(chw).data)).toEqual(f.values);
    expect(x.shape).toEqual([3, 8, 8]);
    const batch = n(chw.unsqueeze(0).expand([2, 3, 8, 8]));
    expect(batch.shape).toEqual([2, 3, 8, 8]);
    expect(Array.from(batch.data)).toEqual([...f.values, ...f.values]);
  });

  it('validates its inputs', () => {
    expect(() => normalize([0.5], [])).toThrow(/same, non-zero number/);
    expect(() => normalize([0.5], [0])(tensor([[[1]]], { dtype: 'float32' }))).toThrow(/std evaluated to zero/);
    expect(() => normalize([0.5, 0.5], [1, 1])(tensor([[[1]]], { dtype: 'float32' }))).toThrow(
      /2 mean\/std values do not match 1 channels/,
    );
    expect(() => normalize([0.5], [1])(tensor([1, 2], { dtype: 'float32' }))).toThrow(/\(\.\.\., C, H, W\)/);
    expect(() => normalize([0.5], [1])(tensor([[[1]]], { dtype: 'int32' }))).toThrow(/float tensor/);
  });
});

describe('compose', () => {
  it('chains left to right and stays batchable when every step is', () => {
    const t = compose(toTensor, normalize([0.5], [0.5]));
    expect(t.batchable).toBe(true);
    const out = t({ data: new Uint8Array([0, 255]), height: 1, width: 2 });
    expect(Array.from(out.data)).toEqual([-1, 1]);
    const plain = compose(toTensor, (x: data.ImageU8 | unknown) => x);
    expect(plain.batchable).toBeFalsy();
  });
});
