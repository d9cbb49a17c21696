// int32 stands for PyTorch's int64 in nabla, so a value past int32 is an error naming the op,
// never a silent wrap: creation, scalar operands, arithmetic (in place too), sums and products,
// integer powers. Also the errors of arange(NaN) and of shapes too large to allocate.
import { describe, expect, it } from 'vitest';
import { add, arange, full, mul, pow, square, sub, type Tensor, tensor, zeros } from '../../src/index.js';

// JS numbers make float32 tensors (COMPAT.md); these are int32 on purpose.
const int = (data: number[] | number[][]) => tensor(data, { dtype: 'int32' });
const vals = (t: Tensor) => Array.from(t.contiguous().data as Int32Array);
const range = /outside nabla's int32 range \[-2147483648, 2147483647\]/;

describe('int32 never wraps', () => {
  it('creation from numbers', () => {
    expect(() => int([2 ** 31])).toThrow(new RegExp(`^tensor: 2147483648 is ${range.source}`));
    expect(() => int([1e20])).toThrow(/^tensor: 100000000000000000000 is outside/);
    expect(() => int([-(2 ** 31) - 1])).toThrow(range);
    expect(() => int([1.5])).not.toThrow();
    expect(() => tensor(new Float64Array([3e9]), { dtype: 'int32' })).toThrow(range);
    expect(() => full([2], 2 ** 40, { dtype: 'int32' })).toThrow(/^full: /);
    expect(vals(int([2 ** 31 - 1, -(2 ** 31)]))).toEqual([2147483647, -2147483648]);
  });

  it('scalar arithmetic and tensor arithmetic', () => {
    const max = int([2147483647]);
    expect(() => add(max, 1)).toThrow(/^add: 2147483648 is outside/);
    expect(() => add(max, int([1]))).toThrow(/^add: 2147483648 is outside/);
    expect(() => sub(int([-2147483648]), 1)).toThrow(/^sub: -2147483649 is outside/);
    expect(() => mul(int([65536]), 65536)).toThrow(/^mul: 4294967296 is outside/);
    expect(() => add(int([1]), 2 ** 31)).toThrow(/^scalar operand: 2147483648 is outside/);
    expect(() => add(max, int([1]), 2)).toThrow(/^add: 2147483649 is outside/);
    expect(vals(add(int([2147483646, -5]), 1))).toEqual([2147483647, -4]);
    expect(vals(mul(int([[46340], [-3]]), int([46340, 7])))).toEqual([2147395600, 324380, -139020, -21]);
    expect(() => square(int([3, 2147483647]))).toThrow(/^square: 4611686014132420600 is outside/);
    expect(vals(square(int([46340, -7])))).toEqual([2147395600, 49]);
  });

  it('in place, the tensor is left as it was', () => {
    const t = int([2147483647, 0]);
    expect(() => t.add_(1)).toThrow(/^add: 2147483648 is outside/);
    expect(vals(t)).toEqual([2147483647, 0]);
    t.sub_(7);
    expect(vals(t)).toEqual([2147483640, -7]);
  });

  it('integer sums and products', () => {
    expect(() => int([2 ** 30, 2 ** 30, 2 ** 30, 2 ** 30]).sum()).toThrow(/^sum: 4294967296 is outside/);
    expect(() => int([[2 ** 30, 2 ** 30]]).sum({ dim: 1 })).toThrow(/^sum: 2147483648 is outside/);
    expect(() => int([65536, 65536]).prod()).toThrow(/^prod: 4294967296 is outside/);
    expect((int([2 ** 30, 2 ** 30 - 1, -5]).sum() as Tensor).item()).toBe(2147483642);
    expect((tensor([true, true, false]).sum() as Tensor).item()).toBe(2);
  });

  it('integer powers: negative exponents refused as in PyTorch, large results refused', () => {
    expect(() => pow(int([2]), -1)).toThrow('pow: Integers to negative integer powers are not allowed.');
    expect(() => pow(int([2]), int([-2]))).toThrow('pow: Integers to negative integer powers are not allowed.');
    expect(() => pow(int([2]), 31)).toThrow(/^pow: 2147483648 is outside/);
    expect(() => pow(int([65536]), 2)).toThrow(/^pow: 4294967296 is outside/);
    expect(vals(pow(int([2, -3]), int([30, 3])))).toEqual([1073741824, -27]);
    expect(vals(pow(int([3, -4]), 2))).toEqual([9, 16]);
  });
});

describe('bad sizes name what went wrong', () => {
  it('arange of NaN or Infinity', () => {
    expect(() => arange(Number.NaN)).toThrow(/^arange: start, end and step must be finite numbers \(got NaN/);
    expect(() => arange(0, Number.POSITIVE_INFINITY)).toThrow(/arange: start, end and step must be finite/);
    expect(() => arange(0, 3, Number.NaN)).toThrow(/arange: start, end and step must be finite/);
  });

  it('a shape too large to allocate names the shape and dtype', () => {
    expect(() => zeros([1_000_000, 1_000_000])).toThrow(
      /^cannot allocate a float32 tensor of shape \[1000000, 1000000\] \(1000000000000 elements\)/,
    );
  });
});
