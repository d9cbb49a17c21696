import { describe, expect, it } from 'vitest';
import { analysis, manualSeed, nn, noGrad, randn, type Tensor } from '../../src/index.js';

const norm = (t: Tensor | null) => Math.sqrt(Array.from((t as Tensor).data).reduce((s, v) => s + v * v, 0));

function net(): nn.Sequential {
  return new nn.Sequential({
    fc1: new nn.Linear(4, 5),
    act1: new nn.Sigmoid(),
    fc2: new nn.Linear(5, 3),
    act2: new nn.ReLU(),
    fc3: new nn.Linear(3, 1),
  });
}

describe('gradFlow', () => {
  it('records weight, bias and back-propagated gradient norms and saturation per layer', () => {
    manualSeed(5);
    const model = net();
    const x = randn([8, 4]).mul(3);
    // Reference: the same pass with the outputs' gradients retained.
    const outs: Tensor[] = [];
    let h = x;
    for (const m of model) {
      h = m.call(h) as Tensor;
      h.retainGrad();
      outs.push(h);
    }
    h.pow(2).mean().backward();
    const reference = {
      signal: outs.map((o) => norm(o.grad)),
      weight: [...model.namedParameters()].filter(([n]) => n.endsWith('weight')).map(([, p]) => norm(p.grad)),
      bias: [...model.namedParameters()].filter(([n]) => n.endsWith('bias')).map(([, p]) => norm(p.grad)),
    };
    const sig = outs[1].data;
    const saturatedSigmoid = Array.from(sig).filter((y) => y * (1 - y) < 0.01).length / sig.length;
    const deadRelu = Array.from(outs[3].data).filter((y) => y <= 0).length / outs[3].numel;
    model.zeroGrad();

    const flow = analysis.gradFlow(model);
    expect(flow.layerNames).toEqual(['fc1', 'act1', 'fc2', 'act2', 'fc3']);
    (model.call(x) as Tensor).pow(2).mean().backward();
    const step = flow.step();
    const close = (a: number | null, b: number) => expect(a as number).toBeCloseTo(b, 6);
    expect(Math.min(...reference.signal)).toBeGreaterThan(0);
    for (const [i, l] of step.layers.entries()) close(l.signal, reference.signal[i]);
    const linears = step.layers.filter((l) => l.type === 'Linear');
    linears.forEach((l, i) => {
      close(l.weightGrad, reference.weight[i]);
      close(l.biasGrad, reference.bias[i]);
    });
    expect(step.layers[1].saturated).toBeCloseTo(saturatedSigmoid, 12);
    expect(step.layers[3].saturated).toBeCloseTo(deadRelu, 12);
    expect(step.layers[0].saturated).toBeNull();
    expect(step.layers[1].weightGrad).toBeNull();
    expect(step.ratio).toBeCloseTo(reference.weight[0] / reference.weight[2], 6);
    expect(flow.table()).toMatch(/fc1 \(Linear\)/);
  });

  it('records one entry per step, resets between steps, and detaches on remove', () => {
    manualSeed(4);
    const model = net();
    const flow = analysis.gradFlow(model);
    const x = randn([4, 4]);
    for (let s = 0; s < 3; s++) {
      model.zeroGrad();
      (model.call(x) as Tensor).sum().backward();
      flow.step();
    }
    expect(flow.steps.map((s) => s.step)).toEqual([0, 1, 2]);
    expect(flow.steps[2].layers[0].signal).toBeCloseTo(flow.steps[0].layers[0].signal as number, 10); // not accumulated
    noGrad(() => model.call(x));
    const quiet = flow.step();
    expect(quiet.layers.every((l) => l.signal === null)).toBe(true);
    flow.remove();
    const y = model.call(x) as Tensor;
    expect(y.gradFn?.name).not.toBe('GradFlowProbeBackward');
    expect(() => flow.table(9)).toThrow(/no step 9/);
  });

  it('flags vanished layers relative to the largest gradient', () => {
    manualSeed(5);
    const model = net();
    noGrad(() => {
      for (const m of [model.get(2), model.get(4)] as nn.Linear[]) m.weight.mul_(1e-4);
    });
    const flow = analysis.gradFlow(model);
    (model.call(randn([6, 4])) as Tensor).sum().backward();
    const step = flow.step();
    expect(step.vanished).toContain('fc1');
    expect(step.vanished).not.toContain('fc3');
    expect(step.ratio as number).toBeLessThan(1e-3);
    expect(flow.table()).toMatch(/VANISHED/);
  });
});
