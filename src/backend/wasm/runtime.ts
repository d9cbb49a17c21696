import { WASM_KERNELS } from './binary.js';
import { WasmHeap } from './memory.js';

/** The kernels exported by wasm/assembly (pointers are byte addresses, booleans 0/1). */
export interface WasmExports {
  heapBase(): number;
  packABytes(): number;
  packBBytes(n: number): number;
  colBytes(params: number): number;
  sgemmBatch(
    b0: number,
    b1: number,
    m: number,
    n: number,
    k: number,
    a: number,
    aStride: number,
    lda: number,
    transA: number,
    b: number,
    bStride: number,
    ldb: number,
    transB: number,
    c: number,
    cStride: number,
    ldc: number,
    pa: number,
    pb: number,
  ): void;
  conv2dForward(
    p: number,
    b0: number,
    b1: number,
    x: number,
    w: number,
    bias: number,
    out: number,
    col: number,
    pa: number,
    pb: number,
  ): void;
  conv2dBackwardData(
    p: number,
    b0: number,
    b1: number,
    gradOut: number,
    w: number,
    gradIn: number,
    col: number,
    pa: number,
    pb: number,
  ): void;
  conv2dBackwardWeights(
    p: number,
    b0: number,
    b1: number,
    x: number,
    gradOut: number,
    gradW: number,
    gradB: number,
    col: number,
    pa: number,
    pb: number,
  ): void;
  addInto(dst: number, src: number, n: number): void;
  // Elementwise and reductions (wasm/assembly/elementwise.ts); op codes as in ./elementwise.ts.
  unaryF32(op: number, x: number, out: number, n: number): void;
  binaryF32(
    op: number,
    a: number,
    aRow: number,
    aCol: number,
    b: number,
    bRow: number,
    bCol: number,
    out: number,
    rows: number,
    cols: number,
  ): void;
  addScaledF32(a: number, b: number, out: number, n: number, alpha: number): void;
  reduceF32(op: number, x: number, outer: number, size: number, inner: number, out: number, acc: number): void;
  // Pooling (wasm/assembly/pool.ts): p points at the pool2dParamList integers (+ countIncludePad, divisorOverride).
  maxPool2dF32(p: number, c0: number, c1: number, x: number, out: number, indices: number, t: number): void;
  maxPool2dBackwardF32(p: number, c0: number, c1: number, gradOut: number, indices: number, gradIn: number): void;
  avgPool2dF32(p: number, c0: number, c1: number, x: number, out: number): void;
  avgPool2dBackwardF32(p: number, c0: number, c1: number, gradOut: number, gradIn: number, acc: number): void;
  // Batch norm (wasm/assembly/batchnorm.ts).
  batchNormF32(
    x: number,
    out: number,
    mean: number,
    variance: number,
    weight: number,
    bias: number,
    batch: number,
    channels: number,
    spatial: number,
    eps: number,
    training: number,
    c0: number,
    c1: number,
  ): void;
  batchNormBackwardF32(
    x: number,
    gradOut: number,
    mean: number,
    variance: number,
    weight: number,
    gradIn: number,
    gradWeight: number,
    gradBias: number,
    batch: number,
    channels: number,
    spatial: number,
    eps: number,
    training: number,
    c0: number,
    c1: number,
  ): void;
  // Optimizer steps (wasm/assembly/optim.ts), one tensor per call.
  sgdStepF32(
    p: number,
    g: number,
    b: number,
    n: number,
    init: number,
    lr: number,
    momentum: number,
    keep: number,
    weightDecay: number,
    nesterov: number,
    maximize: number,
  ): void;
  adamStepF32(
    p: number,
    g: number,
    m: number,
    v: number,
    mx: number,
    n: number,
    l2: number,
    wd: number,
    shrink: number,
    decay: number,
    b1: number,
    c1: number,
    b2: number,
    c2: number,
    eps: number,
    step: number,
    bc: number,
    maximize: number,
  ): void;
  adadeltaStepF32(
    p: number,
    g: number,
    s: number,
    u: number,
    n: number,
    wd: number,
    rho: number,
    c: number,
    eps: number,
    step: number,
    maximize: number,
  ): void;
}

/** Kernel names a worker thread may be asked to run (indices into this list cross threads). */
export const THREAD_KERNELS = [
  'sgemmBatch',
  'conv2dForward',
  'conv2dBackwardData',
  'conv2dBackwardWeights',
  'maxPool2dF32',
  'maxPool2dBackwardF32',
  'avgPool2dF32',
  'avgPool2dBackwardF32',
] as const;
export type ThreadKernel = (typeof THREAD_KERNELS)[number];

/**
 * Runs one kernel call per thread over the shared memory and returns when all are done; the
 * calling thread runs the first. Implemented with worker_threads in Node and Web Workers in
 * browsers (./pool.ts).
 */
export interface ThreadPool {
  /** Threads, the calling one included. */
  readonly size: number;
  /** Calls split across threads so far. */
  readonly threadedCalls: number;
  run(kernel: ThreadKernel, argsPerThread: number[][]): void;
  /** Stops the workers. */
  close(): void;
}

