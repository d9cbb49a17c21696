/**
 * Tensor printing that reproduces PyTorch 1.13's `repr(tensor)` character for character:
 * one shared element width per tensor, fixed / integer / scientific notation chosen from the
 * nonzero finite values, line wrapping at `linewidth`, summarization with `...` above
 * `threshold` elements, and the `dtype=` / `grad_fn=` / `requires_grad=` suffixes.
 */
import type { DType } from './dtype.js';
import { isFloating, torchName } from './dtype.js';
import { formatExp, formatFixed } from './pyformat.js';

export type { DType } from './dtype.js';

/** Printing knobs, named after `torch.set_printoptions`. */
export interface PrintOptions {
  /** Digits after the decimal point (fixed) or after the leading digit (scientific). */
  precision: number;
  /** Tensors with more elements than this are summarized with `...`. */
  threshold: number;
  /** Items kept at the start and end of each summarized dimension. */
  edgeitems: number;
  /** Characters per line before rows wrap. */
  linewidth: number;
  /** Force scientific notation on (`true`) or off (`false`); `null` chooses per tensor. */
  sciMode: boolean | null;
}

const PROFILES: Record<'default' | 'short' | 'full', Omit<PrintOptions, 'sciMode'>> = {
  default: { precision: 4, threshold: 1000, edgeitems: 3, linewidth: 80 },
  short: { precision: 2, threshold: 1000, edgeitems: 2, linewidth: 80 },
  full: { precision: 4, threshold: Infinity, edgeitems: 3, linewidth: 80 },
};

const current: PrintOptions = { ...PROFILES.default, sciMode: null };

function checkCount(name: string, v: number, allowInfinity: boolean): void {
  const ok = (allowInfinity && v === Infinity) || (Number.isInteger(v) && v >= 0);
  if (!ok) {
    throw new RangeError(`setPrintOptions: ${name} must be a non-negative integer, got ${v}`);
  }
}

/**
 * Sets printing options globally, like `torch.set_printoptions`. A `profile` is applied first,
 * then the explicit fields. As in PyTorch, `sciMode` is always assigned, so a call that omits it
 * resets it to automatic (`null`).
 */
export function setPrintOptions(opts: Partial<PrintOptions> & { profile?: 'default' | 'short' | 'full' }): void {
  const next: PrintOptions = { ...current };
  if (opts.profile !== undefined) {
    const p = PROFILES[opts.profile];
    if (p === undefined) throw new RangeError(`setPrintOptions: unknown profile '${opts.profile}'`);
    Object.assign(next, p);
  }
  if (opts.precision !== undefined) next.precision = opts.precision;
  if (opts.threshold !== undefined) next.threshold = opts.threshold;
  if (opts.edgeitems !== undefined) next.edgeitems = opts.edgeitems;
  if (opts.linewidth !== undefined) next.linewidth = opts.linewidth;
  next.sciMode = opts.sciMode ?? null;
  checkCount('precision', next.precision, false);
  checkCount('edgeitems', next.edgeitems, false);
  checkCount('linewidth', next.linewidth, false);
  if (Number.isNaN(next.threshold) || next.threshold < 0) {
    throw new RangeError(`setPrintOptions: threshold must be non-negative, got ${next.threshold}`);
  }
  Object.assign(current, next);
}

/** A copy of the current printing options. */
export function getPrintOptions(): PrintOptions {
  return { ...current };
}

/** What `formatTensor` needs to know about a tensor. */
export interface FormattableTensor {
  shape: readonly number[];
  dtype: DType;
  /**
   * Contiguous row-major values; bool as 0/1. Null when the values cannot be read synchronously
   * (a GPU tensor): printed as PyTorch prints meta tensors, `tensor(..., device='…', size=(…))`.
   */
  data: ArrayLike<number> | null;
  /** The device's name; any but 'cpu' is shown as PyTorch's `device='…'` suffix. */
  device?: string;
  requiresGrad?: boolean;
  /** Name of the node that produced the tensor, e.g. `'AddBackward0'`; wins over requiresGrad. */
  gradFn?: string | null;
}

/** Formats single elements at one shared width, as PyTorch's `_Formatter`. */
interface ElementFormatter {
  readonly width: number;
  format(v: number): string;
}

function padLeft(s: string, width: number): string {
  return s.length >= width ? s : ' '.repeat(width - s.length) + s;
}

