/**
 * Errors are part of the API: they name the op, the shapes and dtypes involved,
 * and what would be valid.
 */
import { describe, expect, it } from 'vitest';
import * as nb from '../../src/index.js';

const z = nb.zeros;
const f64 = (shape: number[]) => nb.zeros(shape, { dtype: 'float64' });

/** The error `fn` throws (fails the test if it does not throw). */
function errorOf(fn: () => unknown): Error {
  try {
    fn();
  } catch (e) {
    return e as Error;
  }
  throw new Error('expected an error');
}

describe('matmul', () => {
  it('names both shapes and the mismatching sizes, exactly', () => {
    const e = errorOf(() => nb.matmul(z([64, 6400]), z([800, 10])));
    expect(e).toBeInstanceOf(RangeError);
    expect(e.message).toBe('matmul: shapes [64, 6400] and [800, 10] cannot be multiplied (6400 ≠ 800)');
  });

  it.each([
    [[3], [4], 'matmul: shapes [3] and [4] cannot be multiplied (3 ≠ 4)'],
    [[2, 3], [4], 'matmul: shapes [2, 3] and [4] cannot be multiplied (3 ≠ 4)'],
    [[3], [4, 2], 'matmul: shapes [3] and [4, 2] cannot be multiplied (3 ≠ 4)'],
    [[2, 2, 3], [2, 4, 5], 'matmul: shapes [2, 2, 3] and [2, 4, 5] cannot be multiplied (3 ≠ 4)'],
  ])('%j @ %j', (a, b, message) => {
    expect(() => nb.matmul(z(a), z(b))).toThrow(message);
  });

  it('names both full shapes when batch dims cannot broadcast', () => {
    expect(() => nb.matmul(z([2, 3, 4]), z([3, 4, 5]))).toThrow(
      'matmul: batch dimensions of shapes [2, 3, 4] and [3, 4, 5] cannot be broadcast (2 ≠ 3 at batch dimension -1)',
    );
  });

  it('refuses mixed dtypes, naming both', () => {
    const e = errorOf(() => nb.matmul(z([2, 2]), f64([2, 2])));
    expect(e).toBeInstanceOf(TypeError);
    expect(e.message).toBe('matmul: expected both operands to have the same dtype, got float32 and float64');
    expect(() => z([2]).dot(nb.tensor([1, 2], { dtype: 'int32' }))).toThrow(/float32 and int32/);
  });

  it('refuses 0-d operands and bool', () => {
    expect(() => nb.matmul(z([]), z([3]))).toThrow('matmul: both arguments need at least 1 dimension (got shapes [] and [3])');
    expect(() => nb.matmul(nb.tensor([true]), nb.tensor([false]))).toThrow(/bool/);
  });

  it('mm, bmm, dot and outer check their ranks', () => {
    expect(() => nb.mm(z([2, 2, 2]), z([2, 2]))).toThrow('mm: expects 2-D tensors (got shapes [2, 2, 2] and [2, 2])');
    expect(() => nb.bmm(z([2, 2, 2]), z([3, 2, 2]))).toThrow(/bmm: .*\[2, 2, 2\] and \[3, 2, 2\]/);
    expect(() => nb.dot(z([2, 1]), z([2]))).toThrow(/dot: expects 1-D tensors/);
    expect(() => nb.outer(z([2, 1]), z([2]))).toThrow(/outer: expects 1-D tensors/);
  });
});

describe('broadcasting', () => {
  it.each([
    ['add', () => nb.add(z([2, 3]), z([4]))],
    ['sub', () => nb.sub(z([2, 3]), z([4]))],
    ['mul', () => z([2, 3]).mul(z([4]))],
    ['div', () => z([2, 3]).div(z([4]))],
    ['pow', () => z([2, 3]).pow(z([4]))],
    ['maximum', () => nb.maximum(z([2, 3]), z([4]))],
    ['eq', () => nb.eq(z([2, 3]), z([4]))],
  ] as const)('%s names the op and both shapes', (op, fn) => {
    expect(fn).toThrow(`${op}: shapes [2, 3] and [4] cannot be broadcast together (size 3 ≠ 4 at dimension -1)`);
  });

  it('where names the shapes it cannot broadcast', () => {
    expect(() => nb.where(nb.tensor([true, false, true]), z([2]), 1)).toThrow(/where: shapes \[3\] and \[2\] cannot be broadcast/);
  });

  it('expand names the target and the tensor sizes', () => {
    expect(() => z([3, 2]).expand(3, 4)).toThrow(
      'expand: the expanded size (4) must match the existing size (2) at non-singleton dimension 1. Target sizes: [3, 4]. Tensor sizes: [3, 2]',
    );
  });

  it('in-place ops cannot grow their output', () => {
    expect(() => z([3]).add_(z([2, 3]))).toThrow("add_: output with shape [3] doesn't match the broadcast shape [2, 3]");
  });
});

