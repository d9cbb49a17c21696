/**
 * The shortcuts backward formulas take when nothing records (ops/linalg.ts's matmulT reads
 * transposes through the kernel's flags; ops/binary.ts's mulOwned multiplies into a fresh
 * intermediate): the same values, bit for bit, as the ops they stand for, and the ops themselves
 * whenever something records.
 */
import { describe, expect, it } from 'vitest';
import { enableGrad, manualSeed, noGrad, rand, type Tensor } from '../../src/index.js';
import { mul, mulOwned, sub } from '../../src/ops/binary.js';
import { matmul, matmulT } from '../../src/ops/linalg.js';
import { transpose } from '../../src/ops/views.js';

const bits = (t: Tensor) => Array.from(new Uint32Array(new Float32Array(t.contiguous().data).buffer));

describe('matmulT', () => {
  // Row-major, transposed-view and strided (needs a copy) operands, with size-1 dims among them.
  const shapes: [number, number, number][] = [
    [3, 5, 4],
    [1, 6, 2],
    [4, 7, 1],
    [40, 33, 37],
  ];
  const layouts = ['row-major', 'transposed view', 'strided'] as const;
  const make = (rows: number, cols: number, layout: (typeof layouts)[number]): Tensor => {
    if (layout === 'row-major') return rand([rows, cols]);
    if (layout === 'transposed view') return transpose(rand([cols, rows]), 0, 1);
    return rand([rows, cols * 2]).slice(1, 0, cols * 2, 2);
  };
  for (const [m, k, n] of shapes) {
    for (const transA of [false, true]) {
      for (const transB of [false, true]) {
        it(`[${m}×${k}]·[${k}×${n}], transA ${transA}, transB ${transB}: matmul of the transposed views, bit for bit`, () => {
          manualSeed(m * 100 + k);
          for (const la of layouts) {
            for (const lb of layouts) {
              const a = transA ? make(k, m, la) : make(m, k, la);
              const b = transB ? make(n, k, lb) : make(k, n, lb);
              const want = matmul(transA ? transpose(a, 0, 1) : a, transB ? transpose(b, 0, 1) : b);
              const got = noGrad(() => matmulT(a, transA, b, transB));
              expect(got.shape).toEqual([m, n]);
              expect(bits(got)).toEqual(bits(want));
            }
          }
        });
      }
    }
  }

  it('records like the composition when an operand requires grad', () => {
    const a = rand([3, 4], { requiresGrad: true });
    const b = rand([5, 4]);
    const y = matmulT(a, false, b, true);
    expect(y.gradFn?.name).toBe('MmBackward0');
    y.sum().backward();
    expect(bits(a.grad as Tensor)).toEqual(bits(b.sum(0).expand([3, 4])));
  });
});

describe('mulOwned', () => {
  it('writes into the fresh factor when nothing records, with mul’s values', () => {
    const y = rand([4, 3]);
    const g = rand([4, 3]);
    const want = mul(g, mul(y, sub(1, y)));
    const owned = sub(1, y);
    const got = mulOwned(mulOwned(owned, y), g);
    expect(got).toBe(owned);
    expect(bits(got)).toEqual(bits(want));
  });

  it('is mul when something records, when the product would broadcast, or when the dtypes differ', () => {
    const g = rand([4, 3], { requiresGrad: true });
    const owned = sub(1, rand([4, 3]));
    const recorded = enableGrad(() => mulOwned(owned, g));
    expect(recorded).not.toBe(owned);
    expect(recorded.gradFn?.name).toBe('MulBackward0');
    const row = sub(1, rand([3]));
    const broadcast = mulOwned(row, rand([4, 3]));
    expect(broadcast).not.toBe(row);
    expect(broadcast.shape).toEqual([4, 3]);
    const f32 = sub(1, rand([2]));
    const wider = mulOwned(f32, rand([2], { dtype: 'float64' }));
    expect(wider).not.toBe(f32);
    expect(wider.dtype).toBe('float64');
  });
});
