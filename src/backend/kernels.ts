import type { Backend } from './backend.js';

/** The kernels a backend may provide: every method of {@link Backend} but its name. */
export type Kernels = Omit<Backend, 'name'>;
/** A kernel's name: 'matmul', 'conv2d', 'unary', … */
export type KernelName = keyof Kernels;

/**
 * A kernel with a predicate: `accepts` sees the call's arguments and says whether this kernel
 * runs it; when it returns false the reference (TypeScript) kernel runs instead, and the
 * fallback is counted. Used for size thresholds and dtype limits (oneDNN only pays for large
 * float32 work).
 */
export interface KernelEntry<K extends KernelName> {
  kernel: Kernels[K];
  accepts: (...args: Parameters<Kernels[K]>) => boolean;
}

/** What a backend registers: a kernel (always used) or a kernel with a predicate, per name. */
export type KernelRegistrations = { [K in KernelName]?: Kernels[K] | KernelEntry<K> };

/** A backend as it is registered: its name and the kernels it has; the rest fall back. */
export interface BackendDefinition {
  readonly name: string;
  readonly kernels: KernelRegistrations;
}

/** Names a backend and the kernels it has (checked against the kernel names at compile time). */
export function defineBackend(name: string, kernels: KernelRegistrations): BackendDefinition {
  return { name, kernels };
}

/** Why a call ran on the reference kernel instead of the active backend's. */
export type FallbackReason = 'not registered' | 'declined';

/** One kind of fallback and how many calls took it since the last {@link resetFallbacks}. */
export interface FallbackRecord {
  backend: string;
  kernel: KernelName;
  reason: FallbackReason;
  count: number;
}

/** Called on every fallback while set: a debug switch (log, throw, collect). */
export type FallbackListener = (backend: string, kernel: KernelName, reason: FallbackReason) => void;

interface Counter {
  backend: string;
  kernel: KernelName;
  reason: FallbackReason;
  count: number;
}
const counters = new Map<string, Counter>();
let listener: FallbackListener | null = null;

function counter(backend: string, kernel: KernelName, reason: FallbackReason): Counter {
  const key = `${backend}\u0000${kernel}\u0000${reason}`;
  let c = counters.get(key);
  if (c === undefined) {
    c = { backend, kernel, reason, count: 0 };
    counters.set(key, c);
  }
  return c;
}

/** Every fallback counted since the last {@link resetFallbacks}, sorted by backend, kernel, reason. */
export function fallbacks(): FallbackRecord[] {
  return [...counters.values()]
    .filter((c) => c.count > 0)
    .map((c) => ({ ...c }))
    .sort((a, b) => a.backend.localeCompare(b.backend) || a.kernel.localeCompare(b.kernel) || a.reason.localeCompare(b.reason));
}

/** Zeroes the fallback counters. */
export function resetFallbacks(): void {
  for (const c of counters.values()) c.count = 0;
}

/** Sets (or with null clears) a function called on every fallback; returns the previous one. */
export function onFallback(f: FallbackListener | null): FallbackListener | null {
  const prev = listener;
  listener = f;
  return prev;
}

