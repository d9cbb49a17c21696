/// <reference types="@webgpu/types" />
// One WebGPU device's working state: a buffer pool, a pipeline cache, and a command encoder that
// collects many kernels per submit. Values are read back only when asked (read()).
import type { TypedArray } from '../../tensor/dtype.js';
import type { AdapterReport } from './runtime.js';

/** Element types a GPU array holds: every element is 32 bits (bool is a u32 0 or 1). */
export type GpuDType = 'float32' | 'int32' | 'bool';

/**
 * An array in GPU memory: `length` elements of `dtype` in `buffer`, from element `offset` (0 when
 * absent). Kernels bind whole buffers, so an array with an offset (a device window) is copied to
 * a fresh buffer when a kernel binds it.
 */
export interface GpuArray {
  readonly buffer: GPUBuffer;
  readonly dtype: GpuDType;
  readonly length: number;
  readonly offset?: number;
}

/** The WGSL element type storing each dtype. */
export const wgslType = (d: GpuDType): 'f32' | 'i32' | 'u32' => (d === 'float32' ? 'f32' : d === 'int32' ? 'i32' : 'u32');

const STORAGE = 0x0080; // GPUBufferUsage.STORAGE
const COPY_SRC = 0x0004;
const COPY_DST = 0x0008;
const MAP_READ = 0x0001;
const MAP_MODE_READ = 0x0001;

/** A thrown out-of-memory error: what was asked for against the device's limit. */
export class WebGpuOutOfMemoryError extends RangeError {
  constructor(message: string) {
    super(message);
    this.name = 'WebGpuOutOfMemoryError';
  }
}

/** A kernel's shader or pipeline failed to compile or validate; `kernel` names it. */
export class WebGpuKernelError extends Error {
  constructor(
    readonly kernel: string,
    message: string,
  ) {
    super(`webgpu kernel '${kernel}': ${message}`);
    this.name = 'WebGpuKernelError';
  }
}

/** Host data as the 32-bit elements a GPU array of `d` stores (bool as u32 0/1). */
function toHost(data: TypedArray, d: GpuDType): Float32Array | Int32Array | Uint32Array {
  if (d === 'float32') return data instanceof Float32Array ? data : Float32Array.from(data);
  if (d === 'int32') return data instanceof Int32Array ? data : Int32Array.from(data);
  return Uint32Array.from(data, (v) => (v !== 0 ? 1 : 0));
}

const mib = (bytes: number) => `${(bytes / 2 ** 20).toFixed(1)} MiB`;

/** Buffers are pooled by size class (powers of two from 256 bytes): no create/destroy per op. */
function sizeClass(bytes: number): number {
  return Math.max(256, 2 ** Math.ceil(Math.log2(Math.max(bytes, 1))));
}

/** Statistics for tests and `nabla doctor`. */
export interface ContextStats {
  buffersCreated: number;
  buffersReused: number;
  pipelinesCompiled: number;
  submits: number;
  dispatches: number;
}

/** A binding of a dispatch: read-only or written by the kernel. */
export interface Binding {
  array: GpuArray;
  write?: boolean;
}

/** WebGPU's cap on workgroups per dispatch dimension. */
const MAX_GROUPS = 65535;

export class WebGpuContext {
  readonly stats: ContextStats = { buffersCreated: 0, buffersReused: 0, pipelinesCompiled: 0, submits: 0, dispatches: 0 };
  private readonly free = new Map<number, GPUBuffer[]>();
  /** Released while commands that may use them are not yet submitted: pooled after the next submit. */
  private pendingFree: GPUBuffer[] = [];
  private readonly pipelines = new Map<string, GPUComputePipeline>();
  private encoder: GPUCommandEncoder | null = null;
  private encodedOps = 0;
  /** Validation errors of pipelines created since the last read, reported (naming the kernel) by read(). */
  private readonly pendingErrors: Promise<Error | null>[] = [];
  private readonly maxBinding: number;
  private destroyed = false;
  /** Kernels encoded per submit at most (bounds the work one submit holds). */
  maxOpsPerSubmit = 256;

  constructor(
    readonly device: GPUDevice,
    readonly adapter: AdapterReport,
  ) {
    this.maxBinding = Math.min(device.limits.maxStorageBufferBindingSize, device.limits.maxBufferSize);
  }

  /** A zero-filled array of `n` elements (cleared on the GPU, ordered with the encoded kernels). */
  alloc(dtype: GpuDType, n: number): GpuArray {
    const arr = this.allocUninit(dtype, n);
    if (n > 0) this.encode().clearBuffer(arr.buffer, 0, sizeClass(n * 4));
    return arr;
  }

  /** An array whose contents are unspecified (the caller's kernel writes every element). */
  allocUninit(dtype: GpuDType, n: number): GpuArray {
    if (!Number.isInteger(n) || n < 0) throw new RangeError(`webgpu: cannot allocate ${n} elements of ${dtype}`);
    return { buffer: this.takeBuffer(n * 4, `${dtype}[${n}]`), dtype, length: n };
  }

