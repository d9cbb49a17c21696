/**
 * Optimizer stateDict / loadStateDict: PyTorch's structure (state keyed by parameter index,
 * groups listing their parameters by index), plain data plus tensors, and a round trip in the
 * middle of training continues bit for bit.
 */
import { describe, expect, it } from 'vitest';
import { optim, Tensor, tensor } from '../../src/index.js';
import { CTORS, type Ctor, fixtureTensor, mlpLoss, PARAM_NAMES } from './helpers.js';

const CONFIGS: Array<[string, Ctor, Record<string, unknown>]> = [
  ['SGD', CTORS.SGD, { lr: 0.1, momentum: 0.9, nesterov: true, weightDecay: 0.01 }],
  ['HeavyBall', CTORS.HeavyBall, { lr: 0.1, momentum: 0.9 }],
  ['Adam', CTORS.Adam, { lr: 0.01, amsgrad: true }],
  ['AdamW', CTORS.AdamW, { lr: 0.01, weightDecay: 0.1 }],
  ['RMSprop', CTORS.RMSprop, { lr: 0.01, centered: true, momentum: 0.5 }],
  ['Adagrad', CTORS.Adagrad, { lr: 0.1, lrDecay: 0.01, initialAccumulatorValue: 0.1 }],
];

const x = fixtureTensor('x', 'float32');
const y = fixtureTensor('y', 'float32');

function trainSteps(opt: optim.Optimizer, ps: Tensor[], n: number): void {
  for (let i = 0; i < n; i++) {
    opt.zeroGrad();
    mlpLoss(x, y, ps).backward();
    opt.step();
  }
}

/** Writes tensors as { dtype, shape, data } and reads them back: what a checkpoint file does. */
function jsonRoundTrip<T>(value: T): T {
  const text = JSON.stringify(value, (_k, v) =>
    v instanceof Tensor ? { $tensor: { dtype: v.dtype, shape: v.shape, data: Array.from(v.data) } } : v,
  );
  return JSON.parse(text, (_k, v) => {
    if (v !== null && typeof v === 'object' && '$tensor' in v) {
      const t = v.$tensor as { dtype: 'float32' | 'float64'; shape: number[]; data: number[] };
      return tensor(t.data, { dtype: t.dtype }).reshape(t.shape);
    }
    return v;
  }) as T;
}

const twoGroups = (ps: Tensor[]) => [{ params: ps.slice(0, 2) }, { params: ps.slice(2), lr: 0.005 }];

describe('optimizer stateDict', () => {
  for (const [name, Opt, options] of CONFIGS) {
    it(`${name}: a round trip after 3 steps continues identically`, () => {
      const ps = PARAM_NAMES.map((n) => fixtureTensor(n, 'float32', true));
      const a = new Opt(twoGroups(ps), options);
      trainSteps(a, ps, 3);
      const saved = jsonRoundTrip(a.stateDict());

      const qs = ps.map((p) => p.detach().clone().requiresGrad_(true));
      const b = new Opt(twoGroups(qs), options);
      b.loadStateDict(saved);
      expect(b.paramGroups.map((g) => g.lr)).toEqual(a.paramGroups.map((g) => g.lr));
      trainSteps(a, ps, 2);
      trainSteps(b, qs, 2);
      ps.forEach((p, i) => {
        expect(Array.from(qs[i].data)).toEqual(Array.from(p.data));
      });
    });
  }

  it("has PyTorch's structure: state by parameter index, groups with index lists", () => {
    const ps = PARAM_NAMES.map((n) => fixtureTensor(n, 'float32', true));
    const opt = new optim.Adam(twoGroups(ps), { lr: 0.01 });
    trainSteps(opt, ps, 2);
    const sd = opt.stateDict();
    expect(Object.keys(sd.state)).toEqual(['0', '1', '2', '3']);
    expect(sd.paramGroups).toEqual([
      { params: [0, 1], lr: 0.01, betas: [0.9, 0.999], eps: 1e-8, weightDecay: 0, amsgrad: false, maximize: false },
      { params: [2, 3], lr: 0.005, betas: [0.9, 0.999], eps: 1e-8, weightDecay: 0, amsgrad: false, maximize: false },
    ]);
    expect(sd.state[2].step).toBe(2);
    expect(sd.state[2].expAvg).toBeInstanceOf(Tensor);
    expect((sd.state[2].expAvg as Tensor).shape).toEqual([6, 3]);
    // SGD without momentum records a null buffer, as PyTorch records None.
    const sgd = new optim.SGD(ps, { lr: 0.1 });
    trainSteps(sgd, ps, 1);
    expect(sgd.stateDict().state[0]).toEqual({ momentumBuffer: null });
  });

  it('loadStateDict copies, converts floating state to the parameter dtype, and takes step tensors', () => {
    const p64 = tensor([1, 2, 3], { dtype: 'float64', requiresGrad: true });
    const a = new optim.Adam([p64], { lr: 0.1 });
    p64.grad = tensor([0.5, -1, 2], { dtype: 'float64' });
    a.step();
    const sd = a.stateDict();
    sd.state[0].step = tensor(1); // PyTorch keeps step as a tensor
    const p32 = tensor([1, 2, 3], { dtype: 'float32', requiresGrad: true });
    const b = new optim.Adam([p32], { lr: 0.1 });
    b.loadStateDict(sd);
    const s = b.state.get(p32) as optim.AdamState;
    expect(s.step).toBe(1);
    expect(s.expAvg.dtype).toBe('float32');
    (sd.state[0].expAvg as Tensor).zero_();
    expect(Array.from(s.expAvg.data)).toEqual(Array.from(Float32Array.from([0.05, -0.1, 0.2])));
  });

  it('rejects a state that does not fit', () => {
    const ps = PARAM_NAMES.map((n) => fixtureTensor(n, 'float32', true));
    const a = new optim.SGD(twoGroups(ps), { lr: 0.1, momentum: 0.9 });
    trainSteps(a, ps, 1);
    const sd = a.stateDict();
    expect(() =>
      new optim.SGD(
        ps.map((p) => p.detach().clone()),
        { lr: 0.1 },
      ).loadStateDict(sd),
    ).toThrow(/the state has 2 parameter groups but the optimizer has 1/);
    const qs = ps.map((p) => p.detach().clone());
    expect(() => new optim.SGD([{ params: qs.slice(0, 1) }, { params: qs.slice(1) }], { lr: 0.1 }).loadStateDict(sd)).toThrow(
      /parameter group 0 of the state has 2 parameters but the optimizer's has 1/,
    );
    expect(() => new optim.SGD([{ params: [qs[1], qs[0]] }, { params: qs.slice(2) }], { lr: 0.1 }).loadStateDict(sd)).toThrow(
      /state 'momentumBuffer' of parameter 0 has shape \[4, 6\] but the parameter has shape \[6\]/,
    );
    expect(() => a.loadStateDict({ ...sd, state: { ...sd.state, 9: {} } })).toThrow(/parameter 9, which no parameter group lists/);
  });
});

