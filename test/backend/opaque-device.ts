// A test-only device whose buffers are opaque: a `Box` has no elements, indices or length of its
// own, so an op that reached into a storage instead of calling kernels or the device's memory
// functions would read `undefined` and fail. Only this file's memory functions and kernels see
// the values (kept in a WeakMap), the way only a GPU backend's own code sees its GPU buffers.
import type { Strided } from '../../src/backend/backend.js';
import type { DeviceMemory } from '../../src/backend/device.js';
import { jsBackend } from '../../src/backend/js/index.js';
import { defineBackend, KERNEL_NAMES, type KernelName, type KernelRegistrations } from '../../src/backend/kernels.js';
import { allocate, type TypedArray } from '../../src/tensor/dtype.js';

/** An opaque buffer handle. */
export class Box {
  private constructor() {}
  static of(values: TypedArray): Box {
    const b = new Box();
    contents.set(b, values);
    return b;
  }
}
const contents = new WeakMap<Box, TypedArray>();
const open = (b: Box): TypedArray => contents.get(b) as TypedArray;

/** How many buffers were released through the device (FinalizationRegistry). */
export const released = { count: 0 };

/** The opaque device's memory; `syncRead` false leaves out `readSync` (like WebGPU). */
export function opaqueMemory(syncRead: boolean): DeviceMemory<Box> {
  const memory: DeviceMemory<Box> = {
    hostMemory: false,
    isBuffer: (v): v is Box => v instanceof Box,
    alloc: (dtype, length) => Box.of(allocate(dtype, length)),
    upload: (data, dtype) => {
      const a = allocate(dtype, data.length);
      a.set(data);
      return Box.of(a);
    },
    write: (buf, data, offset) => open(buf).set(data, offset),
    read: async (buf, offset, length) => open(buf).slice(offset, offset + length),
    length: (buf) => open(buf).length,
    window: (buf, offset) => Box.of(open(buf).subarray(offset)),
    release: () => {
      released.count++;
    },
  };
  if (syncRead) memory.readSync = (buf, offset, length) => open(buf).slice(offset, offset + length);
  return memory;
}

// A kernel of this device: the reference kernel run on the boxes' contents (unwrapped here, the
// only place besides the memory functions that opens a box).
function unwrap(v: unknown): unknown {
  if (v instanceof Box) return open(v);
  if (typeof v === 'object' && v !== null && 'buf' in v && (v as Strided<unknown>).buf instanceof Box) {
    const s = v as Strided<Box>;
    return { buf: open(s.buf), offset: s.offset, strides: s.strides };
  }
  return v;
}
function kernel(name: KernelName): (...args: unknown[]) => void {
  const ref = jsBackend[name] as (...args: unknown[]) => void;
  return (...args) => ref(...args.map(unwrap));
}

/** Registrations of the named kernels (all of them by default), each the unwrapped reference kernel. */
export function opaqueKernels(names: readonly KernelName[] = KERNEL_NAMES): KernelRegistrations<Box> {
  const regs: Record<string, unknown> = {};
  for (const n of names) regs[n] = kernel(n);
  return regs as KernelRegistrations<Box>;
}

/** The kernels the partial opaque device registers: enough to compute, not enough to avoid fallbacks. */
export const PARTIAL: readonly KernelName[] = ['matmul', 'unary', 'binary'];

export const opaqueBackend = (name: string, names?: readonly KernelName[]) => defineBackend<Box>(name, opaqueKernels(names));
