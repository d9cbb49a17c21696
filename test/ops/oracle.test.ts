/**
 * PyTorch as the oracle: every case of test/fixtures/ops.json (made by tools/gen_op_fixtures.py)
 * is evaluated with nabla's exported functions and compared with PyTorch's outputs (values, shape,
 * dtype, whether they require grad) and, for float64 cases, with PyTorch's gradients of
 * Σ_k (out_k · w_k).sum() with respect to each input that requires grad.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import * as nb from '../../src/index.js';
import { type DType, Tensor } from '../../src/index.js';

type Encoded = number | boolean | 'nan' | 'inf' | '-inf';
interface EncTensor {
  dtype: DType;
  shape: number[];
  data: Encoded[];
}
interface Case {
  name: string;
  kind: 'creation' | 'range' | 'view' | 'elementwise' | 'reduction' | 'matmul';
  expr: unknown;
  inputs: (EncTensor & { requiresGrad: boolean })[];
  /** PyTorch refused the call with this message: nabla must throw too. */
  error?: string;
  outputs?: EncTensor[];
  gradFns?: (string | null)[];
  weights?: (Encoded[] | null)[];
  grads?: (EncTensor | null)[];
  note?: string;
}

const fixture = JSON.parse(readFileSync(new URL('../fixtures/ops.json', import.meta.url), 'utf8')) as {
  command: string;
  torch: string;
  cases: Case[];
};

/**
 * Tolerances, |actual − expected| ≤ atol + rtol·|expected|, by kind of op and dtype.
 * - creation and view (cat/stack/split, gather/scatter, diag, …): values are copied, so they must
 *   be exact.
 * - range (arange, linspace): within one ulp of the largest magnitude in the result. PyTorch's CPU
 *   kernels fill SIMD vectors (8 floats / 4 doubles with AVX2) from a base value with fused
 *   multiply-adds, so the last bit depends on the build, the CPU and the thread split; nabla
 *   evaluates the kernel's scalar formula (start + i·step, or end − (n−1−i)·step for linspace's
 *   second half) for every element.
 * - elementwise: 1e-6 relative in float32 (PyTorch's vectorized float32 transcendental kernels are
 *   within an ulp or two; nabla computes in double and rounds once), 1e-12 in float64.
 * - reductions and matmul: PyTorch accumulates float32 sums in float32 (cascaded/blocked), nabla in
 *   double, so float32 is checked to 1e-5 relative plus 1e-6 absolute; float64 to 1e-12.
 * - gradients (float64 cases): 1e-10 relative plus 1e-12 absolute.
 */
const TOL: Record<Case['kind'], Record<'float32' | 'float64', { rtol: number; atol: number }>> = {
  creation: { float32: { rtol: 0, atol: 0 }, float64: { rtol: 0, atol: 0 } },
  range: { float32: { rtol: 0, atol: 2 ** -23 }, float64: { rtol: 0, atol: 2 ** -52 } }, // × max |value|
  view: { float32: { rtol: 0, atol: 0 }, float64: { rtol: 0, atol: 0 } },
  elementwise: { float32: { rtol: 1e-6, atol: 1e-30 }, float64: { rtol: 1e-12, atol: 1e-300 } },
  reduction: { float32: { rtol: 1e-5, atol: 1e-6 }, float64: { rtol: 1e-12, atol: 1e-14 } },
  matmul: { float32: { rtol: 1e-5, atol: 1e-6 }, float64: { rtol: 1e-12, atol: 1e-14 } },
};
const GRAD_TOL = { rtol: 1e-10, atol: 1e-12 };

/**
 * Where nabla's grad_fn name deliberately differs from PyTorch 1.13's (PyTorch → nabla): names of
 * PyTorch's internal decompositions, which nabla does not reproduce. Every other output's grad_fn
 * must carry PyTorch's name.
 */
