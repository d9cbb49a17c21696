// 2-D pooling over contiguous float32 planes, in the TypeScript reference's order (PyTorch
// 1.13's CPU kernels): max pooling's first maximum wins and a NaN counts as one; average
// pooling sums in double and divides once. `p` points at the Pool2dParams integers
// (pool2dParamList), followed for average pooling by countIncludePad and divisorOverride.

// @ts-ignore: decorator
@inline
function param(p: usize, i: i32): i32 {
  return load<i32>(p + (<usize>i << 2));
}

// @ts-ignore: decorator
@inline
function firstTap(start: i32, dil: i32): i32 {
  return start >= 0 ? 0 : (-start + dil - 1) / dil;
}

// @ts-ignore: decorator
@inline
function endTap(start: i32, dil: i32, k: i32, size: i32): i32 {
  const last = size - 1 - start;
  return last < 0 ? 0 : min(k, last / dil + 1);
}

// One tap of a 2×2 window for four outputs: replace where the value is NaN or larger, as the
// reference does tap by tap in window order.
// @ts-ignore: decorator
@inline
function tap(v: v128, idx: v128, mx: v128, best: v128, out: usize, bestOut: usize): void {
  const take = v128.or(f32x4.gt(v, mx), f32x4.ne(v, v));
  v128.store(out, v128.bitselect(v, mx, take));
  v128.store(bestOut, v128.bitselect(idx, best, take));
}

// 2×2 windows, stride 2, no padding, dilation 1 (MaxPool2d(2)): four outputs at a time, the even
// and odd input columns split by shuffles. `t` is 32 bytes of scratch for the running max/index.
function maxPool2x2(xo: usize, inW: i32, outH: i32, outW: i32, out: usize, indices: usize, t: usize): void {
  const ramp = i32x4(0, 2, 4, 6);
  for (let oh = 0; oh < outH; oh++) {
    const r0 = 2 * oh * inW;
    const row0 = xo + (<usize>r0 << 2);
    const row1 = row0 + (<usize>inW << 2);
    let ow = 0;
    for (; ow + 4 <= outW; ow += 4) {
      const a = row0 + (<usize>(2 * ow) << 2);
      const b = row1 + (<usize>(2 * ow) << 2);
      const a0 = v128.load(a);
      const a1 = v128.load(a, 16);
      const b0 = v128.load(b);
      const b1 = v128.load(b, 16);
      const i00 = i32x4.add(i32x4.splat(r0 + 2 * ow), ramp);
      const i10 = i32x4.add(i00, i32x4.splat(inW));
      const one = i32x4.splat(1);
      let mx = f32x4.splat(-Infinity);
      let best = i00;
      tap(i32x4.shuffle(a0, a1, 0, 2, 4, 6), i00, mx, best, t, t + 16);
      mx = v128.load(t);
      best = v128.load(t, 16);
      tap(i32x4.shuffle(a0, a1, 1, 3, 5, 7), i32x4.add(i00, one), mx, best, t, t + 16);
      mx = v128.load(t);
      best = v128.load(t, 16);
      tap(i32x4.shuffle(b0, b1, 0, 2, 4, 6), i10, mx, best, t, t + 16);
      mx = v128.load(t);
      best = v128.load(t, 16);
      tap(i32x4.shuffle(b0, b1, 1, 3, 5, 7), i32x4.add(i10, one), mx, best, t, t + 16);
      const o = <usize>(oh * outW + ow) << 2;
      v128.store(out + o, v128.load(t));
      v128.store(indices + o, v128.load(t, 16));
    }
    for (; ow < outW; ow++) {
      let best = r0 + 2 * ow;
      let mx: f32 = -Infinity;
      for (let i = 0; i < 2; i++) {
        for (let j = 0; j < 2; j++) {
          const idx = r0 + i * inW + 2 * ow + j;
          const v = load<f32>(xo + (<usize>idx << 2));
          if (v > mx || v != v) {
            mx = v;
            best = idx;
          }
        }
      }
      const o = <usize>(oh * outW + ow) << 2;
      store<f32>(out + o, mx);
      store<i32>(indices + o, best);
    }
  }
}

