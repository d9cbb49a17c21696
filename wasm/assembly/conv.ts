// 2-D convolution (NCHW, weights OIHW, float32) as im2col + GEMM: per group, the receptive
// fields are unrolled into a K×(outH·outW) column matrix (K = inChannels/groups · kernelH ·
// kernelW) and multiplied by the group's weights. Small images go G at a time (G·outH·outW ≤ KC,
// their columns side by side), so that one GEMM has a long enough pixel dimension: the weights
// are packed once per G images and, in backward-weights, gradW's tiles are read and written once
// per G images instead of once per image. A 1×1, stride-1, unpadded conv multiplies the input in
// place, one image at a time. Each function handles images [b0, b1), so threads split the batch;
// `col`, `pa` and `pb` are the calling thread's scratch (colBytes, packABytes, packBBytes).
import { KC, packBBytes, sgemm } from './gemm';

// Conv2dParams as 18 i32 at p, in src/backend/backend.ts's field order.
// @ts-ignore: decorator
@inline function P(p: usize, i: i32): i32 {
  return load<i32>(p + (<usize>i << 2));
}
const BATCH = 0, IN_C = 1, IN_H = 2, IN_W = 3, OUT_C = 4, K_H = 5, K_W = 6, OUT_H = 7, OUT_W = 8;
const STRIDE_H = 9, STRIDE_W = 10, PAD_TOP = 11, PAD_LEFT = 12, PAD_BOTTOM = 13, PAD_RIGHT = 14;
const DIL_H = 15, DIL_W = 16, GROUPS = 17;

function direct(p: usize): bool {
  return (
    P(p, K_H) == 1 && P(p, K_W) == 1 && P(p, STRIDE_H) == 1 && P(p, STRIDE_W) == 1 &&
    P(p, PAD_TOP) == 0 && P(p, PAD_LEFT) == 0 && P(p, PAD_BOTTOM) == 0 && P(p, PAD_RIGHT) == 0
  );
}

// Images per GEMM: as many as fit KC output pixels side by side (1 for a direct conv).
function imagesPerGemm(p: usize): i32 {
  const ohw = P(p, OUT_H) * P(p, OUT_W);
  if (direct(p) || ohw <= 0) return 1;
  return max(1, min(P(p, BATCH), KC / ohw));
}

/**
 * Bytes of column scratch one thread needs (0 when the conv multiplies its input in place): G
 * images' column matrices [K, G·outH·outW] and, when G > 1, a [outC/groups, G·outH·outW] staging
 * matrix for the images' gradOut (gathered) or outputs (scattered) and the packed-B buffer of
 * the G-image GEMMs (the caller's `pb` is sized for one image's outH·outW columns).
 */
export function colBytes(p: usize): i32 {
  if (direct(p)) return 0;
  const G = imagesPerGemm(p);
  const cols = G * P(p, OUT_H) * P(p, OUT_W);
  const K = (P(p, IN_C) / P(p, GROUPS)) * P(p, K_H) * P(p, K_W);
  if (G == 1) return (K * cols) << 2;
  return ((K * cols + (P(p, OUT_C) / P(p, GROUPS)) * cols) << 2) + packBBytes(cols);
}

// Where colBytes' parts start in the column scratch: the staging matrix, then the packed B.
function stageOf(col: usize, K: i32, G: i32, ohw: i32): usize {
  return col + (<usize>(K * G * ohw) << 2);
}
function packOf(col: usize, K: i32, G: i32, ohw: i32, outCg: i32): usize {
  return col + (<usize>((K + outCg) * G * ohw) << 2);
}

// Row i of a [rows, n] matrix with row stride ld (floats) ↔ n consecutive floats of image plane i.
function gather(dst: usize, ld: i32, src: usize, rows: i32, n: i32): void {
  for (let i = 0; i < rows; i++) copyRow(dst + (<usize>(i * ld) << 2), src + (<usize>(i * n) << 2), n);
}
function scatter(dst: usize, src: usize, ld: i32, rows: i32, n: i32): void {
  for (let i = 0; i < rows; i++) copyRow(dst + (<usize>(i * n) << 2), src + (<usize>(i * ld) << 2), n);
}

// dst[0, n) = 0 (n small: no call into the engine's memset).
// @ts-ignore: decorator
@inline function zero(dst: usize, n: i32): void {
  let i = 0;
  const z = f32x4.splat(0);
  for (; i + 4 <= n; i += 4) v128.store(dst + (<usize>i << 2), z);
  for (; i < n; i++) store<f32>(dst + (<usize>i << 2), 0);
}

