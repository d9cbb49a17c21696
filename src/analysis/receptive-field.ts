/**
 * `receptiveField(model, input)`: per layer, the receptive-field arithmetic (size, jump, start,
 * padding reach), and for any output index the exact input index ranges it depends on.
 *
 * Both come from an instrumented forward run, so branches (Inception's concatenation, residual
 * additions), functional ops and custom modules are followed as they execute. The exact ranges
 * are index sets propagated backwards op by op: clipped at the borders after every layer, with
 * holes (dilation, strides larger than the kernel) and unions of unaligned branches kept; the
 * per-layer arithmetic gives the unclipped ranges, and so which part of them lies in padding.
 */
import type { AnyModule } from '../nn/module.js';
import { checkOptions, kinds, noMoreArgs } from '../tensor/args.js';
import type { Tensor } from '../tensor/tensor.js';
import {
  type ForwardTrace,
  type ModelInput,
  type ModuleCall,
  type Producer,
  TRACE_OPTION_KEYS,
  type TraceOptions,
  tensorsIn,
  traceForward,
} from './forward-trace.js';
import { type Box, compact, hull, type IndexSet, regionCount, runs, union } from './index-set.js';
import {
  backNotes,
  backRule,
  everything,
  type Field,
  fieldRule,
  type Geometry,
  mergeGeometry,
  mergeSpan,
  type Span,
  spanBack,
} from './receptive-field-rules.js';

export interface ReceptiveFieldOptions extends TraceOptions {
  /** How many trailing dims of the input are spatial (default 2 for inputs of ≥ 3 dims, else 1). */
  spatialDims?: number;
}

/** One alignment of receptive fields along the spatial dims (arrays: one entry per spatial dim). */
export interface FieldInfo {
  /** Field size in input pixels. */
  size: number[];
  /** Effective stride: input pixels between the fields of neighbouring outputs. */
  jump: number[];
  /** First input index of output 0's (unclipped) field; negative when it starts in padding. */
  start: number[];
  /** Centre of output 0's field, start + (size − 1)/2 (a half-integer for even sizes). */
  centre: number[];
}

/** The receptive-field arithmetic of one layer's output. */
export interface LayerField {
  /** Dotted module path ('' for the model). */
  name: string;
  type: string;
  depth: number;
  callNumber: number;
  outputShape: number[] | null;
  /**
   * `'field'`: sliding fields along the input's spatial dims; `'global'`: each output may depend on
   * the whole input (after a flatten, matmul, spatial reduction, batch norm in training);
   * `'none'`: independent of the input.
   */
  kind: 'field' | 'global' | 'none';
  /** One entry per distinct alignment (several when branches with different fields merge). */
  fields: FieldInfo[];
  /** The smallest field containing all of them (jump: the common jump, or null if they differ). */
  union: (Omit<FieldInfo, 'jump'> & { jump: number[] | null }) | null;
  /** Whether all branches' fields share jump and centre (so their union is centred too). */
  aligned: boolean;
  /** Per spatial dim: how far outside the input the fields reach, [before, after] in input pixels. */
  padding: [number, number][];
  /** Per spatial dim: how many outputs have fields reaching into that padding, [at the start, at the end]. */
  paddedOutputs: [number, number][];
}

/** The input indices one output element depends on, along one spatial dim. */
export interface DimRange {
  /** Smallest and largest input index it depends on (inclusive, clipped to the input). */
  range: [number, number] | null;
  /** Every index in `range` is used (false with dilation holes or strides larger than the kernel). */
  contiguous: boolean;
  /** Runs inside `range` that are not used. */
  holes: [number, number][];
  /** The field before clipping, from the layer arithmetic (null when the output is 'global'). */
  unclipped: [number, number] | null;
  /** Parts of `unclipped` outside the input: the padding the field reaches into. */
  padding: { before: [number, number] | null; after: [number, number] | null };
  /** Parts of `unclipped` inside the input that are not used (floor-mode truncation, holes). */
  unused: [number, number][];
}

