import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import type { Conv2dParams } from '../backend.js';

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
}

/** Packs conv geometry in the order native/src/conv.cc reads it. */
export function conv2dParamArray(p: Conv2dParams): Int32Array {
  return Int32Array.of(
    p.batch,
    p.inChannels,
    p.inH,
    p.inW,
    p.outChannels,
    p.kernelH,
    p.kernelW,
    p.outH,
    p.outW,
    p.strideH,
    p.strideW,
    p.padTop,
    p.padLeft,
    p.padBottom,
    p.padRight,
    p.dilationH,
    p.dilationW,
    p.groups,
  );
}

// src/backend/native and dist/backend/native are both three levels below the package root.
const buildDir = fileURLToPath(new URL('../../../native/build/', import.meta.url));

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
  try {
    return createRequire(import.meta.url)(file) as NativeAddon;
  } catch (e) {
    return `loading ${file} failed: ${(e as Error).message.split('\n')[0]}`;
  }
}
