/**
 * Per-op rules of receptive fields, in both directions:
 * - `backRule`: which input elements an output box depends on (exact index sets, clipped at the
 *   borders, holes kept), used to answer "which X[c, m, n] does y[k, i, j] depend on";
 * - `fieldRule`: how the receptive-field arithmetic (size, jump, start per spatial dim) carries
 *   through the op, used for the per-layer table and the unclipped ranges.
 */
import type { Conv2dParams, Pool2dParams } from '../backend/backend.js';
import type { OpEvent, OpName } from '../ops/trace.js';
import { normalizeDim, normalizeDims } from '../tensor/shape.js';
import type { Tensor } from '../tensor/tensor.js';
import { all, type Box, compact, type IndexSet, setOf, span, union, windowPreimage } from './index-set.js';

// ------------------------------------------------------------------------------------------
// Exact dependence: output box → input boxes

/** For each input of the op: the boxes of it that the output box depends on (null: none). */
export type BackRule = (event: OpEvent, output: number, box: Box) => (Box[] | null)[];

/** What a back rule found inexact or unknown (reported as warnings). */
export const backNotes = { inexact: new Set<string>() };

/** The box of an input broadcast to `outShape` that a box of the output reads. */
export function broadcastBack(outShape: readonly number[], inShape: readonly number[], box: Box): Box {
  const lead = outShape.length - inShape.length;
  return inShape.map((s, j) => (s === 1 && outShape[j + lead] !== 1 ? [0] : box[j + lead]));
}

const elementwise: BackRule = (e, output, box) => {
  const shape = e.outputs[output].shape;
  return e.inputs.map((t) => (t === null ? null : [broadcastBack(shape, t.shape, box)]));
};

/** Every element of every tensor input (ops whose dependence we don't model). */
export const everything: BackRule = (e) => e.inputs.map((t) => (t === null ? null : [t.shape.map((s) => all(s))]));

const reshapeLimit = 1 << 20;

/** The input boxes of a row-major reshape (view, reshape, flatten, squeeze, …). */
export function reshapeBack(inShape: readonly number[], outShape: readonly number[], box: Box, op = 'reshape'): Box[] {
  const inDims = inShape.map((s, i) => [s, i] as const).filter(([s]) => s !== 1);
  const outDims = outShape.map((s, i) => [s, i] as const).filter(([s]) => s !== 1);
  // Groups of consecutive dims with equal products: each group reshapes on its own.
  const groups: { ins: number[]; outs: number[] }[] = [];
  let i = 0;
  let j = 0;
  while (i < inDims.length || j < outDims.length) {
    const g = { ins: [] as number[], outs: [] as number[] };
    let pin = 1;
    let pout = 1;
    do {
      if ((pin <= pout && i < inDims.length) || j >= outDims.length) {
        pin *= inDims[i][0];
        g.ins.push(inDims[i++][1]);
      } else {
        pout *= outDims[j][0];
        g.outs.push(outDims[j++][1]);
      }
    } while (pin !== pout);
    groups.push(g);
  }
  // Per group, a list of partial boxes over its input dims.
  const parts: { dims: number[]; boxes: IndexSet[][] }[] = groups.map(({ ins, outs }) => {
    const outSets = outs.map((d) => box[d]);
    if (ins.length === 1 && outs.length === 1) return { dims: ins, boxes: [[outSets[0]]] };
    const full = outs.every((d) => box[d].length === outShape[d]);
    const count = outSets.reduce((n, s) => n * s.length, 1);
    if (full || count > reshapeLimit) {
      if (!full) backNotes.inexact.add(`${op}: a large partial region was widened to whole dims`);
      return { dims: ins, boxes: [ins.map((d) => all(inShape[d]))] };
    }
    // Enumerate the group's output positions, turn each into input indices, group by prefix.
    const byPrefix = new Map<string, { prefix: number[]; last: number[] }>();
    const sizesOut = outs.map((d) => outShape[d]);
    const sizesIn = ins.map((d) => inShape[d]);
    const pos = new Array<number>(outs.length).fill(0);
    const walk = (k: number, flat: number) => {
      if (k === outs.length) {
        let f = flat;
        const idx = new Array<number>(ins.length);
        for (let q = ins.length - 1; q >= 0; q--) {
          idx[q] = f % sizesIn[q];
          f = Math.floor(f / sizesIn[q]);
        }
        const key = idx.slice(0, -1).join(',');
        const entry = byPrefix.get(key) ?? { prefix: idx.slice(0, -1), last: [] };
        entry.last.push(idx[idx.length - 1]);
        byPrefix.set(key, entry);
        return;
      }
      for (const v of outSets[k]) {
        pos[k] = v;
        walk(k + 1, flat * sizesOut[k] + v);
      }
    };
    walk(0, 0);
    const boxes = compact([...byPrefix.values()].map(({ prefix, last }) => [...prefix.map((v) => [v]), setOf(last)]));
    return { dims: ins, boxes: boxes.map((b) => [...b]) };
  });
  // The product of the groups' boxes; size-1 input dims are {0}.
  let result: IndexSet[][] = [inShape.map(() => [0] as IndexSet)];
  for (const part of parts) {
    const next: IndexSet[][] = [];
    for (const r of result) {
      for (const b of part.boxes) {
        const c = [...r];
        part.dims.forEach((d, k) => {
          c[d] = b[k];
        });
        next.push(c);
      }
    }
    result = next;
  }
  return compact(result);
}

