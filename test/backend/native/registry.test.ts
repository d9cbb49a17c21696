// The native backend through the registry: its size thresholds are predicates, so small work is
// declined (and counted) while large float32 work runs in oneDNN without a fallback.
import { describe, expect, it } from 'vitest';
import { backpropExample } from '../../../examples/01-backprop.js';
import { fallbacks, resetFallbacks } from '../../../src/backend/kernels.js';
import { backend } from '../../../src/backend/registry.js';
import { manualSeed, rand } from '../../../src/index.js';

const active = backend().name === 'native';
if (!active) console.warn('native registry tests skipped: the native backend is not active (addon unavailable)');

describe.skipIf(!active)(`native backend kernel registry${active ? '' : ' (skipped: native backend not active)'}`, () => {
  it('declines exercise 1’s 4×4 products and runs a 64×64 one itself', () => {
    resetFallbacks();
    backpropExample();
    const declined = fallbacks()
      .filter((f) => f.reason === 'declined')
      .map((f) => f.kernel);
    expect(declined).toContain('matmul');
    resetFallbacks();
    manualSeed(0);
    rand([64, 64]).matmul(rand([64, 64]));
    expect(fallbacks().filter((f) => f.kernel === 'matmul')).toEqual([]);
  });

  it('reports kernels it does not register as such', () => {
    resetFallbacks();
    rand([3]).exp().sum();
    const missing = fallbacks()
      .filter((f) => f.reason === 'not registered')
      .map((f) => f.kernel);
    expect(missing).toContain('reduce');
    expect(fallbacks().every((f) => f.backend === 'native')).toBe(true);
  });
});
