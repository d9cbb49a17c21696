/**
 * An instrumented forward run: every module call (through forward pre-hooks and hooks) and every
 * op that executes (through the op trace in src/ops/trace.ts), each op attributed to the
 * innermost module call running it. Summaries and receptive fields are computed from it.
 */
import { noGrad } from '../autograd/grad-mode.js';
import type { AnyModule } from '../nn/module.js';
import { randn } from '../ops/random.js';
import { type OpEvent, onOp } from '../ops/trace.js';
import { defaultGenerator, Generator } from '../random/generator.js';
import { checkOptions, kinds, noMoreArgs, oneOf, type ParamSpec } from '../tensor/args.js';
import type { DType } from '../tensor/dtype.js';
import { Tensor } from '../tensor/tensor.js';

/** What to feed a model: an input shape (filled with N(0, 1) noise), an example tensor, or several. */
export type ModelInput = readonly number[] | Tensor | readonly Tensor[];

/** Where a tensor seen by an op came from. */
export type Producer =
  /** The model input with this index. */
  | { kind: 'input'; index: number }
  /** Output `output` of traced op `op` (an index into `ForwardTrace.ops`). */
  | { kind: 'op'; op: number; output: number }
  /** Neither: a parameter, a buffer, or a tensor made inside forward (a constant). */
  | { kind: 'constant' };

/** One executed op. */
export interface TracedOp {
  index: number;
  event: OpEvent;
  /** Where each input came from when the op ran. */
  producers: Producer[];
  /** The innermost module call that ran it. */
  call: ModuleCall;
}

/** One call of a module. A module called twice (shared) has two calls. */
export interface ModuleCall {
  index: number;
  module: AnyModule;
  /** Dotted path from the model ('' for the model itself); a shared module keeps its first name. */
  name: string;
  type: string;
  depth: number;
  parent: ModuleCall | null;
  children: ModuleCall[];
  /** 1 for the first call of this module object, 2 for the second, … */
  callNumber: number;
  /** Ops run directly by this call (not inside a child call). */
  ops: TracedOp[];
  /** What forward returned (set when the call finished). */
  output: unknown;
  /** Where each tensor of the output came from, in the order `tensorsIn(output)` lists them. */
  outputProducers: Producer[];
}

export interface ForwardTrace {
  model: AnyModule;
  inputs: Tensor[];
  output: unknown;
  root: ModuleCall;
  /** All module calls in the order they started. */
  calls: ModuleCall[];
  ops: TracedOp[];
  /** Where each tensor of the model output came from. */
  outputProducers: Producer[];
}

export interface TraceOptions {
  /**
   * Run in eval mode (default) or training mode; the model's mode is restored afterwards, and so
   * is the global random generator (dropout in training mode draws from it).
   */
  mode?: 'eval' | 'train';
  /** dtype of the noise input made from a shape (default float32). */
  dtype?: DType;
  /** Seed of the noise input made from a shape (a private generator; the global one is untouched). */
  seed?: number;
}

/** The options every traced analysis takes (`traceForward`, `summary`, `receptiveField`). */
export const TRACE_OPTION_KEYS: readonly ParamSpec[] = [
  ['mode', oneOf('eval', 'train')],
  ['dtype', oneOf('float32', 'float64', 'int32', 'bool')],
  ['seed', kinds.int],
];

/** The tensors in a value: itself, or the tensors of an array or object. */
export function tensorsIn(value: unknown): Tensor[] {
  if (value instanceof Tensor) return [value];
  if (Array.isArray(value)) return value.flatMap((v) => tensorsIn(v));
  if (value !== null && typeof value === 'object') return Object.values(value).flatMap((v) => tensorsIn(v));
  return [];
}