function reductionDims(e: OpEvent, x: Tensor): number[] {
  const dim = e.attrs.dim as number | readonly number[] | undefined;
  if (dim === undefined || (Array.isArray(dim) && dim.length === 0)) return x.shape.map((_, i) => i);
  return normalizeDims(e.op, dim, x.ndim);
}

const reduction: BackRule = (e, _output, box) => {
  const x = e.inputs[0] as Tensor;
  const dims = reductionDims(e, x);
  const keepdim = e.attrs.keepdim === true;
  let k = 0;
  const inBox = x.shape.map((s, d) => {
    if (dims.includes(d)) {
      if (keepdim) k++;
      return all(s);
    }
    return box[k++];
  });
  return [[inBox]];
};

const alongDim: BackRule = (e, _output, box) => {
  const x = e.inputs[0] as Tensor;
  const d = normalizeDim(e.op, e.attrs.dim as number, x.ndim);
  return [[box.map((s, k) => (k === d ? all(x.shape[d]) : s))]];
};

function poolBack(e: OpEvent, box: Box): (Box[] | null)[] {
  const p = e.attrs as unknown as Pool2dParams;
  const n = box.length;
  const h = windowPreimage(box[n - 2], p.inH, p.kernelH, p.strideH, p.padH, p.dilationH);
  const w = windowPreimage(box[n - 1], p.inW, p.kernelW, p.strideW, p.padW, p.dilationW);
  return [[[...box.slice(0, n - 2), h, w]]];
}

