// The kernel registry: a backend registers the kernels it has, the rest fall back to the
// TypeScript reference kernels, and every fallback is counted.
import { afterEach, describe, expect, it } from 'vitest';
import { backpropExample } from '../../examples/01-backprop.js';
import { jsBackend } from '../../src/backend/js/index.js';
import { defineBackend, type FallbackReason, fallbacks, type KernelName, onFallback, resetFallbacks } from '../../src/backend/kernels.js';
import { backend, referenceBackend, setBackend } from '../../src/backend/registry.js';
import { manualSeed, nn, rand } from '../../src/index.js';
import { partialBackend } from './partial-backend.js';
import { trainMlp } from './train-mlp.js';

const initial = backend();
afterEach(() => {
  setBackend(initial);
  onFallback(null);
});

const summary = () => fallbacks().map((f) => `${f.backend} ${f.kernel}: ${f.reason}`);

describe('kernel registry', () => {
  it('the reference backend runs exercise 1 without a single fallback', () => {
    setBackend(referenceBackend());
    resetFallbacks();
    backpropExample();
    trainMlp(3);
    expect(fallbacks()).toEqual([]);
  });

  it('a test-only backend with three kernels gets exercise 1’s gradient through fallbacks, and reports which', () => {
    setBackend(referenceBackend());
    const want = backpropExample().autograd;
    setBackend(partialBackend);
    expect(backend().name).toBe('test-partial');
    resetFallbacks();
    const got = backpropExample();
    expect(got.autograd.shape).toEqual(want.shape);
    const [g, w] = [got.autograd.toArray() as number[][], want.toArray() as number[][]];
    for (let i = 0; i < w.length; i++) for (let j = 0; j < w[i].length; j++) expect(g[i][j]).toBeCloseTo(w[i][j], 6);
    // The hand-written pass agrees on this backend too.
    expect(got.manual.sub(got.autograd).abs().max().item()).toBeLessThan(1e-6);
    // Its own kernels ran, so none of them is reported as missing; what it lacks is.
    expect(summary()).toEqual([
      'test-partial copy: not registered',
      'test-partial fill: not registered',
      'test-partial reduce: not registered',
      'test-partial unary: declined',
    ]);
  });

  it('trains exercise 1’s MLP on the test-only backend to the reference backend’s parameters', () => {
    setBackend(referenceBackend());
    const want = trainMlp(5);
    setBackend(partialBackend);
    resetFallbacks();
    const got = trainMlp(5);
    const initialParams = trainMlp(0);
    for (let i = 0; i < want.length; i++) {
      expect(got[i].sub(want[i]).abs().max().item()).toBeLessThan(1e-5);
      // Training moved the parameters: the comparison is not between two untouched copies.
      expect(got[i].sub(initialParams[i]).abs().max().item()).toBeGreaterThan(0);
    }
    const kernels = new Set(fallbacks().map((f) => f.kernel));
    expect(kernels.has('matmul')).toBe(false);
  });

  it('calls the listener on every fallback, with the kernel and the reason', () => {
    const seen: string[] = [];
    setBackend(defineBackend('only-copy', { copy: jsBackend.copy }));
    resetFallbacks();
    onFallback((b, k, why) => seen.push(`${b} ${k} ${why}`));
    const x = rand([3, 2]);
    x.exp();
    x.t().contiguous();
    expect(seen).toEqual(['only-copy unary not registered']);
    expect(fallbacks()).toEqual([
      { backend: 'only-copy', device: 'cpu', kernel: 'unary', reason: 'not registered', count: 1, transfers: 0 },
    ]);
  });

  it('counts a declined call and runs the reference kernel instead', () => {
    let ran = 0;
    setBackend(
      defineBackend('declines-big', {
        unary: {
          accepts: (_op, _x, _o, _out, n) => n < 4,
          kernel: (op, x, xo, out, n) => {
            ran++;
            jsBackend.unary(op, x, xo, out, n);
          },
        },
      }),
    );
    resetFallbacks();
    rand([3]).neg();
    rand([5]).neg();
    expect(ran).toBe(1);
    const counted = fallbacks().filter((f) => f.kernel === 'unary');
    expect(counted).toEqual([
      { backend: 'declines-big', device: 'cpu', kernel: 'unary', reason: 'declined' as FallbackReason, count: 1, transfers: 0 },
    ]);
  });

  it('rejects a registration under a name that is not a kernel', () => {
    const bogus = { conv3d: jsBackend.conv2d } as unknown as Record<KernelName, never>;
    expect(() => setBackend(defineBackend('bogus', bogus))).toThrow(/backend 'bogus' registers an unknown kernel 'conv3d'/);
  });

  it('an nn layer runs on a backend that registers nothing, entirely through fallbacks', () => {
    setBackend(referenceBackend());
    manualSeed(1);
    const lin = new nn.Linear(3, 2);
    const x = rand([4, 3]);
    const want = lin.forward(x).toArray();
    setBackend(defineBackend('empty', {}));
    resetFallbacks();
    expect(lin.forward(x).toArray()).toEqual(want);
    expect(fallbacks().every((f) => f.reason === 'not registered')).toBe(true);
    expect(fallbacks().map((f) => f.kernel)).toContain('matmul');
  });
});
