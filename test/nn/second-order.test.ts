import { describe, expect, it } from 'vitest';
import { nn, type Tensor, tensor } from '../../src/index.js';

describe('second derivatives through activations', () => {
  it('LeakyReLU: d²/dx² [leakyRelu(x)·x] = 2·leakyRelu′(x), as PyTorch computes with create_graph', () => {
    const slope = 0.01;
    const x = tensor([0.3, -0.7, 2], { dtype: 'float64', requiresGrad: true });
    nn.F.leakyRelu(x, slope).mul(x).sum().backward(null, { createGraph: true });
    const g = x.grad as Tensor;
    x.grad = null;
    g.sum().backward();
    expect(Array.from((x.grad as Tensor | null)?.data ?? [])).toEqual([2, 2 * slope, 2]);
  });
});
