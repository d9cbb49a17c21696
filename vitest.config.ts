import { defineConfig } from 'vitest/config';

// The same tests run on every backend: 'js' (the TypeScript reference kernels), 'native'
// (oneDNN) and 'wasm' (WebAssembly SIMD, two threads). Backend-independent suites (RNG streams, printing, bundling) run once.
const kernelSuites = [
  'test/ops/**/*.test.ts',
  'test/autograd/**/*.test.ts',
  'test/nn/**/*.test.ts',
  'test/optim/**/*.test.ts',
  'test/examples/**/*.test.ts',
  'test/backend/native/**/*.test.ts',
  'test/backend/conformance.test.ts',
  'test/backend/device.test.ts',
  'test/autocast/**/*.test.ts',
];

export default defineConfig({
  test: {
    testTimeout: 60_000,
    // Set-up hooks start CLI runs and browsers; on a loaded 2-core machine they take minutes, not seconds.
    hookTimeout: 600_000,
    projects: [
      {
        extends: true,
        test: {
          name: 'js',
          include: ['test/**/*.test.ts', 'src/**/*.test.ts'],
          exclude: ['test/backend/native/**', 'test/backend/wasm/**'],
          env: { NABLA_BACKEND: 'js' },
        },
      },
      {
        extends: true,
        test: { name: 'native', include: kernelSuites, setupFiles: ['test/setup-native.ts'] },
      },
      {
        extends: true,
        test: {
          name: 'wasm',
          include: [...kernelSuites.filter((g) => !g.includes('/native/')), 'test/backend/wasm/**/*.test.ts'],
          setupFiles: ['test/setup-wasm.ts'],
          env: { NABLA_BACKEND: 'wasm' },
        },
      },
    ],
  },
});
