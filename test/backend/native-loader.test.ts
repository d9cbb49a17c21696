// The native backend's loader and thread setting, without needing the addon: bad thread counts
// and unknown backend names are errors before anything reaches OpenMP or a kernel.
import { afterEach, describe, expect, it } from 'vitest';
import { requestedBackend } from '../../src/backend/native/addon.js';
import { checkThreadCount, MAX_THREADS, setNumThreads, useNativeBackend } from '../../src/backend/native/index.js';

const saved = process.env.NABLA_BACKEND;
afterEach(() => {
  if (saved === undefined) delete process.env.NABLA_BACKEND;
  else process.env.NABLA_BACKEND = saved;
});

describe('setNumThreads', () => {
  it.each([100000, 50000, MAX_THREADS + 1, 0, -1, 1.5, Number.NaN])('rejects %s naming the valid range', (n) => {
    expect(() => setNumThreads(n)).toThrow(new RangeError(`setNumThreads: n must be an integer from 1 to ${MAX_THREADS}, got ${n}`));
  });
  it('accepts 1 to MAX_THREADS', () => {
    expect(checkThreadCount(1)).toBeNull();
    expect(checkThreadCount(MAX_THREADS)).toBeNull();
    expect(checkThreadCount('4')).toMatch(/got "4"/);
  });
});

describe('NABLA_BACKEND', () => {
  it('an unknown backend name is an error naming the valid ones', () => {
    process.env.NABLA_BACKEND = 'webasm';
    expect(() => requestedBackend()).toThrow(
      'NABLA_BACKEND=webasm: unknown backend; valid values are native, wasm, js (or unset for native when available, else wasm)',
    );
    expect(() => useNativeBackend()).toThrow(/NABLA_BACKEND=webasm: unknown backend/);
  });
  it('js, native, wasm and unset are understood', () => {
    process.env.NABLA_BACKEND = 'wasm';
    expect(requestedBackend()).toBe('wasm');
    process.env.NABLA_BACKEND = 'js';
    expect(requestedBackend()).toBe('js');
    process.env.NABLA_BACKEND = 'native';
    expect(requestedBackend()).toBe('native');
    delete process.env.NABLA_BACKEND;
    expect(requestedBackend()).toBeNull();
  });
});
