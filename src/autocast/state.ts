/**
 * The autocast scope's state: which precision the autocast-eligible ops (conv2d, matmul and the
 * products built on it, linear) use for float32 tensors on the 'cpu' device right now. Kept in
 * a module of its own, free of imports, so ops can read it without import cycles.
 */

/** The precision of autocast-eligible float32 cpu ops: 'fp32' normally, 'bf16' inside `autocast`. */
export type Precision = 'fp32' | 'bf16';

let current: Precision = 'fp32';

/** @internal The precision in effect now. */
export function precision(): Precision {
  return current;
}

/** @internal Sets the precision and returns the previous one (autocast and backward rules restore it). */
export function setPrecision(p: Precision): Precision {
  const prev = current;
  current = p;
  return prev;
}

/**
 * @internal Runs `fn` at precision `p`, restoring the previous one after. Backward rules of ops
 * recorded under autocast run through this, so their products use the forward's precision
 * wherever backward is called (as in PyTorch, where they run on the bf16 tensors autocast made).
 */
export function atPrecision<T>(p: Precision, fn: () => T): T {
  if (p === current) return fn();
  const prev = setPrecision(p);
  try {
    return fn();
  } finally {
    setPrecision(prev);
  }
}