/**
 * Max pooling of planes [c0, c1): values to `out`, each maximum's h·inW + w to `indices`
 * (`t`: 32 bytes of the calling thread's scratch).
 */
export function maxPool2dF32(p: usize, c0: i32, c1: i32, x: usize, out: usize, indices: usize, t: usize): void {
  const inH = param(p, 1), inW = param(p, 2), outH = param(p, 3), outW = param(p, 4);
  const kH = param(p, 5), kW = param(p, 6), sH = param(p, 7), sW = param(p, 8);
  const padH = param(p, 9), padW = param(p, 10), dH = param(p, 11), dW = param(p, 12);
  const inPlane = inH * inW;
  const outPlane = outH * outW;
  if (kH == 2 && kW == 2 && sH == 2 && sW == 2 && padH == 0 && padW == 0 && dH == 1 && dW == 1) {
    for (let c = c0; c < c1; c++)
      maxPool2x2(x + (<usize>(c * inPlane) << 2), inW, outH, outW, out + (<usize>(c * outPlane) << 2), indices + (<usize>(c * outPlane) << 2), t);
    return;
  }
  for (let c = c0; c < c1; c++) {
    const xo = x + (<usize>(c * inPlane) << 2);
    const oo = <usize>(c * outPlane) << 2;
    for (let oh = 0; oh < outH; oh++) {
      const h0 = oh * sH - padH;
      const i0 = firstTap(h0, dH);
      const i1 = endTap(h0, dH, kH, inH);
      for (let ow = 0; ow < outW; ow++) {
        const w0 = ow * sW - padW;
        const j0 = firstTap(w0, dW);
        const j1 = endTap(w0, dW, kW, inW);
        let best = (h0 + i0 * dH) * inW + w0 + j0 * dW;
        let mx: f32 = -Infinity;
        for (let i = i0; i < i1; i++) {
          const row = (h0 + i * dH) * inW + w0;
          for (let j = j0; j < j1; j++) {
            const idx = row + j * dW;
            const v = load<f32>(xo + (<usize>idx << 2));
            if (v > mx || v != v) {
              mx = v;
              best = idx;
            }
          }
        }
        const o = oo + (<usize>(oh * outW + ow) << 2);
        store<f32>(out + o, mx);
        store<i32>(indices + o, best);
      }
    }
  }
}

/** gradInput (overwritten, planes [c0, c1)) = gradOut scattered to the argmax positions. */
export function maxPool2dBackwardF32(p: usize, c0: i32, c1: i32, gradOut: usize, indices: usize, gradIn: usize): void {
  const inPlane = param(p, 1) * param(p, 2);
  const outPlane = param(p, 3) * param(p, 4);
  memory.fill(gradIn + (<usize>(c0 * inPlane) << 2), 0, <usize>((c1 - c0) * inPlane) << 2);
  for (let c = c0; c < c1; c++) {
    const gi = gradIn + (<usize>(c * inPlane) << 2);
    const go = <usize>(c * outPlane) << 2;
    for (let k = 0; k < outPlane; k++) {
      const o = go + (<usize>k << 2);
      const d = gi + (<usize>load<i32>(indices + o) << 2);
      store<f32>(d, load<f32>(d) + load<f32>(gradOut + o));
    }
  }
}

// Window start/end (clipped to the input) and divisor per output index along one axis, as in
// the reference's avgAxis.
// @ts-ignore: decorator
@inline
function avgStart(o: i32, stride: i32, pad: i32): i32 {
  return max(o * stride - pad, 0);
}
// @ts-ignore: decorator
@inline
function avgEnd(o: i32, stride: i32, pad: i32, k: i32, size: i32): i32 {
  return min(min(o * stride - pad + k, size + pad), size);
}
// @ts-ignore: decorator
@inline
function avgPadded(o: i32, stride: i32, pad: i32, k: i32, size: i32): i32 {
  const s = o * stride - pad;
  return min(s + k, size + pad) - s;
}

