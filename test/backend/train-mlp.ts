// Exercise 1's MLP as the backend and device tests train it.
import { manualSeed, optim, rand, type Tensor } from '../../src/index.js';

/** Exercise 1's MLP (examples/01-backprop.ts) trained for `steps` SGD steps with momentum, on the default device; returns its parameters. */
export function trainMlp(steps: number): Tensor[] {
  manualSeed(0);
  const X = rand([4, 1]);
  const Y = rand([1, 1]);
  const params: Tensor[] = [];
  for (let l = 1; l <= 6; l++) {
    const rows = l < 6 ? 4 : 1;
    params.push(rand([rows, 4], { requiresGrad: true }), rand([rows, 1], { requiresGrad: true }));
  }
  const opt = new optim.SGD(params, { lr: 0.1, momentum: 0.9 });
  for (let s = 0; s < steps; s++) {
    let y = X;
    for (let l = 0; l < 6; l++) {
      const z = params[2 * l].matmul(y).add(params[2 * l + 1]);
      y = l < 5 ? z.sigmoid() : z;
    }
    const loss = y.sub(Y).pow(2).mul(0.5);
    opt.zeroGrad();
    loss.backward();
    opt.step();
  }
  return params.map((p) => p.detach());
}