const explicitBackRules = {
  conv2d: (e, _output, box) => {
    const p = e.attrs as unknown as Conv2dParams;
    const x = e.inputs[0] as Tensor;
    const lead = x.ndim === 4 ? [box[0]] : [];
    const [ks, is, js] = box.slice(lead.length);
    const outPerGroup = p.outChannels / p.groups;
    const inPerGroup = p.inChannels / p.groups;
    const groups = setOf(ks.map((k) => Math.floor(k / outPerGroup)));
    const channels = groups.reduce<IndexSet>((s, g) => union(s, span(g * inPerGroup, (g + 1) * inPerGroup - 1)), []);
    const h = windowPreimage(is, p.inH, p.kernelH, p.strideH, p.padTop, p.dilationH);
    const w = windowPreimage(js, p.inW, p.kernelW, p.strideW, p.padLeft, p.dilationW);
    const weight = [ks, all(inPerGroup), all(p.kernelH), all(p.kernelW)];
    return [[[...lead, channels, h, w]], [weight], e.inputs[2] === null ? null : [[ks]]];
  },
  maxPool2d: (e, _output, box) => poolBack(e, box),
  avgPool2d: (e, _output, box) => poolBack(e, box),
  adaptiveAvgPool2d: (e, _output, box) => {
    const p = e.attrs as { inH: number; inW: number; outH: number; outW: number };
    const win = (outs: IndexSet, inSize: number, outSize: number) =>
      outs.reduce<IndexSet>((s, o) => union(s, span(Math.floor((o * inSize) / outSize), Math.ceil(((o + 1) * inSize) / outSize) - 1)), []);
    const n = box.length;
    return [[[...box.slice(0, n - 2), win(box[n - 2], p.inH, p.outH), win(box[n - 1], p.inW, p.outW)]]];
  },
  cat: (e, _output, box) => {
    const skipped = (t: Tensor) => t.ndim === 1 && t.shape[0] === 0;
    const ref = e.inputs.find((t) => t !== null && !skipped(t)) as Tensor | undefined;
    if (ref === undefined) return e.inputs.map(() => null);
    const d = normalizeDim('cat', e.attrs.dim as number, ref.ndim);
    let offset = 0;
    return e.inputs.map((t) => {
      if (t === null || skipped(t)) return null;
      const size = t.shape[d];
      const picked = box[d].filter((v) => v >= offset && v < offset + size).map((v) => v - offset);
      offset += size;
      return picked.length === 0 ? null : [box.map((s, k) => (k === d ? picked : s))];
    });
  },
  matmul: (e, _output, box) => {
    const a = e.inputs[0] as Tensor;
    const b = e.inputs[1] as Tensor;
    const out = e.outputs[0];
    if (a.ndim === 1 && b.ndim === 1) return [[[all(a.shape[0])]], [[all(b.shape[0])]]];
    // Batch dims of the output, then m (if a is ≥ 2-D), then n (if b is ≥ 2-D).
    const hasM = a.ndim >= 2;
    const hasN = b.ndim >= 2;
    const batchOut = out.ndim - (hasM ? 1 : 0) - (hasN ? 1 : 0);
    const batchBox = box.slice(0, batchOut);
    const batchShape = out.shape.slice(0, batchOut);
    const mSet = hasM ? box[batchOut] : null;
    const nSet = hasN ? box[batchOut + (hasM ? 1 : 0)] : null;
    const k = a.shape[a.ndim - 1];
    const aBox = hasM ? [...broadcastBack(batchShape, a.shape.slice(0, -2), batchBox), mSet as IndexSet, all(k)] : [all(k)];
    const bBox = hasN ? [...broadcastBack(batchShape, b.shape.slice(0, -2), batchBox), all(k), nSet as IndexSet] : [all(k)];
    return [[aBox], [bBox]];
  },
  sum: reduction,
  mean: reduction,
  prod: reduction,
  max: reduction,
  min: reduction,
  argmax: reduction,
  argmin: reduction,
  var: reduction,
  std: reduction,
  logsumexp: reduction,
  softmax: alongDim,
  logSoftmax: alongDim,
  batchNorm: (e, _output, box) => {
    const x = e.inputs[0] as Tensor;
    const xBox = e.attrs.training ? x.shape.map((s, d) => (d === 1 ? box[1] : all(s))) : box;
    return e.inputs.map((t, i) => (t === null ? null : i === 0 ? [xBox] : [[box[1]]]));
  },
  permute: (e, _output, box) => {
    const p = e.attrs.dims as number[];
    const inBox: IndexSet[] = new Array(p.length);
    p.forEach((d, i) => {
      inBox[d] = box[i];
    });
    return [[inBox]];
  },
  transpose: (e, _output, box) => {
    const [a, b] = e.attrs.dims as [number, number];
    const inBox = [...box];
    [inBox[a], inBox[b]] = [box[b], box[a]];
    return [[inBox]];
  },
  t: (_e, _output, box) => [[box.length === 2 ? [box[1], box[0]] : box]],
  slice: (e, _output, box) => {
    const d = e.attrs.dim as number;
    const start = e.attrs.start as number;
    const step = e.attrs.step as number;
    return [[box.map((s, k) => (k === d ? s.map((v) => start + v * step) : s))]];
  },
  select: (e, _output, box) => {
    const d = e.attrs.dim as number;
    const inBox = [...box];
    inBox.splice(d, 0, [e.attrs.index as number]);
    return [[inBox]];
  },
  gather: (e, _output, box) => {
    const x = e.inputs[0] as Tensor;
    const d = normalizeDim('gather', e.attrs.dim as number, x.ndim);
    return [[box.map((s, k) => (k === d ? all(x.shape[d]) : s))], [box]];
  },
  scatterAdd: (e, _output, box) => {
    const x = e.inputs[0] as Tensor;
    const d = normalizeDim('scatterAdd', e.attrs.dim as number, x.ndim);
    const part = (t: Tensor): Box[] | null => {
      const b = t.shape.map((s, k) => (k === d ? all(s) : box[k].filter((v) => v < s)));
      return b.some((s) => s.length === 0) ? null : [b];
    };
    return [[box], part(e.inputs[1] as Tensor), part(e.inputs[2] as Tensor)];
  },
  indexSelect: (e, _output, box) => {
    const x = e.inputs[0] as Tensor;
    const index = e.inputs[1] as Tensor;
    const d = normalizeDim('indexSelect', e.attrs.dim as number, x.ndim);
    const values = index.ndim === 0 ? [index.item() as number] : (index.data as ArrayLike<number>);
    const picked = setOf(box[d].map((j) => values[j]));
    return [[box.map((s, k) => (k === d ? picked : s))], index.ndim === 0 ? [[]] : [[box[d]]]];
  },
  oneHot: (_e, _output, box) => [[box.slice(0, -1)]],
  copy_: (e, _output, box) => [null, [broadcastBack(e.outputs[0].shape, (e.inputs[1] as Tensor).shape, box)]],
  fill_: () => [null],
  zero_: () => [null],
  diag: everything,
} satisfies Partial<Record<OpName, BackRule>>;