// dst[0, n) = src[0, n) (short rows: inline SIMD copies instead of a memory.copy call each).
// @ts-ignore: decorator
@inline function copyRow(dst: usize, src: usize, n: i32): void {
  let i = 0;
  for (; i + 4 <= n; i += 4) v128.store(dst + (<usize>i << 2), v128.load(src + (<usize>i << 2)));
  for (; i < n; i++) store<f32>(dst + (<usize>i << 2), load<f32>(src + (<usize>i << 2)));
}

// Unrolls one group of one image (x: inCg planes) into col [K, outH·outW] (row stride ld floats).
function im2col(p: usize, x: usize, col: usize, ld: i32): void {
  const inCg = P(p, IN_C) / P(p, GROUPS);
  const inH = P(p, IN_H), inW = P(p, IN_W), kh = P(p, K_H), kw = P(p, K_W), oh = P(p, OUT_H), ow = P(p, OUT_W);
  const sh = P(p, STRIDE_H), sw = P(p, STRIDE_W), pt = P(p, PAD_TOP), pl = P(p, PAD_LEFT), dh = P(p, DIL_H), dw = P(p, DIL_W);
  let rowStart = col;
  for (let c = 0; c < inCg; c++) {
    const plane = x + (<usize>(c * inH * inW) << 2);
    for (let i = 0; i < kh; i++) {
      for (let j = 0; j < kw; j++) {
        let dst = rowStart;
        rowStart += <usize>ld << 2;
        // Output columns ox whose input column ox·sw − pl + j·dw lies in [0, inW).
        const off = j * dw - pl;
        let lo = off < 0 ? (-off + sw - 1) / sw : 0;
        let hi = inW - off <= 0 ? 0 : (inW - off + sw - 1) / sw;
        if (lo > ow) lo = ow;
        if (hi > ow) hi = ow;
        if (hi < lo) hi = lo;
        for (let oy = 0; oy < oh; oy++) {
          const iy = oy * sh - pt + i * dh;
          if (iy < 0 || iy >= inH) {
            zero(dst, ow);
          } else {
            const row = plane + (<usize>(iy * inW) << 2);
            if (lo > 0) zero(dst, lo);
            if (sw == 1) {
              copyRow(dst + (<usize>lo << 2), row + (<usize>(lo + off) << 2), hi - lo);
            } else {
              for (let ox = lo; ox < hi; ox++) store<f32>(dst + (<usize>ox << 2), load<f32>(row + (<usize>(ox * sw + off) << 2)));
            }
            if (hi < ow) zero(dst + (<usize>hi << 2), ow - hi);
          }
          dst += <usize>ow << 2;
        }
      }
    }
  }
}

// The adjoint of im2col: adds col [K, outH·outW] (row stride ld floats) into one group of one
// image's gradient planes.
function col2im(p: usize, col: usize, ld: i32, x: usize): void {
  const inCg = P(p, IN_C) / P(p, GROUPS);
  const inH = P(p, IN_H), inW = P(p, IN_W), kh = P(p, K_H), kw = P(p, K_W), oh = P(p, OUT_H), ow = P(p, OUT_W);
  const sh = P(p, STRIDE_H), sw = P(p, STRIDE_W), pt = P(p, PAD_TOP), pl = P(p, PAD_LEFT), dh = P(p, DIL_H), dw = P(p, DIL_W);
  let rowStart = col;
  for (let c = 0; c < inCg; c++) {
    const plane = x + (<usize>(c * inH * inW) << 2);
    for (let i = 0; i < kh; i++) {
      for (let j = 0; j < kw; j++) {
        let src = rowStart;
        rowStart += <usize>ld << 2;
        const off = j * dw - pl;
        let lo = off < 0 ? (-off + sw - 1) / sw : 0;
        let hi = inW - off <= 0 ? 0 : (inW - off + sw - 1) / sw;
        if (lo > ow) lo = ow;
        if (hi > ow) hi = ow;
        for (let oy = 0; oy < oh; oy++) {
          const iy = oy * sh - pt + i * dh;
          if (iy >= 0 && iy < inH) {
            const row = plane + (<usize>(iy * inW) << 2);
            if (sw == 1) {
              let ox = lo;
              for (; ox + 4 <= hi; ox += 4) {
                const d = row + (<usize>(ox + off) << 2);
                v128.store(d, f32x4.add(v128.load(d), v128.load(src + (<usize>ox << 2))));
              }
              for (; ox < hi; ox++) {
                const d = row + (<usize>(ox + off) << 2);
                store<f32>(d, load<f32>(d) + load<f32>(src + (<usize>ox << 2)));
              }
            } else {
              for (let ox = lo; ox < hi; ox++) {
                const d = row + (<usize>(ox * sw + off) << 2);
                store<f32>(d, load<f32>(d) + load<f32>(src + (<usize>ox << 2)));
              }
            }
          }
          src += <usize>ow << 2;
        }
      }
    }
  }
}

