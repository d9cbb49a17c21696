// Every exported class constructor (nn modules, optimizers, schedulers, data) and the Module and
// Optimizer methods that take arguments, table-driven like forms.test.ts: a valid call works, one
// surplus positional argument and an unknown option are errors naming the class or method, and
// PyTorch's positional forms mean what they mean in PyTorch. The table is checked against the
// exports, so a new class without a row fails here.
import { describe, expect, it } from 'vitest';
import * as n from '../../src/index-nodejs.js';

const { nn, optim, data } = n;
type Args = () => unknown[];
interface Row {
  /** Arguments of a valid construction. */
  args: Args;
  /** Every positional parameter given (default: `args`): one more is a surplus. */
  full?: Args;
  /** Why the surplus and unknown-option checks do not apply. */
  skipChecks?: string;
}
const BAD = { bogusOption: 1 };
const params = () => [n.zeros([2], { requiresGrad: true })];
const sgd = () => new optim.SGD(params(), 0.1);
const DS = () => new data.TensorDataset(n.arange(10), n.arange(10));

const classes: Record<string, Row> = {
  'nn.AdaptiveAvgPool2d': { args: () => [2] },
  'nn.AvgPool2d': { args: () => [2], full: () => [2, 2, 0, false, true, null] },
  'nn.BCELoss': { args: () => [], full: () => [null, null, null, 'mean'] },
  'nn.BCEWithLogitsLoss': { args: () => [], full: () => [null, null, null, 'mean', null] },
  'nn.BatchNorm1d': { args: () => [3], full: () => [3, 1e-5, 0.1, true, true] },
  'nn.BatchNorm2d': { args: () => [3], full: () => [3, 1e-5, 0.1, true, true] },
  'nn.BatchNormBase': { args: () => [3], skipChecks: 'the base class of BatchNorm1d/2d; its subclasses are checked' },
  'nn.Conv2d': { args: () => [1, 2, 3], full: () => [1, 2, 3, 1, 0, 1, 1, true, 'zeros'] },
  'nn.CrossEntropyLoss': { args: () => [], full: () => [null, null, -100, null, 'mean', 0] },
  'nn.Dropout': { args: () => [0.5], full: () => [0.5, false] },
  'nn.Embedding': { args: () => [5, 3] },
  'nn.Flatten': { args: () => [], full: () => [1, -1] },
  'nn.GELU': { args: () => [], full: () => ['none'] },
  'nn.GroupNorm': { args: () => [2, 4], full: () => [2, 4, 1e-5, true] },
  'nn.Identity': { args: () => [], skipChecks: "PyTorch's Identity takes and ignores any arguments" },
  'nn.L1Loss': { args: () => [], full: () => [null, null, 'mean'] },
  'nn.LayerNorm': { args: () => [[4]], full: () => [[4], 1e-5, true] },
  'nn.LeakyReLU': { args: () => [], full: () => [0.1, false] },
  'nn.Linear': { args: () => [2, 3], full: () => [2, 3, true] },
  'nn.LogSoftmax': { args: () => [1] },
  'nn.Loss': { args: () => [], skipChecks: 'the abstract base of the losses' },
  'nn.MSELoss': { args: () => [], full: () => [null, null, 'mean'] },
  'nn.MaxPool2d': { args: () => [2], full: () => [2, 2, 0, 1, false, false] },
  'nn.Module': { args: () => [], skipChecks: 'the base class; subclasses define their own arguments' },
  'nn.ModuleDict': { args: () => [], full: () => [{}] },
  'nn.ModuleList': { args: () => [], full: () => [[]] },
  'nn.NLLLoss': { args: () => [], full: () => [null, null, -100, null, 'mean'] },
  'nn.Parameter': { args: () => [n.zeros([2])], full: () => [n.zeros([2]), true] },
  'nn.ReLU': { args: () => [], full: () => [false] },
  'nn.Sequential': { args: () => [], skipChecks: 'takes any number of modules; a non-module is refused (checked below)' },
  'nn.Sigmoid': { args: () => [] },
  'nn.Softmax': { args: () => [1] },
  'nn.Tanh': { args: () => [] },
  'optim.Adadelta': { args: () => [params()], full: () => [params(), 1, 0.9, 1e-6, 0] },
  'optim.Adagrad': { args: () => [params()], full: () => [params(), 0.01, 0, 0, 0, 1e-10] },
  'optim.Adam': { args: () => [params()], full: () => [params(), 0.1, [0.9, 0.99], 1e-8, 0, false] },
  'optim.AdamW': { args: () => [params()], full: () => [params(), 0.001, [0.9, 0.999], 1e-8, 0.01, false] },
  'optim.HeavyBall': { args: () => [params(), 0.1], full: () => [params(), 0.1, 0.9, 0] },
  'optim.RMSprop': { args: () => [params()], full: () => [params(), 0.01, 0.99, 1e-8, 0, 0, false] },
  'optim.SGD': { args: () => [params(), 0.1], full: () => [params(), 0.1, 0.9, 0, 0, false] },
  'optim.Optimizer': { args: () => [], skipChecks: 'the abstract base of the optimizers' },
  'optim.LRScheduler': { args: () => [], skipChecks: 'the abstract base of the schedulers' },
  'optim.StepLR': { args: () => [sgd(), 2], full: () => [sgd(), 2, 0.5] },
  'optim.MultiStepLR': { args: () => [sgd(), [2]], full: () => [sgd(), [2], 0.1] },
  'optim.ExponentialLR': { args: () => [sgd(), 0.9] },
  'optim.CosineAnnealingLR': { args: () => [sgd(), 5], full: () => [sgd(), 5, 0] },
  'optim.LinearLR': { args: () => [sgd()] },
  'optim.LambdaLR': { args: () => [sgd(), () => 1] },
  'optim.OneCycleLR': {
    args: () => [sgd(), 0.1, 10],
    full: () => [sgd(), 0.1, 10, null, null, 0.3, 'cos', true, 0.85, 0.95, 25, 1e4, false],
  },
  'data.DataLoader': { args: () => [DS()], full: () => [DS(), 2, false, null, null, 0, null, false, false, 0, null, null, null] },
  'data.RandomSampler': { args: () => [DS()], full: () => [DS(), false, null, null] },
  'data.SequentialSampler': { args: () => [DS()] },
  'data.BatchSampler': { args: () => [new data.SequentialSampler(DS()), 2, false] },
  'data.Subset': { args: () => [DS(), [0, 1]] },
  'data.ConcatDataset': { args: () => [[DS(), DS()]] },
  'data.TensorDataset': { args: () => [n.zeros([2])], skipChecks: 'takes any number of tensors; a non-tensor is refused (checked below)' },
  'data.MnistLike': { args: () => [], skipChecks: 'built by loadMnist/loadIdxDataset from IDX files (test/data)' },
  'data.RandomLabels': { args: () => [], skipChecks: 'built by withRandomLabels, whose options forms.test.ts checks' },
  Generator: { args: () => [], full: () => [3] },
};

