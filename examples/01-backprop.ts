/**
 * docs/exercises.md exercise 1: backprop by hand vs autograd.
 *
 * A 6-layer MLP of width 4: y0 = X, y_l = σ(A_l y_{l−1} + b_l) for l < 6, y_6 = A_6 y_5 + b_6,
 * loss = ½ (y_6 − Y)². Everything is drawn with manualSeed(0) then rand, in the order X, Y,
 * (A_1, b_1), …, (A_6, b_6), exactly as the PyTorch program in tools/ex01_backprop.py does, so
 * both print the same ∂loss/∂A_1.
 *
 * Run: npx tsx examples/01-backprop.ts
 */
import { diagflat, manualSeed, noGrad, rand, type Tensor } from '../src/index.js';

const L = 6;

export interface BackpropResult {
  autograd: Tensor;
  manual: Tensor;
  /** What the example prints. */
  text: string;
}

/** Runs the exercise with `manualSeed(seed)` (the exercise: 0). */
export function backpropExample(seed = 0): BackpropResult {
  manualSeed(seed);
  const X = rand([4, 1]);
  const Y = rand([1, 1]);
  const A: Tensor[] = [];
  const b: Tensor[] = [];
  for (let l = 1; l <= L; l++) {
    const rows = l < L ? 4 : 1;
    A.push(rand([rows, 4], { requiresGrad: true }));
    b.push(rand([rows, 1], { requiresGrad: true }));
  }

  // Forward, keeping pre-activations z_l and activations y_l for the hand-written pass.
  const ys: Tensor[] = [X];
  const zs: Tensor[] = [];
  for (let l = 0; l < L; l++) {
    const z = A[l].matmul(ys[l]).add(b[l]);
    zs.push(z);
    ys.push(l < L - 1 ? z.sigmoid() : z);
  }
  const yL = ys[L];
  const loss = yL.sub(Y).pow(2).mul(0.5);
  loss.backward();
  const autograd = A[0].grad as Tensor;

  // By hand: δ_L = y_L − Y; δ_l = diag(σ'(z_l)) A_{l+1}ᵀ δ_{l+1}; ∂loss/∂A_1 = δ_1 Xᵀ.
  const manual = noGrad(() => {
    let delta = yL.sub(Y);
    for (let l = L - 2; l >= 0; l--) {
      const s = zs[l].sigmoid();
      const sigmaPrime = s.mul(s.neg().add(1));
      delta = diagflat(sigmaPrime)
        .matmul(A[l + 1].t())
        .matmul(delta);
    }
    return delta.matmul(X.t());
  });

  const text = `dloss/dA1 by autograd:\n${autograd}\ndloss/dA1 by hand:\n${manual}\n`;
  return { autograd, manual, text };
}

if (import.meta.url === `file://${process.argv[1]}`) {
  process.stdout.write(backpropExample().text);
}