function integralFormatter(dtype: DType, values: ArrayLike<number>): ElementFormatter {
  const text = dtype === 'bool' ? (v: number) => (v ? 'True' : 'False') : (v: number) => String(v);
  let width = 1;
  for (let i = 0; i < values.length; i++) width = Math.max(width, text(values[i]).length);
  return { width, format: (v) => padLeft(text(v), width) };
}

function floatFormatter(values: ArrayLike<number>, o: PrintOptions): ElementFormatter {
  const p = o.precision;
  const finite: number[] = [];
  let intMode = true;
  let min = Infinity;
  let max = 0;
  for (let i = 0; i < values.length; i++) {
    const v = values[i];
    if (v === 0 || !Number.isFinite(v)) continue;
    finite.push(v);
    if (v !== Math.ceil(v)) intMode = false;
    const a = Math.abs(v);
    if (a < min) min = a;
    if (a > max) max = a;
  }
  let sci = false;
  let width = 1;
  // With no nonzero finite value PyTorch returns before applying a forced sci_mode.
  if (finite.length > 0) {
    const wide = max / min > 1000 || max > 1e8;
    if (intMode) {
      sci = wide;
      for (const v of finite) {
        // The +1 leaves room for the '.' that marks an integral float.
        const len = sci ? formatExp(v, p).length : formatFixed(v, 0).length + 1;
        width = Math.max(width, len);
      }
    } else {
      sci = wide || min < 1e-4;
      for (const v of finite) {
        width = Math.max(width, (sci ? formatExp(v, p) : formatFixed(v, p)).length);
      }
    }
    if (o.sciMode !== null) sci = o.sciMode;
  }
  const format = (v: number): string => {
    let s: string;
    if (sci) s = formatExp(v, p);
    else if (intMode) s = formatFixed(v, 0) + (Number.isFinite(v) ? '.' : '');
    else s = formatFixed(v, p);
    return padLeft(s, width);
  };
  return { width, format };
}

/** Row-major view used while walking the tensor. */
interface Walk {
  shape: readonly number[];
  strides: number[];
  values: ArrayLike<number>;
  edge: number;
  linewidth: number;
}

// Python's `t[-k:]` is the whole dimension when k is 0, which PyTorch's 1-d summary inherits.
function tailStart(n: number, edge: number): number {
  return edge === 0 ? 0 : n - edge;
}

/** The elements PyTorch's `get_summarized_data` keeps; they alone decide the format. */
function summarizedValues(w: Walk): number[] {
  const out: number[] = [];
  const ndim = w.shape.length;
  const visit = (offset: number, d: number): void => {
    if (d === ndim) {
      out.push(w.values[offset]);
      return;
    }
    const n = w.shape[d];
    const s = w.strides[d];
    const cut = n > 2 * w.edge;
    if (!cut) {
      for (let i = 0; i < n; i++) visit(offset + i * s, d + 1);
      return;
    }
    for (let i = 0; i < w.edge; i++) visit(offset + i * s, d + 1);
    const tail = d === ndim - 1 ? tailStart(n, w.edge) : n - w.edge;
    for (let i = tail; i < n; i++) visit(offset + i * s, d + 1);
  };
  visit(0, 0);
  return out;
}

function vectorStr(w: Walk, offset: number, indent: number, summarize: boolean, f: ElementFormatter): string {
  const n = w.shape[w.shape.length - 1];
  const s = w.strides[w.strides.length - 1];
  // Each element takes its width plus ', '.
  const perLine = Math.max(1, Math.floor((w.linewidth - indent) / (f.width + 2)));
  const items: string[] = [];
  if (summarize && n > 2 * w.edge) {
    for (let i = 0; i < w.edge; i++) items.push(f.format(w.values[offset + i * s]));
    items.push(' ...');
    for (let i = tailStart(n, w.edge); i < n; i++) items.push(f.format(w.values[offset + i * s]));
  } else {
    for (let i = 0; i < n; i++) items.push(f.format(w.values[offset + i * s]));
  }
  const lines: string[] = [];
  for (let i = 0; i < items.length; i += perLine) {
    lines.push(items.slice(i, i + perLine).join(', '));
  }
  return `[${lines.join(`,\n${' '.repeat(indent + 1)}`)}]`;
}