function exportedClasses(): Record<string, new (...a: unknown[]) => unknown> {
  const out: Record<string, new (...a: unknown[]) => unknown> = {};
  const add = (prefix: string, ns: object) => {
    for (const [k, v] of Object.entries(ns))
      if (typeof v === 'function' && /^[A-Z]/.test(k)) out[prefix + k] = v as new (...a: unknown[]) => unknown;
  };
  add('nn.', nn);
  add('optim.', optim);
  add('data.', data);
  out.Generator = n.Generator as unknown as new (...a: unknown[]) => unknown;
  return out;
}
const ctors = exportedClasses();

describe('every exported constructor refuses what it does not understand', () => {
  it('has a row for every exported class, and every row names one', () => {
    expect(Object.keys(ctors).filter((k) => !(k in classes))).toEqual([]);
    expect(Object.keys(classes).filter((k) => !(k in ctors))).toEqual([]);
  });
  const checked = Object.keys(classes).filter((k) => classes[k].skipChecks === undefined);
  it.each(checked)('%s', (name) => {
    const C = ctors[name];
    const row = classes[name];
    const short = name.replace(/^(nn|optim|data)\./, '');
    expect(() => new C(...row.args())).not.toThrow();
    expect(() => new C(...(row.full ?? row.args)())).not.toThrow();
    expect(() => new C(...(row.full ?? row.args)(), 7), `${name}: one surplus argument`).toThrow(short);
    expect(() => new C(...row.args(), BAD), `${name}: an unknown option`).toThrow(short);
  });
  it('refuses a non-module in Sequential and a non-tensor in TensorDataset', () => {
    expect(() => new nn.Sequential(new nn.ReLU(), 5 as never)).toThrow('Sequential');
    expect(() => new data.TensorDataset(n.zeros([2]), 5 as never)).toThrow('TensorDataset');
  });
});