const GRAD_FN_DIFFERENCES = [
  'ReshapeAliasBackward0 → ViewBackward0', // reshape/flatten as a view: 1.13's alias op (2.x says ViewBackward0)
  'UnsafeViewBackward0 → ViewBackward0', // reshape that copies: PyTorch clones, then _unsafe_view
  'UnsafeViewBackward0 → BmmBackward0', // batched matmul: PyTorch folds batch dims into an mm
  'UnsafeViewBackward0 → SqueezeBackward1', // N-D @ 1-D and 1-D @ N-D with N ≥ 3
  'SqueezeBackward3 → SqueezeBackward1', // 1-D @ 2-D
  'CloneBackward0 → BmmBackward0', // 2-D @ 3-D: PyTorch expands and copies the 2-D operand
  'SplitBackward0 → SliceBackward0', // split/chunk pieces are narrow() views in nabla
  'SplitWithSizesBackward0 → SliceBackward0',
  'UnbindBackward0 → SelectBackward0', // unbind pieces are select() views
  'MulBackward0 → DivBackward0', // number / tensor: PyTorch computes reciprocal(x) * number
];

function decode(v: Encoded): number {
  if (v === 'nan') return Number.NaN;
  if (v === 'inf') return Number.POSITIVE_INFINITY;
  if (v === '-inf') return Number.NEGATIVE_INFINITY;
  return Number(v);
}

function makeTensor(e: EncTensor, requiresGrad = false): Tensor {
  const t = nb.zeros(e.shape, { dtype: e.dtype });
  const data = t.data;
  e.data.forEach((v, i) => {
    data[i] = decode(v);
  });
  if (requiresGrad) t.requiresGrad_(true);
  return t;
}

type Value = unknown;

/** Evaluates a fixture expression with nabla's exported functions and Tensor methods. */
function evaluate(e: Value, inputs: readonly Tensor[]): Value {
  if (Array.isArray(e)) return e.map((x) => evaluate(x, inputs));
  if (e === null || typeof e !== 'object') return e;
  const o = e as Record<string, Value>;
  if ('input' in o) return inputs[o.input as number];
  if ('float' in o) return decode(o.float as Encoded);
  if ('call' in o) {
    const name = o.call as string;
    const args = (o.args as Value[]).map((a) => evaluate(a, inputs));
    if (name === '@index') return (args[0] as Value[])[args[1] as number];
    if (name.startsWith('.')) {
      const self = args[0] as unknown as Record<string, (...a: Value[]) => Value>;
      return self[name.slice(1)](...args.slice(1));
    }
    const fn = (nb as unknown as Record<string, (...a: Value[]) => Value>)[name];
    if (typeof fn !== 'function') throw new Error(`fixture calls ${name}, which src/index.ts does not export`);
    return fn(...args);
  }
  return Object.fromEntries(Object.entries(o).map(([k, v]) => [k, evaluate(v, inputs)]));
}

/** A result as a flat list of tensors: lists in order, { values, indices } as two. */
function outputsOf(r: Value): Tensor[] {
  if (r instanceof Tensor) return [r];
  if (Array.isArray(r)) return r.flatMap(outputsOf);
  if (r && typeof r === 'object' && 'values' in r && 'indices' in r) {
    const vi = r as { values: Tensor; indices: Tensor };
    return [vi.values, vi.indices];
  }
  throw new Error(`unexpected result ${String(r)}`);
}

function close(actual: number, expected: number, rtol: number, atol: number, dtype: DType): boolean {
  if (Number.isNaN(expected)) return Number.isNaN(actual);
  if (!Number.isFinite(expected)) return actual === expected;
  if (dtype === 'float32' && rtol === 0 && atol === 0) return actual === Math.fround(expected);
  return Math.abs(actual - expected) <= atol + rtol * Math.abs(expected);
}

/** Asserts shape, dtype and values, reporting the first mismatching element. */
function expectTensor(what: string, actual: Tensor, expected: EncTensor, tol: { rtol: number; atol: number }): void {
  expect(actual.shape, `${what}: shape`).toEqual(expected.shape);
  expect(actual.dtype, `${what}: dtype`).toBe(expected.dtype);
  const data = actual.data;
  expect(data.length, `${what}: numel`).toBe(expected.data.length);
  const floating = expected.dtype === 'float32' || expected.dtype === 'float64';
  for (let i = 0; i < data.length; i++) {
    const want = decode(expected.data[i]);
    const ok = floating ? close(data[i], want, tol.rtol, tol.atol, expected.dtype) : data[i] === want;
    if (!ok) {
      expect.fail(
        `${what}: element ${i} is ${data[i]}, PyTorch gives ${want} (rtol ${tol.rtol}, atol ${tol.atol}); ` +
          `actual ${JSON.stringify(Array.from(data))}`,
      );
    }
  }
}

