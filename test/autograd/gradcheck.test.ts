/**
 * A float64 gradcheck (central differences against autograd, entry by entry of the Jacobian) for
 * every differentiable op, on small random inputs kept away from kinks (|x| ≥ 0.2 for abs/relu,
 * away from clamp bounds). Ties are checked where the one-sided derivatives average to PyTorch's
 * choice (maximum/minimum split ties in half; max()/min() share a two-way tie evenly); other tie
 * conventions are checked against PyTorch in test/ops/oracle.test.ts. The last section checks
 * second derivatives: gradcheck of a gradient computed with createGraph.
 */
import { describe, expect, it } from 'vitest';
import * as nb from '../../src/index.js';
import { enableGrad, gradcheck, type NestedArray, type Tensor } from '../../src/index.js';

// A small deterministic generator (mulberry32), reseeded from each test's name, so every run
// (also of a single test with -t) checks the same points.
let seed = 12345;
function reseed(name: string): void {
  seed = 0;
  for (let i = 0; i < name.length; i++) seed = (Math.imul(seed, 31) + name.charCodeAt(i)) | 0;
}
function uniform(): number {
  seed = (seed + 0x6d2b79f5) | 0;
  let t = seed;
  t = Math.imul(t ^ (t >>> 15), t | 1);
  t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
  return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
}

type Kind = 'any' | 'pos' | 'away';
/** A float64 leaf that requires grad: 'any' in (−1, 1), 'pos' in (0.3, 1.8), 'away' with |x| in (0.2, 1.2). */
function r(shape: number[], kind: Kind = 'any'): Tensor {
  const n = shape.reduce((a, b) => a * b, 1);
  const data = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    const u = uniform();
    data[i] = kind === 'any' ? 2 * u - 1 : kind === 'pos' ? 0.3 + 1.5 * u : (u < 0.5 ? -1 : 1) * (0.2 + 2 * Math.abs(u - 0.5) * 2);
  }
  return nb.fromTypedArray(data, shape).requiresGrad_(true);
}

/** A float64 leaf with the given values. */
const v = (values: NestedArray): Tensor => nb.tensor(values, { dtype: 'float64', requiresGrad: true });
const idx = (values: NestedArray): Tensor => nb.tensor(values, { dtype: 'int32' });

type Fn = (...xs: Tensor[]) => Tensor | readonly Tensor[];
interface Case {
  name: string;
  inputs: () => Tensor[];
  fn: Fn;
}
const cases: Case[] = [];
const add = (name: string, inputs: () => Tensor[], fn: Fn) => cases.push({ name, inputs, fn });

// views ------------------------------------------------------------------------------------------
add(
  'reshape',
  () => [r([2, 3, 4])],
  (x) => x.reshape(4, -1),
);
add(
  'reshape of a transpose (copies)',
  () => [r([2, 3, 4])],
  (x) => x.transpose(0, 2).reshape(4, 6),
);
add(
  'view',
  () => [r([2, 3, 4])],
  (x) => x.view([6, 4]),
);
add(
  'view of a permuted tensor',
  () => [r([2, 3, 4])],
  (x) => x.permute(1, 0, 2).view(3, 2, 2, 2),
);
add(
  'flatten',
  () => [r([2, 3, 4])],
  (x) => x.flatten(1),
);
add(
  'unflatten',
  () => [r([3, 4])],
  (x) => x.unflatten(1, [2, 2]),
);
add(
  'permute',
  () => [r([2, 3, 4])],
  (x) => x.permute(2, 0, 1),
);
add(
  'transpose',
  () => [r([2, 3, 4])],
  (x) => x.transpose(-1, 0),
);
add(
  't',
  () => [r([3, 4])],
  (x) => x.t(),
);
add(
  'T',
  () => [r([3, 4])],
  (x) => x.T,
);
add(
  'expand',
  () => [r([3, 1])],
  (x) => x.expand(2, 3, 4),
);
add(
  'expandAs',
  () => [r([1, 4]), r([3, 4])],
  (x, y) => x.expandAs(y).mul(y),
);
add(
  'squeeze all',
  () => [r([1, 3, 1, 2])],
  (x) => x.squeeze(),
);
add(
  'squeeze dim',
  () => [r([1, 3, 1, 2])],
  (x) => x.squeeze(2),
);
add(
  'unsqueeze',
  () => [r([2, 3])],
  (x) => x.unsqueeze(1),
);
add(
  'narrow',
  () => [r([3, 5])],
  (x) => x.narrow(1, 1, 3),
);
add(
  'select',
  () => [r([3, 4])],
  (x) => x.select(0, -1),
);
add(
  'slice',
  () => [r([3, 5])],
  (x) => x.slice(1, 1, 4),
);
add(
  'slice with step 2',
  () => [r([3, 6])],
  (x) => x.slice(1, 1, 6, 2),
);
add(
  'slice with step 3 (uneven)',
  () => [r([2, 7])],
  (x) => x.slice(1, 0, 7, 3),
);
add(
  'slice of a slice',
  () => [r([8])],
  (x) => x.slice(0, 1, 8, 2).slice(0, 1, 3),
);
add(
  'contiguous',
  () => [r([3, 4])],
  (x) => x.t().contiguous(),
);
add(
  'clone',
  () => [r([3, 4])],
  (x) => x.clone(),
);
add(
  'view chain then arithmetic',
  () => [r([2, 6])],
  (x) => x.view(3, 4).t().mul(x.reshape(4, 3)),
);