// One wrapper per kernel, written out with the kernel's own parameters: each kernel's calls then
// go through call sites of their own (monomorphic, inlinable) and allocate nothing, which keeps
// dispatch within noise of a direct call (bench/run.ts's tiny MLP makes ~100 kernel calls a step).
// `ok` null means not registered; `fell(declined)` counts a fallback. A kernel added to Backend
// without a wrapper here is a compile error.
type Wrapper<K extends KernelName> = (
  ok: ((...args: Parameters<Kernels[K]>) => boolean) | null,
  run: Kernels[K],
  ref: Kernels[K],
  fell: (declined: boolean) => void,
) => Kernels[K];
const wrappers: { [K in KernelName]: Wrapper<K> } = {
  copy: (ok, run, ref, fell) => (s, d, sh) => {
    if (ok?.(s, d, sh)) return run(s, d, sh);
    fell(ok !== null);
    ref(s, d, sh);
  },
  fill: (ok, run, ref, fell) => (d, sh, v) => {
    if (ok?.(d, sh, v)) return run(d, sh, v);
    fell(ok !== null);
    ref(d, sh, v);
  },
  unary: (ok, run, ref, fell) => (o, x, xo, out, n) => {
    if (ok?.(o, x, xo, out, n)) return run(o, x, xo, out, n);
    fell(ok !== null);
    ref(o, x, xo, out, n);
  },
  clamp: (ok, run, ref, fell) => (x, xo, out, n, lo, hi) => {
    if (ok?.(x, xo, out, n, lo, hi)) return run(x, xo, out, n, lo, hi);
    fell(ok !== null);
    ref(x, xo, out, n, lo, hi);
  },
  binary: (ok, run, ref, fell) => (o, a, b, sh, out, al) => {
    if (ok?.(o, a, b, sh, out, al)) return run(o, a, b, sh, out, al);
    fell(ok !== null);
    ref(o, a, b, sh, out, al);
  },
  where: (ok, run, ref, fell) => (c, a, b, sh, out) => {
    if (ok?.(c, a, b, sh, out)) return run(c, a, b, sh, out);
    fell(ok !== null);
    ref(c, a, b, sh, out);
  },
  reduce: (ok, run, ref, fell) => (o, x, ou, sz, inn, out) => {
    if (ok?.(o, x, ou, sz, inn, out)) return run(o, x, ou, sz, inn, out);
    fell(ok !== null);
    ref(o, x, ou, sz, inn, out);
  },
  argReduce: (ok, run, ref, fell) => (o, x, ou, sz, inn, out) => {
    if (ok?.(o, x, ou, sz, inn, out)) return run(o, x, ou, sz, inn, out);
    fell(ok !== null);
    ref(o, x, ou, sz, inn, out);
  },
  matmul: (ok, run, ref, fell) => (a, as, ta, b, bs, tb, out, bt, m, k, n) => {
    if (ok?.(a, as, ta, b, bs, tb, out, bt, m, k, n)) return run(a, as, ta, b, bs, tb, out, bt, m, k, n);
    fell(ok !== null);
    ref(a, as, ta, b, bs, tb, out, bt, m, k, n);
  },
  gather: (ok, run, ref, fell) => (x, ou, sz, inn, ix, isz, out) => {
    if (ok?.(x, ou, sz, inn, ix, isz, out)) return run(x, ou, sz, inn, ix, isz, out);
    fell(ok !== null);
    ref(x, ou, sz, inn, ix, isz, out);
  },
  scatterAdd: (ok, run, ref, fell) => (x, ou, sz, inn, ix, isz, out) => {
    if (ok?.(x, ou, sz, inn, ix, isz, out)) return run(x, ou, sz, inn, ix, isz, out);
    fell(ok !== null);
    ref(x, ou, sz, inn, ix, isz, out);
  },
  conv2d: (ok, run, ref, fell) => (x, w, b, out, p) => {
    if (ok?.(x, w, b, out, p)) return run(x, w, b, out, p);
    fell(ok !== null);
    ref(x, w, b, out, p);
  },
  conv2dBackwardData: (ok, run, ref, fell) => (g, w, gi, p) => {
    if (ok?.(g, w, gi, p)) return run(g, w, gi, p);
    fell(ok !== null);
    ref(g, w, gi, p);
  },
  conv2dBackwardWeights: (ok, run, ref, fell) => (x, g, gw, gb, p) => {
    if (ok?.(x, g, gw, gb, p)) return run(x, g, gw, gb, p);
    fell(ok !== null);
    ref(x, g, gw, gb, p);
  },
  maxPool2d: (ok, run, ref, fell) => (x, out, ix, p) => {
    if (ok?.(x, out, ix, p)) return run(x, out, ix, p);
    fell(ok !== null);
    ref(x, out, ix, p);
  },
  maxPool2dBackward: (ok, run, ref, fell) => (g, ix, gi, p) => {
    if (ok?.(g, ix, gi, p)) return run(g, ix, gi, p);
    fell(ok !== null);
    ref(g, ix, gi, p);
  },
  avgPool2d: (ok, run, ref, fell) => (x, out, p) => {
    if (ok?.(x, out, p)) return run(x, out, p);
    fell(ok !== null);
    ref(x, out, p);
  },
  avgPool2dBackward: (ok, run, ref, fell) => (g, gi, p) => {
    if (ok?.(g, gi, p)) return run(g, gi, p);
    fell(ok !== null);
    ref(g, gi, p);
  },
  adaptiveAvgPool2d: (ok, run, ref, fell) => (x, out, p) => {
    if (ok?.(x, out, p)) return run(x, out, p);
    fell(ok !== null);
    ref(x, out, p);
  },
  adaptiveAvgPool2dBackward: (ok, run, ref, fell) => (g, gi, p) => {
    if (ok?.(g, gi, p)) return run(g, gi, p);
    fell(ok !== null);
    ref(g, gi, p);
  },
  batchNorm: (ok, run, ref, fell) => (x, out, mu, v, w, b, p) => {
    if (ok?.(x, out, mu, v, w, b, p)) return run(x, out, mu, v, w, b, p);
    fell(ok !== null);
    ref(x, out, mu, v, w, b, p);
  },
  batchNormBackward: (ok, run, ref, fell) => (x, g, mu, v, w, gi, gw, gb, p) => {
    if (ok?.(x, g, mu, v, w, gi, gw, gb, p)) return run(x, g, mu, v, w, gi, gw, gb, p);
    fell(ok !== null);
    ref(x, g, mu, v, w, gi, gw, gb, p);
  },
  sgdStep: (ok, run, ref, fell) => (p, g, b, i, o) => {
    if (ok?.(p, g, b, i, o)) return run(p, g, b, i, o);
    fell(ok !== null);
    ref(p, g, b, i, o);
  },
  adamStep: (ok, run, ref, fell) => (p, g, m, v, mx, ss, bc, o) => {
    if (ok?.(p, g, m, v, mx, ss, bc, o)) return run(p, g, m, v, mx, ss, bc, o);
    fell(ok !== null);
    ref(p, g, m, v, mx, ss, bc, o);
  },
  adadeltaStep: (ok, run, ref, fell) => (p, g, s, u, o) => {
    if (ok?.(p, g, s, u, o)) return run(p, g, s, u, o);
    fell(ok !== null);
    ref(p, g, s, u, o);
  },
};