describe('loadStateDict refuses state this optimizer cannot step with', () => {
  const params = () => [tensor([1, 2, 3], { dtype: 'float32', requiresGrad: true })];
  const stepped = (opt: optim.Optimizer) => {
    const p = opt.paramGroups[0].params[0];
    p.grad = tensor([0.1, -0.2, 0.3], { dtype: 'float32' });
    opt.step();
    return opt.stateDict();
  };

  it('an SGD state into Adam names the missing option instead of failing in step()', () => {
    const sgd = stepped(new optim.SGD(params(), { lr: 0.1, momentum: 0.9 }));
    const adam = new optim.Adam(params());
    expect(() => adam.loadStateDict(sgd)).toThrow(
      "Adam.loadStateDict: parameter group 0 of the state has no 'betas' option (is it another optimizer's state?)",
    );
  });

  it('an incomplete Adam state names the missing buffer', () => {
    const full = stepped(new optim.Adam(params()));
    const { expAvgSq: _drop, ...partial } = full.state[0];
    expect(() => new optim.Adam(params()).loadStateDict({ ...full, state: { 0: partial } })).toThrow(
      "Adam.loadStateDict: the state of parameter 0 has no 'expAvgSq' (expected a tensor)",
    );
    expect(() => new optim.Adam(params()).loadStateDict({ ...full, state: { 0: { ...full.state[0], step: -1 } } })).toThrow(
      "the state of parameter 0 has an invalid 'step' (expected a non-negative integer)",
    );
    expect(() => new optim.Adam(params()).loadStateDict({ ...full, state: { 0: { ...full.state[0], momentumBuffer: null } } })).toThrow(
      "has 'momentumBuffer', which Adam does not keep",
    );
    const bad = { ...full, paramGroups: [{ ...full.paramGroups[0], betas: [0.9, 2] }] };
    expect(() => new optim.Adam(params()).loadStateDict(bad)).toThrow(/invalid beta parameter at index 1: 2/);
  });

  it('Adadelta: its own state round-trips; an incomplete one names the missing buffer', () => {
    const full = stepped(new optim.Adadelta(params()));
    const again = new optim.Adadelta(params());
    again.loadStateDict(full);
    expect(() => stepped(again)).not.toThrow();
    const { accDelta: _drop, ...partial } = full.state[0];
    expect(() => new optim.Adadelta(params()).loadStateDict({ ...full, state: { 0: partial } })).toThrow(
      "Adadelta.loadStateDict: the state of parameter 0 has no 'accDelta' (expected a tensor)",
    );
  });

  it('a complete state still loads and steps', () => {
    const full = stepped(new optim.Adam(params()));
    const again = new optim.Adam(params());
    again.loadStateDict(full);
    expect(() => stepped(again)).not.toThrow();
  });
});