  private takeBuffer(bytes: number, what: string): GPUBuffer {
    if (this.destroyed) throw new Error('webgpu: the device was destroyed');
    const size = sizeClass(bytes);
    if (size > this.maxBinding && bytes > 0) {
      throw new WebGpuOutOfMemoryError(
        `webgpu: out of memory: ${what} needs ${mib(bytes)} in one buffer, but this device's limit is ${mib(this.maxBinding)} (maxStorageBufferBindingSize/maxBufferSize of ${this.adapter.vendor || 'the adapter'} ${this.adapter.architecture})`,
      );
    }
    const list = this.free.get(size);
    const reused = list?.pop();
    if (reused) {
      this.stats.buffersReused++;
      return reused;
    }
    this.device.pushErrorScope('out-of-memory');
    const buffer = this.device.createBuffer({ size, usage: STORAGE | COPY_SRC | COPY_DST });
    const scope = this.device.popErrorScope();
    this.pendingErrors.push(
      scope.then((err) =>
        err ? new WebGpuOutOfMemoryError(`webgpu: out of memory allocating ${what} (${mib(bytes)}): ${err.message}`) : null,
      ),
    );
    this.stats.buffersCreated++;
    return buffer;
  }

  /** Returns an array's buffer to the pool (after the commands that may use it are submitted). */
  release(arr: GpuArray): void {
    this.pendingFree.push(arr.buffer);
    if (!this.encoder) this.recycle();
  }

  private recycle(): void {
    for (const b of this.pendingFree) {
      const size = b.size;
      const list = this.free.get(size);
      if (list) list.push(b);
      else this.free.set(size, [b]);
    }
    this.pendingFree = [];
  }

  /** Uploads host data (bool as u32 0/1) into a new array. */
  upload(data: TypedArray, dtype?: GpuDType): GpuArray {
    const d: GpuDType =
      dtype ??
      (data instanceof Float32Array ? 'float32' : data instanceof Int32Array ? 'int32' : data instanceof Uint8Array ? 'bool' : 'float32');
    const n = data.length;
    const host = toHost(data, d);
    const arr = this.allocUninit(d, n);
    // queue.writeBuffer runs before commands still in the encoder; submit them first so the write
    // lands after every kernel encoded so far (the buffer may be one they used).
    this.flush();
    if (n > 0) this.device.queue.writeBuffer(arr.buffer, 0, host.buffer, host.byteOffset, n * 4);
    return arr;
  }

  /** Copies host `data` (converted to `arr`'s element type) into `arr` from element `at` on, after every kernel encoded so far. */
  write(arr: GpuArray, data: TypedArray, at: number): void {
    if (!Number.isInteger(at) || at < 0 || at + data.length > arr.length) {
      throw new RangeError(`webgpu write: elements [${at}, ${at + data.length}) are outside an array of ${arr.length}`);
    }
    const host = toHost(data, arr.dtype);
    this.flush();
    if (data.length > 0)
      this.device.queue.writeBuffer(arr.buffer, ((arr.offset ?? 0) + at) * 4, host.buffer, host.byteOffset, data.length * 4);
  }

  /** A small read-only parameter array (shapes, strides, scalars) for one dispatch. */
  params(values: ArrayLike<number>, floats: ArrayLike<number> = []): GpuArray {
    const n = values.length + floats.length;
    const host = new Int32Array(Math.max(n, 1));
    host.set(values);
    new Float32Array(host.buffer).set(floats, values.length);
    const arr = this.allocUninit('int32', host.length);
    // Fresh or pooled-after-submit buffers only: no encoded command reads this one yet.
    this.device.queue.writeBuffer(arr.buffer, 0, host.buffer, 0, host.byteLength);
    this.pendingFree.push(arr.buffer);
    return arr;
  }

  /** Reads an array back (bool as Uint8Array 0/1). Submits what is encoded and awaits the GPU. */
  async read(arr: GpuArray, from = 0, count = arr.length - from): Promise<Float32Array | Int32Array | Uint8Array> {
    if (!Number.isInteger(from) || !Number.isInteger(count) || from < 0 || count < 0 || from + count > arr.length) {
      throw new RangeError(`webgpu read: elements [${from}, ${from + count}) are outside an array of ${arr.length}`);
    }
    const bytes = count * 4;
    let staging: GPUBuffer | null = null;
    if (bytes > 0) {
      staging = this.device.createBuffer({ size: bytes, usage: MAP_READ | COPY_DST });
      this.encode().copyBufferToBuffer(arr.buffer, ((arr.offset ?? 0) + from) * 4, staging, 0, bytes);
    }
    this.flush();
    await this.checkErrors();
    if (!staging) return arr.dtype === 'float32' ? new Float32Array(0) : arr.dtype === 'int32' ? new Int32Array(0) : new Uint8Array(0);
    await staging.mapAsync(MAP_MODE_READ);
    const copy = staging.getMappedRange().slice(0);
    staging.unmap();
    staging.destroy();
    if (arr.dtype === 'float32') return new Float32Array(copy);
    if (arr.dtype === 'int32') return new Int32Array(copy);
    return Uint8Array.from(new Uint32Array(copy));
  }

