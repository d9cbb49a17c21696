/**
 * The fused optimizer step kernels (backend sgdStep/adamStep/adadeltaStep) against PyTorch 1.13's
 * float32 single-tensor optimizers, bit for bit (test/fixtures/optim-steps.json, from
 * tools/gen_optim_step_fixtures.py): the same initial parameters and gradients, three steps, every
 * parameter after every step and the state after the last. Runs on the active backend's kernels
 * and, where the addon loads, on the native kernels with their size threshold lifted. Also checked:
 * agreement with the op-by-op formulation the optimizers used before (within float32 rounding),
 * strided parameters and gradients, and version counters.
 */
import { readFileSync } from 'node:fs';
import { afterAll, describe, expect, it } from 'vitest';
import type { Backend } from '../../src/backend/backend.js';
import { defineBackend, type KernelEntry } from '../../src/backend/kernels.js';
import { loadAddon } from '../../src/backend/native/addon.js';
import { nativeBackend } from '../../src/backend/native/backend.js';
import { setBackend } from '../../src/backend/registry.js';
import { manualSeed, noGrad, optim, randn, type Tensor, tensor, zerosLike } from '../../src/index.js';

interface StepCase {
  optimizer: 'SGD' | 'Adam' | 'AdamW' | 'Adadelta';
  options: Record<string, unknown>;
  initial: number[][];
  grads: number[][][];
  after: number[][][];
  state: Record<string, number[]>[];
}
const fixture = JSON.parse(readFileSync(new URL('../fixtures/optim-steps.json', import.meta.url), 'utf8')) as { cases: StepCase[] };

type Ctor = new (params: Tensor[], options: Record<string, unknown>) => optim.Optimizer<{ lr: number }, object>;
const CTORS = { SGD: optim.SGD, Adam: optim.Adam, AdamW: optim.AdamW, Adadelta: optim.Adadelta } as unknown as Record<string, Ctor>;

/** The first element where `got` differs from `want` in its bits (NaN = NaN), or null. */
function firstDiff(got: ArrayLike<number>, want: number[]): string | null {
  if (got.length !== want.length) return `length ${got.length} vs ${want.length}`;
  for (let i = 0; i < want.length; i++) {
    if (!Object.is(got[i], want[i]) && !(Number.isNaN(got[i]) && Number.isNaN(want[i])))
      return `element ${i}: ${got[i]} vs PyTorch ${want[i]}`;
  }
  return null;
}

function runFixture(c: StepCase): void {
  const ps = c.initial.map((v) => tensor(v).requiresGrad_(true));
  const opt = new CTORS[c.optimizer](ps, c.options);
  c.grads.forEach((step, s) => {
    ps.forEach((p, i) => {
      p.grad = tensor(step[i]);
    });
    opt.step();
    for (const [i, p] of ps.entries()) expect(firstDiff(p.data, c.after[s][i]), `step ${s + 1}, parameter ${i}`).toBeNull();
  });
  ps.forEach((p, i) => {
    const st = (opt.state as Map<Tensor, Record<string, unknown>>).get(p) ?? {};
    for (const [k, want] of Object.entries(c.state[i])) {
      expect(firstDiff((st[k] as Tensor).data, want), `state ${k} of parameter ${i}`).toBeNull();
    }
  });
}

const label = (c: StepCase) => `${c.optimizer} ${JSON.stringify(c.options)}`;

describe('fused optimizer steps match PyTorch float32 bit for bit', () => {
  it.each(fixture.cases.map((c) => [label(c), c] as const))('%s', (_, c) => runFixture(c));
});

const addon = process.env.NABLA_BACKEND === 'js' ? 'the js project checks the TypeScript kernels' : loadAddon();
describe.skipIf(typeof addon === 'string')(
  `native step kernels (no size threshold) match PyTorch bit for bit${typeof addon === 'string' ? ` (skipped: ${addon})` : ''}`,
  () => {
    let prev: Backend | null = null;
    const forced = () => {
      const kernels = nativeBackend(addon as Exclude<typeof addon, string>).kernels;
      const unconditional = <K extends 'sgdStep' | 'adamStep' | 'adadeltaStep'>(k: K) => (kernels[k] as KernelEntry<K>).kernel;
      prev = setBackend(
        defineBackend('native-steps', {
          sgdStep: unconditional('sgdStep'),
          adamStep: unconditional('adamStep'),
          adadeltaStep: unconditional('adadeltaStep'),
        }),
      );
    };
    afterAll(() => {
      if (prev !== null) setBackend(prev);
    });
    it.each(fixture.cases.map((c) => [label(c), c] as const))('%s', (_, c) => {
      forced();
      try {
        runFixture(c);
      } finally {
        if (prev !== null) setBackend(prev);
        prev = null;
      }
    });
  },
);

