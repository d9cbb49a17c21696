/**
 * Op-level instrumentation: while a listener is installed, every public op reports itself once
 * per call with its inputs, outputs and resolved attributes (conv geometry, reduced dims, …).
 * The analysis tools (model summaries, receptive fields) are built on it.
 *
 * Each op starts with `if (tracing) return traceOp(name, inputs, () => op(...), attrs)`. `tracing`
 * is false unless a listener is installed and no traced op is running, so an inactive tracer
 * costs one boolean read per op, and an op built from other ops (softmax from exp, sub, div, sum)
 * reports only itself: the ops it calls run with `tracing` false.
 */
import { Tensor } from '../tensor/tensor.js';

/**
 * The name of every op nabla reports. The analysis tools' rule tables (analysis/summary/counts.ts,
 * analysis/receptive-field-rules.ts) are typed as complete over this list, so an op added here
 * without its rules there fails to compile, and `traceOp` takes only these names.
 */
export const OP_NAMES = [
  // conversion and copies
  'to',
  'clone',
  'detach',
  'copy_',
  'fill_',
  'zero_',
  // views and joins
  'view',
  'reshape',
  'flatten',
  'unflatten',
  'permute',
  'transpose',
  't',
  'expand',
  'squeeze',
  'unsqueeze',
  'slice',
  'select',
  'cat',
  // elementwise unary
  'neg',
  'abs',
  'sign',
  'exp',
  'log',
  'log1p',
  'expm1',
  'sqrt',
  'rsqrt',
  'reciprocal',
  'square',
  'sin',
  'cos',
  'sigmoid',
  'tanh',
  'relu',
  'gelu',
  'leakyRelu',
  'clamp',
  'logicalNot',
  // elementwise binary
  'add',
  'sub',
  'mul',
  'div',
  'pow',
  'maximum',
  'minimum',
  'eq',
  'ne',
  'lt',
  'le',
  'gt',
  'ge',
  'logicalAnd',
  'logicalOr',
  'where',
  // in place
  'add_',
  'sub_',
  'mul_',
  'div_',
  'clamp_',
  'addcmul_',
  'addcdiv_',
  // reductions
  'sum',
  'mean',
  'prod',
  'max',
  'min',
  'argmax',
  'argmin',
  'var',
  'std',
  'logsumexp',
  'softmax',
  'logSoftmax',
  // linear algebra and indexing
  'matmul',
  'diag',
  'gather',
  'scatterAdd',
  'indexSelect',
  'oneHot',
  // layers
  'conv2d',
  'maxPool2d',
  'avgPool2d',
  'adaptiveAvgPool2d',
  'batchNorm',
  'dropout',
] as const;

export type OpName = (typeof OP_NAMES)[number];

/** One executed op. */
export interface OpEvent {
  /** The op's name as exported (`conv2d`, `add`, `maxPool2d`, …). */
  readonly op: string;
  /** Its inputs in argument order: tensors, and null for anything else (a number operand, an absent bias). */
  readonly inputs: readonly (Tensor | null)[];
  /** Its tensor results (one for most ops; values and indices for max with a dim). */
  readonly outputs: readonly Tensor[];
  /** Resolved settings that the shapes alone don't tell (stride, padding, dims, …). */
  readonly attrs: Readonly<Record<string, unknown>>;
}

export type OpListener = (event: OpEvent) => void;

/** True while an op listener is installed and no traced op is running. Read it, never write it. */
export let tracing = false;

let depth = 0;
const listeners = new Set<OpListener>();

function update(): void {
  tracing = listeners.size > 0 && depth === 0;
}

/**
 * Calls `listener` for every op that executes from now on, until the returned function is
 * called. Ops the listener itself runs are not reported.
 */
export function onOp(listener: OpListener): () => void {
  listeners.add(listener);
  update();
  return () => {
    listeners.delete(listener);
    update();
  };
}

/** The tensors in an op's result: a tensor, an array of tensors, or an object of tensors. */
function tensorsOf(result: unknown): Tensor[] {
  if (result instanceof Tensor) return [result];
  if (Array.isArray(result)) return result.filter((r): r is Tensor => r instanceof Tensor);
  if (result !== null && typeof result === 'object') return Object.values(result).filter((r): r is Tensor => r instanceof Tensor);
  return [];
}

/**
 * Runs `run` (the op itself, called again with reporting off) and reports it to the listeners.
 * Ops call this (as `traceOp`), guarded by `tracing`; an op of your own may report itself under a
 * name of its own, with counting rules from `registerCountRule`.
 */
export function traced<T>(op: string, inputs: readonly unknown[], run: () => T, attrs: Readonly<Record<string, unknown>> = {}): T {
  depth++;
  update();
  try {
    const result = run();
    const event: OpEvent = { op, inputs: inputs.map((t) => (t instanceof Tensor ? t : null)), outputs: tensorsOf(result), attrs };
    for (const listener of [...listeners]) listener(event);
    return result;
  } finally {
    depth--;
    update();
  }
}

/** `traced` for nabla's own ops: the name must be one of {@link OP_NAMES}. */
export const traceOp: <T>(op: OpName, inputs: readonly unknown[], run: () => T, attrs?: Readonly<Record<string, unknown>>) => T = traced;