// joining ------------------------------------------------------------------------------------------
add(
  'cat dim 0',
  () => [r([2, 3]), r([1, 3])],
  (x, y) => nb.cat([x, y], 0),
);
add(
  'cat dim -1 three inputs',
  () => [r([2, 1]), r([2, 3]), r([2, 2])],
  (x, y, z) => nb.cat([x, y, z], -1),
);
add(
  'cat the same tensor twice',
  () => [r([2, 2])],
  (x) => nb.cat([x, x.mul(2)], 1),
);
add(
  'stack dim 0',
  () => [r([2, 3]), r([2, 3])],
  (x, y) => nb.stack([x, y]),
);
add(
  'stack dim -1',
  () => [r([2, 3]), r([2, 3])],
  (x, y) => nb.stack([x, y], -1),
);
add(
  'split',
  () => [r([5, 2])],
  (x) => x.split(2),
);
add(
  'split sizes',
  () => [r([2, 5])],
  (x) => x.split([1, 3, 1], 1),
);
add(
  'split, one piece used',
  () => [r([4, 2])],
  (x) => x.split(2)[1].exp(),
);
add(
  'chunk',
  () => [r([2, 6])],
  (x) => x.chunk(4, 1),
);
add(
  'unbind',
  () => [r([3, 2])],
  (x) => x.unbind(0),
);

