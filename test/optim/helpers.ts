/** Shared by the optim tests: the fixture, the fixture's network, and error measures. */
import { readFileSync } from 'node:fs';
import { type DType, optim, type Tensor, tensor } from '../../src/index.js';

export interface OptimizerCase {
  optimizer: string;
  options: Record<string, unknown>;
  dtype: 'float32' | 'float64';
  groups?: [Record<string, unknown>, Record<string, unknown>];
  frozen?: string[];
  losses: number[];
  params: Array<Record<string, number[]>>;
}

export interface SchedulerCase {
  scheduler: string;
  options: Record<string, unknown>;
  optimizer: 'SGD' | 'Adam';
  lrs: number[][];
  momenta?: number[][];
}

export interface OptimFixture {
  command: string;
  steps: number;
  data: Record<string, number[]>;
  shapes: Record<string, number[]>;
  optimizers: OptimizerCase[];
  schedulers: SchedulerCase[];
}

export const fixture = JSON.parse(readFileSync(new URL('../fixtures/optim.json', import.meta.url), 'utf8')) as OptimFixture;

export const PARAM_NAMES = ['W1', 'b1', 'W2', 'b2'] as const;

/** A fixture tensor (x, y or an initial parameter) in `dtype`. */
export function fixtureTensor(name: string, dtype: DType, requiresGrad = false): Tensor {
  const t = tensor(Float64Array.from(fixture.data[name]), { dtype }).reshape(fixture.shapes[name]).contiguous().detach();
  return requiresGrad ? t.requiresGrad_(true) : t;
}

/** The fixture's loss, with the same ops as tools/gen_optim_fixtures.py. */
export function mlpLoss(x: Tensor, y: Tensor, [W1, b1, W2, b2]: Tensor[]): Tensor {
  const h = x.matmul(W1).add(b1).tanh();
  const d = h.matmul(W2).add(b2).sub(y);
  return d.mul(d).mean();
}

/** max_i |a_i − b_i| / max_i |b_i|: the error relative to the tensor's scale. */
export function relDiff(a: ArrayLike<number>, b: ArrayLike<number>): number {
  let num = 0;
  let den = 0;
  for (let i = 0; i < b.length; i++) {
    num = Math.max(num, Math.abs(a[i] - b[i]));
    den = Math.max(den, Math.abs(b[i]));
  }
  return den === 0 ? num : num / den;
}

/** max_i |a_i − b_i| / |b_i| (elements that are exactly 0 in b compare absolutely). */
export function elementRelDiff(a: ArrayLike<number>, b: ArrayLike<number>): number {
  let worst = 0;
  for (let i = 0; i < b.length; i++) {
    const d = Math.abs(a[i] - b[i]);
    worst = Math.max(worst, b[i] === 0 ? d : d / Math.abs(b[i]));
  }
  return worst;
}

export type Ctor = new (params: unknown, options: unknown) => optim.Optimizer;
/** The optimizers the fixtures exercise, by the name the fixture generators record. */
export const CTORS: Record<string, Ctor> = {
  SGD: optim.SGD as unknown as Ctor,
  HeavyBall: optim.HeavyBall as unknown as Ctor,
  Adam: optim.Adam as unknown as Ctor,
  AdamW: optim.AdamW as unknown as Ctor,
  RMSprop: optim.RMSprop as unknown as Ctor,
  Adagrad: optim.Adagrad as unknown as Ctor,
};
