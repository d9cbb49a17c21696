// Bundled for the headless-Chromium test: trains on the page's WebGPU (navigator.gpu) and on the
// CPU, and returns both runs.
import { removeDevice } from '../../../src/backend/registry.js';
import { WebGpuContext } from '../../../src/backend/webgpu/context.js';
import { requestDevice } from '../../../src/backend/webgpu/runtime.js';
import { fallbacks, initWebGpu, listDevices, resetFallbacks } from '../../../src/index.js';
import { runMismatch, trainExercise1, trainLenet5 } from './device-programs.js';
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

/**
 * A program of ./device-programs.ts (exercise 1's MLP, or LeNet-5) through nabla's tensor API on
 * the 'webgpu' device (initWebGpu on navigator.gpu, from the core entry) and on 'cpu'; returns
 * both runs (losses, last gradients, parameters) and how many webgpu kernels fell back.
 */
export async function runDevice(program: 'exercise1' | 'lenet5', steps: number) {
  const { context } = await initWebGpu();
  try {
    const train = program === 'exercise1' ? trainExercise1 : trainLenet5;
    resetFallbacks();
    const gpu = await train('webgpu', steps);
    const gpuFallbacks = fallbacks().filter((f) => f.device === 'webgpu').length;
    return { gpu, cpu: await train('cpu', steps), gpuFallbacks, devices: listDevices() };
  } finally {
    removeDevice('webgpu');
    context.destroy();
  }
}

export { runMismatch };