// elementwise binary ---------------------------------------------------------------------------------
for (const op of ['add', 'sub', 'mul', 'div'] as const) {
  const rhs: Kind = op === 'div' ? 'pos' : 'any';
  add(
    `${op} same shape`,
    () => [r([2, 3]), r([2, 3], rhs)],
    (x, y) => nb[op](x, y),
  );
  add(
    `${op} broadcast [2,1,3] and [4,1]`,
    () => [r([2, 1, 3]), r([4, 1], rhs)],
    (x, y) => nb[op](x, y),
  );
  add(
    `${op} 0-d and [2,3]`,
    () => [r([]), r([2, 3], rhs)],
    (x, y) => nb[op](x, y),
  );
  add(
    `${op} tensor and scalar`,
    () => [r([2, 3], rhs)],
    (x) => nb[op](x, 1.5),
  );
  add(
    `${op} scalar and tensor`,
    () => [r([2, 3], rhs)],
    (x) => nb[op](1.5, x),
  );
  add(
    `${op} same tensor twice`,
    () => [r([3], rhs)],
    (x) => nb[op](x, x),
  );
}
add(
  'add with alpha',
  () => [r([2, 3]), r([3])],
  (x, y) => x.add(y, 2.5),
);
add(
  'sub with alpha',
  () => [r([2, 3]), r([3])],
  (x, y) => x.sub(y, -0.5),
);
add(
  'mul float64 by a float32 tensor (promotes)',
  () => [r([3])],
  (x) => x.mul(nb.tensor([0.5, -2, 3])),
);
add(
  'pow scalar exponent 3',
  () => [r([2, 3])],
  (x) => x.pow(3),
);
add(
  'pow scalar exponent 0.5',
  () => [r([2, 3], 'pos')],
  (x) => x.pow(0.5),
);
add(
  'pow scalar exponent -1.5',
  () => [r([4], 'pos')],
  (x) => x.pow(-1.5),
);
add(
  'pow scalar exponent 2',
  () => [r([4])],
  (x) => x.pow(2),
);
add(
  'pow scalar exponent 0',
  () => [r([4])],
  (x) => x.pow(0),
);
add(
  'pow tensor exponent',
  () => [r([2, 3], 'pos'), r([2, 3])],
  (x, y) => x.pow(y),
);
add(
  'pow tensor exponent broadcast',
  () => [r([2, 1], 'pos'), r([3])],
  (x, y) => nb.pow(x, y),
);
add(
  'pow scalar base',
  () => [r([2, 3])],
  (x) => nb.pow(2.5, x),
);
add(
  'maximum',
  () => [r([2, 3]), r([3])],
  (x, y) => nb.maximum(x, y),
);
add(
  'minimum',
  () => [r([2, 3]), r([3])],
  (x, y) => nb.minimum(x, y),
);
add(
  'maximum with ties',
  () => [v([1, 2, 3, -1]), v([1, 1, 3, 0])],
  (x, y) => nb.maximum(x, y),
);
add(
  'minimum with ties',
  () => [v([1, 2, 3, -1]), v([1, 1, 3, 0])],
  (x, y) => nb.minimum(x, y),
);
add(
  'maximum with a scalar',
  () => [r([5])],
  (x) => x.maximum(0.1),
);
add(
  'where',
  () => [r([2, 3]), r([2, 3])],
  (x, y) =>
    nb.where(
      nb.tensor([
        [true, false, true],
        [false, false, true],
      ]),
      x,
      y,
    ),
);
add(
  'where broadcast',
  () => [r([1, 3]), r([2, 1])],
  (x, y) =>
    nb.where(
      nb.tensor([
        [true, false, true],
        [false, true, true],
      ]),
      x,
      y,
    ),
);
add(
  'where with a scalar',
  () => [r([2, 3])],
  (x) => nb.where(x.gt(0), x, 0.5),
);

// elementwise unary ----------------------------------------------------------------------------------
const unary: [string, Kind][] = [
  ['neg', 'any'],
  ['abs', 'away'],
  ['sign', 'away'],
  ['exp', 'any'],
  ['log', 'pos'],
  ['log1p', 'pos'],
  ['expm1', 'any'],
  ['sqrt', 'pos'],
  ['rsqrt', 'pos'],
  ['reciprocal', 'pos'],
  ['square', 'any'],
  ['sin', 'any'],
  ['cos', 'any'],
  ['sigmoid', 'any'],
  ['tanh', 'any'],
  ['relu', 'away'],
];
for (const [op, kind] of unary) {
  add(
    op,
    () => [r([3, 4], kind)],
    (x) => (nb as unknown as Record<string, (t: Tensor) => Tensor>)[op](x),
  );
  add(
    `${op} of a non-contiguous input`,
    () => [r([4, 3], kind)],
    (x) => (nb as unknown as Record<string, (t: Tensor) => Tensor>)[op](x.t()),
  );
}
// Bounds between the random values, at least 0.02 from each (central differences use eps 1e-6).
add(
  'clamp min and max',
  () => [v([-0.9, -0.3, 0.1, 0.45, 0.8])],
  (x) => x.clamp(-0.5, 0.5),
);
add(
  'clamp min only',
  () => [v([-0.9, -0.3, 0.1, 0.45, 0.8])],
  (x) => x.clamp(0),
);
add(
  'clamp max only',
  () => [v([-0.9, -0.3, 0.1, 0.45, 0.8])],
  (x) => x.clamp(null, 0.25),
);

