// The wasm optimizer steps' exact fused multiply-add at its hardest inputs: x·y lands exactly on
// a float32 midpoint and z, far below it, decides the rounding. A double sum rounds z away and
// then ties to even, which is wrong for one of the two signs; the reference's fma32 corrects it,
// and so must the SIMD lanes (both halves of a vector and the scalar tail).
import { describe, expect, it } from 'vitest';
import { jsBackend } from '../../../src/backend/js/index.js';
import type { KernelEntry } from '../../../src/backend/kernels.js';
import { wasmBackend } from '../../../src/backend/wasm/backend.js';
import { createRuntime } from '../../../src/backend/wasm/runtime.js';

const a = 1 + 2 ** -12; // a·a = 1 + 2⁻¹¹ + 2⁻²⁴: the midpoint between two float32s
const n = 4096 + 7; // over the wasm threshold, with a scalar tail

describe('wasm sgdStep: θ ← fma32(g, −lr, θ) at float32 midpoints', () => {
  const sgd = wasmBackend(createRuntime()).kernels.sgdStep as KernelEntry<'sgdStep'>;
  const o = { lr: -a, momentum: 0, dampening: 0, weightDecay: 0, nesterov: false, maximize: false };
  // θ alternates ±2⁻⁶⁰ in a pattern that puts both signs in every lane position.
  const params = () => [Float32Array.from({ length: n }, (_, i) => ((i * 5) % 3 === 0 ? 2 ** -60 : -(2 ** -60)))];
  const grads = () => [new Float32Array(n).fill(a)];

  it('rounds each element once, like the reference', () => {
    const [mine, theirs] = [params(), params()];
    expect(sgd.accepts(mine, grads(), null, [false], o)).toBe(true);
    sgd.kernel(mine, grads(), null, [false], o);
    jsBackend.sgdStep(theirs, grads(), null, [false], o);
    expect(Array.from(mine[0])).toEqual(Array.from(theirs[0]));
    // The correction matters: +2⁻⁶⁰ rounds up, −2⁻⁶⁰ rounds down.
    expect(mine[0][0]).toBe(1 + 2 ** -11 + 2 ** -23);
    expect(mine[0][1]).toBe(1 + 2 ** -11);
    expect(mine[0][n - 1]).toBe(theirs[0][n - 1]);
  });
});
