// Bundled for the headless-Chromium test: trains the MLP on the page's WebGPU (navigator.gpu)
// and on the reference kernels, and returns both runs.
import { removeDevice } from '../../../src/backend/registry.js';
import { WebGpuContext } from '../../../src/backend/webgpu/context.js';
import { requestDevice } from '../../../src/backend/webgpu/runtime.js';
import { fallbacks, initWebGpu, listDevices, manualSeed, optim, rand, resetFallbacks, type Tensor } from '../../../src/index.js';
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
 * Exercise 1's MLP through nabla's tensor API on the 'webgpu' device (initWebGpu on
 * navigator.gpu, from the core entry) and on 'cpu'; returns both runs' losses and parameters.
 */
export async function runDevice(steps: number) {
  const { context } = await initWebGpu();
  try {
    const train = async (device: string) => {
      manualSeed(0);
      const X = rand([4, 1]).to(device);
      const Y = rand([1, 1]).to(device);
      const params: Tensor[] = [];
      for (let l = 1; l <= 6; l++) {
        const rows = l < 6 ? 4 : 1;
        params.push(rand([rows, 4]).to(device).requiresGrad_(), rand([rows, 1]).to(device).requiresGrad_());
      }
      const opt = new optim.SGD(params, { lr: 0.1, momentum: 0.9 });
      const losses: number[] = [];
      for (let s = 0; s < steps; s++) {
        let y = X;
        for (let l = 0; l < 6; l++) {
          const z = params[2 * l].matmul(y).add(params[2 * l + 1]);
          y = l < 5 ? z.sigmoid() : z;
        }
        const loss = y.sub(Y).pow(2).mul(0.5).sum();
        opt.zeroGrad();
        loss.backward();
        opt.step();
        losses.push(await loss.itemAsync());
      }
      return { losses, params: await Promise.all(params.map(async (p) => Array.from(await p.dataAsync()))) };
    };
    resetFallbacks();
    const gpu = await train('webgpu');
    const gpuFallbacks = fallbacks().filter((f) => f.device === 'webgpu').length;
    return { gpu, cpu: await train('cpu'), gpuFallbacks, devices: listDevices() };
  } finally {
    removeDevice('webgpu');
    context.destroy();
  }
}
