import { describe, expect, it } from 'vitest';
import { analysis, defaultGenerator, nn, randn, type Tensor } from '../../src/index.js';

/** A custom module: a Linear, then functional ops in its own forward. */
class Block extends nn.Module<[Tensor], Tensor> {
  fc = new nn.Linear(4, 3);
  override forward(x: Tensor): Tensor {
    return nn.F.relu(this.fc.call(x)).mul(2).softmax(1);
  }
}

/** One Linear called twice. */
class Twice extends nn.Module<[Tensor], Tensor> {
  lin = new nn.Linear(3, 3);
  override forward(x: Tensor): Tensor {
    return this.lin.call(this.lin.call(x));
  }
}

const row = (s: analysis.ModelSummary, name: string, call = 1) =>
  s.rows.find((r) => r.name === name && r.kind === 'module' && r.callNumber === call) as analysis.SummaryRow;

describe('summary', () => {
  it('counts functional ops in custom modules, per op, with the exercise conventions', () => {
    const s = analysis.summary(new Block(), [2, 4]);
    // Linear: 2·3 dot products of 4 (4 mul, 3 add) + 6 bias adds; relu: 6 activations; mul: 6;
    // softmax over rows of 3: 2 cmp, 3 sub + 2 add, 3 exp, 3 div per row.
    expect(row(s, 'fc').counts).toEqual({ mul: 24, add: 24, div: 0, act: 0, cmp: 0, fn: 0, macs: 24 });
    const ops = s.rows.find((r) => r.kind === 'ops') as analysis.SummaryRow;
    expect(ops.type).toBe('relu, mul, softmax');
    expect(ops.counts).toEqual({ mul: 6, add: 10, div: 6, act: 6, cmp: 4, fn: 6, macs: 0 });
    expect(s.total).toEqual({ mul: 30, add: 34, div: 6, act: 6, cmp: 4, fn: 6, macs: 24 });
    expect(s.params).toEqual({ total: 15, trainable: 15, frozen: 0 });
    expect(s.opCalls).toEqual({ t: 1, matmul: 1, add: 1, relu: 1, mul: 1, softmax: 1 });
    expect(s.warnings).toEqual([]);
  });

  it('counts a shared module’s parameters once and its operations per call', () => {
    const s = analysis.summary(new Twice(), [1, 3]);
    const first = row(s, 'lin', 1);
    const second = row(s, 'lin', 2);
    expect([first.params, second.params]).toEqual([12, 0]);
    expect([first.shared, second.shared]).toEqual([true, true]);
    expect(first.counts.mul).toBe(9);
    expect(second.counts.mul).toBe(9);
    expect(s.total.mul).toBe(18);
    expect(s.params.total).toBe(12);
    expect(analysis.formatSummary(s)).toContain('(shared)');
  });

  it('counts tied, frozen and never-called parameters so that the total is the real one', () => {
    const a = new nn.Linear(5, 5);
    const b = new nn.Linear(5, 5);
    b.weight = a.weight; // tied
    b.bias?.requiresGrad_(false); // frozen
    const unused = new nn.Linear(2, 7);
    class Net extends nn.Module<[Tensor], Tensor> {
      a = a;
      b = b;
      unused = unused;
      override forward(x: Tensor): Tensor {
        return this.b.call(this.a.call(x));
      }
    }
    const net = new Net();
    const s = analysis.summary(net, [1, 5]);
    expect(s.params.total).toBe(net.numParameters());
    expect(s.params).toEqual({ total: 30 + 5 + 21, trainable: 30 + 21, frozen: 5 });
    expect(row(s, 'b').params).toBe(5); // the tied weight was claimed by a
    expect(s.warnings.join('\n')).toMatch(/never called.*unused \(Linear, 21 parameters\)/);
    expect(analysis.formatSummary(s)).toContain('Frozen');
  });

  it('lists ops without a counting rule instead of counting them as zero', () => {
    class Custom extends nn.Module<[Tensor], Tensor> {
      override forward(x: Tensor): Tensor {
        return analysis.traced('myScale', [x], () => x.mul(3));
      }
    }
    const s = analysis.summary(new Custom(), [2, 2]);
    expect(s.uncounted).toEqual({ myScale: 1 });
    expect(s.warnings[0]).toMatch(/no counting rule for myScale \(1 call\)/);
    expect(analysis.formatSummary(s)).toMatch(/! no counting rule for myScale/);
    const restore = analysis.registerCountRule('myScale', (e) => ({ mul: e.outputs[0].numel }));
    try {
      const t = analysis.summary(new Custom(), [2, 2]);
      expect(t.warnings).toEqual([]);
      expect(t.total.mul).toBe(4);
    } finally {
      restore();
    }
    expect(analysis.countRule('myScale')).toBeUndefined();
  });

  it('switches conventions: dot-product additions, pooling windows, ReLU, FLOPs', () => {
    // 3×3 conv over 2 channels, no padding, on 5×5: 9 outputs, dot products of 18.
    const noBias = new nn.Conv2d(2, 1, 3, { bias: false });
    const withBias = new nn.Conv2d(2, 1, 3);
    const adds = (m: nn.AnyModule, dotAdditions: 'exact' | 'per-mac') =>
      analysis.summary(m, [1, 2, 5, 5], { conventions: { dotAdditions } }).total.add;
    expect([adds(noBias, 'exact'), adds(noBias, 'per-mac'), adds(withBias, 'exact'), adds(withBias, 'per-mac')]).toEqual([
      9 * 17,
      9 * 18,
      9 * 18,
      9 * 19,
    ]);

    // 3×3 pooling, stride 1, padding 1 on 4×4: windows hold 2, 3, 3, 2 rows → Σ sizes 10² = 100.
    const max = new nn.MaxPool2d(3, { stride: 1, padding: 1 });
    const avg = new nn.AvgPool2d(3, { stride: 1, padding: 1 });
    expect(analysis.summary(max, [1, 1, 4, 4]).total.cmp).toBe(100 - 16);
    expect(analysis.summary(max, [1, 1, 4, 4], { conventions: { pooling: 'window' } }).total.cmp).toBe(16 * 8);
    expect(analysis.summary(avg, [1, 1, 4, 4]).total).toMatchObject({ add: 84, div: 16 });

    const relu = new nn.ReLU();
    expect(analysis.summary(relu, [3, 4]).total).toMatchObject({ act: 12, cmp: 0 });
    expect(analysis.summary(relu, [3, 4], { conventions: { relu: 'comparison' } }).total).toMatchObject({ act: 0, cmp: 12 });

    const block = new Block();
    const all = analysis.summary(block, [2, 4], { flops: true });
    expect(all.flops).toBe(30 + 34 + 6 + 6 + 4 + 6);
    expect(all.notes.join('\n')).toMatch(/FLOPs = every counted operation/);
    expect(analysis.summary(block, [2, 4], { flops: '2*macs' }).flops).toBe(48);
    expect(analysis.summary(block, [2, 4], { flops: 'mul+add' }).flops).toBe(30 + 34 + 6);
    expect(analysis.summary(block, [2, 4]).flops).toBeUndefined();
    expect(analysis.formatSummary(all)).toMatch(/FLOPs/);
  });

  it('counts adaptive pooling, batch norm and dropout by their rules', () => {
    const adaptive = analysis.summary(new nn.AdaptiveAvgPool2d(2), [1, 1, 5, 5]);
    expect(adaptive.total).toMatchObject({ add: 36 - 4, div: 4 }); // windows of 3×3 (rows 0-2 and 2-4)
    const bn = analysis.summary(new nn.BatchNorm2d(3), [2, 3, 4, 4]);
    // eval: per element − mean, × 1/σ, × weight, + bias; per channel 1/√(var + eps).
    expect(bn.total).toMatchObject({ add: 96 + 96 + 3, mul: 192, div: 3, fn: 3 });
    const drop = new nn.Dropout(0.5);
    expect(analysis.summary(drop, [4, 4]).total.mul).toBe(0); // eval mode by default
    expect(analysis.summary(drop, [4, 4], { mode: 'train' }).total).toMatchObject({ mul: 16, div: 16 });
  });

  it("leaves the model's mode and the global random stream alone", () => {
    const net = new nn.Sequential(new nn.Linear(3, 3), new nn.Dropout(0.2));
    net.train();
    const before = JSON.stringify(defaultGenerator.getState());
    analysis.summary(net, [2, 3]);
    analysis.summary(net, [2, 3], { mode: 'train' });
    expect(JSON.stringify(defaultGenerator.getState())).toBe(before);
    expect([...net.modules()].every((m) => m.training)).toBe(true);
  });

  it('is plain data (JSON) and prints a table with hierarchical names', () => {
    const model = analysis.inceptionBottleneck({ inChannels: 8 });
    const s = analysis.summary(model, [1, 8, 6, 6]);
    expect(JSON.parse(JSON.stringify(s))).toEqual(s);
    const text = analysis.formatSummary(s);
    expect(text).toContain('b3.2 (Conv2d)');
    expect(text).toContain('(forward: cat)');
    expect(text).toContain('Conventions:');
    expect(analysis.formatSummary(s, { depth: 1 })).not.toContain('b3.2');
    expect(s.rows.filter((r) => r.depth === 1 && r.kind === 'module').map((r) => r.name)).toEqual(['b1', 'b3', 'b5', 'pool']);
  });

  it('matches hand counts for LeNet and the exercise-6 AlexNet', () => {
    const lenet = analysis.summary(analysis.builtinModels.lenet.make(), [1, 1, 28, 28]);
    const lenetMacs = 28 * 28 * 6 * 25 + 10 * 10 * 16 * 150 + 400 * 120 + 120 * 84 + 84 * 10;
    expect(lenet.params.total).toBe(61_706);
    expect(lenet.total.macs).toBe(lenetMacs);
    expect(lenet.total.mul).toBe(lenetMacs);
    expect(lenet.total.add).toBe(lenetMacs); // each dot product's n − 1 additions + its bias
    // max pools 2×2: 3 comparisons per output; ReLUs: one evaluation per element.
    expect(lenet.total.cmp).toBe(3 * (6 * 14 * 14 + 16 * 5 * 5));
    expect(lenet.total.act).toBe(6 * 28 * 28 + 16 * 10 * 10 + 120 + 84);
    const x = randn([1, 1, 28, 28]);
    const alex = analysis.summary(analysis.alexnet(), x);
    expect(alex.params.total).toBe(8_925_738);
    expect(alex.total.macs).toBe(749_668_672); // "about 0.75 G multiply-adds per image"
    expect(alex.inputShapes).toEqual([[1, 1, 28, 28]]);
  });
});
