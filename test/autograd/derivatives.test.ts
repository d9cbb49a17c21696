import { describe, expect, it } from 'vitest';
import { derivatives, families } from '../../src/autograd/derivatives/index.js';
import { record } from '../../src/autograd/record.js';
import { mul } from '../../src/ops/binary.js';
import { tensor } from '../../src/ops/creation.js';
import '../../src/tensor/methods.js';

describe('the table of backward rules', () => {
  it('no two op families define a rule of the same name (one would hide the other)', () => {
    const names = Object.values(families).flatMap((rules) => Object.keys(rules));
    expect(new Set(names).size).toBe(names.length);
    expect(Object.keys(derivatives).length).toBe(names.length);
  });

  it('an op records the rule by name and backward runs it with the context', () => {
    const x = tensor([1, 2, 3], { requiresGrad: true });
    const y = mul(x, tensor([4, 5, 6]));
    expect(y.gradFn?.name).toBe('MulBackward0');
    y.sum().backward();
    expect(x.grad?.toArray()).toEqual([4, 5, 6]);
  });

  it('a rule that is not in the table is an error naming it at backward', () => {
    const x = tensor([1, 2], { requiresGrad: true });
    const y = record(mul(x, 1).detach(), 'NoSuchBackward0' as 'MulBackward0', [x], { a: x, b: x });
    expect(() => y.sum().backward()).toThrow(/no backward rule named NoSuchBackward0/);
  });
});
