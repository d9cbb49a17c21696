import type { TypedArray } from '../../tensor/dtype.js';
import type { AdaptivePool2dParams, AvgPool2dParams, Pool2dParams } from '../backend.js';

/**
 * 2-D pooling kernels over contiguous planes, following PyTorch 1.13's CPU kernels
 * (aten/src/ATen/native/cpu/MaxPoolKernel.cpp, AvgPoolKernel.cpp, AdaptiveAvgPoolKernel.cpp).
 * Window bounds are computed once per output row/column; the inner loops only read.
 */

/** First valid tap index of a window starting at `start` with spacing `dil` (skips the padding). */
function firstTap(start: number, dil: number): number {
  return start >= 0 ? 0 : Math.ceil(-start / dil);
}

/** One past the last valid tap of a window of `k` taps starting at `start` in [0, size). */
function endTap(start: number, dil: number, k: number, size: number): number {
  const last = size - 1 - start;
  return last < 0 ? 0 : Math.min(k, Math.floor(last / dil) + 1);
}

export function maxPool2d(x: TypedArray, out: TypedArray, indices: Int32Array, p: Pool2dParams): void {
  const { planes, inH, inW, outH, outW, kernelH, kernelW, strideH, strideW, padH, padW, dilationH, dilationW } = p;
  const inPlane = inH * inW;
  const outPlane = outH * outW;
  for (let c = 0; c < planes; c++) {
    const xo = c * inPlane;
    const oo = c * outPlane;
    for (let oh = 0; oh < outH; oh++) {
      const h0 = oh * strideH - padH;
      const i0 = firstTap(h0, dilationH);
      const i1 = endTap(h0, dilationH, kernelH, inH);
      for (let ow = 0; ow < outW; ow++) {
        const w0 = ow * strideW - padW;
        const j0 = firstTap(w0, dilationW);
        const j1 = endTap(w0, dilationW, kernelW, inW);
        // PyTorch starts from the first in-bounds tap's position with value −∞.
        let best = (h0 + i0 * dilationH) * inW + w0 + j0 * dilationW;
        let max = Number.NEGATIVE_INFINITY;
        for (let i = i0; i < i1; i++) {
          const row = (h0 + i * dilationH) * inW + w0;
          for (let j = j0; j < j1; j++) {
            const idx = row + j * dilationW;
            const v = x[xo + idx];
            if (v > max || v !== v) {
              max = v;
              best = idx;
            }
          }
        }
        out[oo + oh * outW + ow] = max;
        indices[oo + oh * outW + ow] = best;
      }
    }
  }
}

export function maxPool2dBackward(gradOut: TypedArray, indices: Int32Array, gradInput: TypedArray, p: Pool2dParams): void {
  const inPlane = p.inH * p.inW;
  const outPlane = p.outH * p.outW;
  gradInput.fill(0, 0, p.planes * inPlane);
  for (let c = 0; c < p.planes; c++) {
    const gi = c * inPlane;
    const go = c * outPlane;
    for (let k = 0; k < outPlane; k++) gradInput[gi + indices[go + k]] += gradOut[go + k];
  }
}

/**
 * Per output index along one axis: the window clipped to the input [start, end) and its extent
 * clipped to the padded input (PyTorch's pool_size factor), as three Int32Arrays.
 */
function avgAxis(outSize: number, stride: number, pad: number, k: number, size: number): Int32Array[] {
  const start = new Int32Array(outSize);
  const end = new Int32Array(outSize);
  const padded = new Int32Array(outSize);
  for (let o = 0; o < outSize; o++) {
    const s = o * stride - pad;
    const e = Math.min(s + k, size + pad);
    padded[o] = e - s;
    start[o] = Math.max(s, 0);
    end[o] = Math.min(e, size);
  }
  return [start, end, padded];
}

export function avgPool2d(x: TypedArray, out: TypedArray, p: AvgPool2dParams): void {
  const { planes, inH, inW, outH, outW, kernelH, kernelW, strideH, strideW, padH, padW, countIncludePad, divisorOverride } = p;
  const [hStart, hEnd, hPadded] = avgAxis(outH, strideH, padH, kernelH, inH);
  const [wStart, wEnd, wPadded] = avgAxis(outW, strideW, padW, kernelW, inW);
  const inPlane = inH * inW;
  const outPlane = outH * outW;
  for (let c = 0; c < planes; c++) {
    const xo = c * inPlane;
    const oo = c * outPlane;
    for (let oh = 0; oh < outH; oh++) {
      const hs = hStart[oh];
      const he = hEnd[oh];
      for (let ow = 0; ow < outW; ow++) {
        const ws = wStart[ow];
        const we = wEnd[ow];
        if (hs >= he || ws >= we) {
          out[oo + oh * outW + ow] = 0;
          continue;
        }
        let s = 0;
        for (let h = hs; h < he; h++) {
          const row = xo + h * inW;
          for (let w = ws; w < we; w++) s += x[row + w];
        }
        const divisor = divisorOverride !== 0 ? divisorOverride : countIncludePad ? hPadded[oh] * wPadded[ow] : (he - hs) * (we - ws);
        out[oo + oh * outW + ow] = s / divisor;
      }
    }
  }
}

