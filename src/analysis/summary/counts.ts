/**
 * Operation counts per op: the counting rules and the conventions they follow. Every op the op
 * trace reports needs a rule here (data movement has an explicit zero rule); an op without one is
 * reported by name, never counted as zero silently.
 */
import type { Conv2dParams, Pool2dParams } from '../../backend/backend.js';
import type { OpEvent, OpName } from '../../ops/trace.js';
import { normalizeDim, normalizeDims, numelOf } from '../../tensor/shape.js';
import type { Tensor } from '../../tensor/tensor.js';

/** Operation counts of one op, a layer or a model. */
export interface OpCounts {
  /** Multiplications (those of dot products included). */
  mul: number;
  /** Additions and subtractions. */
  add: number;
  /** Divisions. */
  div: number;
  /** Activation-function evaluations (ReLU, sigmoid, tanh, GELU, leaky ReLU): one per output element. */
  act: number;
  /** Comparisons (max pooling, max/min reductions, comparison ops, clamping). */
  cmp: number;
  /** Other elementwise function evaluations (exp, log, sqrt, sin, abs, a non-square power, …). */
  fn: number;
  /** Multiply-accumulates of dot products (convolutions and matrix products); not added to FLOPs twice. */
  macs: number;
}

export const COUNT_KEYS = ['mul', 'add', 'div', 'act', 'cmp', 'fn', 'macs'] as const;

/** How operations are counted. The defaults are docs/exercises.md exercise 5's. */
export interface CountConventions {
  /**
   * Additions of a dot product of n products: `'exact'` n − 1, `'per-mac'` n (each multiply paired
   * with an add into a zero accumulator). A bias adds one more in both, so with a bias the
   * exercise's k·k·C_in multiplications and k·k·C_in additions are `'exact'`.
   */
  dotAdditions: 'exact' | 'per-mac';
  /**
   * Pooling: `'exact'` counts the window elements inside the input (padding is neither compared
   * nor added), so a max over m elements is m − 1 comparisons; `'window'` charges k·k − 1 per
   * output, padding or not.
   */
  pooling: 'exact' | 'window';
  /** ReLU: one activation evaluation per element (default), or one comparison with 0. */
  relu: 'activation' | 'comparison';
  /**
   * FLOPs are only reported when asked: `'mul+add'` = multiplications + additions + divisions,
   * `'all'` = every counted operation (activations, comparisons and functions as 1 each),
   * `'2*macs'` = twice the multiply-accumulates (the usual "FLOPs" of papers, convs and matmuls only).
   */
  flops: 'none' | 'mul+add' | 'all' | '2*macs';
}

export const defaultConventions: CountConventions = { dotAdditions: 'exact', pooling: 'exact', relu: 'activation', flops: 'none' };

/** One sentence per convention, printed under summary tables. */
export function describeConventions(c: CountConventions): string[] {
  const lines = [
    c.dotAdditions === 'exact'
      ? 'dot product of n terms: n multiplications, n − 1 additions (+1 for a bias: a k·k·C_in conv output with bias = k·k·C_in mul + k·k·C_in add)'
      : 'dot product of n terms: n multiplications, n additions (one per multiply-accumulate; +1 for a bias)',
    'MACs: multiply-accumulates of convolutions and matrix products (= their multiplications)',
    `activations: one evaluation per output element of ReLU${c.relu === 'comparison' ? ' (counted as a comparison here)' : ''}, sigmoid, tanh, GELU, leaky ReLU`,
    c.pooling === 'exact'
      ? 'pooling: a window of m elements inside the input costs m − 1 comparisons (max) or m − 1 additions + 1 division (average); padding is not counted'
      : 'pooling: every window costs k·k − 1 comparisons (max) or k·k − 1 additions + 1 division (average), padding included',
  ];
  if (c.flops !== 'none') {
    const how = {
      'mul+add': 'FLOPs = multiplications + additions + divisions',
      all: 'FLOPs = every counted operation (mul + add + div + act + cmp + fn)',
      '2*macs': 'FLOPs = 2 × MACs (convolutions and matrix products only)',
    }[c.flops];
    lines.push(how);
  }
  return lines;
}