/** What `ReceptiveField.at` returns. All indices are in `base` (0 or 1). */
export interface FieldRanges {
  layer: string;
  /** The queried output index, over all output dims. */
  index: number[];
  base: 0 | 1;
  /** Input batch indices it depends on, as inclusive runs (empty when the input has no batch dim). */
  batch: [number, number][];
  /** Input channels it depends on, as inclusive runs. */
  channels: [number, number][];
  /** One entry per spatial dim of the input. */
  dims: DimRange[];
  /** Whether the dependence set is exactly the product of the batch, channel and per-dim index sets. */
  rectangular: boolean;
  /** Number of input elements it depends on. */
  count: number;
  /** The exact set, a union of boxes over all input dims (0-based index lists). */
  boxes: Box[];
  /** Notes on approximations made for this query (empty when exact). */
  notes: string[];
}

export interface AtOptions {
  /** A module path (default: the model's output). */
  layer?: string;
  /** Which call of a shared module (default 1). */
  call?: number;
  /** Which tensor of a module returning several (default 0). */
  output?: number;
  /** Indices in and out are 1-based with `base: 1` (the exercises write them so). */
  base?: 0 | 1;
}

const geometryKey = (p: Producer): string | null => (p.kind === 'op' ? `${p.op}:${p.output}` : p.kind === 'input' ? 'input' : null);

function fieldInfo(f: Field): FieldInfo {
  return { size: [...f.size], jump: [...f.jump], start: [...f.start], centre: f.start.map((s, d) => s + (f.size[d] - 1) / 2) };
}

/** The unclipped field of output index i (per spatial dim k) over all alignments. */
function unclippedAt(fields: readonly Field[], k: number, i: number): [number, number] {
  let lo = Number.POSITIVE_INFINITY;
  let hi = Number.NEGATIVE_INFINITY;
  for (const f of fields) {
    lo = Math.min(lo, f.start[k] + i * f.jump[k]);
    hi = Math.max(hi, f.start[k] + i * f.jump[k] + f.size[k] - 1);
  }
  return [lo, hi];
}

/** Receptive fields of a model for one input shape; see `receptiveField`. */
export class ReceptiveField {
  readonly inputShape: number[];
  readonly outputShape: number[];
  /** Indices of the input's spatial dims. */
  readonly spatialDims: number[];
  /** One row per module call, in call order. */
  readonly layers: LayerField[];
  /** Ops without a receptive-field rule (treated as depending on all of their inputs). */
  readonly warnings: string[];
  private readonly trace: ForwardTrace;
  private readonly geometry = new Map<string, Geometry>();
  private readonly spatial: number;

  constructor(trace: ForwardTrace, spatial: number) {
    if (trace.inputs.length !== 1) throw new RangeError(`receptiveField: models with one input tensor only (got ${trace.inputs.length})`);
    const x = trace.inputs[0];
    if (!Number.isInteger(spatial) || spatial < 0 || spatial > x.ndim) {
      throw new RangeError(`receptiveField: spatialDims must be in [0, ${x.ndim}] for an input of shape [${x.shape.join(', ')}]`);
    }
    this.trace = trace;
    this.spatial = spatial;
    this.inputShape = [...x.shape];
    this.spatialDims = Array.from({ length: spatial }, (_, k) => x.ndim - spatial + k);
    this.outputShape = [...(tensorsIn(trace.output)[0]?.shape ?? [])];
    const missing = new Set<string>();
    this.geometry.set('input', {
      fields: [{ size: new Array(spatial).fill(1), jump: new Array(spatial).fill(1), start: new Array(spatial).fill(0) }],
    });
    for (const op of trace.ops) {
      const inputs = op.producers.map((p) => {
        const key = geometryKey(p);
        return key === null ? 'none' : (this.geometry.get(key) ?? 'none');
      });
      const rule = fieldRule(op.event.op);
      if (rule === undefined || backRule(op.event.op) === undefined) missing.add(op.event.op);
      const g = rule === undefined ? (mergeGeometry(inputs) === 'none' ? 'none' : 'global') : rule(op.event, inputs, spatial);
      op.event.outputs.forEach((_, output) => {
        this.geometry.set(`${op.index}:${output}`, g);
      });
    }
    this.warnings =
      missing.size > 0
        ? [`no receptive-field rule for ${[...missing].join(', ')}: treated as depending on every element of their inputs`]
        : [];
    this.layers = trace.calls.map((call) => this.layerField(call));
  }

