// Loader and helpers for test/fixtures/conv.json (written by tools/gen_conv_fixtures.py from
// PyTorch 1.13): regenerates each case's inputs with nabla's PyTorch-exact generator, runs the
// backward of (out * wg).sum(), and compares with tolerances.
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { expect } from 'vitest';
import { Generator, rand, type Tensor, tensor } from '../../src/index.js';

export type Num = number | string;

export interface TensorSpec {
  name: string;
  shape: number[];
  kind: 'sym' | 'pos' | 'values';
  grad: boolean;
  values?: Num[];
}

export interface Case {
  name: string;
  seed: number;
  dtype: 'float32' | 'float64';
  tensors: TensorSpec[];
  opts: Record<string, unknown>;
  out_shape: number[];
  /** PyTorch's grad_fn class name of the output. */
  grad_fn: string;
  out: Num[];
  grads: Record<string, Num[]>;
  kind?: 'max' | 'avg' | 'adaptive';
  indices?: number[];
  runningMeanAfter?: Num[];
  runningVarAfter?: Num[];
}

export interface DropoutCase {
  seed: number;
  shape: number[];
  p: number;
  training: boolean;
  dtype: 'float32' | 'float64';
  /** A non-contiguous view of x fed to dropout: x.t() or x[:, ::2]. */
  view?: 't' | 'step2';
  mask: string;
  next: Num[];
  out?: Num[];
  grad?: Num[];
}

export interface ConvFixture {
  command: string;
  torch: string;
  conv: Case[];
  pool: Case[];
  batchnorm: Case[];
  dropout: DropoutCase[];
}

const path = fileURLToPath(new URL('../fixtures/conv.json', import.meta.url));
export const fixture = JSON.parse(readFileSync(path, 'utf8')) as ConvFixture;

/** Fixture numbers with "nan"/"inf"/"-inf" decoded. */
export function decode(vals: readonly Num[]): number[] {
  return vals.map((v) =>
    typeof v === 'number' ? v : v === 'nan' ? Number.NaN : v === 'inf' ? Number.POSITIVE_INFINITY : Number.NEGATIVE_INFINITY,
  );
}

/** The case's inputs, drawn from Generator(seed) in order, exactly as the generator script did. */
export function makeInputs(c: Case): { gen: Generator; ts: Record<string, Tensor> } {
  const gen = new Generator(c.seed);
  const ts: Record<string, Tensor> = {};
  for (const s of c.tensors) {
    let t: Tensor;
    if (s.kind === 'values') t = tensor(Float64Array.from(decode(s.values ?? [])), { dtype: c.dtype }).reshape(s.shape);
    else {
      const r = rand(s.shape, { generator: gen, dtype: c.dtype });
      t = s.kind === 'sym' ? r.mul(2).sub(1) : r.add(0.5);
    }
    if (s.grad) t.requiresGrad_(true);
    ts[s.name] = t;
  }
  return { gen, ts };
}

/** Draws wg like the script and backpropagates (out * wg).sum(). */
export function backwardWeighted(gen: Generator, out: Tensor, dtype: 'float32' | 'float64'): void {
  const wg = rand(out.shape, { generator: gen, dtype }).mul(2).sub(1);
  out.mul(wg).sum().backward();
}

/**
 * |actual − expected| ≤ tol · max(1, max |expected|) elementwise (NaN matches NaN, infinities
 * match exactly): a relative tolerance on the tensor's scale, since sums of mixed-sign terms can
 * cancel to values far smaller than their rounding error.
 */
export function expectClose(
  actual: ArrayLike<number>,
  expectedRaw: readonly Num[],
  tol: number,
  what: string,
  dtype: 'float32' | 'float64' = 'float64',
): void {
  // 9 significant digits round-trip float32 values: round them back for exact comparisons.
  const expected = dtype === 'float32' ? decode(expectedRaw).map(Math.fround) : decode(expectedRaw);
  expect(actual.length, `${what}: length`).toBe(expected.length);
  let scale = 1;
  for (const e of expected) if (Number.isFinite(e)) scale = Math.max(scale, Math.abs(e));
  let worst = 0;
  let worstAt = -1;
  for (let i = 0; i < expected.length; i++) {
    const a = actual[i];
    const e = expected[i];
    if (Number.isNaN(e) || !Number.isFinite(e)) {
      if (!Object.is(a, e) && !(Number.isNaN(a) && Number.isNaN(e))) throw new Error(`${what}[${i}]: got ${a}, expected ${e}`);
      continue;
    }
    const err = Math.abs(a - e);
    if (!(err <= worst)) {
      worst = err;
      worstAt = i;
    }
  }
  if (!(worst <= tol * scale)) {
    throw new Error(
      `${what}: element ${worstAt} is ${actual[worstAt]}, expected ${expected[worstAt]} (|error| ${worst} > ${tol} × scale ${scale})`,
    );
  }
}

/** The fixture tolerance for a dtype: float32 results within ~1e-5 of the tensor's scale. */
export const tolFor = (dtype: 'float32' | 'float64'): number => (dtype === 'float32' ? 1e-5 : 1e-12);
