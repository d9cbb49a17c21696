import { inspect } from 'node:util';
import { describe, expect, it } from 'vitest';
import { arange, eye, fromTypedArray, full, linspace, ones, onesLike, tensor, zeros, zerosLike } from '../../src/index.js';

describe('tensor creation', () => {
  it('infers dtype from JS literals: all booleans → bool, numbers → float32 (JS has no float literal)', () => {
    expect(tensor([true, false]).dtype).toBe('bool');
    expect(tensor([1, 2]).dtype).toBe('float32');
    expect(tensor(1.0).dtype).toBe('float32');
    expect(tensor([1, 2], { dtype: 'int32' }).dtype).toBe('int32');
    expect(tensor(new Int32Array([1, 2])).dtype).toBe('int32');
    expect(tensor([1, 2.5]).dtype).toBe('float32');
    expect(tensor(3).shape).toEqual([]);
    expect(
      tensor(
        [
          [1, 2],
          [3, 4],
        ],
        { dtype: 'float64' },
      ).dtype,
    ).toBe('float64');
    expect(full([2], 7).dtype).toBe('float32');
    expect(full([2], true).dtype).toBe('bool');
    expect(full([2], 0.5).dtype).toBe('float32');
  });

  it('rejects ragged nested arrays naming the dim', () => {
    expect(() => tensor([[1, 2], [3]])).toThrow('tensor: expected a sequence of length 2 at dim 1 (got length 1)');
  });

  it('copies TypedArrays in tensor() and shares them in fromTypedArray()', () => {
    const a = new Float32Array([1, 2, 3, 4]);
    const copied = tensor(a);
    const shared = fromTypedArray(a, [2, 2]);
    a[0] = 10;
    expect(copied.toArray()).toEqual([1, 2, 3, 4]);
    expect(shared.toArray()).toEqual([
      [10, 2],
      [3, 4],
    ]);
    expect(() => fromTypedArray(a, [3])).toThrow('fromTypedArray: shape [3] is invalid for input of size 4');
  });

  it('builds ranges and identities', () => {
    expect(arange(5).toArray()).toEqual([0, 1, 2, 3, 4]);
    expect(arange(1, 2, 0.25).toArray()).toEqual([1, 1.25, 1.5, 1.75]);
    expect(linspace(0, 1, 5).toArray()).toEqual([0, 0.25, 0.5, 0.75, 1]);
    expect(eye(2, 3).toArray()).toEqual([
      [1, 0, 0],
      [0, 1, 0],
    ]);
    expect(zerosLike(ones([2], { dtype: 'float64' })).dtype).toBe('float64');
    expect(onesLike(zeros([1, 2])).shape).toEqual([1, 2]);
    expect(() => arange(0, 5, -1)).toThrow(/arange/);
  });

  it('gives item() only for one-element tensors', () => {
    expect(tensor([[2.5]]).item()).toBe(2.5);
    expect(() => tensor([1, 2]).item()).toThrow('item: a tensor with 2 elements cannot be converted to a scalar');
  });
});

describe('views share storage', () => {
  it('writes through a view are seen by the base and bump the shared version', () => {
    const x = zeros([2, 3]);
    const row = x.select(0, 1);
    row.fill_(5);
    expect(x.toArray()).toEqual([
      [0, 0, 0],
      [5, 5, 5],
    ]);
    expect(x._version).toBe(1);
    const tr = x.t();
    expect(tr.isContiguous()).toBe(false);
    expect(tr.data).toEqual(new Float32Array([0, 5, 0, 5, 0, 5]));
  });

  it('data is a live view when contiguous', () => {
    const x = arange(6).float().reshape(2, 3);
    x.data[0] = 42;
    expect(x.select(0, 0).select(0, 0).item()).toBe(42);
  });

  it('view() refuses layouts that need a copy, reshape() copies', () => {
    const x = arange(6).reshape(2, 3).t();
    expect(() => x.view(6)).toThrow(/view: shape \[6\] is not compatible/);
    expect(x.reshape(6).toArray()).toEqual([0, 3, 1, 4, 2, 5]);
    // A transposed tensor can still be viewed when the merged dims stay contiguous.
    expect(x.unsqueeze(0).view(3, 2).shape).toEqual([3, 2]);
  });
});

describe('printing', () => {
  it('String(), toString() and console.log agree with PyTorch', () => {
    const x = tensor([
      [1, 2],
      [3, 4],
    ]).float();
    const expected = 'tensor([[1., 2.],\n        [3., 4.]])';
    expect(String(x)).toBe(expected);
    expect(x.toString()).toBe(expected);
    expect(inspect(x)).toBe(expected);
    const y = ones([2], { requiresGrad: true });
    expect(String(y)).toBe('tensor([1., 1.], requires_grad=True)');
    expect(String(y.mul(2))).toBe('tensor([2., 2.], grad_fn=<MulBackward0>)');
    expect(String(y.sum())).toBe('tensor(2., grad_fn=<SumBackward0>)');
    expect(String(tensor([1, 2]))).toBe('tensor([1., 2.])');
    expect(String(tensor([1, 2], { dtype: 'int32' }))).toBe('tensor([1, 2])');
    expect(String(tensor([0.5], { dtype: 'float64' }))).toBe('tensor([0.5000], dtype=torch.float64)');
  });
});

describe('bool storage holds only 0 and 1', () => {
  it('converts nonzero values to true in tensor() and full(), and keeps image bytes as int32', () => {
    expect(tensor([2, 0, -1, Number.NaN], { dtype: 'bool' }).toArray()).toEqual([true, false, true, true]);
    expect(Array.from(tensor(new Float32Array([0.5, 0]), { dtype: 'bool' }).data)).toEqual([1, 0]);
    expect(Array.from(full([2], 7, { dtype: 'bool' }).data)).toEqual([1, 1]);
    const pixels = tensor(new Uint8Array([0, 128, 255]));
    expect(pixels.dtype).toBe('int32');
    expect(pixels.toArray()).toEqual([0, 128, 255]);
  });
});