/**
 * Cases where nabla differs from PyTorch by design (COMPAT.md, "Number literals"): JS cannot tell
 * `1` from `1.0`, so nabla reads integer-looking literals as float32 where PyTorch makes int64.
 * The values must still match; only the dtype is float32.
 */
const LITERAL_FLOAT = new Set(['creation: full int', 'creation: tensor nested int']);

function run(c: Case): void {
  if (LITERAL_FLOAT.has(c.name)) {
    c = { ...c, outputs: (c.outputs ?? []).map((o) => ({ ...o, dtype: 'float32' })) };
  }
  const inputs = c.inputs.map((e) => makeTensor(e, e.requiresGrad));
  if (c.error !== undefined) {
    expect(() => evaluate(c.expr, inputs), `PyTorch: ${c.error}`).toThrow();
    return;
  }
  const expected = c.outputs ?? [];
  const outs = outputsOf(evaluate(c.expr, inputs));
  expect(outs.length, 'number of outputs').toBe(expected.length);
  outs.forEach((o, k) => {
    const dt = expected[k].dtype;
    let tol = dt === 'float32' || dt === 'float64' ? TOL[c.kind][dt] : { rtol: 0, atol: 0 };
    if (c.kind === 'range') {
      const scale = Math.max(0, ...expected[k].data.map((v) => Math.abs(decode(v))));
      tol = { rtol: 0, atol: tol.atol * scale };
    }
    expectTensor(`output ${k}`, o, expected[k], tol);
  });
  if (!c.weights || !c.grads) {
    for (const o of outs) expect(o.requiresGrad, 'no input requires grad, so no output does').toBe(false);
    return;
  }
  outs.forEach((o, k) => {
    const torchName = c.gradFns?.[k] ?? null;
    const name = o.gradFn?.name ?? null;
    if (name !== torchName) expect(`${torchName} → ${name}`, 'grad_fn name (PyTorch → nabla)').toBeOneOf(GRAD_FN_DIFFERENCES);
  });
  let loss: Tensor | null = null;
  outs.forEach((o, k) => {
    const w = c.weights?.[k] ?? null;
    if (o.dtype === 'float32' || o.dtype === 'float64') {
      expect(o.requiresGrad, `output ${k} requiresGrad (PyTorch: ${w !== null})`).toBe(w !== null);
    } else {
      expect(o.requiresGrad, `output ${k} (${o.dtype}) requiresGrad`).toBe(false);
    }
    if (w === null) return;
    const term = nb.sum(nb.mul(o, makeTensor({ dtype: o.dtype, shape: [...o.shape], data: w })));
    loss = loss === null ? term : nb.add(loss, term);
  });
  (loss as Tensor | null)?.backward();
  inputs.forEach((x, i) => {
    const want = c.grads?.[i] ?? null;
    if (!c.inputs[i].requiresGrad) return;
    if (want === null) {
      // PyTorch reports "no gradient"; nabla may leave .grad null or hold zeros.
      if (x.grad !== null)
        expect(
          Array.from(x.grad.data).every((v) => v === 0),
          `input ${i}: grad should be zero`,
        ).toBe(true);
      return;
    }
    expect(x.grad, `input ${i}: grad`).not.toBeNull();
    expectTensor(`grad of input ${i}`, x.grad as Tensor, want, GRAD_TOL);
  });
}

describe('ops against PyTorch (test/fixtures/ops.json)', () => {
  it('fixture was made by PyTorch with the recorded command', () => {
    expect(fixture.command).toBe('/usr/bin/python3 tools/gen_op_fixtures.py');
    expect(fixture.torch).toMatch(/^1\.13/);
    expect(fixture.cases.length).toBeGreaterThan(500);
  });

  for (const kind of ['creation', 'range', 'view', 'elementwise', 'reduction', 'matmul'] as const) {
    const cases = fixture.cases.filter((c) => c.kind === kind);
    describe(kind, () => {
      it.each(cases)('$name', (c) => run(c));
    });
  }
});