/** FLOPs of `counts` under convention `c` (0 when FLOPs are not asked for). */
export function flopsOf(counts: OpCounts, c: CountConventions): number {
  switch (c.flops) {
    case 'mul+add':
      return counts.mul + counts.add + counts.div;
    case 'all':
      return counts.mul + counts.add + counts.div + counts.act + counts.cmp + counts.fn;
    case '2*macs':
      return 2 * counts.macs;
    default:
      return 0;
  }
}

export function zeroCounts(): OpCounts {
  return { mul: 0, add: 0, div: 0, act: 0, cmp: 0, fn: 0, macs: 0 };
}

export function addCounts(into: OpCounts, c: Partial<OpCounts>): OpCounts {
  for (const k of COUNT_KEYS) into[k] += c[k] ?? 0;
  return into;
}

/** Counts one op's operations under the conventions. */
export type CountRule = (event: OpEvent, conventions: CountConventions) => Partial<OpCounts>;

const out0 = (e: OpEvent): Tensor => e.outputs[0];
const numelOut = (e: OpEvent): number => out0(e).numel;
const input = (e: OpEvent, i = 0): Tensor => e.inputs[i] as Tensor;

const zero: CountRule = () => ({});
const each =
  (key: keyof OpCounts): CountRule =>
  (e) => ({ [key]: numelOut(e) });

/** Additions of `dots` dot products of length n. */
const dotAdds = (dots: number, n: number, c: CountConventions): number => dots * (c.dotAdditions === 'exact' ? Math.max(0, n - 1) : n);

/** Σ over outputs of the number of window elements inside the input, along one dim. */
function windowSum(
  inSize: number,
  outSize: number,
  k: number,
  stride: number,
  pad: number,
  dilation: number,
): { sum: number; nonEmpty: number } {
  let sum = 0;
  let nonEmpty = 0;
  for (let o = 0; o < outSize; o++) {
    let m = 0;
    for (let t = 0; t < k; t++) {
      const i = o * stride - pad + t * dilation;
      if (i >= 0 && i < inSize) m++;
    }
    sum += m;
    if (m > 0) nonEmpty++;
  }
  return { sum, nonEmpty };
}

/** Σ over outputs of (elements in the window − 1): comparisons of a max, additions of a sum. */
function poolReductions(p: Pool2dParams, c: CountConventions): number {
  if (c.pooling === 'window') return p.planes * p.outH * p.outW * (p.kernelH * p.kernelW - 1);
  const h = windowSum(p.inH, p.outH, p.kernelH, p.strideH, p.padH, p.dilationH);
  const w = windowSum(p.inW, p.outW, p.kernelW, p.strideW, p.padW, p.dilationW);
  return p.planes * (h.sum * w.sum - h.nonEmpty * w.nonEmpty);
}

/** Size of the reduced part of a reduction op: [outputs, elements per output]. */
function reduced(e: OpEvent): [number, number] {
  const x = input(e);
  const dim = e.attrs.dim as number | readonly number[] | undefined;
  const all = dim === undefined || (Array.isArray(dim) && dim.length === 0);
  const dims = all ? x.shape.map((_, i) => i) : normalizeDims(e.op, dim, x.ndim);
  const n = numelOf(dims.map((d) => x.shape[d]));
  return [n === 0 ? 0 : x.numel / n, n];
}

/** Rows and row length of a softmax-like op along attrs.dim. */
function rows(e: OpEvent): [number, number] {
  const x = input(e);
  if (x.ndim === 0) return [1, 1];
  const n = x.shape[normalizeDim(e.op, e.attrs.dim as number, x.ndim)];
  return [n === 0 ? 0 : x.numel / n, n];
}

const alphaMul = (e: OpEvent): number => ((e.attrs.alpha ?? 1) === 1 ? 0 : numelOut(e));
const valueMul = (e: OpEvent): number => ((e.attrs.value ?? 1) === 1 ? 0 : numelOut(e));

/** The same rule for each op of `ops`, keyed by their names (so the table's type lists them). */
function sameRule<K extends OpName>(ops: readonly K[], rule: CountRule): Record<K, CountRule> {
  return Object.fromEntries(ops.map((op) => [op, rule])) as Record<K, CountRule>;
}