export function avgPool2dBackward(gradOut: TypedArray, gradInput: TypedArray, p: AvgPool2dParams): void {
  const { planes, inH, inW, outH, outW, kernelH, kernelW, strideH, strideW, padH, padW, countIncludePad, divisorOverride } = p;
  const [hStart, hEnd, hPadded] = avgAxis(outH, strideH, padH, kernelH, inH);
  const [wStart, wEnd, wPadded] = avgAxis(outW, strideW, padW, kernelW, inW);
  const inPlane = inH * inW;
  const outPlane = outH * outW;
  const acc = new Float64Array(inPlane);
  for (let c = 0; c < planes; c++) {
    const gi = c * inPlane;
    const go = c * outPlane;
    acc.fill(0);
    for (let oh = 0; oh < outH; oh++) {
      const hs = hStart[oh];
      const he = hEnd[oh];
      for (let ow = 0; ow < outW; ow++) {
        const ws = wStart[ow];
        const we = wEnd[ow];
        if (hs >= he || ws >= we) continue;
        const divisor = divisorOverride !== 0 ? divisorOverride : countIncludePad ? hPadded[oh] * wPadded[ow] : (he - hs) * (we - ws);
        const g = gradOut[go + oh * outW + ow] / divisor;
        for (let h = hs; h < he; h++) {
          const row = h * inW;
          for (let w = ws; w < we; w++) acc[row + w] += g;
        }
      }
    }
    for (let i = 0; i < inPlane; i++) gradInput[gi + i] = acc[i];
  }
}

const adaptiveStart = (o: number, inSize: number, outSize: number): number => Math.floor((o * inSize) / outSize);
const adaptiveEnd = (o: number, inSize: number, outSize: number): number => Math.ceil(((o + 1) * inSize) / outSize);

export function adaptiveAvgPool2d(x: TypedArray, out: TypedArray, p: AdaptivePool2dParams): void {
  const { planes, inH, inW, outH, outW } = p;
  const inPlane = inH * inW;
  const outPlane = outH * outW;
  for (let c = 0; c < planes; c++) {
    const xo = c * inPlane;
    const oo = c * outPlane;
    for (let oh = 0; oh < outH; oh++) {
      const hs = adaptiveStart(oh, inH, outH);
      const he = adaptiveEnd(oh, inH, outH);
      for (let ow = 0; ow < outW; ow++) {
        const ws = adaptiveStart(ow, inW, outW);
        const we = adaptiveEnd(ow, inW, outW);
        let s = 0;
        for (let h = hs; h < he; h++) {
          const row = xo + h * inW;
          for (let w = ws; w < we; w++) s += x[row + w];
        }
        out[oo + oh * outW + ow] = s / ((he - hs) * (we - ws));
      }
    }
  }
}

export function adaptiveAvgPool2dBackward(gradOut: TypedArray, gradInput: TypedArray, p: AdaptivePool2dParams): void {
  const { planes, inH, inW, outH, outW } = p;
  const inPlane = inH * inW;
  const outPlane = outH * outW;
  const acc = new Float64Array(inPlane);
  for (let c = 0; c < planes; c++) {
    const gi = c * inPlane;
    const go = c * outPlane;
    acc.fill(0);
    for (let oh = 0; oh < outH; oh++) {
      const hs = adaptiveStart(oh, inH, outH);
      const he = adaptiveEnd(oh, inH, outH);
      for (let ow = 0; ow < outW; ow++) {
        const ws = adaptiveStart(ow, inW, outW);
        const we = adaptiveEnd(ow, inW, outW);
        const g = gradOut[go + oh * outW + ow] / ((he - hs) * (we - ws));
        for (let h = hs; h < he; h++) {
          const row = h * inW;
          for (let w = ws; w < we; w++) acc[row + w] += g;
        }
      }
    }
    for (let i = 0; i < inPlane; i++) gradInput[gi + i] = acc[i];
  }
}