// reductions -------------------------------------------------------------------------------------------
const reduceOpts: [string, nb.ReduceOptions][] = [
  ['all', {}],
  ['dim 1', { dim: 1 }],
  ['dim -1 keepdim', { dim: -1, keepdim: true }],
  ['dims [0, 2]', { dim: [0, 2] }],
  ['all keepdim', { keepdim: true }],
];
for (const [label, o] of reduceOpts) {
  add(
    `sum ${label}`,
    () => [r([2, 3, 4])],
    (x) => x.sum(o),
  );
  add(
    `mean ${label}`,
    () => [r([2, 3, 4])],
    (x) => x.mean(o),
  );
  add(
    `prod ${label}`,
    () => [r([2, 3, 2], 'pos')],
    (x) => x.prod(o),
  );
  add(
    `var ${label}`,
    () => [r([2, 3, 4])],
    (x) => x.var(o),
  );
  add(
    `std ${label}`,
    () => [r([2, 3, 4])],
    (x) => x.std(o),
  );
  add(
    `logsumexp ${label}`,
    () => [r([2, 3, 4])],
    (x) => x.logsumexp(o),
  );
}
add(
  'sumTo [2,3,4] → [3,1]',
  () => [r([2, 3, 4])],
  (x) => nb.sumTo(x, [3, 1]),
);
add(
  'sum of a non-contiguous input',
  () => [r([2, 3, 4])],
  (x) => x.permute(2, 0, 1).sum({ dim: 1 }),
);
add(
  'prod with one zero',
  () => [
    v([
      [2, 0, 3],
      [1.5, 2, -1],
    ]),
  ],
  (x) => x.prod({ dim: 1 }),
);
add(
  'prod with two zeros',
  () => [v([2, 0, 3, 0])],
  (x) => x.prod(),
);
add(
  'var correction 0',
  () => [r([3, 4])],
  (x) => x.var({ dim: 1, correction: 0 }),
);
add(
  'std correction 0',
  () => [r([3, 4])],
  (x) => x.std({ dim: 0, correction: 0 }),
);
add(
  'logsumexp of large values',
  () => [
    v([
      [1000, 1000.5, -1000],
      [-999, -1000, -1001],
    ]),
  ],
  (x) => x.logsumexp({ dim: 1 }),
);
for (const d of [0, 1, -1]) {
  add(
    `softmax dim ${d}`,
    () => [r([3, 4])],
    (x) => x.softmax(d),
  );
  add(
    `logSoftmax dim ${d}`,
    () => [r([3, 4])],
    (x) => x.logSoftmax(d),
  );
}
add(
  'softmax 3-d dim 1',
  () => [r([2, 3, 2])],
  (x) => nb.softmax(x, 1),
);
add(
  'logSoftmax of large values',
  () => [
    v([
      [1000, 1001, 999],
      [-1000, -1000, 0],
    ]),
  ],
  (x) => nb.logSoftmax(x, 1),
);
add(
  'max all',
  () => [r([3, 4])],
  (x) => x.max(),
);
add(
  'min all',
  () => [r([3, 4])],
  (x) => x.min(),
);
add(
  'max all with a two-way tie',
  () => [
    v([
      [1, 5, -5],
      [5, 0, -2],
    ]),
  ],
  (x) => x.max(),
);
add(
  'min all with a two-way tie',
  () => [
    v([
      [1, 5, -5],
      [5, 0, -5],
    ]),
  ],
  (x) => x.min(),
);
add(
  'max dim 1',
  () => [r([3, 4])],
  (x) => x.max({ dim: 1 }).values,
);
add(
  'min dim 0 keepdim',
  () => [r([3, 4])],
  (x) => x.min({ dim: 0, keepdim: true }).values,
);
add(
  'max dim (values and indices)',
  () => [r([2, 3, 4])],
  (x) => {
    const { values, indices } = x.max({ dim: -1 });
    return [values, indices];
  },
);
add(
  'max dim of a non-contiguous input',
  () => [r([4, 3])],
  (x) => x.t().max({ dim: 1 }).values,
);

// linear algebra -----------------------------------------------------------------------------------------
const mmShapes: [string, number[], number[]][] = [
  ['1-D @ 1-D', [4], [4]],
  ['2-D @ 1-D', [3, 4], [4]],
  ['1-D @ 2-D', [3], [3, 4]],
  ['2-D @ 2-D', [2, 3], [3, 4]],
  ['3-D @ 3-D', [2, 3, 4], [2, 4, 2]],
  ['3-D @ 2-D', [2, 3, 4], [4, 2]],
  ['2-D @ 3-D', [3, 4], [2, 4, 2]],
  ['3-D @ 1-D', [2, 3, 4], [4]],
  ['1-D @ 3-D', [3], [2, 3, 4]],
  ['[2,1,3,4] @ [5,4,2]', [2, 1, 3, 4], [5, 4, 2]],
  ['[1,3,4] @ [2,4,2]', [1, 3, 4], [2, 4, 2]],
];
for (const [label, sa, sb] of mmShapes)
  add(
    `matmul ${label}`,
    () => [r(sa), r(sb)],
    (a, b) => nb.matmul(a, b),
  );