// The optimizers' formulation before the fused kernels (PyTorch's ops one by one, nabla's ops).
const composed = {
  SGD(
    ps: Tensor[],
    o: { lr: number; momentum: number; dampening: number; weightDecay: number; nesterov: boolean },
    bufs: (Tensor | null)[],
  ) {
    ps.forEach((p, i) => {
      let d = p.grad as Tensor;
      if (o.weightDecay !== 0) d = d.add(p, o.weightDecay);
      if (o.momentum !== 0) {
        const b = bufs[i];
        if (b === null) bufs[i] = d.clone();
        else b.mul_(o.momentum).add_(d, 1 - o.dampening);
        d = o.nesterov ? d.add(bufs[i] as Tensor, o.momentum) : (bufs[i] as Tensor);
      }
      p.add_(d, -o.lr);
    });
  },
  Adam(
    ps: Tensor[],
    o: { lr: number; betas: [number, number]; eps: number; weightDecay: number },
    st: { m: Tensor; v: Tensor }[],
    step: number,
  ) {
    const [b1, b2] = o.betas;
    ps.forEach((p, i) => {
      let g = p.grad as Tensor;
      if (o.weightDecay !== 0) g = g.add(p, o.weightDecay);
      st[i].m.mul_(b1).add_(g, 1 - b1);
      st[i].v.mul_(b2).addcmul_(g, g, 1 - b2);
      const denom = st[i].v
        .sqrt()
        .div(Math.sqrt(1 - b2 ** step))
        .add_(o.eps);
      p.addcdiv_(st[i].m, denom, -o.lr / (1 - b1 ** step));
    });
  },
};

describe('fused steps agree with the op-by-op formulation', () => {
  const relErr = (a: Tensor, b: Tensor) => {
    const [x, y] = [a.data, b.data];
    let num = 0;
    let den = 0;
    for (let i = 0; i < y.length; i++) {
      num = Math.max(num, Math.abs(x[i] - y[i]));
      den = Math.max(den, Math.abs(y[i]));
    }
    return num / den;
  };
  const setup = (n: number) => {
    manualSeed(3);
    const a = [randn(n, 7), randn(7)].map((t) => t.requiresGrad_(true));
    const b = a.map((t) => t.detach().clone().requiresGrad_(true));
    return [a, b];
  };
  const grads = (a: Tensor[], b: Tensor[]) => {
    a.forEach((p, i) => {
      const g = randn(...p.shape);
      p.grad = g;
      b[i].grad = g.clone();
    });
  };

  it.each([
    { lr: 0.05, momentum: 0.9, dampening: 0, weightDecay: 5e-4, nesterov: false },
    { lr: 0.05, momentum: 0.9, dampening: 0, weightDecay: 0, nesterov: true },
  ])('SGD %o over 20 steps (relative error ≤ 1e-5)', (o) => {
    for (const n of [3, 1000]) {
      const [a, b] = setup(n);
      const opt = new optim.SGD(a, o);
      const bufs: (Tensor | null)[] = b.map(() => null);
      for (let s = 0; s < 20; s++) {
        grads(a, b);
        opt.step();
        noGrad(() => composed.SGD(b, o, bufs));
      }
      for (const [i, p] of a.entries()) expect(relErr(p, b[i])).toBeLessThan(1e-5);
    }
  });

  it('Adam over 20 steps (relative error ≤ 1e-5)', () => {
    const o = { lr: 1e-2, betas: [0.9, 0.999] as [number, number], eps: 1e-8, weightDecay: 1e-3 };
    for (const n of [3, 1000]) {
      const [a, b] = setup(n);
      const opt = new optim.Adam(a, o);
      const st = b.map((p) => ({ m: zerosLike(p), v: zerosLike(p) }));
      for (let s = 0; s < 20; s++) {
        grads(a, b);
        opt.step();
        noGrad(() => composed.Adam(b, o, st, s + 1));
      }
      for (const [i, p] of a.entries()) expect(relErr(p, b[i])).toBeLessThan(1e-5);
    }
  });
});

describe('fused steps on strided tensors', () => {
  it('updates a transposed parameter and reads a transposed gradient like contiguous ones', () => {
    manualSeed(5);
    const base = randn(4, 6);
    const strided = base.clone().t().detach().requiresGrad_(true); // a leaf with strides [1, 6]
    const plain = base.clone().t().contiguous().detach().requiresGrad_(true);
    expect(strided.isContiguous()).toBe(false);
    strided.grad = randn(4, 6).t(); // strided too
    plain.grad = strided.grad.contiguous();
    const o1 = new optim.Adam([strided], { lr: 0.1, amsgrad: true });
    const o2 = new optim.Adam([plain], { lr: 0.1, amsgrad: true });
    for (let s = 0; s < 3; s++) {
      o1.step();
      o2.step();
    }
    expect(Array.from(strided.contiguous().data)).toEqual(Array.from(plain.data));
  });

  it('bumps the version counters of what it writes', () => {
    const p = tensor([1, 2, 3]).requiresGrad_(true);
    p.grad = tensor([1, 1, 1]);
    const opt = new optim.SGD([p], { lr: 0.1, momentum: 0.9 });
    const before = p._version;
    opt.step();
    expect(p._version).toBeGreaterThan(before);
    const buf = (opt.state.get(p) as { momentumBuffer: Tensor }).momentumBuffer;
    const bufVersion = buf._version;
    opt.step();
    expect(buf._version).toBeGreaterThan(bufVersion);
  });
});