  /** Throws the first error (compile, validation, out of memory) reported since the last check. */
  async checkErrors(): Promise<void> {
    const errs = await Promise.all(this.pendingErrors.splice(0));
    const first = errs.find((e) => e !== null);
    if (first) throw first;
  }

  /** Submits every encoded command. */
  flush(): void {
    if (this.encoder) {
      this.device.queue.submit([this.encoder.finish()]);
      this.encoder = null;
      this.encodedOps = 0;
      this.stats.submits++;
    }
    this.recycle();
  }

  private encode(): GPUCommandEncoder {
    this.encoder ??= this.device.createCommandEncoder();
    return this.encoder;
  }

  /** The compute pipeline for `key`, compiled once from `source()`; compile errors name `kernel`. */
  pipeline(kernel: string, key: string, source: () => string): GPUComputePipeline {
    const found = this.pipelines.get(key);
    if (found) return found;
    const code = source();
    this.device.pushErrorScope('validation');
    const module = this.device.createShaderModule({ code, label: kernel });
    const pipeline = this.device.createComputePipeline({ layout: 'auto', compute: { module, entryPoint: 'main' }, label: kernel });
    const scope = this.device.popErrorScope();
    this.pendingErrors.push(
      scope.then(async (err) => {
        if (!err) return null;
        let detail = err.message;
        try {
          const info = await module.getCompilationInfo();
          const msgs = info.messages.filter((m) => m.type === 'error').map((m) => `line ${m.lineNum}: ${m.message}`);
          if (msgs.length) detail = msgs.join('; ');
        } catch {
          // getCompilationInfo is optional in some implementations; the scope's message stands.
        }
        this.pipelines.delete(key);
        return new WebGpuKernelError(kernel, `shader failed to compile: ${detail}`);
      }),
    );
    this.pipelines.set(key, pipeline);
    this.stats.pipelinesCompiled++;
    return pipeline;
  }

  /**
   * Encodes one dispatch of `threads` invocations in workgroups of `workgroupSize` (spread over
   * x and y when more than 65535 groups; shaders rebuild the flat index with `flatIndex`), or
   * of explicit `groups` [x, y, z]. Read-only bindings that alias a written one are copied first.
   */
  dispatch(pipeline: GPUComputePipeline, bindings: Binding[], groups: [number, number, number]): void {
    if (groups[0] === 0 || groups[1] === 0 || groups[2] === 0) return;
    const written = new Set(bindings.filter((b) => b.write).map((b) => b.array.buffer));
    const entries: GPUBindGroupEntry[] = bindings.map((b, i) => {
      let buffer = b.array.buffer;
      const at = b.array.offset ?? 0;
      if (b.write && at !== 0) throw new Error('webgpu: a kernel output must start at element 0 of its buffer');
      if (!b.write && (at !== 0 || written.has(buffer))) {
        const copy = this.allocUninit(b.array.dtype, b.array.length);
        const bytes = at === 0 ? Math.min(buffer.size, copy.buffer.size) : b.array.length * 4;
        if (bytes > 0) this.encode().copyBufferToBuffer(buffer, at * 4, copy.buffer, 0, bytes);
        this.pendingFree.push(copy.buffer);
        buffer = copy.buffer;
      }
      return { binding: i, resource: { buffer } };
    });
    const bindGroup = this.device.createBindGroup({ layout: pipeline.getBindGroupLayout(0), entries });
    const pass = this.encode().beginComputePass();
    pass.setPipeline(pipeline);
    pass.setBindGroup(0, bindGroup);
    pass.dispatchWorkgroups(groups[0], groups[1], groups[2]);
    pass.end();
    this.stats.dispatches++;
    if (++this.encodedOps >= this.maxOpsPerSubmit) this.flush();
  }

  /** Workgroup counts covering `count` groups: x up to 65535, the rest in y. */
  static groups1d(count: number): [number, number, number] {
    if (count <= MAX_GROUPS) return [count, 1, 1];
    return [MAX_GROUPS, Math.ceil(count / MAX_GROUPS), 1];
  }

  /** Releases every pooled buffer and destroys the device. */
  destroy(): void {
    if (this.destroyed) return;
    this.flush();
    for (const list of this.free.values()) for (const b of list) b.destroy();
    this.free.clear();
    this.pipelines.clear();
    this.destroyed = true;
    this.device.destroy();
  }
}
