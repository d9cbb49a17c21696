import { describe, expect, it } from 'vitest';
import { add, mul } from '../../src/ops/binary.js';
import { tensor } from '../../src/ops/creation.js';
import { defineOp } from '../../src/ops/define.js';
import { gather } from '../../src/ops/indexing.js';
import { type OpEvent, onOp } from '../../src/ops/trace.js';
import type { Tensor } from '../../src/tensor/tensor.js';

function events(run: () => unknown): OpEvent[] {
  const seen: OpEvent[] = [];
  const stop = onOp((e) => seen.push(e));
  try {
    run();
  } finally {
    stop();
  }
  return seen;
}

describe('defineOp', () => {
  it('reports the op with its inputs and attributes, and only itself (not the ops it is made of)', () => {
    // An op of two others, reported as 'add' (a name from OP_NAMES) with positions and attrs.
    const op = defineOp(
      'add',
      { inputs: [0, 2], attrs: (...a: unknown[]) => ({ k: a[1] }) },
      (x: Tensor, k: number, y: Tensor): Tensor => add(mul(x, k), y),
    );
    const x = tensor([1, 2]);
    const y = tensor([3, 4]);
    const seen = events(() => expect(op(x, 10, y).toArray()).toEqual([13, 24]));
    expect(seen.map((e) => e.op)).toEqual(['add']);
    expect(seen[0].inputs).toEqual([x, y]);
    expect(seen[0].attrs).toEqual({ k: 10 });
    expect(seen[0].outputs[0].toArray()).toEqual([13, 24]);
  });

  it("nabla's ops report the same events as before: add's alpha, gather's index input and dim", () => {
    const x = tensor([
      [1, 2],
      [3, 4],
    ]);
    const idx = tensor([[1], [0]], { dtype: 'int32' });
    const seen = events(() => {
      add(x, 1, 2);
      gather(x, 1, idx);
    });
    expect(seen.map((e) => [e.op, e.inputs.length, e.attrs])).toEqual([
      ['add', 2, { alpha: 2 }],
      ['gather', 2, { dim: 1 }],
    ]);
    expect(seen[1].inputs[1]).toBe(idx);
  });

  it('runs the op and reports nothing when no one listens', () => {
    expect(events(() => undefined)).toEqual([]);
    expect(add(tensor([1]), tensor([2])).toArray()).toEqual([3]);
  });
});
