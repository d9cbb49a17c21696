import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { backpropExample } from '../../examples/01-backprop.js';

const fixture = JSON.parse(readFileSync(new URL('../fixtures/ex01-backprop.json', import.meta.url), 'utf8')) as { stdout: string };

describe('exercise 1: backprop by hand vs autograd', () => {
  const result = backpropExample();

  it("prints exactly what PyTorch's twin program prints", () => {
    expect(result.text).toBe(fixture.stdout);
  });

  it('hand-written and autograd gradients agree to float32 precision', () => {
    const a = result.autograd.data;
    const m = result.manual.data;
    expect(result.autograd.shape).toEqual([4, 4]);
    for (let i = 0; i < a.length; i++) expect(Math.abs(a[i] - m[i])).toBeLessThanOrEqual(1e-6 * Math.abs(a[i]) + 1e-12);
  });
});
