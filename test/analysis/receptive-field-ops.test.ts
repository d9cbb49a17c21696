// Dependence through views and functional ops (reshape/permute patchify, matmul, softmax, slice,
// select, expand, reductions, cat along a spatial dim, batch norm), checked against autograd:
// the input elements with a nonzero ∂y[index]/∂X are exactly the computed set.
import { describe, expect, it } from 'vitest';
import { analysis, cat, nn, Generator as RandomGenerator, rand, type Tensor, zeros } from '../../src/index.js';
import { indices } from './random-models.js';

const g = new RandomGenerator(11);
const positive = (shape: number[]) => rand(shape, { dtype: 'float64', generator: g }).mul(0.5).add(0.5);

function check(model: nn.AnyModule, inputShape: number[], positions: number[][]): void {
  const rf = analysis.receptiveField(model, inputShape, { dtype: 'float64' });
  expect(rf.warnings).toEqual([]);
  for (const pos of positions) {
    const r = rf.at(pos);
    expect(r.notes).toEqual([]);
    const x = positive(inputShape).detach().requiresGrad_(true);
    const y = model.call(x) as Tensor;
    const seed = zeros(y.shape, { dtype: 'float64' });
    seed.data[pos.reduce((f, v, d) => f * y.shape[d] + v, 0)] = 1;
    y.backward(seed);
    const grad = (x.grad as Tensor).data;
    let k = 0;
    for (const p of indices(inputShape)) {
      expect(analysis.regionHas(r.boxes, p), `X[${p}] for y[${pos}]`).toBe(grad[k] !== 0);
      k++;
    }
  }
}

class Fn extends nn.Module<[Tensor], Tensor> {
  constructor(readonly f: (x: Tensor) => Tensor) {
    super();
  }
  override forward(x: Tensor): Tensor {
    return this.f(x);
  }
}

describe('receptiveField through views and functional ops agrees with autograd', () => {
  it('patchify (reshape, permute), matmul, softmax', () => {
    const w = positive([8, 3]);
    const model = new Fn((x) => x.reshape([1, 2, 4, 2, 4, 2]).permute([0, 2, 4, 1, 3, 5]).reshape([1, 16, 8]).matmul(w).softmax(1));
    check(
      model,
      [1, 2, 8, 8],
      [
        [0, 0, 0],
        [0, 5, 2],
        [0, 15, 1],
      ],
    );
  });

  it('slice with a step, select, transpose, unsqueeze/squeeze, flatten of a part', () => {
    const model = new Fn((x) => x.slice(3, 1, 7, 2).select(1, 1).transpose(1, 2).unsqueeze(0).squeeze(0).flatten(1).exp());
    check(
      model,
      [2, 3, 5, 7],
      [
        [0, 0],
        [1, 7],
        [1, 14],
      ],
    );
  });

  it('reductions, broadcasting, cat along a spatial dim; batch norm in training mode', () => {
    const bn = new nn.BatchNorm2d(2, { dtype: 'float64' });
    const model = new Fn((x) => {
      const pooled = x.mean({ dim: 3, keepdim: true }); // [N, C, H, 1]
      const spread = x.mul(pooled.expand(x.shape)); // broadcast back over W
      const side = cat([spread, x.sum({ dim: 1, keepdim: true }).expand(x.shape)], 3); // along W
      return side.add(side.logsumexp({ dim: 2, keepdim: true }));
    });
    check(
      model,
      [1, 2, 4, 5],
      [
        [0, 0, 0, 0],
        [0, 1, 3, 7],
      ],
    );
    bn.train();
    const withBn = new nn.Sequential(bn, new nn.Conv2d(2, 1, 1, { dtype: 'float64' }));
    for (const p of withBn.parameters()) nn.init.uniform_(p, 0.5, 1, { generator: g });
    const rf = analysis.receptiveField(withBn, [2, 2, 3, 3], { dtype: 'float64', mode: 'train' });
    expect(rf.output.kind).toBe('global');
    expect(rf.at([0, 0, 0, 0]).count).toBe(2 * 2 * 3 * 3); // batch statistics: every element
    expect(analysis.receptiveField(withBn, [2, 2, 3, 3], { dtype: 'float64' }).at([0, 0, 0, 0]).count).toBe(2);
  });
});