/** `rule(op)` for each op of `ops`, keyed by their names (so a table's type lists them). */
function byOp<K extends OpName, R>(ops: readonly K[], rule: (op: K) => R): Record<K, R> {
  return Object.fromEntries(ops.map((op) => [op, rule(op)])) as Record<K, R>;
}

const RESHAPES = ['view', 'reshape', 'flatten', 'unflatten', 'squeeze', 'unsqueeze'] as const;
/** Ops whose output element depends on the input elements at the same (broadcast) index. */
const ELEMENTWISE = [
  ...['to', 'clone', 'detach', 'expand', 'where', 'dropout', 'gelu', 'leakyRelu', 'clamp', 'relu', 'sigmoid', 'tanh'],
  ...['exp', 'log', 'log1p', 'expm1', 'sqrt', 'rsqrt', 'reciprocal', 'sin', 'cos', 'neg', 'abs', 'sign', 'square', 'logicalNot'],
  ...['add', 'sub', 'mul', 'div', 'pow', 'maximum', 'minimum', 'eq', 'ne', 'lt', 'le', 'gt', 'ge', 'logicalAnd', 'logicalOr'],
  ...['add_', 'sub_', 'mul_', 'div_', 'clamp_', 'addcmul_', 'addcdiv_'],
] as const;

/** A dependence rule for every op nabla traces: an op without one is a compile error. */
const backRules: Record<OpName, BackRule> = {
  ...explicitBackRules,
  ...byOp(
    RESHAPES,
    (op): BackRule =>
      (e, _output, box) => [reshapeBack((e.inputs[0] as Tensor).shape, e.outputs[0].shape, box, op)],
  ),
  ...byOp(ELEMENTWISE, () => elementwise),
};

/** The dependence rule of `op`, or undefined. */
export function backRule(op: string): BackRule | undefined {
  return (backRules as Record<string, BackRule>)[op];
}

// ------------------------------------------------------------------------------------------
// Receptive-field arithmetic: size, jump and start per spatial dim

/**
 * The fields of a tensor's elements along the input's spatial dims: output index i of a spatial
 * dim sees input indices start + i·jump … start + i·jump + size − 1 (before clipping).
 */
export interface Field {
  size: number[];
  jump: number[];
  start: number[];
}

/**
 * How a tensor's elements relate to the input's spatial dims: sliding fields (one per distinct
 * alignment of the branches merged into it), `'global'` (each element may depend on the whole
 * input: after a flatten, a matmul, a spatial reduction), or `'none'` (independent of the input).
 * A tensor with fields has the input's spatial dims as its trailing dims.
 */
