// Fuzz: seeded damage to safetensors files. Every damaged file either reads back consistently or
// fails with a "safetensors: …" error; never a crash, an engine error or a huge allocation.
import { describe, expect, it } from 'vitest';
import { tensor } from '../../src/index.js';
import { deserializeWithMetadata, serialize } from '../../src/io/safetensors.js';
import { damage, ENGINE_ERROR, prng } from '../fuzz.js';

const CASES = 600;

describe('safetensors fuzz', () => {
  const base = serialize(
    {
      'fc.weight': tensor(
        [
          [0.5, -1],
          [2, 3],
        ],
        { dtype: 'float32' },
      ),
      'fc.bias': tensor([1e-3, 7], { dtype: 'float64' }),
      steps: tensor([3, -4, 5]),
      mask: tensor([true, false]),
    },
    { epoch: '12', note: 'fuzz' },
  );

  it(`${CASES} damaged files: read consistently or refused with a safetensors error`, () => {
    const rand = prng(20261129);
    let refused = 0;
    for (let c = 0; c < CASES; c++) {
      const { bytes, how } = damage(base, rand);
      try {
        const { tensors } = deserializeWithMetadata(bytes);
        for (const [name, t] of Object.entries(tensors)) {
          expect(t.data.length, `case ${c} (${how}): ${name}`).toBe(t.shape.reduce((a, b) => a * b, 1));
        }
      } catch (e) {
        refused++;
        expect(e, `case ${c} (${how})`).toBeInstanceOf(Error);
        const msg = (e as Error).message;
        expect(msg, `case ${c} (${how})`).toMatch(/^safetensors: /);
        expect(msg, `case ${c} (${how})`).not.toMatch(ENGINE_ERROR);
      }
    }
    // The generator must actually damage: most cases are refused.
    expect(refused).toBeGreaterThan(CASES / 2);
  });
});
