/**
 * Learning-rate schedulers against PyTorch 1.13 (test/fixtures/optim.json): the learning rates
 * (and OneCycleLR's momentum or β1) after construction and after each of 30 steps, for two
 * parameter groups, to 1e-12 relative.
 */
import { describe, expect, it } from 'vitest';
import { optim, zeros } from '../../src/index.js';
import { fixture, type SchedulerCase } from './helpers.js';

const RTOL = 1e-12;

// The same functions as LAMBDAS in tools/gen_optim_fixtures.py.
const LAMBDAS: Record<string, (e: number) => number> = {
  pow095: (e) => 0.95 ** e,
  inverse: (e) => 1.0 / (1.0 + 0.1 * e),
};

function makeOptimizer(kind: 'SGD' | 'Adam'): optim.Optimizer {
  const p1 = zeros([2], { requiresGrad: true });
  const p2 = zeros([3], { requiresGrad: true });
  const groups = [{ params: [p1] }, { params: [p2], lr: 0.05 }];
  return kind === 'Adam' ? new optim.Adam(groups, { lr: 0.1, betas: [0.9, 0.999] }) : new optim.SGD(groups, { lr: 0.1, momentum: 0.9 });
}

function makeScheduler(c: SchedulerCase, opt: optim.Optimizer): optim.LRScheduler {
  const o = c.options as never;
  switch (c.scheduler) {
    case 'StepLR':
      return new optim.StepLR(opt, o);
    case 'MultiStepLR':
      return new optim.MultiStepLR(opt, o);
    case 'ExponentialLR':
      return new optim.ExponentialLR(opt, o);
    case 'CosineAnnealingLR':
      return new optim.CosineAnnealingLR(opt, o);
    case 'LinearLR':
      return new optim.LinearLR(opt, o);
    case 'OneCycleLR':
      return new optim.OneCycleLR(opt, o);
    case 'LambdaLR': {
      const spec = c.options.lrLambda as string | string[];
      return new optim.LambdaLR(opt, Array.isArray(spec) ? spec.map((k) => LAMBDAS[k]) : LAMBDAS[spec]);
    }
    default:
      throw new Error(`unknown scheduler ${c.scheduler}`);
  }
}

const momenta = (opt: optim.Optimizer): number[] =>
  opt.paramGroups.map((g) => (Array.isArray(g.betas) ? (g.betas as number[])[0] : (g.momentum as number)));

function closeTo(a: number[][], b: number[][]): number {
  let worst = 0;
  expect(a.length).toBe(b.length);
  a.forEach((row, i) => {
    expect(row.length).toBe(b[i].length);
    row.forEach((v, j) => {
      const d = Math.abs(v - b[i][j]);
      worst = Math.max(worst, b[i][j] === 0 ? d : d / Math.abs(b[i][j])); // the cosine reaches exactly 0
    });
  });
  return worst;
}

/** Runs a fixture case: the lrs and momenta after construction and after each step. */
function run(c: SchedulerCase, steps = 30): { lrs: number[][]; moms: number[][] } {
  const opt = makeOptimizer(c.optimizer);
  const sched = makeScheduler(c, opt);
  const lrs = [sched.getLastLr()];
  const moms = [momenta(opt)];
  for (let i = 0; i < steps; i++) {
    opt.step();
    sched.step();
    lrs.push(sched.getLastLr());
    moms.push(momenta(opt));
  }
  return { lrs, moms };
}

describe('lr schedulers match PyTorch 1.13 for 30 steps', () => {
  for (const c of fixture.schedulers) {
    it(`${c.scheduler} ${JSON.stringify(c.options)}${c.optimizer === 'Adam' ? ' (Adam)' : ''}`, () => {
      const { lrs, moms } = run(c);
      expect(closeTo(lrs, c.lrs)).toBeLessThanOrEqual(RTOL);
      if (c.momenta) expect(closeTo(moms, c.momenta)).toBeLessThanOrEqual(RTOL);
    });
  }

  it('positional arguments work like the options form', () => {
    const a = makeOptimizer('SGD');
    const b = makeOptimizer('SGD');
    const s1 = new optim.StepLR(a, 2, { gamma: 0.5 });
    const s2 = new optim.StepLR(b, { stepSize: 2, gamma: 0.5 });
    for (let i = 0; i < 5; i++) {
      a.step();
      b.step();
      s1.step();
      s2.step();
    }
    expect(s1.getLastLr()).toEqual(s2.getLastLr());
    expect(s1.getLastLr()).toEqual([0.1 * 0.25, 0.05 * 0.25]);
    expect(new optim.OneCycleLR(makeOptimizer('SGD'), 0.1, { totalSteps: 10 }).getLastLr()).toEqual(
      new optim.OneCycleLR(makeOptimizer('SGD'), { maxLr: 0.1, totalSteps: 10 }).getLastLr(),
    );
  });
});