export type Geometry = { fields: Field[] } | 'global' | 'none';

export type FieldRule = (event: OpEvent, inputs: Geometry[], spatial: number) => Geometry;

const sameField = (a: Field, b: Field) => a.size.every((v, d) => v === b.size[d] && a.jump[d] === b.jump[d] && a.start[d] === b.start[d]);

/** The union of geometries: 'global' wins, 'none' is neutral, fields are merged. */
export function mergeGeometry(gs: readonly Geometry[]): Geometry {
  let fields: Field[] | null = null;
  for (const g of gs) {
    if (g === 'global') return 'global';
    if (g === 'none') continue;
    fields ??= [];
    for (const f of g.fields) if (!fields.some((h) => sameField(h, f))) fields.push(f);
  }
  return fields === null ? 'none' : { fields };
}

/** Maps every field (a no-op for 'global' and 'none'). */
function mapFields(g: Geometry, f: (field: Field) => Field | null): Geometry {
  if (g === 'global' || g === 'none') return g;
  const out: Field[] = [];
  for (const field of g.fields) {
    const m = f(field);
    if (m === null) return 'global';
    out.push(m);
  }
  return { fields: out };
}

/** The geometry after sliding windows along the last two dims. */
function windowed(g: Geometry, spatial: number, win: { k: number[]; s: number[]; pad: number[]; d: number[] }): Geometry {
  if (spatial !== 2) return g === 'none' ? 'none' : 'global';
  return mapFields(g, (f) => ({
    size: f.size.map((v, i) => v + win.d[i] * (win.k[i] - 1) * f.jump[i]),
    jump: f.jump.map((v, i) => v * win.s[i]),
    start: f.start.map((v, i) => v - win.pad[i] * f.jump[i]),
  }));
}

/** Geometry of ops whose output keeps the trailing spatial dims iff `keeps` says so. */
const keepsSpatial =
  (keeps: (e: OpEvent, spatial: number) => boolean): FieldRule =>
  (e, inputs, spatial) => {
    const g = mergeGeometry(inputs);
    if (g === 'none' || g === 'global') return g;
    return keeps(e, spatial) ? g : 'global';
  };

const trailingEqual = (a: readonly number[], b: readonly number[], n: number) =>
  a.length >= n && b.length >= n && a.slice(a.length - n).every((v, i) => v === b[b.length - n + i]);

/** Dims of a tensor of `ndim` dims that are spatial. */
const isSpatial = (d: number, ndim: number, spatial: number) => d >= ndim - spatial;

const elementwiseField: FieldRule = (e, inputs, spatial) => {
  const out = e.outputs[0];
  // An input broadcast along a spatial dim has lost its spatial structure.
  const gs = inputs.map((g, i) => {
    const t = e.inputs[i];
    if (g === 'none' || t === null) return 'none';
    return trailingEqual(t.shape, out.shape, spatial) ? g : 'global';
  });
  return mergeGeometry(gs);
};

const reductionField: FieldRule = (e, inputs, spatial) => {
  const x = e.inputs[0] as Tensor;
  const dims = reductionDims(e, x);
  return keepsSpatial(() => !dims.some((d) => isSpatial(d, x.ndim, spatial)))(e, inputs, spatial);
};