add(
  'matmul of transposed operands',
  () => [r([4, 3]), r([2, 4])],
  (a, b) => a.t().matmul(b.t()),
);
add(
  'matmul of a tensor with itself',
  () => [r([3, 3])],
  (a) => a.matmul(a),
);
add(
  'mm',
  () => [r([2, 3]), r([3, 4])],
  (a, b) => a.mm(b),
);
add(
  'bmm',
  () => [r([2, 3, 4]), r([2, 4, 2])],
  (a, b) => a.bmm(b),
);
add(
  'dot',
  () => [r([5]), r([5])],
  (a, b) => a.dot(b),
);
add(
  'outer',
  () => [r([3]), r([4])],
  (a, b) => a.outer(b),
);
for (const k of [0, 1, -2])
  add(
    `diag of 1-D, offset ${k}`,
    () => [r([3])],
    (x) => x.diag(k),
  );
for (const shape of [
  [3, 3],
  [3, 5],
  [5, 2],
]) {
  for (const k of [0, 1, -1])
    add(
      `diag of ${JSON.stringify(shape)}, offset ${k}`,
      () => [r(shape)],
      (x) => nb.diag(x, k),
    );
}
add(
  'diagflat',
  () => [r([2, 2])],
  (x) => x.diagflat(),
);
add(
  'diagflat offset -1',
  () => [r([3])],
  (x) => nb.diagflat(x, -1),
);

// indexing ---------------------------------------------------------------------------------------------------
add(
  'gather dim 1',
  () => [r([3, 4])],
  (x) =>
    x.gather(
      1,
      idx([
        [0, 3],
        [1, 1],
        [2, 0],
      ]),
    ),
);
add(
  'gather dim 0, index smaller in dim 1',
  () => [r([3, 4])],
  (x) =>
    x.gather(
      0,
      idx([
        [2, 0],
        [1, 2],
        [0, 0],
      ]),
    ),
);
add(
  'gather of 3-d',
  () => [r([2, 3, 2])],
  (x) =>
    x.gather(
      1,
      idx([
        [
          [0, 2],
          [1, 1],
        ],
        [
          [2, 2],
          [0, 1],
        ],
      ]),
    ),
);
add(
  'indexSelect dim 0 with repeats',
  () => [r([3, 4])],
  (x) => x.indexSelect(0, idx([2, 0, 2])),
);
add(
  'indexSelect dim 1',
  () => [r([2, 3, 2])],
  (x) => nb.indexSelect(x, 1, idx([1, 1, 0])),
);
add(
  'scatterAdd (input and src)',
  () => [r([3, 4]), r([2, 4])],
  (x, s) =>
    x.scatterAdd(
      0,
      idx([
        [0, 1, 2, 0],
        [0, 1, 0, 2],
      ]),
      s,
    ),
);
add(
  'scatterAdd, index smaller than input',
  () => [r([3, 5]), r([2, 2])],
  (x, s) =>
    nb.scatterAdd(
      x,
      1,
      idx([
        [0, 4],
        [2, 2],
      ]),
      s,
    ),
);
add(
  'scatterAdd, src larger than index',
  () => [r([2, 4]), r([3, 3])],
  (x, s) =>
    nb.scatterAdd(
      x,
      1,
      idx([
        [0, 3],
        [1, 1],
      ]),
      s,
    ),
);

