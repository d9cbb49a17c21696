import { allocate, type DType, type TypedArray } from '../tensor/dtype.js';
import type { Backend } from './backend.js';
import { jsBackend } from './js/index.js';

/**
 * How a device keeps tensor memory. `B` is its buffer type: a TypedArray on host-memory devices
 * (the 'cpu' device, whichever backend serves it — TypeScript, native, WebAssembly), an opaque
 * handle elsewhere (a GPU buffer). Only the device's own kernels and these functions ever look
 * inside a buffer; everything outside `src/backend` goes through them.
 */
export interface DeviceMemory<B = TypedArray> {
  /**
   * True when buffers are TypedArrays in host memory, read and written in place: kernels and
   * fallbacks then use them directly, and `readSync` returns live views (no copy).
   */
  readonly hostMemory: boolean;
  /**
   * The dtype of the statistics and intermediates an op keeps in double precision where it can
   * (batch norm's mean and variance, the binary cross-entropy gradients' log-sigmoid and floor):
   * float64 unless the device has none (WebGPU: float32).
   */
  readonly statsDType?: DType;
  /** Whether `value` is one of this device's buffers or windows (transfer fallbacks look for them among a kernel's arguments). */
  isBuffer(value: unknown): value is B;
  /** A zero-filled buffer of `length` elements of `dtype`. */
  alloc(dtype: DType, length: number): B;
  /** A new buffer holding a copy of host `data`, whose element type is `dtype`'s. */
  upload(data: TypedArray, dtype: DType): B;
  /** Copies host `data` (of the buffer's element type) into `buf` from element `offset` on. */
  write(buf: B, data: TypedArray, offset: number): void;
  /**
   * Elements [offset, offset + length) of `buf` as a host TypedArray of its dtype's element type,
   * asynchronously (every device can). On host memory it may be a live view.
   */
  read(buf: B, offset: number, length: number): Promise<TypedArray>;
  /**
   * The same read, synchronously; absent where the device cannot do it honestly (WebGPU). On
   * host memory it returns a live view of the buffer (writes show up in the tensor).
   */
  readSync?(buf: B, offset: number, length: number): TypedArray;
  /** Number of elements in `buf` (a window: from its offset to the end). */
  length(buf: B): number;
  /**
   * `buf` seen from element `offset` on: what a kernel that takes a whole array (no offset
   * parameter) receives for a tensor that does not start at element 0. Host memory: a subarray.
   */
  window(buf: B, offset: number): B;
  /**
   * Frees `buf` at once; called when its storage is garbage collected (FinalizationRegistry).
   * Absent where the garbage collector reclaims buffers by itself (TypedArrays).
   */
  release?(buf: B): void;
}

/**
 * A device: where a tensor's memory lives and whose kernels compute on it. Named like PyTorch's
 * (`'cpu'`, `'webgpu'`, test-only devices); `'cpu'` is served by the backend chosen with
 * `setBackend` (TypeScript, native or WebAssembly kernels: a backend choice, not a device).
 */
export interface Device<B = unknown> {
  /** The device's name, as `x.device` and error messages show it. */
  readonly type: string;
  /** Allocation, upload and read-back of its buffers. */
  readonly memory: DeviceMemory<B>;
  /** Its dispatch table: registered kernels, and the reference kernels as fallbacks. */
  readonly kernels: Backend<B>;
}

/** A device, or its name. */
export type DeviceLike = string | Device;

const host: DeviceMemory<TypedArray> = {
  hostMemory: true,
  isBuffer: (v): v is TypedArray => ArrayBuffer.isView(v),
  alloc: (dtype, length) => allocate(dtype, length),
  upload: (data, dtype) => {
    const out = allocate(dtype, data.length);
    out.set(data);
    return out;
  },
  write: (buf, data, offset) => buf.set(data, offset),
  read: (buf, offset, length) => Promise.resolve(buf.subarray(offset, offset + length)),
  readSync: (buf, offset, length) => buf.subarray(offset, offset + length),
  length: (buf) => buf.length,
  window: (buf, offset) => (offset === 0 ? buf : buf.subarray(offset)),
};

/** The host memory functions: TypedArrays the garbage collector reclaims. */
export const hostMemory: DeviceMemory<TypedArray> = host;

/** @internal The 'cpu' device; its kernels (and, for a backend with its own allocator, its memory) follow `setBackend`. */
export const cpuDevice: { type: 'cpu'; memory: DeviceMemory<TypedArray>; kernels: Backend<TypedArray> } = {
  type: 'cpu',
  memory: host,
  kernels: jsBackend,
};

