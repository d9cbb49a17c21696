import { describe, expect, it } from 'vitest';
import { formulas, layers, N, receptiveFieldExample } from '../../examples/04-receptive-field.js';

describe('exercise 4: receptive fields', () => {
  const r = receptiveFieldExample();

  it('prints ranges that agree with the formulas, borders included', () => {
    expect(r.rows.length).toBe(12);
    for (const row of r.rows) {
      expect(row.agrees, `${row.y}[${row.index.join(', ')}]`).toBe(true);
      expect(row.channels).toEqual([[1, 3]]);
    }
    expect(r.text).not.toContain('DIFFERS');
    expect(r.text).toContain('y3[1, 1, 1]');
  });

  it('every output position of y1, y2 and y3 matches the exercise (1-based)', () => {
    const sizes = { y1: N, y2: N / 2, y3: N / 4 };
    for (const y of ['y1', 'y2', 'y3'] as const) {
      for (let i = 1; i <= sizes[y]; i++) {
        // Vary the row and the column, with the other one at a border or inside.
        for (const j of [1, Math.ceil(sizes[y] / 2), sizes[y]]) {
          for (const [a, b] of [
            [i, j],
            [j, i],
          ]) {
            const got = r.rf.at([3, a, b], { layer: layers[y], base: 1 });
            expect(got.dims[0].range).toEqual(formulas[y](a));
            expect(got.dims[1].range).toEqual(formulas[y](b));
            expect(got.channels).toEqual([[1, 3]]);
            expect(got.rectangular).toBe(true);
          }
        }
      }
    }
  });

  it('per-layer arithmetic: sizes 5, 6, 14, 16; jumps 1, 2, 2, 4', () => {
    const byName = Object.fromEntries(r.rf.layers.map((l) => [l.name, l]));
    expect([byName.conv1, byName.pool1, byName.conv2, byName.pool2].map((l) => l.fields[0].size[0])).toEqual([5, 6, 14, 16]);
    expect([byName.conv1, byName.pool1, byName.conv2, byName.pool2].map((l) => l.fields[0].jump[0])).toEqual([1, 2, 2, 4]);
    expect(byName.pool2.fields[0].start).toEqual([-6, -6]);
  });
});