// in-place ops on non-leaf tensors ------------------------------------------------------------------------------
add(
  'add_ on a non-leaf',
  () => [r([2, 3]), r([3])],
  (x, y) => {
    const a = x.mul(2);
    a.add_(y);
    return a;
  },
);
add(
  'sub_ with alpha on a non-leaf',
  () => [r([2, 3]), r([2, 3])],
  (x, y) => x.mul(2).sub_(y, 3),
);
add(
  'mul_ on a non-leaf',
  () => [r([2, 3]), r([2, 3])],
  (x, y) => x.mul(2).mul_(y),
);
add(
  'mul_ by itself (a clone)',
  () => [r([3])],
  (x) => {
    const a = x.add(1);
    return a.mul_(a.clone());
  },
);
add(
  'div_ on a non-leaf',
  () => [r([2, 3]), r([3], 'pos')],
  (x, y) => x.add(1).div_(y),
);
add(
  'clamp_ on a non-leaf',
  () => [v([-0.9, -0.3, 0.1, 0.45, 0.8])],
  (x) => x.mul(1).clamp_(-0.5, 0.5),
);
add(
  'addcmul_ on a non-leaf',
  () => [r([3]), r([3]), r([3])],
  (x, a, b) => x.cos().addcmul_(a, b, 0.5),
);
add(
  'addcdiv_ on a non-leaf',
  () => [r([3]), r([3]), r([3], 'pos')],
  (x, a, b) => x.sin().addcdiv_(a, b, -2),
);
add(
  'add_ into a fresh buffer',
  () => [r([3])],
  (x) => nb.zeros([3], { dtype: 'float64' }).add_(x),
);
add(
  'copy_ into a non-leaf',
  () => [r([3]), r([3])],
  (x, y) => x.mul(2).copy_(y).mul(x),
);
add(
  'chain of in-place ops then used',
  () => [r([3]), r([3])],
  (x, y) => {
    const a = x.sin();
    a.mul_(y).add_(1).div_(2);
    return a.mul(x);
  },
);

// composite: the exercise-1 layer ---------------------------------------------------------------------------------
add(
  'sigmoid(A y + b), two layers',
  () => [r([4, 4]), r([4, 1]), r([4, 1]), r([1, 4])],
  (A, b, y, C) => C.matmul(A.matmul(y).add(b).sigmoid()).sub(0.5).pow(2).mul(0.5).sum(),
);

describe('gradcheck (float64, central differences)', () => {
  it.each(cases)('$name', ({ name, inputs, fn }) => {
    reseed(name);
    const xs = inputs();
    const result = gradcheck(fn, xs);
    expect(result.ok).toBe(true);
    // The analytical side came from autograd: some floating output is in the graph.
    const outs = fn(...xs);
    expect((Array.isArray(outs) ? outs : [outs as Tensor]).some((o) => o.requiresGrad)).toBe(true);
  });

  it('has a case for every differentiable op family', () => {
    expect(cases.length).toBeGreaterThan(200);
  });

  it('fails on a wrong backward formula (the check can fail)', () => {
    reseed('wrong');
    const x = r([3]);
    // x · detach(x): autograd sees d/dx = x, central differences see 2x.
    const wrong = (t: Tensor) => t.mul(t.detach());
    expect(() => gradcheck(wrong, [x])).toThrow(/Jacobian mismatch/);
    expect(gradcheck(wrong, [x], { raiseException: false }).ok).toBe(false);
  });
});

/** ∂(Σ w ⊙ f(x))/∂x computed with createGraph, so it can be differentiated again. */
function gradOf(f: (x: Tensor) => Tensor, w: Tensor): (x: Tensor) => Tensor {
  return (x) =>
    enableGrad(() => {
      const saved = x.grad;
      x.grad = null;
      f(x).mul(w).sum().backward(null, { createGraph: true });
      const g = x.grad as Tensor | null;
      x.grad = saved;
      if (g === null) throw new Error('no gradient');
      return g;
    });
}

