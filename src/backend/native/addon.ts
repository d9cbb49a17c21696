import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  type AdadeltaStepOptions,
  type AdamStepOptions,
  type AdaptivePool2dParams,
  type AvgPool2dParams,
  type Conv2dParams,
  conv2dParamList,
  type Pool2dParams,
  pool2dParamList,
  type SgdStepOptions,
} from '../backend.js';

/** The functions the compiled addon (native/src) exports. */
export interface NativeAddon {
  info(): { onednn: string; isa: string; threads: number };
  setNumThreads(n: number): void;
  /** Batched row-major C[b] = op(A[b])·op(B[b]) in float32; batch strides of 0 broadcast. */
  sgemm(
    transA: boolean,
    transB: boolean,
    batch: number,
    m: number,
    n: number,
    k: number,
    a: Float32Array,
    strideA: number,
    b: Float32Array,
    strideB: number,
    c: Float32Array,
  ): void;
  /** y = x < 0 ? 0 : x over n elements, multi-threaded. */
  relu(x: Float32Array, y: Float32Array, n: number): void;
  /** out = y ≤ 0 ? 0 : g (ReLU's backward from its output). */
  reluBackward(g: Float32Array, y: Float32Array, out: Float32Array, n: number): void;
  /** out = a + alpha·b, summed in double and rounded once (out may be a). */
  axpy(a: Float32Array, b: Float32Array, out: Float32Array, alpha: number, n: number): void;
  /** params: the 18 numbers of {@link conv2dParamArray}. */
  conv2dForward(params: Int32Array, x: Float32Array, w: Float32Array, bias: Float32Array | null, y: Float32Array): void;
  conv2dBackwardData(params: Int32Array, dy: Float32Array, w: Float32Array, dx: Float32Array): void;
  conv2dBackwardWeights(params: Int32Array, x: Float32Array, dy: Float32Array, dw: Float32Array, db: Float32Array | null): void;
  /** Both backward passes in one call (dy reordered once for the two). */
  conv2dBackward(
    params: Int32Array,
    x: Float32Array,
    dy: Float32Array,
    w: Float32Array,
    dx: Float32Array,
    dw: Float32Array,
    db: Float32Array | null,
  ): void;
  /** params: the 13 numbers of {@link pool2dParamArray}; the js kernel's rules, planes in parallel. */
  maxPool2d(params: Int32Array, x: Float32Array, out: Float32Array, indices: Int32Array): void;
  maxPool2dBackward(params: Int32Array, gradOut: Float32Array, indices: Int32Array, gradInput: Float32Array): void;
  /** params: the 15 numbers of {@link avgPool2dParamArray}; the js kernel's arithmetic, planes in parallel. */
  avgPool2d(params: Int32Array, x: Float32Array, out: Float32Array): void;
  avgPool2dBackward(params: Int32Array, gradOut: Float32Array, gradInput: Float32Array): void;
  /** params: [planes, inH, inW, outH, outW]. */
  adaptiveAvgPool2d(params: Int32Array, x: Float32Array, out: Float32Array): void;
  adaptiveAvgPool2dBackward(params: Int32Array, gradOut: Float32Array, gradInput: Float32Array): void;
  /** Batch norm forward over float32 [batch, channels, spatial], channels in parallel (the js kernel's arithmetic). */
  batchNorm(
    x: Float32Array,
    out: Float32Array,
    mean: Float64Array,
    variance: Float64Array,
    weight: Float32Array | null,
    bias: Float32Array | null,
    batch: number,
    channels: number,
    spatial: number,
    eps: number,
    training: boolean,
  ): void;
  /** Batch norm backward, likewise. */
  batchNormBackward(
    x: Float32Array,
    gradOut: Float32Array,
    mean: Float64Array,
    variance: Float64Array,
    weight: Float32Array | null,
    gradInput: Float32Array | null,
    gradWeight: Float32Array | null,
    gradBias: Float32Array | null,
    batch: number,
    channels: number,
    spatial: number,
    eps: number,
    training: boolean,
  ): void;
  /** The backend's sgdStep over float32 tensors, all of them in one multi-threaded pass. */
  sgdStep(params: Float32Array[], grads: Float32Array[], buffers: Float32Array[] | null, init: boolean[], o: SgdStepOptions): void;
  /** The backend's adamStep over float32 tensors. */
  adamStep(
    params: Float32Array[],
    grads: Float32Array[],
    expAvgs: Float32Array[],
    expAvgSqs: Float32Array[],
    maxExpAvgSqs: Float32Array[] | null,
    stepSizes: number[],
    bc2Sqrts: number[],
    o: AdamStepOptions,
  ): void;
  /** The ISA oneDNN runs bf16 primitives with natively ('avx512_core_amx', 'avx512_core_bf16'), or '' without bf16 instructions. */
  bf16Support(): string;
  /** Rounds x[0..n) to bf16 in place (round to nearest even). */
  roundBf16(x: Float32Array, n: number): void;
  /** sgemm's arguments, computed in bf16 with float32 accumulation; C rounded to bf16 when `roundOut`. */
  gemmBf16(...args: [...sgemm: Parameters<NativeAddon['sgemm']>, roundOut: boolean]): void;
  /** conv2dForward in bf16 (bias rounded to bf16), y rounded to bf16. */
  conv2dForwardBf16(params: Int32Array, x: Float32Array, w: Float32Array, bias: Float32Array | null, y: Float32Array): void;
  conv2dBackwardDataBf16(params: Int32Array, dy: Float32Array, w: Float32Array, dx: Float32Array): void;
  conv2dBackwardWeightsBf16(params: Int32Array, x: Float32Array, dy: Float32Array, dw: Float32Array, db: Float32Array | null): void;
  /** conv2dBackward in bf16 (dy converted to bf16 once for the two passes). */
  conv2dBackwardBf16(...args: Parameters<NativeAddon['conv2dBackward']>): void;
  /** The backend's adadeltaStep over float32 tensors. */
  adadeltaStep(
    params: Float32Array[],
    grads: Float32Array[],
    squareAvgs: Float32Array[],
    accDeltas: Float32Array[],
    o: AdadeltaStepOptions,
  ): void;
}