/** What this platform's WebAssembly supports. */
export interface WasmFeatures {
  simd: boolean;
  relaxedSimd: boolean;
  /** Shared memory (SharedArrayBuffer), which threads and growth-stable views need. */
  sharedMemory: boolean;
  /** Why shared memory is unavailable, when it is. */
  sharedReason?: string;
}

const decode = (b64: string): Uint8Array => {
  if (typeof atob === 'function') {
    const s = atob(b64);
    const out = new Uint8Array(s.length);
    for (let i = 0; i < s.length; i++) out[i] = s.charCodeAt(i);
    return out;
  }
  throw new Error('wasm backend: no base64 decoder (atob) on this platform');
};
const bytes: Partial<Record<keyof typeof WASM_KERNELS, Uint8Array>> = {};
/** The embedded bytes of one variant of the kernels. */
export function kernelBytes(variant: keyof typeof WASM_KERNELS): Uint8Array {
  bytes[variant] ??= decode(WASM_KERNELS[variant]);
  return bytes[variant];
}

let features: WasmFeatures | undefined;
/** Detects SIMD, relaxed SIMD and shared memory by validating the kernels themselves. */
export function wasmFeatures(): WasmFeatures {
  if (features !== undefined) return features;
  if (typeof WebAssembly !== 'object') {
    features = { simd: false, relaxedSimd: false, sharedMemory: false, sharedReason: 'no WebAssembly' };
    return features;
  }
  const simd = WebAssembly.validate(kernelBytes('plain') as BufferSource);
  const relaxedSimd = simd && WebAssembly.validate(kernelBytes('plainRelaxed') as BufferSource);
  let sharedReason: string | undefined;
  const g = globalThis as { crossOriginIsolated?: boolean };
  if (typeof SharedArrayBuffer === 'undefined')
    sharedReason =
      g.crossOriginIsolated === false
        ? 'the page is not cross-origin isolated (serve it with COOP/COEP headers)'
        : 'SharedArrayBuffer is unavailable';
  else {
    try {
      new WebAssembly.Memory({ initial: 1, maximum: 1, shared: true });
    } catch (e) {
      sharedReason = `shared WebAssembly memory is unavailable (${(e as Error).message})`;
    }
  }
  features = { simd, relaxedSimd, sharedMemory: sharedReason === undefined, ...(sharedReason ? { sharedReason } : {}) };
  return features;
}

/** One instance of the kernels over its memory. */
export interface WasmRuntime {
  readonly module: WebAssembly.Module;
  readonly heap: WasmHeap;
  readonly exports: WasmExports;
  readonly relaxedSimd: boolean;
  /** Set when worker threads share the memory. */
  threads: ThreadPool | null;
}

function variantFor(f: WasmFeatures): keyof typeof WASM_KERNELS {
  if (!f.simd)
    throw new Error('wasm backend: this WebAssembly engine lacks SIMD128 (Node ≥ 16.4, Chrome ≥ 91, Firefox ≥ 89, Safari ≥ 16.4 have it)');
  return f.sharedMemory ? (f.relaxedSimd ? 'sharedRelaxed' : 'shared') : f.relaxedSimd ? 'plainRelaxed' : 'plain';
}

function newMemory(shared: boolean): WebAssembly.Memory {
  // 16 MiB to start; grows on demand up to wasm32's 4 GiB.
  return new WebAssembly.Memory({ initial: 256, maximum: 65536, ...(shared ? { shared: true } : {}) });
}

function runtimeOf(
  module: WebAssembly.Module,
  instance: WebAssembly.Instance,
  memory: WebAssembly.Memory,
  shared: boolean,
  relaxed: boolean,
): WasmRuntime {
  const exports = instance.exports as unknown as WasmExports;
  return { module, heap: new WasmHeap(memory, exports.heapBase(), shared), exports, relaxedSimd: relaxed, threads: null };
}

/**
 * Compiles and instantiates the kernels synchronously (Node; browsers refuse synchronous
 * compilation of modules this size on the main thread — use {@link createRuntimeAsync} there).
 */
export function createRuntime(): WasmRuntime {
  const f = wasmFeatures();
  const variant = variantFor(f);
  const module = new WebAssembly.Module(kernelBytes(variant) as BufferSource);
  const memory = newMemory(f.sharedMemory);
  return runtimeOf(module, new WebAssembly.Instance(module, { env: { memory } }), memory, f.sharedMemory, f.relaxedSimd);
}

/** Compiles and instantiates the kernels asynchronously (works everywhere). */
export async function createRuntimeAsync(): Promise<WasmRuntime> {
  const f = wasmFeatures();
  const variant = variantFor(f);
  const module = await WebAssembly.compile(kernelBytes(variant) as BufferSource);
  const memory = newMemory(f.sharedMemory);
  return runtimeOf(module, await WebAssembly.instantiate(module, { env: { memory } }), memory, f.sharedMemory, f.relaxedSimd);
}