/** Every kernel name, in the order {@link Backend} declares them. */
export const KERNEL_NAMES = Object.keys(wrappers) as KernelName[];

// One dispatch entry: an unconditional kernel as is (no wrapper, no cost); otherwise the kernel's
// wrapper, counting its fallbacks in counters found once here.
function dispatchEntry<K extends KernelName>(name: string, kernel: K, reg: KernelRegistrations[K], reference: Kernels[K]): Kernels[K] {
  if (typeof reg === 'function') return reg as Kernels[K];
  const missing = counter(name, kernel, 'not registered');
  const declined = counter(name, kernel, 'declined');
  const fell = (wasDeclined: boolean) => {
    const c = wasDeclined ? declined : missing;
    c.count++;
    if (listener !== null) listener(name, kernel, c.reason);
  };
  const wrap = wrappers[kernel] as Wrapper<K>;
  if (reg === undefined) return wrap(null, reference, reference, fell);
  const entry = reg as KernelEntry<K>;
  return wrap(entry.accepts, entry.kernel, reference, fell);
}

/**
 * The dispatch table ops call for a backend: its kernel where registered and accepted, the
 * reference kernel otherwise. Both read and write the same host arrays today (every backend's
 * memory is the tensors' TypedArrays), so a fallback needs no transfer.
 */
export function resolveBackend(def: BackendDefinition, reference: Backend): Backend {
  const table: Partial<Record<KernelName, unknown>> = {};
  for (const kernel of KERNEL_NAMES) {
    table[kernel] = dispatchEntry(def.name, kernel, def.kernels[kernel], reference[kernel]);
  }
  for (const kernel of Object.keys(def.kernels)) {
    if (!(kernel in table)) throw new Error(`backend '${def.name}' registers an unknown kernel '${kernel}'`);
  }
  return { name: def.name, ...(table as Kernels) };
}
