import type { TypedArray } from '../tensor/dtype.js';
import type { Backend } from './backend.js';
import type { DeviceMemory } from './device.js';

/** The kernels a backend may provide: every method of {@link Backend} but its name. */
export type Kernels<B = TypedArray> = Omit<Backend<B>, 'name'>;
/** A kernel's name: 'matmul', 'conv2d', 'unary', … */
export type KernelName = keyof Kernels;

/**
 * A kernel with a predicate: `accepts` sees the call's arguments and says whether this kernel
 * runs it; when it returns false the reference (TypeScript) kernel runs instead, and the
 * fallback is counted. Used for size thresholds and dtype limits (oneDNN only pays for large
 * float32 work).
 */
export interface KernelEntry<K extends KernelName, B = TypedArray> {
  kernel: Kernels<B>[K];
  accepts: (...args: Parameters<Kernels<B>[K]>) => boolean;
}

/** What a backend registers: a kernel (always used) or a kernel with a predicate, per name. */
export type KernelRegistrations<B = TypedArray> = { [K in KernelName]?: Kernels<B>[K] | KernelEntry<K, B> };

/**
 * A backend as it is registered: its name, the kernels it has (the rest fall back), and for a
 * backend that allocates its own buffers, its memory functions. A 'cpu' backend's memory must be
 * host memory (TypedArrays: a WebAssembly backend's views on its `WebAssembly.Memory`); a device
 * of its own (`registerDevice`) may have opaque buffers.
 */
export interface BackendDefinition<B = TypedArray> {
  readonly name: string;
  readonly kernels: KernelRegistrations<B>;
  readonly memory?: DeviceMemory<B>;
}

/** Names a backend and the kernels it has (checked against the kernel names at compile time). */
export function defineBackend<B = TypedArray>(
  name: string,
  kernels: KernelRegistrations<B>,
  memory?: DeviceMemory<B>,
): BackendDefinition<B> {
  return memory === undefined ? { name, kernels } : { name, kernels, memory };
}

/** Why a call ran on the reference kernel instead of the active backend's. */
export type FallbackReason = 'not registered' | 'declined';

/**
 * One kind of fallback and how many calls took it since the last {@link resetFallbacks}.
 * `transfers` counts the buffers copied between the device and the host for those calls (reads
 * of every buffer argument, writes of every output); 0 on host-memory devices, where the
 * reference kernel runs on the same arrays.
 */
export interface FallbackRecord {
  backend: string;
  device: string;
  kernel: KernelName;
  reason: FallbackReason;
  count: number;
  transfers: number;
}

/** Called on every fallback while set: a debug switch (log, throw, collect). */
export type FallbackListener = (backend: string, kernel: KernelName, reason: FallbackReason, device: string) => void;

type Counter = FallbackRecord;
const counters = new Map<string, Counter>();
let listener: FallbackListener | null = null;