/** Packs conv geometry in the order native/src/conv.cc reads it. */
export function conv2dParamArray(p: Conv2dParams): Int32Array {
  return Int32Array.from(conv2dParamList(p));
}

/** Packs pooling geometry in the order native/src/pool.cc reads it. */
export function pool2dParamArray(p: Pool2dParams): Int32Array {
  return Int32Array.from(pool2dParamList(p));
}

/** Packs average-pooling geometry in the order native/src/avgpool.cc reads it. */
export function avgPool2dParamArray(p: AvgPool2dParams): Int32Array {
  return Int32Array.from([...pool2dParamList(p), p.countIncludePad ? 1 : 0, p.divisorOverride]);
}

/** Packs adaptive-pooling geometry in the order native/src/avgpool.cc reads it. */
export function adaptivePool2dParamArray(p: AdaptivePool2dParams): Int32Array {
  return Int32Array.from([p.planes, p.inH, p.inW, p.outH, p.outW]);
}

// The package root is the nearest folder above with a package.json: src/backend/native/ from the
// sources, dist/src/backend/native/ when built.
const buildDir = `${packageRoot()}/native/build/`;
function packageRoot(): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  while (!existsSync(`${dir}/package.json`) && dirname(dir) !== dir) dir = dirname(dir);
  return dir;
}

/** Values of the NABLA_BACKEND environment variable (unset: native when its addon loads, else wasm, else js). */
export const BACKEND_NAMES = ['native', 'wasm', 'js'] as const;

/**
 * The backend NABLA_BACKEND asks for, or null when it is unset. An unknown name is an error, so a
 * typo or a backend nabla does not have yet never runs silently on another one.
 */
export function requestedBackend(): (typeof BACKEND_NAMES)[number] | null {
  const v = process.env.NABLA_BACKEND;
  if (v === undefined || v === '') return null;
  if ((BACKEND_NAMES as readonly string[]).includes(v)) return v as (typeof BACKEND_NAMES)[number];
  throw new Error(
    `NABLA_BACKEND=${v}: unknown backend; valid values are ${BACKEND_NAMES.join(', ')} (or unset for native when available, else wasm)`,
  );
}

/**
 * The addon, or the reason it is unavailable (read from the install-time build's note).
 * NABLA_NATIVE=off hides a built addon, as on a machine where it could not be built (CI runs the
 * suite both ways).
 */
export function loadAddon(): NativeAddon | string {
  const wanted = requestedBackend();
  if (wanted === 'js' || wanted === 'wasm') return `disabled by NABLA_BACKEND=${wanted}`;
  if (process.env.NABLA_NATIVE === 'off') return 'hidden by NABLA_NATIVE=off';
  const file = `${buildDir}Release/nabla_native.node`;
  if (!existsSync(file)) {
    const note = `${buildDir}unavailable.txt`;
    return existsSync(note) ? readFileSync(note, 'utf8').trim() : 'the addon was not built (run npm run build:native)';
  }
  // OpenMP threads that spin while they wait (libgomp's default) stall every parallel region when
  // the machine has more runnable threads than cores: a small convolution then took 100+ ms at 2
  // threads instead of 7 ms (bench/README.md). Passive waiting costs a futex wake per region on an
  // idle machine and nothing like that under load. libgomp reads the variable once, when the addon
  // loads it, so the process environment is restored right after; a value the user set wins.
  const setWait = process.env.OMP_WAIT_POLICY === undefined;
  if (setWait) process.env.OMP_WAIT_POLICY = 'passive';
  try {
    return createRequire(import.meta.url)(file) as NativeAddon;
  } catch (e) {
    return `loading ${file} failed: ${(e as Error).message.split('\n')[0]}`;
  } finally {
    if (setWait) delete process.env.OMP_WAIT_POLICY;
  }
}
