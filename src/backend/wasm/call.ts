import type { TypedArray } from '../../tensor/dtype.js';
import type { ThreadKernel, WasmRuntime } from './runtime.js';

/**
 * The operands of one kernel call in the module's memory. An array that is already a view on
 * the memory is used in place (its byteOffset is the pointer); any other array is copied into a
 * scratch block, and outputs are copied back after the call. Copies are bytewise, so float32,
 * float64 statistics and int32 indices travel alike.
 */
export class Call {
  private readonly blocks: [number, number][] = [];
  private readonly outputs: [TypedArray, number][] = [];
  constructor(private readonly rt: WasmRuntime) {}

  private bytes(ptr: number, n: number): Uint8Array {
    return new Uint8Array(this.rt.heap.memory.buffer, ptr, n);
  }

  scratch(bytes: number): number {
    const ptr = this.rt.heap.alloc(bytes);
    this.blocks.push([ptr, bytes]);
    return ptr;
  }

  /** Zeroed scratch (for partial sums). */
  zeros(bytes: number): number {
    const ptr = this.scratch(bytes);
    this.bytes(ptr, bytes).fill(0);
    return ptr;
  }

  input(a: TypedArray | null): number {
    if (a === null) return 0;
    if (this.rt.heap.owns(a)) return a.byteOffset;
    const ptr = this.scratch(a.byteLength);
    this.bytes(ptr, a.byteLength).set(new Uint8Array(a.buffer, a.byteOffset, a.byteLength));
    return ptr;
  }

  /** An output the kernel overwrites (`read`: it also reads the old values). */
  output(a: TypedArray | null, read = false): number {
    if (a === null) return 0;
    if (this.rt.heap.owns(a)) return a.byteOffset;
    const ptr = read ? this.input(a) : this.scratch(a.byteLength);
    this.outputs.push([a, ptr]);
    return ptr;
  }

  /** Integers (kernel geometry) in scratch. */
  ints(list: readonly number[]): number {
    const ptr = this.scratch(list.length * 4);
    new Int32Array(this.rt.heap.memory.buffer, ptr, list.length).set(list);
    return ptr;
  }

  /** Copies outputs back and frees the scratch. */
  finish(): void {
    for (const [a, ptr] of this.outputs) new Uint8Array(a.buffer, a.byteOffset, a.byteLength).set(this.bytes(ptr, a.byteLength));
    for (const [ptr, bytes] of this.blocks) this.rt.heap.release(ptr, bytes);
  }
}

/** Runs `body` with a fresh {@link Call}, copying outputs back and freeing scratch even when it throws. */
export function withCall(rt: WasmRuntime, body: (c: Call) => void): void {
  const c = new Call(rt);
  try {
    body(c);
  } finally {
    c.finish();
  }
}

// Waking worker threads costs tens of microseconds: only this much work is split.
export const MIN_THREADED_WORK = 1 << 18;

/** How many threads to use for `units` independent pieces of `work` (multiply-adds or similar). */
export function threadsFor(rt: WasmRuntime, units: number, work: number): number {
  const pool = rt.threads;
  if (pool === null || work < MIN_THREADED_WORK) return 1;
  return Math.max(1, Math.min(pool.size, units));
}

/** Splits [0, n) into `parts` ranges as even as possible, each a multiple of `step` but the last. */
export function split(n: number, parts: number, step = 1): [number, number][] {
  const out: [number, number][] = [];
  const chunk = Math.ceil(n / parts / step) * step;
  for (let s = 0; s < n; s += chunk) out.push([s, Math.min(n, s + chunk)]);
  return out;
}

/** Runs one kernel call per range: on this thread alone, or one per pool thread. */
export function run(rt: WasmRuntime, kernel: ThreadKernel, args: number[][]): void {
  if (args.length === 1) (rt.exports[kernel] as (...a: number[]) => void)(...args[0]);
  else if (args.length > 1) (rt.threads as NonNullable<WasmRuntime['threads']>).run(kernel, args);
}