const devices = new Map<string, Device>([['cpu', cpuDevice as Device]]);
let defaultDevice: Device = cpuDevice as Device;

/** @internal Adds a device under its name (replacing one of that name, except 'cpu'). */
export function addDevice(d: Device): void {
  if (d.type === 'cpu') throw new Error("registerDevice: 'cpu' is served by setBackend, not registered as a device");
  if (!/^[a-z][a-z0-9_-]*$/.test(d.type)) {
    throw new Error(`registerDevice: invalid device name '${d.type}' (lowercase letters, digits, '-' and '_', starting with a letter)`);
  }
  devices.set(d.type, d);
}

/** @internal Removes a registered device (tests). Tensors already on it keep working. */
export function removeDevice(type: string): void {
  if (type === 'cpu') throw new Error("removeDevice: 'cpu' cannot be removed");
  if (defaultDevice.type === type) defaultDevice = cpuDevice as Device;
  devices.delete(type);
}

function noArguments(fn: string, n: number): void {
  if (n > 0) throw new TypeError(`${fn}: takes no arguments, got ${n}`);
}

/** Names of the devices available now, 'cpu' first. */
export function listDevices(): string[] {
  // biome-ignore lint/complexity/noArguments: JS would drop a surplus argument silently
  noArguments('listDevices', arguments.length);
  return [...devices.keys()];
}

/**
 * The device named `d` (a Device passes through). Throws naming `fn` and the available devices
 * for an unknown name; PyTorch's `'cuda'`/`'mps'` get a hint.
 */
export function getDevice(d: DeviceLike, fn = 'device'): Device {
  if (typeof d !== 'string') {
    if (d !== null && typeof d === 'object' && devices.get(d.type) === d) return d;
    throw new TypeError(`${fn}: expected a device name such as 'cpu', got ${describe(d)}`);
  }
  const found = devices.get(d);
  if (found !== undefined) return found;
  const hint =
    d === 'cuda' || d.startsWith('cuda:') || d === 'mps'
      ? ` (nabla has no ${d.split(':')[0]} device; 'webgpu' runs on GPUs where its backend is installed)`
      : d === 'webgpu'
        ? ' (await initWebGpu() first: it acquires the GPU and registers the device)'
        : d.startsWith('cpu:')
          ? " (write 'cpu'; nabla's devices have no index)"
          : '';
  throw new TypeError(
    `${fn}: unknown device '${d}'${hint}; available devices: ${listDevices()
      .map((n) => `'${n}'`)
      .join(', ')}`,
  );
}

function describe(v: unknown): string {
  if (v === null) return 'null';
  if (typeof v === 'object') return (v as object).constructor?.name ?? 'an object';
  return `${typeof v} ${String(v)}`;
}

/** Sets the device factories (`tensor`, `zeros`, `rand`, …) use when no `device` is given (PyTorch's `torch.set_default_device`). */
export function setDefaultDevice(d: DeviceLike): void {
  // biome-ignore lint/complexity/noArguments: JS would drop a surplus argument silently
  if (arguments.length !== 1) throw new TypeError(`setDefaultDevice: takes 1 argument (a device), got ${arguments.length}`);
  defaultDevice = getDevice(d, 'setDefaultDevice');
}

/** The name of the device factories use when no `device` is given ('cpu' unless changed). */
export function getDefaultDevice(): string {
  // biome-ignore lint/complexity/noArguments: JS would drop a surplus argument silently
  noArguments('getDefaultDevice', arguments.length);
  return defaultDevice.type;
}

/** @internal The default device object. */
export function defaultDeviceObject(): Device {
  return defaultDevice;
}

interface OnDevice {
  readonly storage: { readonly device: Device };
}

function mixed(op: string, a: Device, b: Device): Error {
  return new Error(`${op}: Expected all tensors to be on the same device, but found at least two devices, ${a.type} and ${b.type}!`);
}

/**
 * The device `a` and `b` (and `c`) share; throws PyTorch's "Expected all tensors to be on the same
 * device" error, prefixed with `op`, when they differ.
 */
export function sameDevice(op: string, a: OnDevice, b: OnDevice, c?: OnDevice | null): Device {
  const d = a.storage.device;
  if (b.storage.device !== d) throw mixed(op, d, b.storage.device);
  if (c != null && c.storage.device !== d) throw mixed(op, d, c.storage.device);
  return d;
}

/** {@link sameDevice} over a list (at least one tensor). */
export function sameDeviceAll(op: string, ts: readonly OnDevice[]): Device {
  const d = ts[0].storage.device;
  for (const t of ts) if (t.storage.device !== d) throw mixed(op, d, t.storage.device);
  return d;
}