  /** The row of the model's output. */
  get output(): LayerField {
    return this.layers[0];
  }

  private geometryOf(p: Producer | undefined): Geometry {
    const key = p === undefined ? null : geometryKey(p);
    return key === null ? 'none' : (this.geometry.get(key) ?? 'none');
  }

  private layerField(call: ModuleCall): LayerField {
    const t = tensorsIn(call.output)[0] as Tensor | undefined;
    const g = this.geometryOf(call.outputProducers[0]);
    const base = { name: call.name, type: call.type, depth: call.depth, callNumber: call.callNumber, outputShape: t ? [...t.shape] : null };
    if (g === 'global' || g === 'none' || t === undefined) {
      return { ...base, kind: g === 'none' ? 'none' : 'global', fields: [], union: null, aligned: true, padding: [], paddedOutputs: [] };
    }
    const S = this.spatial;
    const fields = g.fields;
    const dimsK = Array.from({ length: S }, (_, k) => k);
    const lo = dimsK.map((k) => Math.min(...fields.map((f) => f.start[k])));
    const hi = dimsK.map((k) => Math.max(...fields.map((f) => f.start[k] + f.size[k] - 1)));
    const jumps = dimsK.map((k) => fields[0].jump[k]);
    const sameJump = fields.every((f) => f.jump.every((j, k) => j === jumps[k]));
    const aligned =
      sameJump && fields.every((f) => f.start.every((s, k) => 2 * s + f.size[k] === 2 * fields[0].start[k] + fields[0].size[k]));
    const padding: [number, number][] = [];
    const paddedOutputs: [number, number][] = [];
    for (let k = 0; k < S; k++) {
      const n = this.inputShape[this.spatialDims[k]];
      const outSize = t.shape[t.ndim - S + k];
      let before = 0;
      let after = 0;
      let first = 0;
      let last = 0;
      for (let i = 0; i < outSize; i++) {
        const [a, b] = unclippedAt(fields, k, i);
        before = Math.max(before, -a);
        after = Math.max(after, b - (n - 1));
        if (a < 0) first++;
        if (b > n - 1) last++;
      }
      padding.push([before, after]);
      paddedOutputs.push([first, last]);
    }
    return {
      ...base,
      kind: 'field',
      fields: fields.map(fieldInfo),
      union: {
        size: dimsK.map((k) => hi[k] - lo[k] + 1),
        jump: sameJump ? jumps : null,
        start: lo,
        centre: dimsK.map((k) => (lo[k] + hi[k]) / 2),
      },
      aligned,
      padding,
      paddedOutputs,
    };
  }

  private findCall(opts: AtOptions): ModuleCall {
    if (opts.layer === undefined || opts.layer === '') return this.trace.root;
    const callNumber = opts.call ?? 1;
    const call = this.trace.calls.find((c) => c.name === opts.layer && c.callNumber === callNumber);
    if (call === undefined) {
      const names = [...new Set(this.trace.calls.map((c) => c.name).filter((n) => n !== ''))];
      throw new RangeError(`receptiveField: no call ${callNumber} of a layer "${opts.layer}" (layers: ${names.join(', ')})`);
    }
    return call;
  }