describe('dims', () => {
  it.each([
    ['sum', () => z([2, 3]).sum({ dim: 2 }), 'sum: dimension 2 out of range (expected to be in range of [-2, 1])'],
    ['mean', () => z([2, 3]).mean({ dim: -3 }), 'mean: dimension -3 out of range (expected to be in range of [-2, 1])'],
    ['max', () => z([2, 3]).max({ dim: 5 }), 'max: dimension 5 out of range'],
    ['argmax', () => z([2, 3]).argmax({ dim: 2 }), 'argmax: dimension 2 out of range'],
    ['softmax', () => z([2, 3]).softmax(2), 'softmax: dimension 2 out of range'],
    ['logSoftmax', () => z([2, 3]).logSoftmax(-3), 'logSoftmax: dimension -3 out of range'],
    ['transpose', () => z([2, 3]).transpose(0, 5), 'transpose: dimension 5 out of range'],
    ['unsqueeze', () => z([2, 3]).unsqueeze(4), 'unsqueeze: dimension 4 out of range (expected to be in range of [-3, 2])'],
    ['squeeze', () => z([2, 3]).squeeze(2), 'squeeze: dimension 2 out of range'],
    ['cat', () => nb.cat([z([2, 3]), z([2, 3])], 2), 'cat: dimension 2 out of range'],
    ['gather', () => z([2, 3]).gather(2, nb.tensor([[0]], { dtype: 'int32' })), 'gather: dimension 2 out of range'],
  ] as const)('%s', (_op, fn, message) => {
    const e = errorOf(fn);
    expect(e).toBeInstanceOf(RangeError);
    expect(e.message).toContain(message);
  });

  it('rejects a dim listed twice', () => {
    expect(() => z([2, 3]).sum({ dim: [1, -1] })).toThrow('sum: dim 1, -1 appears multiple times in the list of dims');
  });

  it('permute wants every dim once', () => {
    expect(() => z([2, 3]).permute(0)).toThrow("permute: number of dims 1 doesn't match the tensor's 2 (shape [2, 3])");
    expect(() => z([2, 3]).permute(0, 0)).toThrow('permute: repeated dim in [0, 0]');
  });

  it('select, narrow and split check sizes', () => {
    expect(() => z([2, 3]).select(1, 3)).toThrow('select: index 3 out of range for dimension 1 with size 3');
    expect(() => z([2, 3]).narrow(1, 2, 2)).toThrow('narrow: start (2) + length (2) exceeds dimension size (3) of dim 1');
    expect(() => z([5]).split([2, 2])).toThrow('split: split sizes [2, 2] sum to 4, but dimension 0 has size 5');
    expect(() => z([2, 3]).flatten(1, 0)).toThrow('flatten: startDim 1 cannot come after endDim 0');
  });

  it('cat and stack name the mismatching shapes', () => {
    expect(() => nb.cat([z([2, 3]), z([2, 4])])).toThrow(
      'cat: sizes of tensors must match except in dimension 0; tensor 0 has shape [2, 3] and tensor 1 has shape [2, 4]',
    );
    expect(() => nb.stack([z([2, 3]), z([3, 2])])).toThrow(
      'stack: expects each tensor to be equal size, but got [2, 3] at entry 0 and [3, 2] at entry 1',
    );
    expect(() => nb.cat([])).toThrow(/non-empty/);
  });

  it('reductions over an empty dim say so', () => {
    expect(() => z([0, 3]).max({ dim: 0 })).toThrow('max: cannot reduce over an empty dimension (input shape [0, 3])');
    expect(() => z([0]).argmax()).toThrow(/argmax: cannot reduce over an empty dimension/);
    expect(() => z([0]).max()).toThrow(/max: cannot reduce over an empty dimension/);
  });
});