const explicitFieldRules = {
  conv2d: (e, inputs, spatial) => {
    const p = e.attrs as unknown as Conv2dParams;
    // Weights derived from the input would make every output depend on all of it.
    if (inputs[1] !== 'none' || inputs[2] !== 'none') return mergeGeometry(inputs) === 'none' ? 'none' : 'global';
    return windowed(inputs[0], spatial, {
      k: [p.kernelH, p.kernelW],
      s: [p.strideH, p.strideW],
      pad: [p.padTop, p.padLeft],
      d: [p.dilationH, p.dilationW],
    });
  },
  maxPool2d: (e, inputs, spatial) => {
    const p = e.attrs as unknown as Pool2dParams;
    return windowed(inputs[0], spatial, {
      k: [p.kernelH, p.kernelW],
      s: [p.strideH, p.strideW],
      pad: [p.padH, p.padW],
      d: [p.dilationH, p.dilationW],
    });
  },
  adaptiveAvgPool2d: (e, inputs, spatial) => {
    const p = e.attrs as { inH: number; inW: number; outH: number; outW: number };
    // Equal windows when the sizes divide: an ordinary pooling with kernel = stride = in / out.
    if (p.inH % p.outH !== 0 || p.inW % p.outW !== 0) return inputs[0] === 'none' ? 'none' : 'global';
    const k = [p.inH / p.outH, p.inW / p.outW];
    return windowed(inputs[0], spatial, { k, s: k, pad: [0, 0], d: [1, 1] });
  },
  cat: (e, inputs, spatial) => {
    const ref = e.outputs[0];
    const d = normalizeDim('cat', e.attrs.dim as number, ref.ndim);
    return keepsSpatial(() => !isSpatial(d, ref.ndim, spatial))(e, inputs, spatial);
  },
  matmul: (_e, inputs) => (mergeGeometry(inputs) === 'none' ? 'none' : 'global'),
  sum: reductionField,
  mean: reductionField,
  prod: reductionField,
  max: reductionField,
  min: reductionField,
  argmax: reductionField,
  argmin: reductionField,
  var: reductionField,
  std: reductionField,
  logsumexp: reductionField,
  softmax: (e, inputs, spatial) => {
    const x = e.inputs[0] as Tensor;
    const d = normalizeDim(e.op, e.attrs.dim as number, x.ndim);
    return keepsSpatial(() => !isSpatial(d, x.ndim, spatial))(e, inputs, spatial);
  },
  batchNorm: (e, inputs, spatial) =>
    e.attrs.training ? (mergeGeometry(inputs) === 'none' ? 'none' : 'global') : elementwiseField(e, inputs, spatial),
  permute: (e, inputs, spatial) => {
    const p = e.attrs.dims as number[];
    return keepsSpatial(() => p.every((d, i) => !isSpatial(i, p.length, spatial) || d === i))(e, inputs, spatial);
  },
  transpose: (e, inputs, spatial) => {
    const [a, b] = e.attrs.dims as [number, number];
    const n = e.outputs[0].ndim;
    return keepsSpatial(() => a === b || (!isSpatial(a, n, spatial) && !isSpatial(b, n, spatial)))(e, inputs, spatial);
  },
  t: (e, inputs, spatial) => keepsSpatial(() => e.outputs[0].ndim < 2 || spatial === 0)(e, inputs, spatial),
  slice: (e, inputs, spatial) => {
    const x = e.inputs[0] as Tensor;
    const d = e.attrs.dim as number;
    if (!isSpatial(d, x.ndim, spatial)) return inputs[0];
    const k = d - (x.ndim - spatial);
    const start = e.attrs.start as number;
    const step = e.attrs.step as number;
    return mapFields(inputs[0], (f) => ({
      size: f.size,
      jump: f.jump.map((v, i) => (i === k ? v * step : v)),
      start: f.start.map((v, i) => (i === k ? v + start * f.jump[i] : v)),
    }));
  },
  select: (e, inputs, spatial) => {
    const x = e.inputs[0] as Tensor;
    return keepsSpatial(() => !isSpatial(e.attrs.dim as number, x.ndim, spatial))(e, inputs, spatial);
  },
  gather: (e, inputs, spatial) => {
    const x = e.inputs[0] as Tensor;
    const d = normalizeDim(e.op, e.attrs.dim as number, x.ndim);
    return keepsSpatial(() => !isSpatial(d, x.ndim, spatial) && trailingEqual(x.shape, e.outputs[0].shape, spatial))(e, inputs, spatial);
  },
  indexSelect: (e, inputs, spatial) => {
    const x = e.inputs[0] as Tensor;
    const d = normalizeDim(e.op, e.attrs.dim as number, x.ndim);
    return keepsSpatial(() => !isSpatial(d, x.ndim, spatial))(e, [inputs[0]], spatial);
  },
  scatterAdd: (e, inputs, spatial) => {
    const x = e.inputs[0] as Tensor;
    const d = normalizeDim(e.op, e.attrs.dim as number, x.ndim);
    return keepsSpatial(() => !isSpatial(d, x.ndim, spatial))(e, inputs, spatial);
  },
  oneHot: (_e, inputs) => (mergeGeometry(inputs) === 'none' ? 'none' : 'global'),
  diag: (_e, inputs) => (mergeGeometry(inputs) === 'none' ? 'none' : 'global'),
  copy_: (e, inputs, spatial) => elementwiseField(e, [inputs[1]], spatial),
  fill_: () => 'none',
  zero_: () => 'none',
} satisfies Partial<Record<OpName, FieldRule>>;