describe('scheduler state', () => {
  it('stateDict round trip mid-schedule continues identically (through JSON)', () => {
    for (const c of fixture.schedulers) {
      const opt = makeOptimizer(c.optimizer);
      const sched = makeScheduler(c, opt);
      for (let i = 0; i < 12; i++) {
        opt.step();
        sched.step();
      }
      const saved = JSON.parse(JSON.stringify({ opt: opt.stateDict(), sched: sched.stateDict() }));
      // A fresh optimizer and scheduler (constructed normally, i.e. at epoch 0), then restored.
      const opt2 = makeOptimizer(c.optimizer);
      const sched2 = makeScheduler(c, opt2);
      opt2.loadStateDict(saved.opt);
      sched2.loadStateDict(saved.sched);
      for (let i = 12; i < 30; i++) {
        opt.step();
        sched.step();
        opt2.step();
        sched2.step();
        expect(sched2.getLastLr(), `${c.scheduler} step ${i + 1}`).toEqual(sched.getLastLr());
        expect(momenta(opt2)).toEqual(momenta(opt));
      }
      expect(closeTo([sched2.getLastLr()], [c.lrs[30]])).toBeLessThanOrEqual(RTOL);
    }
  });

  it('stateDict is plain data without the optimizer or the lambdas', () => {
    const opt = makeOptimizer('SGD');
    const sd = new optim.LambdaLR(opt, (e) => 1 / (e + 1)).stateDict();
    expect(sd.optimizer).toBeUndefined();
    expect(sd.lrLambdas).toBeUndefined();
    expect(sd).toMatchObject({ lastEpoch: 0, baseLrs: [0.1, 0.05], _lastLr: [0.1, 0.05] });
    expect(JSON.parse(JSON.stringify(sd))).toEqual(sd);
  });

  it('resuming with lastEpoch needs initialLr in the groups', () => {
    const opt = makeOptimizer('SGD');
    expect(() => new optim.StepLR(opt, 3, { lastEpoch: 5 })).toThrow(/initialLr/);
    new optim.StepLR(opt, 3); // sets initialLr
    const s = new optim.StepLR(opt, 3, { lastEpoch: 5 });
    expect(s.lastEpoch).toBe(6);
    expect(s.getLastLr()).toEqual([0.1 * 0.1, 0.05 * 0.1]);
  });

  it('rejects bad arguments with clear errors', () => {
    const opt = makeOptimizer('SGD');
    expect(() => new optim.StepLR(opt, 0)).toThrow(/stepSize must be a positive integer/);
    expect(() => new optim.LambdaLR(opt, [(e: number) => e])).toThrow(/expected 2 lrLambdas/);
    expect(() => new optim.LinearLR(opt, { startFactor: 2 })).toThrow(/startFactor/);
    expect(() => new optim.OneCycleLR(opt, { maxLr: 0.1 })).toThrow(/totalSteps OR \(epochs AND stepsPerEpoch\)/);
    expect(() => new optim.OneCycleLR(opt, [0.1], { totalSteps: 5 })).toThrow(/expected 2 values for maxLr/);
    expect(() => new optim.OneCycleLR(opt, 0.1, { totalSteps: 5, annealStrategy: 'square' as 'cos' })).toThrow(/annealStrategy/);
    const sgd = makeOptimizer('SGD');
    const one = new optim.OneCycleLR(sgd, 0.1, { totalSteps: 2 });
    sgd.step();
    one.step();
    one.step();
    expect(() => one.step()).toThrow(/tried to step 4 times; the specified number of total steps is 2/);
  });
});
