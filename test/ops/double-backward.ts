// Second-derivative check shared by the conv/pool/batchNorm tests.
import { expect } from 'vitest';
import { Generator, rand, type Tensor, tensor } from '../../src/index.js';

/**
 * With s(x, w) = Σ v ⊙ ∂L/∂x for a fixed random v, compares the gradients of s that autograd finds
 * through a backward pass recorded with createGraph against central differences of s (each s
 * evaluated with a plain first-order backward). Float64 inputs.
 */
export function checkDoubleBackward(loss: (x: Tensor, w: Tensor) => Tensor, x: Tensor, w: Tensor, eps = 1e-6, tol = 1e-6): void {
  const v = rand(x.shape, { generator: new Generator(99), dtype: 'float64' });
  const leaf = (t: Tensor, data: ArrayLike<number>) =>
    tensor(Float64Array.from(data), { dtype: 'float64' }).reshape(t.shape).requiresGrad_(true);
  const sOf = (xv: ArrayLike<number>, wv: ArrayLike<number>): number => {
    const xl = leaf(x, xv);
    const wl = leaf(w, wv);
    loss(xl, wl).backward();
    return xl.grad === null ? 0 : xl.grad.mul(v).sum().item();
  };
  const xl = leaf(x, x.data);
  const wl = leaf(w, w.data);
  loss(xl, wl).backward(null, { createGraph: true });
  const gx = xl.grad as Tensor;
  xl.grad = null;
  wl.grad = null;
  gx.mul(v).sum().backward();
  for (const [which, t, analytic] of [
    ['x', x, xl.grad],
    ['w', w, wl.grad],
  ] as const) {
    const base = Float64Array.from(t.data);
    const got = analytic === null ? new Float64Array(base.length) : Float64Array.from((analytic as Tensor).data);
    for (let i = 0; i < base.length; i++) {
      const plus = Float64Array.from(base);
      const minus = Float64Array.from(base);
      plus[i] += eps;
      minus[i] -= eps;
      const num =
        which === 'x' ? (sOf(plus, w.data) - sOf(minus, w.data)) / (2 * eps) : (sOf(x.data, plus) - sOf(x.data, minus)) / (2 * eps);
      expect(Math.abs(got[i] - num), `∂s/∂${which}[${i}]: autograd ${got[i]}, numerical ${num}`).toBeLessThanOrEqual(
        tol + 1e-4 * Math.abs(num),
      );
    }
  }
}