/** out = conv2d(x, w) + bias (bias 0: none) for images [b0, b1). */
export function conv2dForward(p: usize, b0: i32, b1: i32, x: usize, w: usize, bias: usize, out: usize, col: usize, pa: usize, pb: usize): void {
  const groups = P(p, GROUPS), inC = P(p, IN_C), outC = P(p, OUT_C);
  const inCg = inC / groups, outCg = outC / groups;
  const K = inCg * P(p, K_H) * P(p, K_W);
  const inHW = P(p, IN_H) * P(p, IN_W), ohw = P(p, OUT_H) * P(p, OUT_W);
  const inPlace = direct(p);
  const G = imagesPerGemm(p);
  for (let b = b0; b < b1; b += G) {
    const gn = min(G, b1 - b);
    const cols = gn * ohw;
    // G > 1: the GEMM writes [outCg, cols] into staging after the columns, scattered per image.
    const stage = stageOf(col, K, G, ohw);
    for (let g = 0; g < groups; g++) {
      let src = x + (<usize>((b * inC + g * inCg) * inHW) << 2);
      if (!inPlace) {
        for (let i = 0; i < gn; i++) im2col(p, x + (<usize>(((b + i) * inC + g * inCg) * inHW) << 2), col + (<usize>(i * ohw) << 2), cols);
        src = col;
      }
      const og = out + (<usize>((b * outC + g * outCg) * ohw) << 2);
      const wg = w + (<usize>(g * outCg * K) << 2);
      if (gn == 1) {
        sgemm(outCg, ohw, K, wg, K, false, src, ohw, false, og, ohw, false, pa, pb);
      } else {
        sgemm(outCg, cols, K, wg, K, false, src, cols, false, stage, cols, false, pa, packOf(col, K, G, ohw, outCg));
        for (let i = 0; i < gn; i++) {
          scatter(og + (<usize>(i * outC * ohw) << 2), stage + (<usize>(i * ohw) << 2), cols, outCg, ohw);
        }
      }
    }
  }
  if (bias != 0) {
    for (let b = b0; b < b1; b++) {
      for (let oc = 0; oc < outC; oc++) {
        const v = f32x4.splat(load<f32>(bias + (<usize>oc << 2)));
        const s = load<f32>(bias + (<usize>oc << 2));
        const plane = out + (<usize>((b * outC + oc) * ohw) << 2);
        let i = 0;
        for (; i + 4 <= ohw; i += 4) {
          const d = plane + (<usize>i << 2);
          v128.store(d, f32x4.add(v128.load(d), v));
        }
        for (; i < ohw; i++) {
          const d = plane + (<usize>i << 2);
          store<f32>(d, load<f32>(d) + s);
        }
      }
    }
  }
}

