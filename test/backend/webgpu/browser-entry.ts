// Bundled for the headless-Chromium test: trains the MLP on the page's WebGPU (navigator.gpu)
// and on the reference kernels, and returns both runs.
import { WebGpuContext } from '../../../src/backend/webgpu/context.js';
import { requestDevice } from '../../../src/backend/webgpu/runtime.js';
import { gpuKernels, jsKernels, trainMlp } from './mlp-program.js';

export async function run(steps: number) {
  const { device, report } = await requestDevice();
  const ctx = new WebGpuContext(device, report);
  try {
    const gpu = await trainMlp(gpuKernels(ctx), steps);
    const cpu = await trainMlp(jsKernels, steps);
    return {
      adapter: report,
      gpu: { losses: gpu.losses, params: gpu.params.map((p) => Array.from(p)) },
      cpu: { losses: cpu.losses, params: cpu.params.map((p) => Array.from(p)) },
    };
  } finally {
    ctx.destroy();
  }
}