  /**
   * The input elements that output element `index` depends on: of the model's output, or of
   * `layer`'s. `index` may leave out leading dims (the batch): [k, i, j] of a [N, K, H, W]
   * output means [0, k, i, j].
   * @example rf.at([0, 5, 7]) ; rf.at([1, 1, 1], { layer: 'conv1', base: 1 })
   */
  at(index: readonly number[], opts: AtOptions = {}): FieldRanges {
    const base = opts.base ?? 0;
    const call = this.findCall(opts);
    const which = opts.output ?? 0;
    const out = tensorsIn(call.output)[which];
    const producer = call.outputProducers[which];
    if (out === undefined || producer === undefined) throw new RangeError(`receptiveField: layer "${call.name}" has no output ${which}`);
    if (index.length > out.ndim)
      throw new RangeError(`receptiveField: index [${index.join(', ')}] has more dims than the output [${out.shape.join(', ')}]`);
    const idx = [...new Array<number>(out.ndim - index.length).fill(0), ...index.map((v) => v - base)];
    idx.forEach((v, d) => {
      if (!Number.isInteger(v) || v < 0 || v >= out.shape[d]) {
        throw new RangeError(
          `receptiveField: index [${index.join(', ')}] (${base}-based) is outside the output of shape [${out.shape.join(', ')}] at dim ${d}`,
        );
      }
    });
    backNotes.inexact.clear();
    const S = this.spatial;
    const start: Span = out.ndim >= S ? idx.slice(out.ndim - S).map((v) => [v, v] as [number, number]) : 'global';
    const { boxes, span } = this.dependence(
      producer,
      idx.map((v) => [v]),
      start,
    );
    const notes = [...backNotes.inexact];
    return this.describe(call.name, idx, boxes, span, base, notes);
  }

  /**
   * The input boxes that a box of a traced tensor depends on, and the unclipped intervals of the
   * input it reaches along its paths (the hull over paths).
   */
  private dependence(from: Producer, box: Box, start: Span): { boxes: Box[]; span: Span } {
    if (from.kind === 'input') return { boxes: [box], span: start };
    if (from.kind === 'constant') return { boxes: [], span: 'global' };
    const pending = new Map<number, Map<number, { boxes: Box[]; span: Span }>>();
    const push = (p: Producer, boxes: Box[], span: Span) => {
      if (p.kind !== 'op') return;
      const perOutput = pending.get(p.op) ?? new Map<number, { boxes: Box[]; span: Span }>();
      const entry = perOutput.get(p.output);
      perOutput.set(p.output, { boxes: [...(entry?.boxes ?? []), ...boxes], span: mergeSpan(entry?.span, span) });
      pending.set(p.op, perOutput);
    };
    let result: Box[] = [];
    let reached: Span | undefined;
    push(from, [box], start);
    for (let i = from.op; i >= 0; i--) {
      const perOutput = pending.get(i);
      if (perOutput === undefined) continue;
      pending.delete(i);
      const op = this.trace.ops[i];
      const rule = backRule(op.event.op) ?? everything;
      for (const [output, { boxes, span }] of perOutput) {
        const inSpan = spanBack(op.event, this.geometry.get(`${i}:${output}`) ?? 'global', span, this.spatial);
        // An output that reads only padding depends on no input element, but its field still has a place.
        const list = compact(boxes);
        for (const b of list.length > 0 ? list : boxes.slice(0, 1)) {
          rule(op.event, output, b).forEach((ins, j) => {
            if (ins === null || ins.length === 0) return;
            const p = op.producers[j];
            if (p.kind === 'input') {
              result.push(...ins);
              reached = mergeSpan(reached, inSpan);
            } else push(p, ins, inSpan);
          });
        }
      }
    }
    result = compact(result);
    return { boxes: result, span: reached ?? 'global' };
  }