/** gradInput (overwritten) for images [b0, b1): the adjoint of conv2d in x. */
export function conv2dBackwardData(p: usize, b0: i32, b1: i32, gradOut: usize, w: usize, gradIn: usize, col: usize, pa: usize, pb: usize): void {
  const groups = P(p, GROUPS), inC = P(p, IN_C), outC = P(p, OUT_C);
  const inCg = inC / groups, outCg = outC / groups;
  const K = inCg * P(p, K_H) * P(p, K_W);
  const inHW = P(p, IN_H) * P(p, IN_W), ohw = P(p, OUT_H) * P(p, OUT_W);
  const inPlace = direct(p);
  const G = imagesPerGemm(p);
  for (let b = b0; b < b1; b += G) {
    const gn = min(G, b1 - b);
    const cols = gn * ohw;
    const stage = stageOf(col, K, G, ohw);
    if (!inPlace) memory.fill(gradIn + (<usize>(b * inC * inHW) << 2), 0, <usize>(gn * inC * inHW) << 2);
    for (let g = 0; g < groups; g++) {
      const gi = gradIn + (<usize>((b * inC + g * inCg) * inHW) << 2);
      let go = gradOut + (<usize>((b * outC + g * outCg) * ohw) << 2);
      const wg = w + (<usize>(g * outCg * K) << 2);
      // G > 1: the images' gradOut_g side by side in staging, [outCg, cols].
      if (gn > 1) {
        for (let i = 0; i < gn; i++) gather(stage + (<usize>(i * ohw) << 2), cols, go + (<usize>(i * outC * ohw) << 2), outCg, ohw);
        go = stage;
      }
      // colGrad [K, cols] = W_gᵀ · gradOut_g, W_g stored [outCg, K].
      const pbg = gn > 1 ? packOf(col, K, G, ohw, outCg) : pb;
      sgemm(K, cols, outCg, wg, K, true, go, cols, false, inPlace ? gi : col, cols, false, pa, pbg);
      if (!inPlace) {
        for (let i = 0; i < gn; i++) col2im(p, col + (<usize>(i * ohw) << 2), cols, gi + (<usize>(i * inC * inHW) << 2));
      }
    }
  }
}

/**
 * For images [b0, b1): gradW (if not 0) += Σ gradOut_g · col_gᵀ and gradB (if not 0) += the sums
 * of gradOut's planes. The caller zeroes them (each thread accumulates its own partial sums).
 */
export function conv2dBackwardWeights(
  p: usize, b0: i32, b1: i32, x: usize, gradOut: usize, gradW: usize, gradB: usize, col: usize, pa: usize, pb: usize,
): void {
  const groups = P(p, GROUPS), inC = P(p, IN_C), outC = P(p, OUT_C);
  const inCg = inC / groups, outCg = outC / groups;
  const K = inCg * P(p, K_H) * P(p, K_W);
  const inHW = P(p, IN_H) * P(p, IN_W), ohw = P(p, OUT_H) * P(p, OUT_W);
  const inPlace = direct(p);
  const G = imagesPerGemm(p);
  if (gradW != 0) {
    for (let b = b0; b < b1; b += G) {
      const gn = min(G, b1 - b);
      const cols = gn * ohw;
      const stage = stageOf(col, K, G, ohw);
      for (let g = 0; g < groups; g++) {
        let go = gradOut + (<usize>((b * outC + g * outCg) * ohw) << 2);
        let src = x + (<usize>((b * inC + g * inCg) * inHW) << 2);
        if (!inPlace) {
          for (let i = 0; i < gn; i++) im2col(p, x + (<usize>(((b + i) * inC + g * inCg) * inHW) << 2), col + (<usize>(i * ohw) << 2), cols);
          src = col;
        }
        if (gn > 1) {
          for (let i = 0; i < gn; i++) gather(stage + (<usize>(i * ohw) << 2), cols, go + (<usize>(i * outC * ohw) << 2), outCg, ohw);
          go = stage;
        }
        // gradW_g [outCg, K] += gradOut_g [outCg, cols] · colᵀ, col stored [K, cols].
        sgemm(outCg, K, cols, go, cols, false, src, cols, true, gradW + (<usize>(g * outCg * K) << 2), K, true, pa, pb);
      }
    }
  }
  if (gradB != 0) {
    for (let b = b0; b < b1; b++) {
      for (let oc = 0; oc < outC; oc++) {
        const plane = gradOut + (<usize>((b * outC + oc) * ohw) << 2);
        let s: f64 = 0;
        for (let i = 0; i < ohw; i++) s += <f64>load<f32>(plane + (<usize>i << 2));
        const d = gradB + (<usize>oc << 2);
        store<f32>(d, <f32>(<f64>load<f32>(d) + s));
      }
    }
  }
}

/** dst[i] += src[i] for n floats (adds threads' partial sums). */
export function addInto(dst: usize, src: usize, n: i32): void {
  let i = 0;
  for (; i + 4 <= n; i += 4) {
    const o = <usize>i << 2;
    v128.store(dst + o, f32x4.add(v128.load(dst + o), v128.load(src + o)));
  }
  for (; i < n; i++) {
    const o = <usize>i << 2;
    store<f32>(dst + o, load<f32>(dst + o) + load<f32>(src + o));
  }
}
