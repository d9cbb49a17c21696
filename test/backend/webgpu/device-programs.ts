// Training programs written with nabla's tensor API on any device, run once on 'webgpu' and once
// on 'cpu' by the Node device test and by the headless-Chromium test (browser-safe): exercise 1's
// MLP, and LeNet-5 (analysis.lenet) on a small batch. Each returns the losses, the last step's
// gradients (before its update) and the trained parameters.
import { analysis, manualSeed, nn, optim, rand, randn, type Tensor, tensor } from '../../../src/index.js';

/** What a run returns, as plain arrays (they cross from the page to the test as JSON). */
export interface DeviceRun {
  losses: number[];
  grads: number[][];
  params: number[][];
}

async function values(ts: Tensor[]): Promise<number[][]> {
  return Promise.all(ts.map(async (t) => Array.from(await t.dataAsync())));
}

/** Exercise 1's MLP (examples/01-backprop.ts): six layers, sigmoid, SGD with momentum, on `device`. */
export async function trainExercise1(device: string, steps: number): Promise<DeviceRun> {
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
  let grads: number[][] = [];
  for (let s = 0; s < steps; s++) {
    let y = X;
    for (let l = 0; l < 6; l++) {
      const z = params[2 * l].matmul(y).add(params[2 * l + 1]);
      y = l < 5 ? z.sigmoid() : z;
    }
    const loss = y.sub(Y).pow(2).mul(0.5).sum();
    opt.zeroGrad();
    loss.backward();
    if (s === steps - 1) grads = await values(params.map((p) => p.grad as Tensor));
    opt.step();
    losses.push(await loss.itemAsync());
  }
  return { losses, grads, params: await values(params) };
}

/** LeNet-5 (conv, ReLU, max pooling, linear) on 4 random 28×28 images, cross-entropy, SGD with momentum. */
export async function trainLenet5(device: string, steps: number): Promise<DeviceRun> {
  manualSeed(7);
  const model = analysis.lenet();
  model.to(device);
  const x = randn([4, 1, 28, 28]).to(device);
  const target = tensor([3, 1, 4, 1], { dtype: 'int32' }).to(device);
  const params = model.parameters();
  const opt = new optim.SGD(params, { lr: 0.05, momentum: 0.9 });
  const losses: number[] = [];
  let grads: number[][] = [];
  for (let s = 0; s < steps; s++) {
    const loss = nn.F.crossEntropy(model.forward(x), target);
    opt.zeroGrad();
    loss.backward();
    if (s === steps - 1) grads = await values(params.map((p) => p.grad as Tensor));
    opt.step();
    losses.push(await loss.itemAsync());
  }
  return { losses, grads, params: await values(params) };
}

/**
 * Where `got` (webgpu) strays from `want` (cpu) by more than `tol` relative to max(1e-2, |want|),
 * as a message; null when every loss, gradient and parameter agrees.
 */
export function runMismatch(got: DeviceRun, want: DeviceRun, tol: number): string | null {
  const parts: [string, number[][], number[][]][] = [
    ['loss', [got.losses], [want.losses]],
    ['grad', got.grads, want.grads],
    ['param', got.params, want.params],
  ];
  for (const [what, g, w] of parts) {
    if (g.length !== w.length) return `${what}: ${g.length} tensors vs ${w.length}`;
    for (let t = 0; t < w.length; t++) {
      if (g[t].length !== w[t].length) return `${what} ${t}: ${g[t].length} elements vs ${w[t].length}`;
      for (let i = 0; i < w[t].length; i++) {
        const err = Math.abs(g[t][i] - w[t][i]) / Math.max(1e-2, Math.abs(w[t][i]));
        if (!(err <= tol)) return `${what} ${t}[${i}]: webgpu ${g[t][i]}, cpu ${w[t][i]}`;
      }
    }
  }
  return null;
}