describe("PyTorch's positional forms mean what they mean in PyTorch", () => {
  it('DataLoader(dataset, batchSize, shuffle, …, dropLast)', () => {
    const l = new data.DataLoader(DS(), 4, true);
    expect(l.batchSize).toBe(4);
    expect(l.sampler).toBeInstanceOf(data.RandomSampler);
    const d = new data.DataLoader(DS(), 4, false, null, null, 0, null, false, true);
    expect(d.dropLast).toBe(true);
    expect(d.length).toBe(2);
    expect(() => new data.DataLoader(DS(), { batchSize: 2, shufle: true } as never)).toThrow("unknown option 'shufle'");
    expect(() => new data.DataLoader(DS(), 0)).toThrow('batchSize');
  });

  it('DataLoader with a batchSampler, collateFn, and worker options', () => {
    const batches = [[3, 1], [0]];
    const l = new data.DataLoader(DS(), { batchSampler: batches, collateFn: (s: unknown[]) => s.length });
    expect(l.batchSize).toBeNull();
    expect([...l]).toEqual([2, 1]);
    expect(l.length).toBe(2);
    expect(() => new data.DataLoader(DS(), { batchSampler: batches, shuffle: true })).toThrow('mutually exclusive');
    expect([...new data.DataLoader(DS(), { batchSize: 5, numWorkers: 4, pinMemory: true })].length).toBe(2);
    expect(() => new data.DataLoader(DS(), { numWorkers: 2, workerInitFn: () => {} } as never)).toThrow('workerInitFn');
    expect(() => new data.DataLoader(DS(), { numWorkers: 2, persistentWorkers: true } as never)).toThrow('persistentWorkers');
  });

  it('loss modules: weight, ignoreIndex, reduction and the legacy sizeAverage/reduce in their positions', () => {
    const w = n.tensor([1, 2]);
    const ce = new nn.CrossEntropyLoss(w, null, 1, null, 'sum', 0.1);
    expect([ce.weight, ce.ignoreIndex, ce.reduction, ce.labelSmoothing]).toEqual([w, 1, 'sum', 0.1]);
    expect(new nn.MSELoss(false).reduction).toBe('sum');
    expect(new nn.MSELoss(null, false).reduction).toBe('none');
    expect(new nn.BCEWithLogitsLoss(null, null, null, 'none', w).posWeight).toBe(w);
    expect(() => new nn.NLLLoss({ reduction: 'avg' } as never)).toThrow("'none', 'mean' or 'sum'");
  });

  it('RandomSampler(dataSource, replacement, numSamples, generator)', () => {
    const s = new data.RandomSampler(DS(), true, 25);
    expect(s.replacement).toBe(true);
    expect(s.length).toBe(25);
  });

  it('zeroGrad(setToNone) on optimizers and modules', () => {
    const lin = new nn.Linear(2, 2);
    const opt = new optim.SGD(lin.parameters(), 0.1);
    const run = () =>
      lin
        .forward(n.ones([1, 2]))
        .sum()
        .backward();
    run();
    opt.zeroGrad(false);
    expect(lin.weight.grad?.abs().sum().item()).toBe(0);
    run();
    lin.zeroGrad(false);
    expect(lin.weight.grad?.abs().sum().item()).toBe(0);
    opt.zeroGrad(true);
    expect(lin.weight.grad).toBeNull();
    expect(() => opt.zeroGrad(false, 1 as never)).toThrow('zeroGrad');
  });

  it('Module methods: loadStateDict(sd, strict), namedParameters(prefix, recurse), parameters(recurse)', () => {
    const m = new nn.Sequential(new nn.Linear(2, 2));
    const sd = m.stateDict();
    delete sd['0.bias'];
    expect(m.loadStateDict(sd, false).missingKeys).toEqual(['0.bias']);
    expect(() => m.loadStateDict(sd, true)).toThrow('Missing');
    expect([...m.namedParameters('net')].map(([k]) => k)).toEqual(['net.0.weight', 'net.0.bias']);
    expect(m.parameters(false)).toEqual([]);
    expect(() => (m.namedParameters as (...a: unknown[]) => unknown)('net', true, 3)).toThrow('namedParameters');
    expect(() => m.eval(1 as never)).toThrow('eval');
    expect(() => m.requiresGrad_('no' as never)).toThrow('requiresGrad_');
  });

  it('OneCycleLR(optimizer, maxLr, totalSteps, …) and Generator forms', () => {
    expect(new optim.OneCycleLR(sgd(), 0.1, 10).totalSteps).toBe(10);
    expect(new n.Generator('cpu').initialSeed()).toBe(new n.Generator().initialSeed());
    expect(new n.Generator(5).initialSeed()).toBe(5n);
    expect(() => new n.Generator({ device: 'webgpu' } as never)).toThrow('Generator');
  });
});