  private describe(layer: string, idx: number[], boxes: Box[], span: Span, base: 0 | 1, notes: string[]): FieldRanges {
    const x = this.inputShape;
    const S = this.spatial;
    const axis = (d: number): IndexSet => boxes.reduce<IndexSet>((s, b) => union(s, b[d]), []);
    const shift = (r: [number, number]): [number, number] => [r[0] + base, r[1] + base];
    const channelDim = x.length - S - 1;
    const batchDim = x.length - S - 2;
    const dims: DimRange[] = this.spatialDims.map((d, k) => {
      const set = axis(d);
      const h = hull(set);
      const holes = h === null ? [] : runs(complement(set, h[0], h[1]));
      const unclipped: [number, number] | null = span === 'global' ? null : span[k];
      const n = x[d];
      const padding = {
        before: unclipped !== null && unclipped[0] < 0 ? shift([unclipped[0], Math.min(-1, unclipped[1])]) : null,
        after: unclipped !== null && unclipped[1] > n - 1 ? shift([Math.max(n, unclipped[0]), unclipped[1]]) : null,
      };
      const inside: [number, number] | null = unclipped === null ? null : [Math.max(0, unclipped[0]), Math.min(n - 1, unclipped[1])];
      const unused = inside === null || inside[0] > inside[1] ? [] : runs(complement(set, inside[0], inside[1])).map(shift);
      return {
        range: h === null ? null : shift(h),
        contiguous: holes.length === 0,
        holes: holes.map(shift),
        unclipped: unclipped === null ? null : shift(unclipped),
        padding,
        unused,
      };
    });
    const axes = x.map((_, d) => axis(d));
    const product = axes.reduce((n, s) => n * s.length, 1);
    const count = boxes.length <= 1 ? product : regionCount(boxes);
    return {
      layer,
      index: idx.map((v) => v + base),
      base,
      batch: batchDim >= 0 ? runs(axes[batchDim]).map(shift) : [],
      channels: channelDim >= 0 ? runs(axes[channelDim]).map(shift) : [],
      dims,
      rectangular: count === product,
      count,
      boxes,
      notes,
    };
  }

  /** Plain data: shapes, per-layer rows and warnings. */
  toJSON(): { inputShape: number[]; outputShape: number[]; spatialDims: number[]; layers: LayerField[]; warnings: string[] } {
    return {
      inputShape: this.inputShape,
      outputShape: this.outputShape,
      spatialDims: this.spatialDims,
      layers: this.layers,
      warnings: this.warnings,
    };
  }
}

/** The indices in [lo, hi] that are not in `set`. */
function complement(set: IndexSet, lo: number, hi: number): IndexSet {
  const out: number[] = [];
  let j = 0;
  for (let v = lo; v <= hi; v++) {
    while (j < set.length && set[j] < v) j++;
    if (j >= set.length || set[j] !== v) out.push(v);
  }
  return out;
}

/**
 * Records one forward pass of `model` on `input` (a shape or an example tensor) and returns its
 * receptive fields: `layers` (size, jump, start, padding per module call) and `at(index)` (the
 * exact input index ranges of any output element).
 * @example
 * const rf = analysis.receptiveField(net, [1, 3, 224, 224]);
 * rf.at([0, 10, 10], { layer: 'conv1' }).dims[0].range // [8, 12]
 */
export function receptiveField(model: AnyModule, input: ModelInput, opts: ReceptiveFieldOptions = {}, ...rest: never[]): ReceptiveField {
  const usage = 'receptiveField(model, input, { mode, dtype, seed, spatialDims }?)';
  noMoreArgs('receptiveField', rest, usage);
  checkOptions('receptiveField', opts, [...TRACE_OPTION_KEYS, ['spatialDims', kinds.int]], usage);
  const trace = traceForward(model, input, { mode: opts.mode, dtype: opts.dtype, seed: opts.seed });
  const ndim = trace.inputs[0]?.ndim ?? 0;
  const spatial = opts.spatialDims ?? (ndim >= 3 ? 2 : Math.max(0, ndim - 1));
  return new ReceptiveField(trace, spatial);
}