/** The input tensors for `input`: a shape becomes seeded N(0, 1) noise. */
export function makeInputs(input: ModelInput, opts: TraceOptions = {}): Tensor[] {
  if (input instanceof Tensor) return [input];
  if (input.length > 0 && input.every((v) => v instanceof Tensor)) return [...(input as readonly Tensor[])];
  const shape = input as readonly number[];
  if (!shape.every((s) => Number.isInteger(s) && s > 0)) {
    throw new RangeError(`analysis: an input shape must be positive integers (got [${shape.join(', ')}])`);
  }
  const generator = new Generator(opts.seed ?? 0);
  return [randn(shape, { dtype: opts.dtype ?? 'float32', generator })];
}

/**
 * Runs `model` once on `input` under noGrad, recording every module call and op. Hooks and the
 * op listener are removed afterwards, and the model's training mode is restored.
 */
export function traceForward(model: AnyModule, input: ModelInput, opts: TraceOptions = {}, ...rest: never[]): ForwardTrace {
  noMoreArgs('traceForward', rest, 'traceForward(model, input, { mode, dtype, seed }?)');
  checkOptions('traceForward', opts, TRACE_OPTION_KEYS, 'traceForward(model, input, { mode, dtype, seed }?)');
  const inputs = makeInputs(input, opts);
  const names = new Map<AnyModule, string>();
  for (const [name, m] of model.namedModules()) names.set(m, name);
  const modes = new Map<AnyModule, boolean>();
  for (const m of model.modules()) modes.set(m, m.training);

  const calls: ModuleCall[] = [];
  const ops: TracedOp[] = [];
  const stack: ModuleCall[] = [];
  const callCounts = new Map<AnyModule, number>();
  // The latest producer of each tensor object (in-place ops make a tensor their own output).
  const producers = new Map<Tensor, Producer>();
  inputs.forEach((t, index) => {
    producers.set(t, { kind: 'input', index });
  });
  const producerOf = (t: Tensor | null): Producer => (t === null ? { kind: 'constant' } : (producers.get(t) ?? { kind: 'constant' }));

  const handles: { remove(): void }[] = [];
  for (const m of model.modules()) {
    handles.push(
      m.registerForwardPreHook((mod) => {
        const parent = stack[stack.length - 1] ?? null;
        const n = (callCounts.get(mod) ?? 0) + 1;
        callCounts.set(mod, n);
        const call: ModuleCall = {
          index: calls.length,
          module: mod,
          name: names.get(mod) ?? '?',
          type: mod._getName(),
          depth: parent === null ? 0 : parent.depth + 1,
          parent,
          children: [],
          callNumber: n,
          ops: [],
          output: undefined,
          outputProducers: [],
        };
        parent?.children.push(call);
        calls.push(call);
        stack.push(call);
        return undefined;
      }),
    );
    handles.push(
      m.registerForwardHook((mod, _args, output) => {
        const call = stack.pop();
        if (call === undefined || call.module !== mod) throw new Error('analysis: module calls did not nest (a hook raised?)');
        call.output = output;
        call.outputProducers = tensorsIn(output).map((t) => producerOf(t));
        return undefined;
      }),
    );
  }
  const stopListening = onOp((event) => {
    const call = stack[stack.length - 1];
    if (call === undefined) return; // an op outside the model's forward (a hook of someone else)
    const op: TracedOp = { index: ops.length, event, producers: event.inputs.map((t) => producerOf(t)), call };
    ops.push(op);
    call.ops.push(op);
    event.outputs.forEach((t, output) => {
      producers.set(t, { kind: 'op', op: op.index, output });
    });
  });

  let output: unknown;
  const rngState = defaultGenerator.getState();
  try {
    model.train(opts.mode === 'train');
    output = noGrad(() => model.call(...inputs));
  } finally {
    stopListening();
    for (const h of handles) h.remove();
    for (const [m, training] of modes) m.training = training;
    defaultGenerator.setState(rngState);
  }
  const root = calls[0];
  if (root === undefined || root.module !== model) throw new Error('analysis: the model was not called through its hooks');
  return { model, inputs, output, root, calls, ops, outputProducers: tensorsIn(output).map((t) => producerOf(t)) };
}
