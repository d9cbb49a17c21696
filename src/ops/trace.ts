/**
 * Op-level instrumentation: while a listener is installed, every public op reports itself once
 * per call with its inputs, outputs and resolved attributes (conv geometry, reduced dims, …).
 * The analysis tools (model summaries, receptive fields) are built on it.
 *
 * Each op starts with `if (tracing) return traced(name, inputs, () => op(...), attrs)`. `tracing`
 * is false unless a listener is installed and no traced op is running, so an inactive tracer
 * costs one boolean read per op, and an op built from other ops (softmax from exp, sub, div, sum)
 * reports only itself: the ops it calls run with `tracing` false.
 */
import { Tensor } from '../tensor/tensor.js';

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
 * Only ops call this, guarded by `tracing`.
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