function tensorStr(w: Walk, offset: number, d: number, indent: number, summarize: boolean, f: ElementFormatter): string {
  const rest = w.shape.length - d;
  if (rest === 0) return f.format(w.values[offset]);
  if (rest === 1) return vectorStr(w, offset, indent, summarize, f);
  const n = w.shape[d];
  const s = w.strides[d];
  const sub = (i: number) => tensorStr(w, offset + i * s, d + 1, indent + 1, summarize, f);
  const slices: string[] = [];
  if (summarize && n > 2 * w.edge) {
    for (let i = 0; i < w.edge; i++) slices.push(sub(i));
    slices.push('...');
    for (let i = n - w.edge; i < n; i++) slices.push(sub(i));
  } else {
    for (let i = 0; i < n; i++) slices.push(sub(i));
  }
  // Blank lines between slices grow with depth: none between rows, one between matrices, ...
  return `[${slices.join(`,${'\n'.repeat(rest - 1)}${' '.repeat(indent + 1)}`)}]`;
}

/** Python's `str(tuple(shape))`: `(0, 3)`, `(0,)`. */
function pyTuple(shape: readonly number[]): string {
  return shape.length === 1 ? `(${shape[0]},)` : `(${shape.join(', ')})`;
}

/** Appends `, suffix` items, moving one to its own line when it would pass the linewidth. */
function addSuffixes(text: string, suffixes: string[], indent: number, linewidth: number): string {
  const parts = [text];
  // PyTorch's measure overcounts the last line by 2; reproduced so wrapping matches.
  let lastLineLen = text.length - text.lastIndexOf('\n') + 1;
  for (const suffix of suffixes) {
    if (lastLineLen + suffix.length + 2 > linewidth) {
      parts.push(`,\n${' '.repeat(indent)}${suffix}`);
      lastLineLen = indent + suffix.length;
    } else {
      parts.push(`, ${suffix}`);
      lastLineLen += suffix.length + 2;
    }
  }
  parts.push(')');
  return parts.join('');
}

/**
 * The PyTorch-style representation of a tensor, e.g. `tensor([1.0000, 2.5000])`,
 * `tensor([[1, 2]], dtype=torch.float64)` or `tensor(3., grad_fn=<SumBackward0>)`.
 * Uses the options set by {@link setPrintOptions}. `String(t)` and `util.inspect` on a tensor
 * should return this.
 */
export function formatTensor(t: FormattableTensor): string {
  const o = current;
  const prefix = 'tensor(';
  const indent = prefix.length;
  let numel = 1;
  for (const n of t.shape) {
    if (!Number.isInteger(n) || n < 0) throw new RangeError(`formatTensor: bad shape [${t.shape}]`);
    numel *= n;
  }
  const data = t.data;
  if (data !== null && data.length < numel) {
    throw new RangeError(`formatTensor: ${data.length} values for shape [${t.shape}]`);
  }
  const suffixes: string[] = [];
  // PyTorch names a non-default device first: tensor([1., 2.], device='cuda:0', dtype=torch.float64).
  if (t.device !== undefined && t.device !== 'cpu') suffixes.push(`device='${t.device}'`);
  let body: string;
  if (data === null) {
    suffixes.push(`size=${pyTuple(t.shape)}`);
    if (t.dtype !== 'float32') suffixes.push(`dtype=${torchName(t.dtype)}`);
    body = '...';
  } else if (numel === 0) {
    // Without elements neither the shape nor an integer dtype can be inferred from '[]'.
    if (t.shape.length !== 1) suffixes.push(`size=${pyTuple(t.shape)}`);
    if (t.dtype !== 'float32') suffixes.push(`dtype=${torchName(t.dtype)}`);
    body = '[]';
  } else {
    // float32 and int32 (nabla's stand-in for PyTorch's int64) are default dtypes, and bool is
    // recognisable from True/False, so only float64 is named.
    if (t.dtype === 'float64') suffixes.push(`dtype=${torchName(t.dtype)}`);
    const strides = new Array<number>(t.shape.length);
    let step = 1;
    for (let i = t.shape.length - 1; i >= 0; i--) {
      strides[i] = step;
      step *= t.shape[i];
    }
    const w: Walk = {
      shape: t.shape,
      strides,
      values: data,
      edge: o.edgeitems,
      linewidth: o.linewidth,
    };
    const summarize = numel > o.threshold;
    let values: ArrayLike<number> = data;
    if (summarize) values = summarizedValues(w);
    else if (data.length !== numel) values = Array.prototype.slice.call(data, 0, numel) as number[];
    const f = isFloating(t.dtype) ? floatFormatter(values, o) : integralFormatter(t.dtype, values);
    body = tensorStr(w, 0, 0, indent, summarize, f);
  }
  if (t.gradFn) suffixes.push(`grad_fn=<${t.gradFn}>`);
  else if (t.requiresGrad) suffixes.push('requires_grad=True');
  return addSuffixes(prefix + body, suffixes, indent, o.linewidth);
}
