import type { TypedArray } from '../../tensor/dtype.js';
import type { Conv2dParams } from '../backend.js';
import { gemm } from './gemm.js';

/**
 * 2-D convolution kernels as im2col + gemm, one image and group at a time:
 *
 *   forward          out[n, g]   = W[g] (M×K) · col(x[n, g]) (K×P)
 *   backward data    gradCol     = W[g]ᵀ (K×M) · gradOut[n, g] (M×P), then col2im into gradInput
 *   backward weights gradW[g]   += gradOut[n, g] (M×P) · col(x[n, g])ᵀ (P×K)
 *
 * with M = outChannels/groups, K = inChannels/groups · kernelH · kernelW, P = outH · outW. The
 * column matrix and all accumulators are Float64Arrays (scratch reused across calls): sums are
 * exact to double precision and rounded once into the output dtype. A 1×1 kernel with stride 1
 * and no padding uses the input itself as the column matrix.
 */

// Scratch buffers, grown on demand and kept (JS is single-threaded and kernels never re-enter).
const scratch: Float64Array[] = [new Float64Array(0), new Float64Array(0), new Float64Array(0)];
const COL = 0;
const ACC = 1;
const IMG = 2;

function buffer(slot: number, n: number): Float64Array {
  if (scratch[slot].length < n) scratch[slot] = new Float64Array(n);
  return scratch[slot];
}

function isPointwise(p: Conv2dParams): boolean {
  return (
    p.kernelH === 1 &&
    p.kernelW === 1 &&
    p.strideH === 1 &&
    p.strideW === 1 &&
    p.padTop === 0 &&
    p.padLeft === 0 &&
    p.outH === p.inH &&
    p.outW === p.inW
  );
}

/**
 * For each kernel tap along one axis: its input offset (tap·dilation − pad) and the first and
 * one-past-last output index whose tap lands inside [0, size). Computed once per kernel call.
 */
interface Taps {
  off: Int32Array;
  lo: Int32Array;
  hi: Int32Array;
}

function taps(k: number, dilation: number, pad: number, stride: number, size: number, outSize: number): Taps {
  const off = new Int32Array(k);
  const lo = new Int32Array(k);
  const hi = new Int32Array(k);
  for (let t = 0; t < k; t++) {
    const o = t * dilation - pad;
    // out·stride + o ≥ 0  ⇔  out ≥ ceil(−o / stride);  out·stride + o < size  ⇔  out ≤ floor((size − 1 − o) / stride)
    const first = Math.min(outSize, o >= 0 ? 0 : Math.ceil(-o / stride));
    const last = size - 1 - o < 0 ? 0 : Math.min(outSize, Math.floor((size - 1 - o) / stride) + 1);
    off[t] = o;
    lo[t] = first;
    hi[t] = Math.max(first, last);
  }
  return { off, lo, hi };
}

const rowTaps = (p: Conv2dParams): Taps => taps(p.kernelH, p.dilationH, p.padTop, p.strideH, p.inH, p.outH);
const colTaps = (p: Conv2dParams): Taps => taps(p.kernelW, p.dilationW, p.padLeft, p.strideW, p.inW, p.outW);

/** col[(c·kH + i)·kW + j, oh·outW + ow] = x[xOff + c·inH·inW + ih·inW + iw] (0 outside). */
function im2col(x: TypedArray, xOff: number, channels: number, p: Conv2dParams, th: Taps, tw: Taps, col: Float64Array): void {
  const { inH, inW, outH, outW, kernelH, kernelW, strideH, strideW } = p;
  const P = outH * outW;
  let row = 0;
  for (let c = 0; c < channels; c++) {
    const plane = xOff + c * inH * inW;
    for (let i = 0; i < kernelH; i++) {
      const offH = th.off[i];
      const ohLo = th.lo[i];
      const ohHi = th.hi[i];
      for (let j = 0; j < kernelW; j++, row++) {
        const offW = tw.off[j];
        const owLo = tw.lo[j];
        const owHi = tw.hi[j];
        const r = row * P;
        col.fill(0, r, r + ohLo * outW);
        for (let oh = ohLo; oh < ohHi; oh++) {
          const o = r + oh * outW;
          const src = plane + (oh * strideH + offH) * inW + offW;
          for (let ow = 0; ow < owLo; ow++) col[o + ow] = 0;
          if (strideW === 1) for (let ow = owLo; ow < owHi; ow++) col[o + ow] = x[src + ow];
          else for (let ow = owLo; ow < owHi; ow++) col[o + ow] = x[src + ow * strideW];
          for (let ow = owHi; ow < outW; ow++) col[o + ow] = 0;
        }
        col.fill(0, r + ohHi * outW, r + P);
      }
    }
  }
}

/**
 * The adjoint of im2col for channels [c0, c1): img[c, ih, iw] += col[((c − c0)·kH + i)·kW + j, (oh, ow)]
 * (img holds one image's channels of the group).
 */
function col2im(col: Float64Array, c0: number, c1: number, p: Conv2dParams, th: Taps, tw: Taps, img: Float64Array): void {
  const { inH, inW, outH, outW, kernelH, kernelW, strideH, strideW } = p;
  const P = outH * outW;
  let row = 0;
  for (let c = c0; c < c1; c++) {
    const plane = c * inH * inW;
    for (let i = 0; i < kernelH; i++) {
      const offH = th.off[i];
      const ohLo = th.lo[i];
      const ohHi = th.hi[i];
      for (let j = 0; j < kernelW; j++, row++) {
        const offW = tw.off[j];
        const owLo = tw.lo[j];
        const owHi = tw.hi[j];
        const r = row * P;
        for (let oh = ohLo; oh < ohHi; oh++) {
          const o = r + oh * outW;
          const dst = plane + (oh * strideH + offH) * inW + offW;
          if (strideW === 1) for (let ow = owLo; ow < owHi; ow++) img[dst + ow] += col[o + ow];
          else for (let ow = owLo; ow < owHi; ow++) img[dst + ow * strideW] += col[o + ow];
        }
      }
    }
  }
}