describe('reshape and view', () => {
  it('names the shape and the input size', () => {
    expect(() => z([2, 3]).reshape(4, 4)).toThrow('reshape: shape [4, 4] is invalid for input of size 6');
    expect(() => z([2, 3]).view(4, -1)).toThrow('view: shape [4, -1] is invalid for input of size 6');
    expect(() => z([2, 3]).reshape(-1, -1)).toThrow('reshape: only one dimension can be inferred (-1) in [-1, -1]');
    expect(() => z([2, 3]).reshape(-2, 3)).toThrow('reshape: invalid shape [-2, 3] (sizes must be non-negative integers)');
    expect(() => z([2, 3]).reshape(2.5, 2)).toThrow(/invalid shape/);
    expect(() => z([0, 3]).reshape(-1, 0)).toThrow(/invalid for input of size 0/);
  });

  it('view of a non-contiguous layout points to reshape', () => {
    expect(() => z([2, 3]).t().view(6)).toThrow(
      "view: shape [6] is not compatible with the input's size [3, 2] and strides [1, 3] (at least one dimension spans two contiguous subspaces). Use reshape() instead.",
    );
  });

  it('creation validates shapes', () => {
    expect(() => z([2, -1])).toThrow('zeros: invalid shape [2, -1] (sizes must be non-negative integers)');
    expect(() => nb.tensor([[1, 2], [3]])).toThrow(/expected a sequence of length 2 at dim 1/);
    expect(() => nb.arange(0, 1, 0)).toThrow('arange: step must be nonzero');
    expect(() => nb.arange(0, 5, -1)).toThrow(/inconsistent with step sign/);
  });
});

describe('dtypes and indices', () => {
  it('index tensors must be int32 and in range (negative values are out of range, as in PyTorch)', () => {
    const x = z([2, 3]);
    expect(() => x.gather(1, nb.tensor([[1.5]]))).toThrow('gather: index must be an int32 tensor (got float32)');
    expect(() => x.gather(1, nb.tensor([[1]]))).toThrow(
      "create indices with tensor([...], { dtype: 'int32' }) or an Int32Array, or convert with .int()",
    );
    expect(() => x.gather(1, nb.tensor([[3]], { dtype: 'int32' }))).toThrow('gather: index 3 is out of bounds for dimension 1 with size 3');
    expect(() => x.gather(1, nb.tensor([[-1]], { dtype: 'int32' }))).toThrow(
      'gather: index -1 is out of bounds for dimension 1 with size 3',
    );
    expect(() => x.indexSelect(0, nb.tensor([2], { dtype: 'int32' }))).toThrow(
      'indexSelect: index 2 is out of bounds for dimension 0 with size 2',
    );
    expect(() => x.scatterAdd(0, nb.tensor([[2, 0, 0]], { dtype: 'int32' }), z([1, 3]))).toThrow(/scatterAdd: index 2 is out of bounds/);
    expect(() => x.scatterAdd(0, nb.tensor([[0]], { dtype: 'int32' }), f64([1, 1]))).toThrow(
      'scatterAdd: src dtype float64 must match input dtype float32',
    );
    expect(() => x.gather(1, nb.tensor([[0], [0], [0]], { dtype: 'int32' }))).toThrow(
      'gather: index [3, 1] is larger than input [2, 3] at dimension 0',
    );
    expect(() => x.gather(1, nb.tensor([0], { dtype: 'int32' }))).toThrow('gather: index [1] must have as many dims as input [2, 3]');
    expect(() => nb.oneHot(nb.tensor([0, 3], { dtype: 'int32' }), 3)).toThrow('oneHot: class values must be in [0, 3) (got 3)');
  });

  it('ops that need floating point say so', () => {
    expect(() => nb.tensor([1, 2], { dtype: 'int32' }).mean()).toThrow(/mean: .*int32 is not floating point/);
    expect(() => nb.sub(nb.tensor([true]), nb.tensor([false]))).toThrow(/sub: subtraction of bool tensors is not supported/);
    expect(() => nb.neg(nb.tensor([true]))).toThrow(/neg: negation of a bool tensor/);
    expect(() => nb.where(nb.tensor([1, 0], { dtype: 'int32' }), z([2]), z([2]))).toThrow(
      'where: condition must be a bool tensor (got int32)',
    );
  });

  it('in-place ops cannot narrow the dtype', () => {
    expect(() => nb.tensor([1, 2], { dtype: 'int32' }).add_(0.5)).toThrow(
      "add_: result type float32 can't be cast to the desired output type int32",
    );
  });

  it('item needs exactly one element', () => {
    expect(() => z([2]).item()).toThrow('item: a tensor with 2 elements cannot be converted to a scalar');
  });
});