/** A rule for every op nabla traces: an op without one here is a compile error. */
const builtIn: Record<OpName, CountRule> = {
  // Convolution and matrix products: dot products.
  conv2d: (e, c) => {
    const p = e.attrs as unknown as Conv2dParams;
    const dots = p.batch * p.outChannels * p.outH * p.outW;
    const n = (p.inChannels / p.groups) * p.kernelH * p.kernelW;
    const bias = e.inputs[2] !== null ? dots : 0;
    return { mul: dots * n, macs: dots * n, add: dotAdds(dots, n, c) + bias };
  },
  matmul: (e, c) => {
    const a = input(e, 0);
    const n = a.shape[a.ndim - 1];
    const dots = numelOut(e);
    return { mul: dots * n, macs: dots * n, add: dotAdds(dots, n, c) };
  },
  // Pooling.
  maxPool2d: (e, c) => ({ cmp: poolReductions(e.attrs as unknown as Pool2dParams, c) }),
  avgPool2d: (e, c) => ({ add: poolReductions(e.attrs as unknown as Pool2dParams, c), div: numelOut(e) }),
  adaptiveAvgPool2d: (e) => {
    const p = e.attrs as { planes: number; inH: number; inW: number; outH: number; outW: number };
    const sizes = (inSize: number, outSize: number) => {
      let s = 0;
      for (let i = 0; i < outSize; i++) s += Math.ceil(((i + 1) * inSize) / outSize) - Math.floor((i * inSize) / outSize);
      return s;
    };
    return { add: p.planes * (sizes(p.inH, p.outH) * sizes(p.inW, p.outW) - p.outH * p.outW), div: numelOut(e) };
  },
  // Activation functions.
  relu: (e, c) => ({ [c.relu === 'comparison' ? 'cmp' : 'act']: numelOut(e) }),
  sigmoid: each('act'),
  tanh: each('act'),
  gelu: each('act'),
  leakyRelu: each('act'),
  // Elementwise arithmetic.
  add: (e) => ({ add: numelOut(e), mul: alphaMul(e) }),
  sub: (e) => ({ add: numelOut(e), mul: alphaMul(e) }),
  mul: each('mul'),
  div: each('div'),
  pow: (e) => (e.attrs.exponent === 2 ? { mul: numelOut(e) } : e.attrs.exponent === 1 || e.attrs.exponent === 0 ? {} : { fn: numelOut(e) }),
  square: each('mul'),
  reciprocal: each('div'),
  exp: each('fn'),
  log: each('fn'),
  log1p: each('fn'),
  expm1: each('fn'),
  sqrt: each('fn'),
  rsqrt: each('fn'),
  sin: each('fn'),
  cos: each('fn'),
  neg: each('fn'),
  abs: each('fn'),
  sign: each('fn'),
  maximum: each('cmp'),
  minimum: each('cmp'),
  eq: each('cmp'),
  ne: each('cmp'),
  lt: each('cmp'),
  le: each('cmp'),
  gt: each('cmp'),
  ge: each('cmp'),
  logicalAnd: each('cmp'),
  logicalOr: each('cmp'),
  logicalNot: each('cmp'),
  clamp: (e) => ({ cmp: numelOut(e) * ((e.attrs.min !== null ? 1 : 0) + (e.attrs.max !== null ? 1 : 0)) }),
  where: zero,
  // In place: the same arithmetic as the out-of-place op.
  add_: (e) => ({ add: numelOut(e), mul: alphaMul(e) }),
  sub_: (e) => ({ add: numelOut(e), mul: alphaMul(e) }),
  mul_: each('mul'),
  div_: each('div'),
  clamp_: (e) => ({ cmp: numelOut(e) * ((e.attrs.min !== null ? 1 : 0) + (e.attrs.max !== null ? 1 : 0)) }),
  addcmul_: (e) => ({ mul: numelOut(e) + valueMul(e), add: numelOut(e) }),
  addcdiv_: (e) => ({ div: numelOut(e), mul: valueMul(e), add: numelOut(e) }),
  // Reductions: n elements per output.
  sum: (e) => {
    const [outs, n] = reduced(e);
    return { add: outs * Math.max(0, n - 1) };
  },
  mean: (e) => {
    const [outs, n] = reduced(e);
    return { add: outs * Math.max(0, n - 1), div: outs };
  },
  prod: (e) => {
    const [outs, n] = reduced(e);
    return { mul: outs * Math.max(0, n - 1) };
  },
  ...sameRule(['max', 'min', 'argmax', 'argmin'], (e) => {
    const [outs, n] = reduced(e);
    return { cmp: outs * Math.max(0, n - 1) };
  }),
  // var: mean (n − 1 adds, 1 div), n subtractions, n squares, n − 1 adds, 1 div; std adds a sqrt.
  var: (e) => {
    const [outs, n] = reduced(e);
    return { add: outs * (3 * n - 2), mul: outs * n, div: outs * 2 };
  },
  std: (e) => {
    const [outs, n] = reduced(e);
    return { add: outs * (3 * n - 2), mul: outs * n, div: outs * 2, fn: outs };
  },
  // logsumexp: max (n − 1 cmp), n subtractions, n exps, n − 1 adds, 1 log, 1 add.
  logsumexp: (e) => {
    const [outs, n] = reduced(e);
    return { cmp: outs * (n - 1), add: outs * 2 * n, fn: outs * (n + 1) };
  },
  // softmax per row of n: max (n − 1 cmp), n subtractions, n exps, n − 1 adds, n divisions.
  softmax: (e) => {
    const [r, n] = rows(e);
    return { cmp: r * Math.max(0, n - 1), add: r * (2 * n - 1), fn: r * n, div: r * n };
  },
  // logSoftmax per row: max, n subtractions, n exps, n − 1 adds, 1 log, n subtractions.
  logSoftmax: (e) => {
    const [r, n] = rows(e);
    return { cmp: r * Math.max(0, n - 1), add: r * (3 * n - 1), fn: r * (n + 1) };
  },
  // batchNorm per element: − mean, × 1/σ, (× weight), (+ bias); per channel 1/√(var + eps);
  // in training also the channel mean (M − 1 adds, 1 div) and variance (M subs, M squares, M − 1 adds, 1 div).
  batchNorm: (e) => {
    const x = input(e);
    const total = x.numel;
    const channels = x.shape[1] ?? 1;
    const m = total / channels;
    const w = e.inputs[3] !== null ? total : 0;
    const b = e.inputs[4] !== null ? total : 0;
    const counts = { add: total + b + channels, mul: total + w, div: channels, fn: channels };
    if (e.attrs.training) {
      counts.add += channels * (m - 1 + m + m - 1);
      counts.mul += channels * m;
      counts.div += channels * 2;
    }
    return counts;
  },
  dropout: (e) => {
    const p = e.attrs.p as number;
    if (!e.attrs.training || p === 0) return {};
    return p === 1 ? { mul: numelOut(e) } : { mul: numelOut(e), div: numelOut(e) };
  },
  scatterAdd: (e) => ({ add: input(e, 1).numel }),
  // Data movement: no arithmetic.
  ...sameRule(
    [
      'to',
      'clone',
      'detach',
      'cat',
      'view',
      'reshape',
      'flatten',
      'unflatten',
      'expand',
      'squeeze',
      'unsqueeze',
      'permute',
      'transpose',
      't',
      'slice',
      'select',
      'gather',
      'indexSelect',
      'oneHot',
      'diag',
      'copy_',
      'fill_',
      'zero_',
    ],
    zero,
  ),
};

const rules = new Map<string, CountRule>(Object.entries(builtIn));

/** The counting rule of `op`, or undefined when there is none. */
export function countRule(op: string): CountRule | undefined {
  return rules.get(op);
}

/**
 * Adds or replaces the counting rule of an op (for ops you trace yourself with `traced`, or to
 * count an existing op differently). Returns a function that restores the previous rule.
 */
export function registerCountRule(op: string, rule: CountRule): () => void {
  const previous = rules.get(op);
  rules.set(op, rule);
  return () => {
    if (previous === undefined) rules.delete(op);
    else rules.set(op, previous);
  };
}