// @ts-ignore: decorator
@inline
function divisorOf(p: usize, oh: i32, ow: i32, hs: i32, he: i32, ws: i32, we: i32): f64 {
  const fixed = param(p, 14);
  if (fixed != 0) return <f64>fixed;
  if (param(p, 13) != 0)
    return <f64>(avgPadded(oh, param(p, 7), param(p, 9), param(p, 5), param(p, 1)) * avgPadded(ow, param(p, 8), param(p, 10), param(p, 6), param(p, 2)));
  return <f64>((he - hs) * (we - ws));
}

/** Average pooling of planes [c0, c1) (dilation 1; PyTorch's divisor rules). */
export function avgPool2dF32(p: usize, c0: i32, c1: i32, x: usize, out: usize): void {
  const inH = param(p, 1), inW = param(p, 2), outH = param(p, 3), outW = param(p, 4);
  const kH = param(p, 5), kW = param(p, 6), sH = param(p, 7), sW = param(p, 8);
  const padH = param(p, 9), padW = param(p, 10);
  const inPlane = inH * inW;
  const outPlane = outH * outW;
  for (let c = c0; c < c1; c++) {
    const xo = x + (<usize>(c * inPlane) << 2);
    const oo = out + (<usize>(c * outPlane) << 2);
    for (let oh = 0; oh < outH; oh++) {
      const hs = avgStart(oh, sH, padH);
      const he = avgEnd(oh, sH, padH, kH, inH);
      for (let ow = 0; ow < outW; ow++) {
        const ws = avgStart(ow, sW, padW);
        const we = avgEnd(ow, sW, padW, kW, inW);
        const o = oo + (<usize>(oh * outW + ow) << 2);
        if (hs >= he || ws >= we) {
          store<f32>(o, 0);
          continue;
        }
        let s: f64 = 0;
        for (let h = hs; h < he; h++) {
          const row = xo + (<usize>(h * inW) << 2);
          for (let w = ws; w < we; w++) s += <f64>load<f32>(row + (<usize>w << 2));
        }
        store<f32>(o, <f32>(s / divisorOf(p, oh, ow, hs, he, ws, we)));
      }
    }
  }
}

/**
 * The adjoint of avgPool2dF32 for planes [c0, c1): gradInput overwritten, accumulated in the
 * double scratch `acc` (inH·inW doubles) and rounded once.
 */
export function avgPool2dBackwardF32(p: usize, c0: i32, c1: i32, gradOut: usize, gradIn: usize, acc: usize): void {
  const inH = param(p, 1), inW = param(p, 2), outH = param(p, 3), outW = param(p, 4);
  const kH = param(p, 5), kW = param(p, 6), sH = param(p, 7), sW = param(p, 8);
  const padH = param(p, 9), padW = param(p, 10);
  const inPlane = inH * inW;
  const outPlane = outH * outW;
  for (let c = c0; c < c1; c++) {
    memory.fill(acc, 0, <usize>inPlane << 3);
    const go = gradOut + (<usize>(c * outPlane) << 2);
    for (let oh = 0; oh < outH; oh++) {
      const hs = avgStart(oh, sH, padH);
      const he = avgEnd(oh, sH, padH, kH, inH);
      for (let ow = 0; ow < outW; ow++) {
        const ws = avgStart(ow, sW, padW);
        const we = avgEnd(ow, sW, padW, kW, inW);
        if (hs >= he || ws >= we) continue;
        const g = <f64>load<f32>(go + (<usize>(oh * outW + ow) << 2)) / divisorOf(p, oh, ow, hs, he, ws, we);
        for (let h = hs; h < he; h++) {
          const row = acc + (<usize>(h * inW) << 3);
          for (let w = ws; w < we; w++) {
            const a = row + (<usize>w << 3);
            store<f64>(a, load<f64>(a) + g);
          }
        }
      }
    }
    const gi = gradIn + (<usize>(c * inPlane) << 2);
    for (let i = 0; i < inPlane; i++) store<f32>(gi + (<usize>i << 2), <f32>load<f64>(acc + (<usize>i << 3)));
  }
}
