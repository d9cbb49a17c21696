// docs/webgpu.md states the WebGPU tolerance table; the tests hold the kernels to WEBGPU_TOLERANCE.
// The two must say the same.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { KERNEL_NAMES } from '../../../src/backend/kernels.js';
import { toleranceFamily, WEBGPU_TOLERANCE } from './tolerances.js';

describe('the WebGPU tolerance table', () => {
  it('docs/webgpu.md states exactly WEBGPU_TOLERANCE, family by family', () => {
    const doc = readFileSync(new URL('../../../docs/webgpu.md', import.meta.url), 'utf8');
    const rows = [...doc.matchAll(/^\| `(\w+)` \|.*\| ([\d.e-]+) \|$/gm)].map((m) => [m[1], Number(m[2])]);
    expect(Object.fromEntries(rows)).toEqual(WEBGPU_TOLERANCE);
    expect(rows.length).toBe(Object.keys(WEBGPU_TOLERANCE).length);
  });

  it('gives every kernel, and every unary, binary and reduce op, a family of the table', () => {
    for (const k of KERNEL_NAMES) expect(WEBGPU_TOLERANCE[toleranceFamily(k, 'sum')], k).toBeGreaterThanOrEqual(0);
    expect(toleranceFamily('unary', 'sin')).toBe('trig');
    expect(toleranceFamily('unary', 'exp')).toBe('transcendental');
    expect(toleranceFamily('unary', 'abs')).toBe('exact');
    expect(toleranceFamily('binary', 'div')).toBe('arithmetic');
    expect(toleranceFamily('binary', 'lt')).toBe('exact');
    expect(toleranceFamily('reduce', 'prod')).toBe('reduction');
    expect(toleranceFamily('reduce', 'max')).toBe('exact');
  });
});