const reshapeField: FieldRule = (e, inputs, spatial) =>
  keepsSpatial(() => trailingEqual((e.inputs[0] as Tensor).shape, e.outputs[0].shape, spatial))(e, inputs, spatial);

/** A field rule for every op nabla traces: an op without one is a compile error. */
const fieldRules: Record<OpName, FieldRule> = {
  // Elementwise ops keep the fields, unless a rule below says otherwise.
  ...byOp(ELEMENTWISE, () => elementwiseField),
  ...explicitFieldRules,
  avgPool2d: explicitFieldRules.maxPool2d,
  logSoftmax: explicitFieldRules.softmax,
  ...byOp(RESHAPES, () => reshapeField),
  expand: reshapeField,
};

/** The field rule of `op`, or undefined. */
export function fieldRule(op: string): FieldRule | undefined {
  return (fieldRules as Record<string, FieldRule>)[op];
}

// ------------------------------------------------------------------------------------------
// Unclipped ranges along one dependence path: output intervals → input intervals

/** Unclipped index intervals, one per spatial dim, or 'global' (no fixed field). */
export type Span = [number, number][] | 'global';

/** The hull of two spans ('global' wins). */
export function mergeSpan(a: Span | undefined, b: Span): Span {
  if (a === undefined) return b;
  if (a === 'global' || b === 'global') return 'global';
  return a.map(([lo, hi], k) => [Math.min(lo, b[k][0]), Math.max(hi, b[k][1])]);
}

/** Windows of size k (dilation d) every s, starting `pad` before 0: output [lo, hi] reads [lo·s − pad, hi·s − pad + d·(k − 1)]. */
const windowSpan = (span: [number, number][], k: number[], s: number[], pad: number[], d: number[]): Span =>
  span.map(([lo, hi], i) => [lo * s[i] - pad[i], hi * s[i] - pad[i] + d[i] * (k[i] - 1)]);

/**
 * The unclipped input intervals that output intervals `span` of the op read, without clipping
 * at any border: the receptive-field arithmetic along this path. `outGeometry` is the op
 * output's geometry ('global' there makes the span global).
 */
export function spanBack(e: OpEvent, outGeometry: Geometry, span: Span, spatial: number): Span {
  if (span === 'global' || outGeometry === 'global') return 'global';
  switch (e.op) {
    case 'conv2d': {
      const p = e.attrs as unknown as Conv2dParams;
      return windowSpan(span, [p.kernelH, p.kernelW], [p.strideH, p.strideW], [p.padTop, p.padLeft], [p.dilationH, p.dilationW]);
    }
    case 'maxPool2d':
    case 'avgPool2d': {
      const p = e.attrs as unknown as Pool2dParams;
      return windowSpan(span, [p.kernelH, p.kernelW], [p.strideH, p.strideW], [p.padH, p.padW], [p.dilationH, p.dilationW]);
    }
    case 'adaptiveAvgPool2d': {
      const p = e.attrs as { inH: number; inW: number; outH: number; outW: number };
      const k = [p.inH / p.outH, p.inW / p.outW];
      return windowSpan(span, k, k, [0, 0], [1, 1]);
    }
    case 'slice': {
      const x = e.inputs[0] as Tensor;
      const d = e.attrs.dim as number;
      if (!isSpatial(d, x.ndim, spatial)) return span;
      const k = d - (x.ndim - spatial);
      const start = e.attrs.start as number;
      const step = e.attrs.step as number;
      return span.map(([lo, hi], i) => (i === k ? [start + lo * step, start + hi * step] : [lo, hi]));
    }
    default:
      // Every other op either keeps the spatial dims as they are or makes the geometry global.
      return span;
  }
}
