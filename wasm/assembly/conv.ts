// 2-D convolution (NCHW, weights OIHW, float32) as im2col + GEMM: per image and group, the
// receptive fields are unrolled into a K×(outH·outW) column matrix (K = inChannels/groups ·
// kernelH · kernelW) and multiplied by the group's weights. A 1×1, stride-1, unpadded conv
// multiplies the input in place. Each function handles images [b0, b1), so threads split the
// batch; `col`, `pa` and `pb` are the calling thread's scratch (colBytes, packABytes, packBBytes).
import { sgemm } from './gemm';

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

/** Bytes of the column matrix one thread needs (0 when the conv multiplies its input in place). */
export function colBytes(p: usize): i32 {
  if (direct(p)) return 0;
  return ((P(p, IN_C) / P(p, GROUPS)) * P(p, K_H) * P(p, K_W) * P(p, OUT_H) * P(p, OUT_W)) << 2;
}

// Unrolls one group of one image (x: inCg planes) into col [K, outH·outW].
function im2col(p: usize, x: usize, col: usize): void {
  const inCg = P(p, IN_C) / P(p, GROUPS);
  const inH = P(p, IN_H), inW = P(p, IN_W), kh = P(p, K_H), kw = P(p, K_W), oh = P(p, OUT_H), ow = P(p, OUT_W);
  const sh = P(p, STRIDE_H), sw = P(p, STRIDE_W), pt = P(p, PAD_TOP), pl = P(p, PAD_LEFT), dh = P(p, DIL_H), dw = P(p, DIL_W);
  let dst = col;
  for (let c = 0; c < inCg; c++) {
    const plane = x + (<usize>(c * inH * inW) << 2);
    for (let i = 0; i < kh; i++) {
      for (let j = 0; j < kw; j++) {
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
            memory.fill(dst, 0, <usize>ow << 2);
          } else {
            const row = plane + (<usize>(iy * inW) << 2);
            if (lo > 0) memory.fill(dst, 0, <usize>lo << 2);
            if (sw == 1) {
              memory.copy(dst + (<usize>lo << 2), row + (<usize>(lo + off) << 2), <usize>(hi - lo) << 2);
            } else {
              for (let ox = lo; ox < hi; ox++) store<f32>(dst + (<usize>ox << 2), load<f32>(row + (<usize>(ox * sw + off) << 2)));
            }
            if (hi < ow) memory.fill(dst + (<usize>hi << 2), 0, <usize>(ow - hi) << 2);
          }
          dst += <usize>ow << 2;
        }
      }
    }
  }
}

// The adjoint of im2col: adds col [K, outH·outW] into one group of one image's gradient planes.
function col2im(p: usize, col: usize, x: usize): void {
  const inCg = P(p, IN_C) / P(p, GROUPS);
  const inH = P(p, IN_H), inW = P(p, IN_W), kh = P(p, K_H), kw = P(p, K_W), oh = P(p, OUT_H), ow = P(p, OUT_W);
  const sh = P(p, STRIDE_H), sw = P(p, STRIDE_W), pt = P(p, PAD_TOP), pl = P(p, PAD_LEFT), dh = P(p, DIL_H), dw = P(p, DIL_W);
  let src = col;
  for (let c = 0; c < inCg; c++) {
    const plane = x + (<usize>(c * inH * inW) << 2);
    for (let i = 0; i < kh; i++) {
      for (let j = 0; j < kw; j++) {
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
  for (let b = b0; b < b1; b++) {
    for (let g = 0; g < groups; g++) {
      const xg = x + (<usize>((b * inC + g * inCg) * inHW) << 2);
      let src = xg;
      if (!inPlace) {
        im2col(p, xg, col);
        src = col;
      }
      const og = out + (<usize>((b * outC + g * outCg) * ohw) << 2);
      sgemm(outCg, ohw, K, w + (<usize>(g * outCg * K) << 2), K, false, src, ohw, false, og, ohw, false, pa, pb);
    }
    if (bias != 0) {
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
  for (let b = b0; b < b1; b++) {
    if (!inPlace) memory.fill(gradIn + (<usize>(b * inC * inHW) << 2), 0, <usize>(inC * inHW) << 2);
    for (let g = 0; g < groups; g++) {
      const gi = gradIn + (<usize>((b * inC + g * inCg) * inHW) << 2);
      const go = gradOut + (<usize>((b * outC + g * outCg) * ohw) << 2);
      const wg = w + (<usize>(g * outCg * K) << 2);
      // colGrad [K, ohw] = W_gᵀ · gradOut_g, W_g stored [outCg, K].
      sgemm(K, ohw, outCg, wg, K, true, go, ohw, false, inPlace ? gi : col, ohw, false, pa, pb);
      if (!inPlace) col2im(p, col, gi);
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
  for (let b = b0; b < b1; b++) {
    for (let g = 0; g < groups; g++) {
      const go = gradOut + (<usize>((b * outC + g * outCg) * ohw) << 2);
      if (gradW != 0) {
        const xg = x + (<usize>((b * inC + g * inCg) * inHW) << 2);
        let src = xg;
        if (!inPlace) {
          im2col(p, xg, col);
          src = col;
        }
        // gradW_g [outCg, K] += gradOut_g [outCg, ohw] · colᵀ, col stored [K, ohw].
        sgemm(outCg, K, ohw, go, ohw, false, src, ohw, true, gradW + (<usize>(g * outCg * K) << 2), K, true, pa, pb);
      }
    }
    if (gradB != 0) {
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
