// An MLP (exercise 1's shape) trained on WebGPU kernels follows the same run on the TypeScript
// reference kernels: the losses, the last step's gradients and the trained parameters agree.
import { afterAll, describe, expect, it } from 'vitest';
import type { WebGpuContext } from '../../../src/backend/webgpu/index.js';
import { openGpu } from './gpu.js';
import { gpuKernels, jsKernels, trainLenet, trainMlp } from './mlp-program.js';

const setup = await openGpu();
if (!setup.ctx) console.warn(`webgpu training test skipped: ${setup.reason}`);
afterAll(() => setup.ctx?.destroy());

/** float32 kernels in a different order of rounding: relative 1e-4 over 20 steps. */
const TOL = 1e-4;

function close(got: ArrayLike<number>, want: ArrayLike<number>, what: string): void {
  for (let i = 0; i < want.length; i++) {
    const err = Math.abs(got[i] - want[i]) / Math.max(1e-2, Math.abs(want[i]));
    if (!(err <= TOL)) throw new Error(`${what}[${i}]: webgpu ${got[i]}, reference ${want[i]}`);
  }
}

describe.skipIf(!setup.ctx)('training on webgpu kernels', () => {
  it('an MLP trains like the reference run: losses, gradients, parameters', async () => {
    const ctx = setup.ctx as WebGpuContext;
    const want = await trainMlp(jsKernels, 20);
    const got = await trainMlp(gpuKernels(ctx), 20);
    expect(want.losses[19]).toBeLessThan(want.losses[0]);
    close(got.losses, want.losses, 'loss');
    for (let i = 0; i < 4; i++) {
      close(got.grads[i], want.grads[i], `grad ${i}`);
      close(got.params[i], want.params[i], `param ${i}`);
    }
  });

  it('a LeNet-style CNN (conv, ReLU, max pooling, linear) takes the same SGD steps as the reference', async () => {
    const ctx = setup.ctx as WebGpuContext;
    const want = await trainLenet(jsKernels, 4);
    const got = await trainLenet(gpuKernels(ctx), 4);
    expect(want.losses[3]).toBeLessThan(want.losses[0]);
    close(got.losses, want.losses, 'loss');
    got.grads.forEach((g, i) => {
      close(g, want.grads[i], `grad ${i}`);
    });
    got.params.forEach((p, i) => {
      close(p, want.params[i], `param ${i}`);
    });
  });
});