function counter(backend: string, device: string, kernel: KernelName, reason: FallbackReason): Counter {
  const key = `${backend}\u0000${device}\u0000${kernel}\u0000${reason}`;
  let c = counters.get(key);
  if (c === undefined) {
    c = { backend, device, kernel, reason, count: 0, transfers: 0 };
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
  for (const c of counters.values()) {
    c.count = 0;
    c.transfers = 0;
  }
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
};

/** Every kernel name, in the order {@link Backend} declares them. */
export const KERNEL_NAMES = Object.keys(wrappers) as KernelName[];

// Which arguments each kernel writes (indices into its parameter list): a transfer fallback
// uploads these back to the device after the reference kernel ran on host copies.
const OUTPUTS: { [K in KernelName]: readonly number[] } = {
  copy: [1],
  fill: [0],
  unary: [3],
  clamp: [2],
  binary: [4],
  where: [4],
  reduce: [5],
  argReduce: [5],
  matmul: [6],
  gather: [6],
  scatterAdd: [6],
  conv2d: [3],
  conv2dBackwardData: [2],
  conv2dBackwardWeights: [2, 3],
  maxPool2d: [1, 2],
  maxPool2dBackward: [2],
  avgPool2d: [1],
  avgPool2dBackward: [1],
  adaptiveAvgPool2d: [1],
  adaptiveAvgPool2dBackward: [1],
  batchNorm: [1, 2, 3],
  batchNormBackward: [5, 6, 7],
};

type AnyKernel = (...args: unknown[]) => void;
const isStrided = (v: unknown): v is { buf: unknown; offset: number; strides: readonly number[] } =>
  typeof v === 'object' && v !== null && 'buf' in v && 'strides' in v;

/**
 * The reference kernel run for a device whose buffers are not host memory: every buffer
 * argument (bare or inside a strided operand) is read to the host, the reference kernel runs on
 * those copies, and the outputs are written back. Each read and write is a counted transfer.
 * A device without a synchronous read cannot do this inside a synchronous op: the call throws,
 * naming the kernel and the device.
 */
function transferFallback<B>(kernel: KernelName, device: string, memory: DeviceMemory<B>, ref: AnyKernel): (c: Counter) => AnyKernel {
  const outputs = OUTPUTS[kernel];
  return (c) =>
    (...args) => {
      const read = memory.readSync;
      if (read === undefined) {
        throw new Error(
          `${kernel}: the '${device}' device has no '${kernel}' kernel for this call, and its memory cannot be read synchronously ` +
            `to run the reference kernel on the host; register '${kernel}' for '${device}' (or move the tensors to 'cpu')`,
        );
      }
      const copies = new Map<unknown, TypedArray>();
      const toHost = (buf: B): TypedArray => {
        let h = copies.get(buf);
        if (h === undefined) {
          h = read.call(memory, buf, 0, memory.length(buf)).slice();
          copies.set(buf, h);
          c.transfers++;
        }
        return h;
      };
      const host = args.map((a) => {
        if (memory.isBuffer(a)) return toHost(a);
        if (isStrided(a) && memory.isBuffer(a.buf)) return { buf: toHost(a.buf), offset: a.offset, strides: a.strides };
        return a;
      });
      ref(...host);
      for (const i of outputs) {
        const a = args[i];
        const buf = isStrided(a) ? a.buf : a;
        if (!memory.isBuffer(buf)) continue;
        memory.write(buf, copies.get(buf) as TypedArray, 0);
        c.transfers++;
      }
    };
}

// One dispatch entry: an unconditional kernel as is (no wrapper, no cost); otherwise the kernel's
// wrapper, counting its fallbacks in counters found once here.
function dispatchEntry<K extends KernelName, B>(
  name: string,
  device: string,
  memory: DeviceMemory<B> | null,
  kernel: K,
  reg: KernelRegistrations<B>[K],
  reference: Kernels[K],
): Kernels<B>[K] {
  if (typeof reg === 'function') return reg as Kernels<B>[K];
  const missing = counter(name, device, kernel, 'not registered');
  const declined = counter(name, device, kernel, 'declined');
  const note = (c: Counter) => {
    c.count++;
    if (listener !== null) listener(name, kernel, c.reason, device);
  };
  if (memory === null || memory.hostMemory) {
    // Host memory: the reference kernel runs on the same arrays, no transfer.
    const fell = (wasDeclined: boolean) => note(wasDeclined ? declined : missing);
    const wrap = wrappers[kernel] as Wrapper<K>;
    if (reg === undefined) return wrap(null, reference, reference, fell) as unknown as Kernels<B>[K];
    const entry = reg as KernelEntry<K, B>;
    return wrap(entry.accepts as never, entry.kernel as never, reference, fell) as unknown as Kernels<B>[K];
  }
  const fallback = transferFallback(kernel, device, memory, reference as unknown as AnyKernel);
  const onMissing = fallback(missing);
  const onDeclined = fallback(declined);
  if (reg === undefined) {
    return ((...args: unknown[]) => {
      note(missing);
      onMissing(...args);
    }) as unknown as Kernels<B>[K];
  }
  const entry = reg as unknown as { accepts: (...a: unknown[]) => boolean; kernel: AnyKernel };
  return ((...args: unknown[]) => {
    if (entry.accepts(...args)) return entry.kernel(...args);
    note(declined);
    onDeclined(...args);
  }) as unknown as Kernels<B>[K];
}

/**
 * The dispatch table ops call for a backend on a device: its kernel where registered and
 * accepted, the reference kernel otherwise. On host memory (`memory` null or `hostMemory`) the
 * reference runs on the same arrays; on other devices it runs on host copies through counted
 * transfers (see `FallbackRecord.transfers`), or throws where the device has no synchronous read.
 */
export function resolveBackend<B = TypedArray>(
  def: BackendDefinition<B>,
  reference: Backend,
  device = 'cpu',
  memory: DeviceMemory<B> | null = def.memory ?? null,
): Backend<B> {
  const table: Partial<Record<KernelName, unknown>> = {};
  for (const kernel of KERNEL_NAMES) {
    table[kernel] = dispatchEntry(def.name, device, memory, kernel, def.kernels[kernel], reference[kernel]);
  }
  for (const kernel of Object.keys(def.kernels)) {
    if (!(kernel in table)) throw new Error(`backend '${def.name}' registers an unknown kernel '${kernel}'`);
  }
  return { name: def.name, ...(table as Kernels<B>) };
}
