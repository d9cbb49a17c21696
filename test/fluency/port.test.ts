// A public-style PyTorch training program ported line by line, the way a PyTorch user writes it:
// the character-level MLP language model of Karpathy's "building makemore, part 2" (embedding
// table C, C[X] lookups, float literals, positional arguments, torch.autograd.grad and
// `p.data += -lr * grad`). tools/gen_fluency_fixtures.py runs the PyTorch original; the losses
// and final model must match it.
//
//   g = torch.Generator().manual_seed(2147483647)
//   C = torch.randn((V, 2), generator=g)
//   W1 = torch.randn((6, 16), generator=g) * 0.2;  b1 = torch.randn(16, generator=g) * 0.01
//   W2 = torch.randn((16, V), generator=g) * 0.1;  b2 = torch.tensor([0.0] * V)
//   for i in range(40):
//       ix = torch.randint(0, X.shape[0], (8,), generator=g)
//       emb = C[X[ix]]
//       h = torch.tanh(emb.view(-1, 6) @ W1 + b1)
//       logits = h @ W2 + b2
//       loss = F.cross_entropy(logits, Y[ix])
//       grads = torch.autograd.grad(loss, parameters)
//       lr = 0.1 if i < 30 else 0.01
//       for p, gr in zip(parameters, grads): p.data += -lr * gr
import { describe, expect, it } from 'vitest';
import { expectClose, expectExact, fx } from './fixture.js';
import { autograd, Generator, nn, noGrad, randint, randn, type Tensor, tensor } from './imports.js';

const { F } = nn;
const M = fx.makemore;

describe('ported PyTorch program: makemore MLP', () => {
  it('trains to the same losses and model as PyTorch', () => {
    const X = tensor(M.X, { dtype: 'int32' });
    const Y = tensor(M.Y, { dtype: 'int32' });
    const V = M.V as number;
    const g = new Generator(2147483647);
    const C = randn([V, 2], { generator: g });
    const W1 = randn([6, 16], { generator: g }).mul(0.2);
    const b1 = randn(16, { generator: g }).mul(0.01);
    const W2 = randn([16, V], { generator: g }).mul(0.1);
    const b2 = tensor(new Array(V).fill(0.0)); // float literals make float32, as torch.tensor([0.0] * V)
    const parameters = [C, W1, b1, W2, b2];
    for (const p of parameters) p.requiresGrad = true;
    const losses: number[] = [];
    for (let i = 0; i < 40; i++) {
      const ix = randint(0, X.size(0), [8], { generator: g });
      const emb = C.index(X.index(ix));
      const h = emb.view(-1, 6).matmul(W1).add(b1).tanh();
      const logits = h.matmul(W2).add(b2);
      const loss = F.crossEntropy(logits, Y.index(ix));
      const grads = autograd.grad(loss, parameters) as Tensor[];
      const lr = i < 30 ? 0.1 : 0.01;
      noGrad(() => {
        parameters.forEach((p, k) => {
          p.add_(grads[k].mul(-lr)); // p.data += -lr * grad
        });
      });
      losses.push(loss.item());
    }
    losses.forEach((l, i) => {
      expect(l, `loss at step ${i}`).toBeCloseTo(M.losses[i], 4);
    });
    expectClose('C after training', C.detach(), M.C, { rtol: 1e-4, atol: 1e-5 });
    noGrad(() => {
      const h = C.index(X).view(-1, 6).matmul(W1).add(b1).tanh();
      const logits = h.matmul(W2).add(b2);
      expect(F.crossEntropy(logits, Y).item()).toBeCloseTo(M.full_loss, 4);
      expect(logits.argmax(1).eq(Y).float().mean().item()).toBeCloseTo(M.accuracy, 6);
      const [values, indices] = logits.max(1);
      expectClose('logits.max(1).values', values, M.top_values, { rtol: 1e-4, atol: 1e-5 });
      expectExact('logits.max(1).indices', indices, M.top_indices);
    });
  });
});
