/**
 * `defineOp`: one definition gives an op its tracing hook. `defineOp('add', { inputs: 2, attrs },
 * (x, y, alpha = 1) => { … })` returns the op: a function with the same parameters that
 * reports itself to the analysis tools' listeners (ops/trace.ts) when one is installed and else
 * runs the body directly, so an op's body never repeats the `if (tracing) …` guard. The name must
 * be one of OP_NAMES, so the analysis rule tables must have its rules.
 */
import { type OpName, traceOp, tracing } from './trace.js';

/** What an op reports about a call besides its result. */
export interface OpReport<A extends unknown[]> {
  /**
   * Which arguments are the op's inputs: how many leading ones (default 1), their positions, or a
   * function that picks them (cat's list of tensors).
   */
  inputs?: number | readonly number[] | ((...args: A) => readonly unknown[]);
  /** Settings the shapes alone don't tell (stride, dims, alpha, …), from the arguments. */
  attrs?: (...args: A) => Readonly<Record<string, unknown>>;
}

/**
 * The op `name`, computed by `forward` (see the module comment). `forward` is an arrow function
 * so that its parameters type `report`'s functions (a `function` expression would defer that).
 */
export function defineOp<A extends unknown[], R>(
  name: OpName,
  report: OpReport<NoInfer<A>>,
  forward: (...args: A) => R,
): (...args: A) => R {
  const { inputs = 1, attrs } = report;
  const traced = (args: A): R => {
    const operands =
      typeof inputs === 'number' ? args.slice(0, inputs) : typeof inputs === 'function' ? inputs(...args) : inputs.map((i) => args[i]);
    return traceOp(name, operands, () => forward(...args), attrs === undefined ? {} : attrs(...args));
  };
  const run = forward as (...args: unknown[]) => R;
  // `arguments` rather than a rest parameter, with direct calls for the usual counts: the
  // untraced call (every op of a training step) then allocates no argument array.
  return function (this: unknown) {
    // biome-ignore lint/complexity/noArguments: see above
    const args = arguments;
    if (tracing) return traced(Array.prototype.slice.call(args) as A);
    switch (args.length) {
      case 1:
        return run(args[0]);
      case 2:
        return run(args[0], args[1]);
      case 3:
        return run(args[0], args[1], args[2]);
      case 4:
        return run(args[0], args[1], args[2], args[3]);
    }
    return run.apply(undefined, args as unknown as unknown[]);
  } as unknown as (...args: A) => R;
}
