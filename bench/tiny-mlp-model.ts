/**
 * Exercise 1's tiny MLP (6 layers of width 4, sigmoid) as the benchmarks time it: one forward +
 * backward step, shared by bench/run.ts and bench/tiny-mlp.ts (bench/torch_tiny_mlp_model.py is
 * PyTorch's side).
 */
import { manualSeed, rand, type Tensor } from '../dist/src/index.js';

/** A step function over freshly seeded weights and data. */
export function tinyMlpStep(): () => void {
  manualSeed(0);
  const X = rand([4, 1]);
  const Y = rand([1, 1]);
  const params: [Tensor, Tensor][] = [];
  for (let l = 1; l <= 6; l++) {
    const rows = l < 6 ? 4 : 1;
    params.push([rand([rows, 4], { requiresGrad: true }), rand([rows, 1], { requiresGrad: true })]);
  }
  return () => {
    let y = X;
    params.forEach(([A, b], i) => {
      const z = A.matmul(y).add(b);
      y = i < 5 ? z.sigmoid() : z;
    });
    const loss = y.sub(Y).pow(2).mul(0.5);
    for (const [A, b] of params) {
      A.grad = null;
      b.grad = null;
    }
    loss.backward();
  };
}