describe('second derivatives (gradcheck of a createGraph gradient)', () => {
  const w = (shape: number[]) => r(shape).detach();
  const second: [string, Kind, number[], (x: Tensor) => Tensor][] = [
    ['x³', 'any', [4], (x) => x.pow(3)],
    ['x·x·x', 'any', [4], (x) => x.mul(x).mul(x)],
    ['sigmoid', 'any', [4], (x) => x.sigmoid()],
    ['tanh', 'any', [4], (x) => x.tanh()],
    ['exp', 'any', [4], (x) => x.exp()],
    ['log', 'pos', [4], (x) => x.log()],
    ['sqrt', 'pos', [4], (x) => x.sqrt()],
    ['rsqrt', 'pos', [4], (x) => x.rsqrt()],
    ['reciprocal', 'pos', [4], (x) => x.reciprocal()],
    ['sin', 'any', [4], (x) => x.sin()],
    ['cos', 'any', [4], (x) => x.cos()],
    ['div by x', 'pos', [4], (x) => nb.div(1.5, x)],
    ['pow tensor exponent', 'pos', [4], (x) => x.pow(x)],
    ['softmax', 'any', [2, 3], (x) => x.softmax(1)],
    ['logSoftmax', 'any', [2, 3], (x) => x.logSoftmax(1)],
    ['logsumexp', 'any', [2, 3], (x) => x.logsumexp({ dim: 1 })],
    ['var', 'any', [2, 3], (x) => x.var({ dim: 1 })],
    ['std', 'any', [2, 3], (x) => x.std({ dim: 0 })],
    ['prod', 'pos', [2, 3], (x) => x.prod({ dim: 1 })],
    ['matmul x·xᵀ', 'any', [2, 3], (x) => x.matmul(x.t())],
    ['dot', 'any', [3], (x) => x.dot(x.exp())],
    ['mv', 'any', [3], (x) => x.outer(x).matmul(x)],
    ['max dim of x²', 'any', [2, 3], (x) => x.square().max({ dim: 1 }).values],
    [
      'gather of x²',
      'any',
      [2, 3],
      (x) =>
        x.square().gather(
          1,
          idx([
            [2, 0],
            [1, 1],
          ]),
        ),
    ],
    ['strided slice of x³', 'any', [6], (x) => x.pow(3).slice(0, 1, 6, 2)],
    ['diag of x²', 'any', [3, 3], (x) => x.square().diag(1)],
    // The gradient flowing into these ops depends on x, so their backward must be differentiable.
    ['diag(x)²', 'any', [3, 3], (x) => x.diag(1).square()],
    ['diag(x)² of 1-D', 'any', [3], (x) => x.diag(-1).square()],
    [
      'gather(x)²',
      'any',
      [2, 3],
      (x) =>
        x
          .gather(
            1,
            idx([
              [2, 0],
              [1, 1],
            ]),
          )
          .square(),
    ],
    ['indexSelect(x)²', 'any', [3, 2], (x) => x.indexSelect(0, idx([2, 0, 2])).square()],
    [
      'scatterAdd(x, src = x)²',
      'any',
      [2, 3],
      (x) =>
        x
          .scatterAdd(
            1,
            idx([
              [2, 0],
              [1, 1],
            ]),
            x.slice(1, 0, 2),
          )
          .square(),
    ],
    ['strided slice(x)²', 'any', [6], (x) => x.slice(0, 1, 6, 2).square()],
    ['select(x)²', 'any', [2, 3], (x) => x.select(1, 1).square()],
    ['cat([x, x])²', 'any', [2, 2], (x) => nb.cat([x, x.exp()], 1).square()],
    ['stack([x, x])²', 'any', [3], (x) => nb.stack([x, x.sin()], 1).square()],
    ['expand(x)²', 'any', [3, 1], (x) => x.expand(3, 2).square()],
    ['max(x, dim)²', 'any', [2, 3], (x) => x.max({ dim: 1 }).values.square()],
    ['max(x)²', 'any', [2, 3], (x) => x.max().square()],
    ['maximum(x, c)²', 'any', [4], (x) => x.maximum(0.1).square()],
    ['clamp(x)²', 'any', [4], (x) => x.clamp(-0.5, 0.5).square()],
    ['relu(x)²', 'away', [4], (x) => x.relu().square()],
    ['where(x)²', 'any', [4], (x) => nb.where(x.gt(0), x, x.mul(3)).square()],
    ['mean(x)²', 'any', [2, 3], (x) => x.mean({ dim: 0 }).square()],
    ['sum(x)²', 'any', [2, 3], (x) => x.sum({ dim: 1 }).square()],
    ['abs(x)²', 'away', [4], (x) => x.abs().mul(x)],
    ['in-place on a non-leaf', 'any', [3], (x) => x.sin().mul_(x).add_(x)],
  ];
  it.each(second)('%s', (name, kind, shape, f) => {
    reseed(name);
    const x = r(shape, kind);
    const result = gradcheck(gradOf(f, w(outShape(f, shape, kind))), [x]);
    expect(result.ok).toBe(true);
  });
});

/** The shape of f's output for an input of `shape` (to size the weights). */
function outShape(f: (x: Tensor) => Tensor, shape: number[], kind: Kind): number[] {
  return [...f(r(shape, kind).detach()).shape];
}