/** Column-matrix rows produced per gemm in the data gradient: keeps that slice of gradCol in L2. */
const COL_CHUNK = 32768;

export function conv2d(x: TypedArray, weight: TypedArray, bias: TypedArray | null, out: TypedArray, p: Conv2dParams): void {
  const { batch, inChannels, inH, inW, outChannels, kernelH, kernelW, outH, outW, groups } = p;
  const cinG = inChannels / groups;
  const M = outChannels / groups;
  const K = cinG * kernelH * kernelW;
  const P = outH * outW;
  const pointwise = isPointwise(p);
  const col = pointwise ? null : buffer(COL, K * P);
  const acc = buffer(ACC, M * P);
  const th = rowTaps(p);
  const tw = colTaps(p);
  for (let n = 0; n < batch; n++) {
    for (let g = 0; g < groups; g++) {
      const xOff = (n * inChannels + g * cinG) * inH * inW;
      if (col !== null) im2col(x, xOff, cinG, p, th, tw, col);
      for (let m = 0; m < M; m++) acc.fill(bias === null ? 0 : bias[g * M + m], m * P, (m + 1) * P);
      if (col !== null) gemm(M, P, K, weight, g * M * K, K, 1, col, 0, P, 1, acc, 0, P);
      else gemm(M, P, K, weight, g * M * K, K, 1, x, xOff, P, 1, acc, 0, P);
      const o = (n * outChannels + g * M) * P;
      for (let i = 0, e = M * P; i < e; i++) out[o + i] = acc[i];
    }
  }
}

export function conv2dBackwardData(gradOut: TypedArray, weight: TypedArray, gradInput: TypedArray, p: Conv2dParams): void {
  const { batch, inChannels, inH, inW, outChannels, kernelH, kernelW, outH, outW, groups } = p;
  const cinG = inChannels / groups;
  const M = outChannels / groups;
  const K = cinG * kernelH * kernelW;
  const P = outH * outW;
  const img = cinG * inH * inW;
  const pointwise = isPointwise(p);
  const kk = kernelH * kernelW;
  // Channels per chunk: gradCol rows for a few channels at a time, scattered right away.
  const chunk = Math.max(1, Math.min(cinG, Math.floor(COL_CHUNK / (kk * P))));
  const gcol = buffer(COL, chunk * kk * P);
  const gimg = buffer(IMG, img);
  const th = rowTaps(p);
  const tw = colTaps(p);
  for (let n = 0; n < batch; n++) {
    for (let g = 0; g < groups; g++) {
      const gOff = (n * outChannels + g * M) * P;
      const xOff = (n * inChannels + g * cinG) * inH * inW;
      gimg.fill(0, 0, img);
      if (pointwise) {
        gemm(K, P, M, weight, g * M * K, 1, K, gradOut, gOff, P, 1, gimg, 0, P);
      } else {
        for (let c0 = 0; c0 < cinG; c0 += chunk) {
          const c1 = Math.min(cinG, c0 + chunk);
          const rows = (c1 - c0) * kk;
          gcol.fill(0, 0, rows * P);
          gemm(rows, P, M, weight, g * M * K + c0 * kk, 1, K, gradOut, gOff, P, 1, gcol, 0, P);
          col2im(gcol, c0, c1, p, th, tw, gimg);
        }
      }
      for (let i = 0; i < img; i++) gradInput[xOff + i] = gimg[i];
    }
  }
}

export function conv2dBackwardWeights(
  x: TypedArray,
  gradOut: TypedArray,
  gradWeight: TypedArray | null,
  gradBias: TypedArray | null,
  p: Conv2dParams,
): void {
  const { batch, inChannels, inH, inW, outChannels, kernelH, kernelW, outH, outW, groups } = p;
  const cinG = inChannels / groups;
  const M = outChannels / groups;
  const K = cinG * kernelH * kernelW;
  const P = outH * outW;
  if (gradWeight !== null) {
    const pointwise = isPointwise(p);
    const col = pointwise ? null : buffer(COL, K * P);
    const gw = buffer(ACC, outChannels * K);
    const th = rowTaps(p);
    const tw = colTaps(p);
    gw.fill(0, 0, outChannels * K);
    for (let n = 0; n < batch; n++) {
      for (let g = 0; g < groups; g++) {
        const gOff = (n * outChannels + g * M) * P;
        const xOff = (n * inChannels + g * cinG) * inH * inW;
        if (col !== null) {
          im2col(x, xOff, cinG, p, th, tw, col);
          gemm(M, K, P, gradOut, gOff, P, 1, col, 0, 1, P, gw, g * M * K, K);
        } else {
          gemm(M, K, P, gradOut, gOff, P, 1, x, xOff, 1, P, gw, g * M * K, K);
        }
      }
    }
    for (let i = 0, e = outChannels * K; i < e; i++) gradWeight[i] = gw[i];
  }
  if (gradBias !== null) {
    for (let c = 0; c < outChannels; c++) {
      let s = 0;
      for (let n = 0; n < batch; n++) {
        const o = (n * outChannels + c) * P;
        for (let i = 0; i < P; i++) s += gradOut[o + i];
      }
      gradBias[c] = s;
    }
  }
}
