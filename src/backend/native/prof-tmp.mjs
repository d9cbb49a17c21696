var __defProp = Object.defineProperty;
var __export = (target, all) => {
  for (var name in all) __defProp(target, name, { get: all[name], enumerable: true });
};

// src/autograd/grad-mode.ts
var enabled = true;
function isGradEnabled() {
  return enabled;
}
function setGradEnabled(on) {
  const prev = enabled;
  enabled = on;
  return prev;
}
function withGradMode(on, fn) {
  const prev = setGradEnabled(on);
  try {
    return fn();
  } finally {
    setGradEnabled(prev);
  }
}
function noGrad(fn) {
  return withGradMode(false, fn);
}
function enableGrad(fn) {
  return withGradMode(true, fn);
}

// src/autograd/node.ts
var Node = class {
  constructor(name, next, fn, saved = []) {
    this.name = name;
    this.next = next;
    this.fn = fn;
    this.saved = saved.map((t2) => ({ tensor: t2, version: t2._version }));
  }
  name;
  next;
  /** Set by `retainGrad()` on the output tensor: receives the gradient flowing through here. */
  retained = null;
  fn;
  saved;
  /** Runs the backward formula, after checking no saved tensor was modified in place. */
  apply(grad) {
    if (this.fn === null) {
      throw new Error(
        `backward: trying to backward through the graph a second time (through ${this.name}); its saved values were freed after the first backward. Pass { retainGraph: true } to the first backward() if you need to backward twice.`,
      );
    }
    for (const s of this.saved) {
      if (s.tensor._version !== s.version) {
        throw new Error(
          `backward: a tensor needed by ${this.name} (shape [${s.tensor.shape.join(', ')}], ${s.tensor.dtype}) was modified by an in-place operation: it is at version ${s.tensor._version}; expected version ${s.version}. Use the out-of-place op, or clone() the tensor before modifying it.`,
        );
      }
    }
    return this.fn(grad);
  }
  /** Frees the formula and what it captured (after a backward without retainGraph). */
  release() {
    this.fn = null;
    this.saved.length = 0;
  }
};
var AccumulateGrad = class extends Node {
  constructor(variable) {
    super('AccumulateGrad', [], () => []);
    this.variable = variable;
  }
  variable;
  release() {}
};

// src/autograd/record.ts
function needsGrad(inputs) {
  if (!isGradEnabled()) return false;
  for (const t2 of inputs) if (t2?.requiresGrad) return true;
  return false;
}
function record(out, name, inputs, backward2, saved = []) {
  if (!needsGrad(inputs)) return out;
  out.gradFn = new Node(
    name,
    inputs.map((t2) => t2?._gradEdge() ?? null),
    backward2,
    saved,
  );
  return out;
}

// src/backend/js/batchnorm.ts
function batchNorm(x2, out, mean2, variance2, weight, bias, p) {
  const { batch, channels, spatial, eps, training } = p;
  const count = batch * spatial;
  const stride = channels * spatial;
  for (let c = 0; c < channels; c++) {
    if (training) {
      let s = 0;
      for (let n = 0; n < batch; n++) {
        const o = n * stride + c * spatial;
        for (let i = 0; i < spatial; i++) s += x2[o + i];
      }
      const m2 = s / count;
      let q = 0;
      for (let n = 0; n < batch; n++) {
        const o = n * stride + c * spatial;
        for (let i = 0; i < spatial; i++) {
          const d = x2[o + i] - m2;
          q += d * d;
        }
      }
      mean2[c] = m2;
      variance2[c] = q / count;
    }
    const m = mean2[c];
    const scale = (weight === null ? 1 : weight[c]) / Math.sqrt(variance2[c] + eps);
    const shift = bias === null ? 0 : bias[c];
    for (let n = 0; n < batch; n++) {
      const o = n * stride + c * spatial;
      for (let i = 0; i < spatial; i++) out[o + i] = (x2[o + i] - m) * scale + shift;
    }
  }
}
function batchNormBackward(x2, gradOut, mean2, variance2, weight, gradInput, gradWeight, gradBias, p) {
  const { batch, channels, spatial, eps, training } = p;
  const count = batch * spatial;
  const stride = channels * spatial;
  for (let c = 0; c < channels; c++) {
    const m = mean2[c];
    const invstd = 1 / Math.sqrt(variance2[c] + eps);
    let sumG = 0;
    let sumGX = 0;
    for (let n = 0; n < batch; n++) {
      const o = n * stride + c * spatial;
      for (let i = 0; i < spatial; i++) {
        const g = gradOut[o + i];
        sumG += g;
        sumGX += g * (x2[o + i] - m);
      }
    }
    if (gradBias !== null) gradBias[c] = sumG;
    if (gradWeight !== null) gradWeight[c] = sumGX * invstd;
    if (gradInput === null) continue;
    const scale = (weight === null ? 1 : weight[c]) * invstd;
    if (training) {
      const meanG = sumG / count;
      const k = (sumGX * invstd * invstd) / count;
      for (let n = 0; n < batch; n++) {
        const o = n * stride + c * spatial;
        for (let i = 0; i < spatial; i++) gradInput[o + i] = (gradOut[o + i] - meanG - (x2[o + i] - m) * k) * scale;
      }
    } else {
      for (let n = 0; n < batch; n++) {
        const o = n * stride + c * spatial;
        for (let i = 0; i < spatial; i++) gradInput[o + i] = gradOut[o + i] * scale;
      }
    }
  }
}

// src/backend/js/gemm.ts
var MR = 4;
var NR = 3;
var KC = 256;
var MC = 96;
var NC = 2040;
var pack = new Float64Array(0);
function packBuffer(n) {
  if (pack.length < n) pack = new Float64Array(Math.max(n, Math.ceil(pack.length * 1.5)));
  return pack;
}
function gemm(m, n, k, a, aOff, rsA, csA, b, bOff, rsB, csB, c, cOff, ldc) {
  if (m <= 0 || n <= 0 || k <= 0) return;
  const ncMax = Math.ceil(Math.min(NC, n) / NR) * NR;
  const bBase = MC * KC;
  const w = packBuffer(bBase + KC * ncMax);
  for (let jc = 0; jc < n; jc += NC) {
    const nc = Math.min(NC, n - jc);
    for (let pc = 0; pc < k; pc += KC) {
      const kc = Math.min(KC, k - pc);
      packB(w, bBase, b, bOff + pc * rsB + jc * csB, rsB, csB, kc, nc);
      for (let ic = 0; ic < m; ic += MC) {
        const mc = Math.min(MC, m - ic);
        packA(w, a, aOff + ic * rsA + pc * csA, rsA, csA, mc, kc);
        for (let jr = 0; jr < nc; jr += NR) {
          const nr = Math.min(NR, nc - jr);
          const bo = bBase + jr * kc;
          const cj = cOff + ic * ldc + jc + jr;
          for (let ir = 0; ir < mc; ir += MR) {
            micro(kc, w, ir * kc, bo, c, cj + ir * ldc, ldc, Math.min(MR, mc - ir), nr);
          }
        }
      }
    }
  }
}
function packB(w, o, b, off, rsB, csB, kc, nc) {
  for (let jr = 0; jr < nc; jr += NR) {
    const nr = Math.min(NR, nc - jr);
    const col = off + jr * csB;
    if (nr === NR && csB === 1) {
      for (let p = 0; p < kc; p++) {
        const s = col + p * rsB;
        w[o] = b[s];
        w[o + 1] = b[s + 1];
        w[o + 2] = b[s + 2];
        o += NR;
      }
    } else {
      for (let j = 0; j < NR; j++) {
        const s = col + j * csB;
        if (j < nr) for (let p = 0; p < kc; p++) w[o + p * NR + j] = b[s + p * rsB];
        else for (let p = 0; p < kc; p++) w[o + p * NR + j] = 0;
      }
      o += kc * NR;
    }
  }
}
function packA(w, a, off, rsA, csA, mc, kc) {
  let o = 0;
  for (let ir = 0; ir < mc; ir += MR) {
    const mr = Math.min(MR, mc - ir);
    const row = off + ir * rsA;
    if (mr === MR && csA !== 1) {
      for (let p = 0; p < kc; p++) {
        const s = row + p * csA;
        w[o] = a[s];
        w[o + 1] = a[s + rsA];
        w[o + 2] = a[s + 2 * rsA];
        w[o + 3] = a[s + 3 * rsA];
        o += MR;
      }
    } else {
      for (let i = 0; i < MR; i++) {
        const s = row + i * rsA;
        if (i < mr) for (let p = 0; p < kc; p++) w[o + p * MR + i] = a[s + p * csA];
        else for (let p = 0; p < kc; p++) w[o + p * MR + i] = 0;
      }
      o += kc * MR;
    }
  }
}
var edge = new Float64Array(MR * NR);
function micro(kc, w, ao, bo, c, co, ldc, mr, nr) {
  let c00 = 0;
  let c01 = 0;
  let c02 = 0;
  let c10 = 0;
  let c11 = 0;
  let c12 = 0;
  let c20 = 0;
  let c21 = 0;
  let c22 = 0;
  let c30 = 0;
  let c31 = 0;
  let c32 = 0;
  ao |= 0;
  bo |= 0;
  const end = (ao + kc * MR) | 0;
  while (ao < end) {
    const b0 = w[bo];
    const b1 = w[(bo + 1) | 0];
    const b2 = w[(bo + 2) | 0];
    let a = w[ao];
    c00 += a * b0;
    c01 += a * b1;
    c02 += a * b2;
    a = w[(ao + 1) | 0];
    c10 += a * b0;
    c11 += a * b1;
    c12 += a * b2;
    a = w[(ao + 2) | 0];
    c20 += a * b0;
    c21 += a * b1;
    c22 += a * b2;
    a = w[(ao + 3) | 0];
    c30 += a * b0;
    c31 += a * b1;
    c32 += a * b2;
    ao = (ao + MR) | 0;
    bo = (bo + NR) | 0;
  }
  if (mr === MR && nr === NR) {
    let r = co;
    c[r] += c00;
    c[r + 1] += c01;
    c[r + 2] += c02;
    r += ldc;
    c[r] += c10;
    c[r + 1] += c11;
    c[r + 2] += c12;
    r += ldc;
    c[r] += c20;
    c[r + 1] += c21;
    c[r + 2] += c22;
    r += ldc;
    c[r] += c30;
    c[r + 1] += c31;
    c[r + 2] += c32;
    return;
  }
  edge[0] = c00;
  edge[1] = c01;
  edge[2] = c02;
  edge[3] = c10;
  edge[4] = c11;
  edge[5] = c12;
  edge[6] = c20;
  edge[7] = c21;
  edge[8] = c22;
  edge[9] = c30;
  edge[10] = c31;
  edge[11] = c32;
  for (let i = 0; i < mr; i++) for (let j = 0; j < nr; j++) c[co + i * ldc + j] += edge[i * NR + j];
}

// src/backend/js/conv.ts
var scratch = [new Float64Array(0), new Float64Array(0), new Float64Array(0)];
var COL = 0;
var ACC = 1;
var IMG = 2;
function buffer(slot, n) {
  if (scratch[slot].length < n) scratch[slot] = new Float64Array(n);
  return scratch[slot];
}
function isPointwise(p) {
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
function taps(k, dilation, pad, stride, size, outSize) {
  const off = new Int32Array(k);
  const lo = new Int32Array(k);
  const hi = new Int32Array(k);
  for (let t2 = 0; t2 < k; t2++) {
    const o = t2 * dilation - pad;
    const first = Math.min(outSize, o >= 0 ? 0 : Math.ceil(-o / stride));
    const last = size - 1 - o < 0 ? 0 : Math.min(outSize, Math.floor((size - 1 - o) / stride) + 1);
    off[t2] = o;
    lo[t2] = first;
    hi[t2] = Math.max(first, last);
  }
  return { off, lo, hi };
}
var rowTaps = (p) => taps(p.kernelH, p.dilationH, p.padTop, p.strideH, p.inH, p.outH);
var colTaps = (p) => taps(p.kernelW, p.dilationW, p.padLeft, p.strideW, p.inW, p.outW);
function im2col(x2, xOff, channels, p, th, tw, col) {
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
        for (let oh2 = ohLo; oh2 < ohHi; oh2++) {
          const o = r + oh2 * outW;
          const src = plane + (oh2 * strideH + offH) * inW + offW;
          for (let ow = 0; ow < owLo; ow++) col[o + ow] = 0;
          if (strideW === 1) for (let ow = owLo; ow < owHi; ow++) col[o + ow] = x2[src + ow];
          else for (let ow = owLo; ow < owHi; ow++) col[o + ow] = x2[src + ow * strideW];
          for (let ow = owHi; ow < outW; ow++) col[o + ow] = 0;
        }
        col.fill(0, r + ohHi * outW, r + P);
      }
    }
  }
}
function col2im(col, c0, c1, p, th, tw, img) {
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
        for (let oh2 = ohLo; oh2 < ohHi; oh2++) {
          const o = r + oh2 * outW;
          const dst = plane + (oh2 * strideH + offH) * inW + offW;
          if (strideW === 1) for (let ow = owLo; ow < owHi; ow++) img[dst + ow] += col[o + ow];
          else for (let ow = owLo; ow < owHi; ow++) img[dst + ow * strideW] += col[o + ow];
        }
      }
    }
  }
}
var COL_CHUNK = 32768;
function conv2d(x2, weight, bias, out, p) {
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
      if (col !== null) im2col(x2, xOff, cinG, p, th, tw, col);
      for (let m = 0; m < M; m++) acc.fill(bias === null ? 0 : bias[g * M + m], m * P, (m + 1) * P);
      if (col !== null) gemm(M, P, K, weight, g * M * K, K, 1, col, 0, P, 1, acc, 0, P);
      else gemm(M, P, K, weight, g * M * K, K, 1, x2, xOff, P, 1, acc, 0, P);
      const o = (n * outChannels + g * M) * P;
      for (let i = 0, e = M * P; i < e; i++) out[o + i] = acc[i];
    }
  }
}
function conv2dBackwardData(gradOut, weight, gradInput, p) {
  const { batch, inChannels, inH, inW, outChannels, kernelH, kernelW, outH, outW, groups } = p;
  const cinG = inChannels / groups;
  const M = outChannels / groups;
  const K = cinG * kernelH * kernelW;
  const P = outH * outW;
  const img = cinG * inH * inW;
  const pointwise = isPointwise(p);
  const kk = kernelH * kernelW;
  const chunk2 = Math.max(1, Math.min(cinG, Math.floor(COL_CHUNK / (kk * P))));
  const gcol = buffer(COL, chunk2 * kk * P);
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
        for (let c0 = 0; c0 < cinG; c0 += chunk2) {
          const c1 = Math.min(cinG, c0 + chunk2);
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
function conv2dBackwardWeights(x2, gradOut, gradWeight, gradBias, p) {
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
          im2col(x2, xOff, cinG, p, th, tw, col);
          gemm(M, K, P, gradOut, gOff, P, 1, col, 0, 1, P, gw, g * M * K, K);
        } else {
          gemm(M, K, P, gradOut, gOff, P, 1, x2, xOff, 1, P, gw, g * M * K, K);
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

// src/backend/js/strided.ts
function forEachRow(shape, operands2, row) {
  const nd = shape.length;
  const k = operands2.length;
  const offsets = operands2.map((o) => o.offset);
  if (nd === 0) {
    row(offsets, 1);
    return;
  }
  const len = shape[nd - 1];
  for (const s of shape) if (s === 0) return;
  const idx = new Array(nd).fill(0);
  for (;;) {
    row(offsets, len);
    let d = nd - 2;
    for (; d >= 0; d--) {
      idx[d]++;
      for (let i = 0; i < k; i++) offsets[i] += operands2[i].strides[d];
      if (idx[d] < shape[d]) break;
      for (let i = 0; i < k; i++) offsets[i] -= operands2[i].strides[d] * shape[d];
      idx[d] = 0;
    }
    if (d < 0) return;
  }
}
function innerStride(o, ndim) {
  return ndim === 0 ? 1 : o.strides[ndim - 1];
}

// src/backend/js/elementwise.ts
var sigmoid = (v) => 1 / (1 + Math.exp(-v));
function copy(src, dst, shape) {
  const s = innerStride(src, shape.length);
  const t2 = innerStride(dst, shape.length);
  const x2 = src.buf;
  const out = dst.buf;
  const toBool = out instanceof Uint8Array && !(x2 instanceof Uint8Array);
  forEachRow(shape, [src, dst], (off, len) => {
    let p = off[0];
    let q = off[1];
    if (toBool) for (let i = 0; i < len; i++, p += s, q += t2) out[q] = x2[p] !== 0 ? 1 : 0;
    else for (let i = 0; i < len; i++, p += s, q += t2) out[q] = x2[p];
  });
}
function unary(op, x2, xo, out, n) {
  switch (op) {
    case 'neg':
      for (let i = 0; i < n; i++) out[i] = -x2[xo + i];
      break;
    case 'abs':
      for (let i = 0; i < n; i++) out[i] = Math.abs(x2[xo + i]);
      break;
    // PyTorch's sign is (0 < x) − (x < 0): 0 for ±0 and for NaN.
    case 'sign':
      for (let i = 0; i < n; i++) {
        const v = x2[xo + i];
        out[i] = v > 0 ? 1 : v < 0 ? -1 : 0;
      }
      break;
    case 'exp':
      for (let i = 0; i < n; i++) out[i] = Math.exp(x2[xo + i]);
      break;
    case 'log':
      for (let i = 0; i < n; i++) out[i] = Math.log(x2[xo + i]);
      break;
    case 'log1p':
      for (let i = 0; i < n; i++) out[i] = Math.log1p(x2[xo + i]);
      break;
    case 'expm1':
      for (let i = 0; i < n; i++) out[i] = Math.expm1(x2[xo + i]);
      break;
    case 'sqrt':
      for (let i = 0; i < n; i++) out[i] = Math.sqrt(x2[xo + i]);
      break;
    case 'rsqrt':
      for (let i = 0; i < n; i++) out[i] = 1 / Math.sqrt(x2[xo + i]);
      break;
    case 'reciprocal':
      for (let i = 0; i < n; i++) out[i] = 1 / x2[xo + i];
      break;
    case 'square':
      for (let i = 0; i < n; i++) {
        const v = x2[xo + i];
        out[i] = v * v;
      }
      break;
    case 'sin':
      for (let i = 0; i < n; i++) out[i] = Math.sin(x2[xo + i]);
      break;
    case 'cos':
      for (let i = 0; i < n; i++) out[i] = Math.cos(x2[xo + i]);
      break;
    case 'sigmoid':
      for (let i = 0; i < n; i++) out[i] = sigmoid(x2[xo + i]);
      break;
    case 'tanh':
      for (let i = 0; i < n; i++) out[i] = Math.tanh(x2[xo + i]);
      break;
    // Math.max propagates NaN, as PyTorch's relu does.
    case 'relu':
      for (let i = 0; i < n; i++) {
        const v = x2[xo + i];
        out[i] = Math.max(v, 0);
      }
      break;
    // Truth is "nonzero", so NaN is true (JS would call it falsy).
    case 'not':
      for (let i = 0; i < n; i++) out[i] = x2[xo + i] !== 0 ? 0 : 1;
      break;
    default:
      throw new Error(`unary: unknown op ${op}`);
  }
}
function clamp(x2, xo, out, n, lo, hi) {
  const hasLo = !Number.isNaN(lo);
  const hasHi = !Number.isNaN(hi);
  for (let i = 0; i < n; i++) {
    let v = x2[xo + i];
    if (hasLo && v < lo) v = lo;
    if (hasHi && v > hi) v = hi;
    out[i] = v;
  }
}
function binary(op, a, b, shape, out) {
  const nd = shape.length;
  const sa2 = innerStride(a, nd);
  const sb2 = innerStride(b, nd);
  const x2 = a.buf;
  const y2 = b.buf;
  const intMul = op === 'mul' && out instanceof Int32Array;
  const boolAdd = op === 'add' && out instanceof Uint8Array;
  let o = 0;
  forEachRow(shape, [a, b], (off, len) => {
    let p = off[0];
    let q = off[1];
    const end = o + len;
    switch (op) {
      case 'add':
        if (boolAdd) for (; o < end; o++, p += sa2, q += sb2) out[o] = x2[p] !== 0 || y2[q] !== 0 ? 1 : 0;
        else for (; o < end; o++, p += sa2, q += sb2) out[o] = x2[p] + y2[q];
        break;
      case 'sub':
        for (; o < end; o++, p += sa2, q += sb2) out[o] = x2[p] - y2[q];
        break;
      case 'mul':
        if (intMul) for (; o < end; o++, p += sa2, q += sb2) out[o] = Math.imul(x2[p], y2[q]);
        else for (; o < end; o++, p += sa2, q += sb2) out[o] = x2[p] * y2[q];
        break;
      case 'div':
        for (; o < end; o++, p += sa2, q += sb2) out[o] = x2[p] / y2[q];
        break;
      case 'pow':
        for (; o < end; o++, p += sa2, q += sb2) out[o] = x2[p] ** y2[q];
        break;
      // maximum/minimum propagate NaN like PyTorch (Math.max does too).
      case 'maximum':
        for (; o < end; o++, p += sa2, q += sb2) out[o] = Math.max(x2[p], y2[q]);
        break;
      case 'minimum':
        for (; o < end; o++, p += sa2, q += sb2) out[o] = Math.min(x2[p], y2[q]);
        break;
      case 'eq':
        for (; o < end; o++, p += sa2, q += sb2) out[o] = x2[p] === y2[q] ? 1 : 0;
        break;
      case 'ne':
        for (; o < end; o++, p += sa2, q += sb2) out[o] = x2[p] !== y2[q] ? 1 : 0;
        break;
      case 'lt':
        for (; o < end; o++, p += sa2, q += sb2) out[o] = x2[p] < y2[q] ? 1 : 0;
        break;
      case 'le':
        for (; o < end; o++, p += sa2, q += sb2) out[o] = x2[p] <= y2[q] ? 1 : 0;
        break;
      case 'gt':
        for (; o < end; o++, p += sa2, q += sb2) out[o] = x2[p] > y2[q] ? 1 : 0;
        break;
      case 'ge':
        for (; o < end; o++, p += sa2, q += sb2) out[o] = x2[p] >= y2[q] ? 1 : 0;
        break;
      case 'and':
        for (; o < end; o++, p += sa2, q += sb2) out[o] = x2[p] !== 0 && y2[q] !== 0 ? 1 : 0;
        break;
      case 'or':
        for (; o < end; o++, p += sa2, q += sb2) out[o] = x2[p] !== 0 || y2[q] !== 0 ? 1 : 0;
        break;
      default:
        throw new Error(`binary: unknown op ${op}`);
    }
  });
}
function where(c, a, b, shape, out) {
  const nd = shape.length;
  const sc2 = innerStride(c, nd);
  const sa2 = innerStride(a, nd);
  const sb2 = innerStride(b, nd);
  let o = 0;
  forEachRow(shape, [c, a, b], (off, len) => {
    let r = off[0];
    let p = off[1];
    let q = off[2];
    for (let i = 0; i < len; i++, o++, r += sc2, p += sa2, q += sb2) out[o] = c.buf[r] ? a.buf[p] : b.buf[q];
  });
}

// src/backend/js/indexing.ts
function gather(x2, outer2, size, inner, index, idxSize, out) {
  for (let o = 0; o < outer2; o++) {
    for (let j = 0; j < idxSize; j++) {
      const ib = (o * idxSize + j) * inner;
      for (let i = 0; i < inner; i++) out[ib + i] = x2[(o * size + index[ib + i]) * inner + i];
    }
  }
}
function scatterAdd(src, outer2, size, inner, index, idxSize, out) {
  for (let o = 0; o < outer2; o++) {
    for (let j = 0; j < idxSize; j++) {
      const ib = (o * idxSize + j) * inner;
      for (let i = 0; i < inner; i++) out[(o * size + index[ib + i]) * inner + i] += src[ib + i];
    }
  }
}

// src/backend/js/matmul.ts
var GEMM_MIN_MACS = 32 * 32 * 32;
var GEMM_SCRATCH = 1 << 18;
var gemmOut = new Float64Array(0);
function matmul(a, aBatchStride, b, bBatchStride, out, batch, m, k, n) {
  if (m * n * k >= GEMM_MIN_MACS) {
    const rows = Math.min(m, Math.max(32, Math.floor(GEMM_SCRATCH / n / 4) * 4));
    if (gemmOut.length < rows * n) gemmOut = new Float64Array(rows * n);
    const c = gemmOut;
    for (let bt = 0; bt < batch; bt++) {
      for (let i0 = 0; i0 < m; i0 += rows) {
        const r = Math.min(rows, m - i0);
        c.fill(0, 0, r * n);
        gemm(r, n, k, a, bt * aBatchStride + i0 * k, k, 1, b, bt * bBatchStride, n, 1, c, 0, n);
        const oo = (bt * m + i0) * n;
        for (let i = 0, e = r * n; i < e; i++) out[oo + i] = c[i];
      }
    }
    return;
  }
  const KB = 128;
  const acc = new Float64Array(n);
  for (let bt = 0; bt < batch; bt++) {
    const ao = bt * aBatchStride;
    const bo = bt * bBatchStride;
    const oo = bt * m * n;
    for (let i = 0; i < m; i++) {
      acc.fill(0);
      const arow = ao + i * k;
      for (let k0 = 0; k0 < k; k0 += KB) {
        const k1 = Math.min(k, k0 + KB);
        for (let p = k0; p < k1; p++) {
          const av = a[arow + p];
          const brow = bo + p * n;
          for (let j = 0; j < n; j++) acc[j] += av * b[brow + j];
        }
      }
      const orow = oo + i * n;
      for (let j = 0; j < n; j++) out[orow + j] = acc[j];
    }
  }
}

// src/backend/js/pool.ts
function firstTap(start, dil) {
  return start >= 0 ? 0 : Math.ceil(-start / dil);
}
function endTap(start, dil, k, size) {
  const last = size - 1 - start;
  return last < 0 ? 0 : Math.min(k, Math.floor(last / dil) + 1);
}
function maxPool2d(x2, out, indices, p) {
  const { planes, inH, inW, outH, outW, kernelH, kernelW, strideH, strideW, padH, padW, dilationH, dilationW } = p;
  const inPlane = inH * inW;
  const outPlane = outH * outW;
  for (let c = 0; c < planes; c++) {
    const xo = c * inPlane;
    const oo = c * outPlane;
    for (let oh2 = 0; oh2 < outH; oh2++) {
      const h0 = oh2 * strideH - padH;
      const i0 = firstTap(h0, dilationH);
      const i1 = endTap(h0, dilationH, kernelH, inH);
      for (let ow = 0; ow < outW; ow++) {
        const w0 = ow * strideW - padW;
        const j0 = firstTap(w0, dilationW);
        const j1 = endTap(w0, dilationW, kernelW, inW);
        let best = (h0 + i0 * dilationH) * inW + w0 + j0 * dilationW;
        let max2 = Number.NEGATIVE_INFINITY;
        for (let i = i0; i < i1; i++) {
          const row = (h0 + i * dilationH) * inW + w0;
          for (let j = j0; j < j1; j++) {
            const idx = row + j * dilationW;
            const v = x2[xo + idx];
            if (v > max2 || v !== v) {
              max2 = v;
              best = idx;
            }
          }
        }
        out[oo + oh2 * outW + ow] = max2;
        indices[oo + oh2 * outW + ow] = best;
      }
    }
  }
}
function maxPool2dBackward(gradOut, indices, gradInput, p) {
  const inPlane = p.inH * p.inW;
  const outPlane = p.outH * p.outW;
  gradInput.fill(0, 0, p.planes * inPlane);
  for (let c = 0; c < p.planes; c++) {
    const gi = c * inPlane;
    const go = c * outPlane;
    for (let k = 0; k < outPlane; k++) gradInput[gi + indices[go + k]] += gradOut[go + k];
  }
}
function avgAxis(outSize, stride, pad, k, size) {
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
function avgPool2d(x2, out, p) {
  const { planes, inH, inW, outH, outW, kernelH, kernelW, strideH, strideW, padH, padW, countIncludePad, divisorOverride } = p;
  const [hStart, hEnd, hPadded] = avgAxis(outH, strideH, padH, kernelH, inH);
  const [wStart, wEnd, wPadded] = avgAxis(outW, strideW, padW, kernelW, inW);
  const inPlane = inH * inW;
  const outPlane = outH * outW;
  for (let c = 0; c < planes; c++) {
    const xo = c * inPlane;
    const oo = c * outPlane;
    for (let oh2 = 0; oh2 < outH; oh2++) {
      const hs = hStart[oh2];
      const he = hEnd[oh2];
      for (let ow = 0; ow < outW; ow++) {
        const ws = wStart[ow];
        const we = wEnd[ow];
        if (hs >= he || ws >= we) {
          out[oo + oh2 * outW + ow] = 0;
          continue;
        }
        let s = 0;
        for (let h = hs; h < he; h++) {
          const row = xo + h * inW;
          for (let w = ws; w < we; w++) s += x2[row + w];
        }
        const divisor = divisorOverride !== 0 ? divisorOverride : countIncludePad ? hPadded[oh2] * wPadded[ow] : (he - hs) * (we - ws);
        out[oo + oh2 * outW + ow] = s / divisor;
      }
    }
  }
}
function avgPool2dBackward(gradOut, gradInput, p) {
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
    for (let oh2 = 0; oh2 < outH; oh2++) {
      const hs = hStart[oh2];
      const he = hEnd[oh2];
      for (let ow = 0; ow < outW; ow++) {
        const ws = wStart[ow];
        const we = wEnd[ow];
        if (hs >= he || ws >= we) continue;
        const divisor = divisorOverride !== 0 ? divisorOverride : countIncludePad ? hPadded[oh2] * wPadded[ow] : (he - hs) * (we - ws);
        const g = gradOut[go + oh2 * outW + ow] / divisor;
        for (let h = hs; h < he; h++) {
          const row = h * inW;
          for (let w = ws; w < we; w++) acc[row + w] += g;
        }
      }
    }
    for (let i = 0; i < inPlane; i++) gradInput[gi + i] = acc[i];
  }
}
var adaptiveStart = (o, inSize, outSize) => Math.floor((o * inSize) / outSize);
var adaptiveEnd = (o, inSize, outSize) => Math.ceil(((o + 1) * inSize) / outSize);
function adaptiveAvgPool2d(x2, out, p) {
  const { planes, inH, inW, outH, outW } = p;
  const inPlane = inH * inW;
  const outPlane = outH * outW;
  for (let c = 0; c < planes; c++) {
    const xo = c * inPlane;
    const oo = c * outPlane;
    for (let oh2 = 0; oh2 < outH; oh2++) {
      const hs = adaptiveStart(oh2, inH, outH);
      const he = adaptiveEnd(oh2, inH, outH);
      for (let ow = 0; ow < outW; ow++) {
        const ws = adaptiveStart(ow, inW, outW);
        const we = adaptiveEnd(ow, inW, outW);
        let s = 0;
        for (let h = hs; h < he; h++) {
          const row = xo + h * inW;
          for (let w = ws; w < we; w++) s += x2[row + w];
        }
        out[oo + oh2 * outW + ow] = s / ((he - hs) * (we - ws));
      }
    }
  }
}
function adaptiveAvgPool2dBackward(gradOut, gradInput, p) {
  const { planes, inH, inW, outH, outW } = p;
  const inPlane = inH * inW;
  const outPlane = outH * outW;
  const acc = new Float64Array(inPlane);
  for (let c = 0; c < planes; c++) {
    const gi = c * inPlane;
    const go = c * outPlane;
    acc.fill(0);
    for (let oh2 = 0; oh2 < outH; oh2++) {
      const hs = adaptiveStart(oh2, inH, outH);
      const he = adaptiveEnd(oh2, inH, outH);
      for (let ow = 0; ow < outW; ow++) {
        const ws = adaptiveStart(ow, inW, outW);
        const we = adaptiveEnd(ow, inW, outW);
        const g = gradOut[go + oh2 * outW + ow] / ((he - hs) * (we - ws));
        for (let h = hs; h < he; h++) {
          const row = h * inW;
          for (let w = ws; w < we; w++) acc[row + w] += g;
        }
      }
    }
    for (let i = 0; i < inPlane; i++) gradInput[gi + i] = acc[i];
  }
}

// src/backend/js/reduce.ts
function reduce(op, x2, outer2, size, inner, out) {
  const acc = new Float64Array(inner);
  for (let o = 0; o < outer2; o++) {
    const base = o * size * inner;
    switch (op) {
      case 'sum':
        acc.fill(0);
        for (let r = 0; r < size; r++) {
          const row = base + r * inner;
          for (let i = 0; i < inner; i++) acc[i] += x2[row + i];
        }
        break;
      case 'prod':
        acc.fill(1);
        for (let r = 0; r < size; r++) {
          const row = base + r * inner;
          for (let i = 0; i < inner; i++) acc[i] *= x2[row + i];
        }
        break;
      case 'max':
      case 'min': {
        const isMax = op === 'max';
        acc.fill(isMax ? -Infinity : Infinity);
        for (let r = 0; r < size; r++) {
          const row = base + r * inner;
          for (let i = 0; i < inner; i++) {
            const v = x2[row + i];
            const a = acc[i];
            if (v !== v || (isMax ? v > a : v < a)) acc[i] = v;
            else if (a !== a) acc[i] = a;
          }
        }
        break;
      }
      default:
        throw new Error(`reduce: unknown op ${op}`);
    }
    const ob = o * inner;
    for (let i = 0; i < inner; i++) out[ob + i] = acc[i];
  }
}
function argReduce(op, x2, outer2, size, inner, out) {
  const isMax = op === 'argmax';
  for (let o = 0; o < outer2; o++) {
    const base = o * size * inner;
    for (let i = 0; i < inner; i++) {
      let best = x2[base + i];
      let bi = 0;
      for (let r = 1; r < size && best === best; r++) {
        const v = x2[base + r * inner + i];
        if (v !== v || (isMax ? v > best : v < best)) {
          best = v;
          bi = r;
        }
      }
      out[o * inner + i] = bi;
    }
  }
}

// src/backend/js/index.ts
var jsBackend = {
  name: 'js',
  copy,
  unary,
  clamp,
  binary,
  where,
  reduce,
  argReduce,
  matmul,
  gather,
  scatterAdd,
  conv2d,
  conv2dBackwardData,
  conv2dBackwardWeights,
  maxPool2d,
  maxPool2dBackward,
  avgPool2d,
  avgPool2dBackward,
  adaptiveAvgPool2d,
  adaptiveAvgPool2dBackward,
  batchNorm,
  batchNormBackward,
};

// src/backend/registry.ts
var active = jsBackend;
function backend() {
  return active;
}
function setBackend(b) {
  const prev = active;
  active = b;
  return prev;
}

// src/tensor/dtype.ts
var defaultFloatDType = 'float32';
var ctors = {
  float32: Float32Array,
  float64: Float64Array,
  int32: Int32Array,
  bool: Uint8Array,
};
function allocate(dtype, n) {
  return new ctors[dtype](n);
}
function isFloating(d) {
  return d === 'float32' || d === 'float64';
}
function torchName(d) {
  return `torch.${d}`;
}
function category(d) {
  return d === 'bool' ? 0 : d === 'int32' ? 1 : 2;
}
function promoteTypes(a, b) {
  if (a === b) return a;
  const ca = category(a);
  const cb = category(b);
  if (ca !== cb) return ca > cb ? a : b;
  return 'float64';
}
function resultType(...ops) {
  let dim = null;
  let zero = null;
  let scalar = null;
  const join = (cur, d) => (cur === null ? d : promoteTypes(cur, d));
  for (const op of ops) {
    if (typeof op === 'number') {
      scalar = join(scalar, Number.isInteger(op) ? 'int32' : defaultFloatDType);
    } else if (typeof op === 'boolean') {
      scalar = join(scalar, 'bool');
    } else if (op.ndim === 0) {
      zero = join(zero, op.dtype);
    } else {
      dim = join(dim, op.dtype);
    }
  }
  let out = dim ?? zero ?? scalar ?? defaultFloatDType;
  for (const lower of [zero, scalar]) {
    if (lower !== null && category(lower) > category(out)) {
      out = category(lower) === 2 ? (lower === zero ? lower : defaultFloatDType) : lower;
    }
  }
  return out;
}
function canCast(from, to2) {
  return category(from) <= category(to2);
}

// src/tensor/shape.ts
function numelOf(shape) {
  let n = 1;
  for (const s of shape) n *= s;
  return n;
}
function contiguousStrides(shape) {
  const strides = new Array(shape.length);
  let s = 1;
  for (let i = shape.length - 1; i >= 0; i--) {
    strides[i] = s;
    s *= shape[i];
  }
  return strides;
}
function isContiguous(shape, strides) {
  let expected = 1;
  for (let i = shape.length - 1; i >= 0; i--) {
    if (shape[i] !== 1 && strides[i] !== expected) return false;
    expected *= shape[i];
  }
  return true;
}
function shapeStr(shape) {
  return `[${shape.join(', ')}]`;
}
function sameShape(a, b) {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}
function normalizeDim(op, dim, ndim) {
  const n = Math.max(ndim, 1);
  if (!Number.isInteger(dim) || dim < -n || dim >= n) {
    throw new RangeError(`${op}: dimension ${dim} out of range (expected to be in range of [${-n}, ${n - 1}])`);
  }
  return dim < 0 ? dim + n : dim;
}
function normalizeDims(op, dims, ndim) {
  if (dims === void 0) return Array.from({ length: ndim }, (_, i) => i);
  const list = typeof dims === 'number' ? [dims] : dims;
  const out = list.map((d) => normalizeDim(op, d, ndim));
  if (new Set(out).size !== out.length) {
    throw new RangeError(`${op}: dim ${list.join(', ')} appears multiple times in the list of dims`);
  }
  return ndim === 0 ? [] : out.sort((a, b) => a - b);
}
function broadcastShapes(op, a, b) {
  const n = Math.max(a.length, b.length);
  const out = new Array(n);
  for (let i = 0; i < n; i++) {
    const da = a[a.length - n + i] ?? 1;
    const db = b[b.length - n + i] ?? 1;
    if (da !== db && da !== 1 && db !== 1) {
      throw new RangeError(
        `${op}: shapes ${shapeStr(a)} and ${shapeStr(b)} cannot be broadcast together (size ${da} \u2260 ${db} at dimension ${i - n})`,
      );
    }
    out[i] = da === 1 ? db : da;
  }
  return out;
}
function checkShape(op, shape, numel) {
  let infer = -1;
  let known = 1;
  shape.forEach((s, i) => {
    if (s === -1 && numel !== void 0) {
      if (infer >= 0) throw new RangeError(`${op}: only one dimension can be inferred (-1) in ${shapeStr(shape)}`);
      infer = i;
    } else if (!Number.isInteger(s) || s < 0) {
      throw new RangeError(`${op}: invalid shape ${shapeStr(shape)} (sizes must be non-negative integers)`);
    } else {
      known *= s;
    }
  });
  const out = [...shape];
  if (infer >= 0 && numel !== void 0) {
    if (known === 0 || numel % known !== 0) {
      throw new RangeError(`${op}: shape ${shapeStr(shape)} is invalid for input of size ${numel}`);
    }
    out[infer] = numel / known;
  }
  if (numel !== void 0 && numelOf(out) !== numel) {
    throw new RangeError(`${op}: shape ${shapeStr(shape)} is invalid for input of size ${numel}`);
  }
  return out;
}

// src/backend/backend.ts
function stridedOf(t2) {
  return { buf: t2.storage.data, offset: t2.offset, strides: t2.strides };
}

// src/tensor/pyformat.ts
var scratch2 = new DataView(new ArrayBuffer(8));
function decompose(x2) {
  scratch2.setFloat64(0, x2);
  const hi = scratch2.getUint32(0);
  const lo = scratch2.getUint32(4);
  const expBits = (hi >>> 20) & 2047;
  let m = (hi & 1048575) * 2 ** 32 + lo;
  let e;
  if (expBits === 0) {
    e = -1074;
  } else {
    m += 2 ** 52;
    e = expBits - 1075;
  }
  if (m === 0) return { m: 0, e: 0 };
  while (m % 2 === 0) {
    m /= 2;
    e += 1;
  }
  return { m, e };
}
var pow10Cache = [1n];
function pow10(k) {
  for (let i = pow10Cache.length; i <= k; i++) pow10Cache.push(pow10Cache[i - 1] * 10n);
  return pow10Cache[k];
}
function roundScaled(m, e, s) {
  let num = BigInt(m);
  let den = 1n;
  if (e >= 0) num <<= BigInt(e);
  else den <<= BigInt(-e);
  if (s >= 0) num *= pow10(s);
  else den *= pow10(-s);
  let q = num / den;
  const twiceR = (num - q * den) * 2n;
  if (twiceR > den || (twiceR === den && (q & 1n) === 1n)) q += 1n;
  return q;
}
function nonFinite(x2) {
  if (Number.isNaN(x2)) return 'nan';
  if (x2 === Infinity) return 'inf';
  if (x2 === -Infinity) return '-inf';
  return null;
}
function signOf(x2) {
  return x2 < 0 || Object.is(x2, -0) ? '-' : '';
}
function formatFixed(x2, precision) {
  const special = nonFinite(x2);
  if (special !== null) return special;
  const { m, e } = decompose(Math.abs(x2));
  let digits = roundScaled(m, e, precision).toString();
  if (precision === 0) return signOf(x2) + digits;
  if (digits.length <= precision) digits = '0'.repeat(precision + 1 - digits.length) + digits;
  const cut = digits.length - precision;
  return `${signOf(x2)}${digits.slice(0, cut)}.${digits.slice(cut)}`;
}
function formatExp(x2, precision) {
  const special = nonFinite(x2);
  if (special !== null) return special;
  const ax = Math.abs(x2);
  let digits;
  let exp2 = 0;
  if (ax === 0) {
    digits = '0'.repeat(precision + 1);
  } else {
    const { m, e } = decompose(ax);
    const lower = pow10(precision);
    const upper = pow10(precision + 1);
    exp2 = Math.floor(Math.log10(ax));
    let n = roundScaled(m, e, precision - exp2);
    for (let guard = 0; guard < 4 && (n < lower || n >= upper); guard++) {
      exp2 += n >= upper ? 1 : -1;
      n = roundScaled(m, e, precision - exp2);
    }
    digits = n.toString();
  }
  const mantissa = precision === 0 ? digits : `${digits[0]}.${digits.slice(1)}`;
  const expAbs = Math.abs(exp2).toString().padStart(2, '0');
  return `${signOf(x2)}${mantissa}e${exp2 < 0 ? '-' : '+'}${expAbs}`;
}

// src/tensor/format.ts
var PROFILES = {
  default: { precision: 4, threshold: 1e3, edgeitems: 3, linewidth: 80 },
  short: { precision: 2, threshold: 1e3, edgeitems: 2, linewidth: 80 },
  full: { precision: 4, threshold: Infinity, edgeitems: 3, linewidth: 80 },
};
var current = { ...PROFILES.default, sciMode: null };
function padLeft(s, width) {
  return s.length >= width ? s : ' '.repeat(width - s.length) + s;
}
function integralFormatter(dtype, values) {
  const text = dtype === 'bool' ? (v) => (v ? 'True' : 'False') : (v) => String(v);
  let width = 1;
  for (let i = 0; i < values.length; i++) width = Math.max(width, text(values[i]).length);
  return { width, format: (v) => padLeft(text(v), width) };
}
function floatFormatter(values, o) {
  const p = o.precision;
  const finite = [];
  let intMode = true;
  let min2 = Infinity;
  let max2 = 0;
  for (let i = 0; i < values.length; i++) {
    const v = values[i];
    if (v === 0 || !Number.isFinite(v)) continue;
    finite.push(v);
    if (v !== Math.ceil(v)) intMode = false;
    const a = Math.abs(v);
    if (a < min2) min2 = a;
    if (a > max2) max2 = a;
  }
  let sci = false;
  let width = 1;
  if (finite.length > 0) {
    const wide = max2 / min2 > 1e3 || max2 > 1e8;
    if (intMode) {
      sci = wide;
      for (const v of finite) {
        const len = sci ? formatExp(v, p).length : formatFixed(v, 0).length + 1;
        width = Math.max(width, len);
      }
    } else {
      sci = wide || min2 < 1e-4;
      for (const v of finite) {
        width = Math.max(width, (sci ? formatExp(v, p) : formatFixed(v, p)).length);
      }
    }
    if (o.sciMode !== null) sci = o.sciMode;
  }
  const format = (v) => {
    let s;
    if (sci) s = formatExp(v, p);
    else if (intMode) s = formatFixed(v, 0) + (Number.isFinite(v) ? '.' : '');
    else s = formatFixed(v, p);
    return padLeft(s, width);
  };
  return { width, format };
}
function tailStart(n, edge2) {
  return edge2 === 0 ? 0 : n - edge2;
}
function summarizedValues(w) {
  const out = [];
  const ndim = w.shape.length;
  const visit = (offset, d) => {
    if (d === ndim) {
      out.push(w.data[offset]);
      return;
    }
    const n = w.shape[d];
    const s = w.strides[d];
    const cut = n > 2 * w.edge;
    if (!cut) {
      for (let i = 0; i < n; i++) visit(offset + i * s, d + 1);
      return;
    }
    for (let i = 0; i < w.edge; i++) visit(offset + i * s, d + 1);
    const tail = d === ndim - 1 ? tailStart(n, w.edge) : n - w.edge;
    for (let i = tail; i < n; i++) visit(offset + i * s, d + 1);
  };
  visit(0, 0);
  return out;
}
function vectorStr(w, offset, indent, summarize, f) {
  const n = w.shape[w.shape.length - 1];
  const s = w.strides[w.strides.length - 1];
  const perLine = Math.max(1, Math.floor((w.linewidth - indent) / (f.width + 2)));
  const items = [];
  if (summarize && n > 2 * w.edge) {
    for (let i = 0; i < w.edge; i++) items.push(f.format(w.data[offset + i * s]));
    items.push(' ...');
    for (let i = tailStart(n, w.edge); i < n; i++) items.push(f.format(w.data[offset + i * s]));
  } else {
    for (let i = 0; i < n; i++) items.push(f.format(w.data[offset + i * s]));
  }
  const lines = [];
  for (let i = 0; i < items.length; i += perLine) {
    lines.push(items.slice(i, i + perLine).join(', '));
  }
  return `[${lines.join(`,
${' '.repeat(indent + 1)}`)}]`;
}
function tensorStr(w, offset, d, indent, summarize, f) {
  const rest = w.shape.length - d;
  if (rest === 0) return f.format(w.data[offset]);
  if (rest === 1) return vectorStr(w, offset, indent, summarize, f);
  const n = w.shape[d];
  const s = w.strides[d];
  const sub2 = (i) => tensorStr(w, offset + i * s, d + 1, indent + 1, summarize, f);
  const slices = [];
  if (summarize && n > 2 * w.edge) {
    for (let i = 0; i < w.edge; i++) slices.push(sub2(i));
    slices.push('...');
    for (let i = n - w.edge; i < n; i++) slices.push(sub2(i));
  } else {
    for (let i = 0; i < n; i++) slices.push(sub2(i));
  }
  return `[${slices.join(`,${'\n'.repeat(rest - 1)}${' '.repeat(indent + 1)}`)}]`;
}
function pyTuple(shape) {
  return shape.length === 1 ? `(${shape[0]},)` : `(${shape.join(', ')})`;
}
function addSuffixes(text, suffixes, indent, linewidth) {
  const parts = [text];
  let lastLineLen = text.length - text.lastIndexOf('\n') + 1;
  for (const suffix of suffixes) {
    if (lastLineLen + suffix.length + 2 > linewidth) {
      parts.push(`,
${' '.repeat(indent)}${suffix}`);
      lastLineLen = indent + suffix.length;
    } else {
      parts.push(`, ${suffix}`);
      lastLineLen += suffix.length + 2;
    }
  }
  parts.push(')');
  return parts.join('');
}
function formatTensor(t2) {
  const o = current;
  const prefix = 'tensor(';
  const indent = prefix.length;
  let numel = 1;
  for (const n of t2.shape) {
    if (!Number.isInteger(n) || n < 0) throw new RangeError(`formatTensor: bad shape [${t2.shape}]`);
    numel *= n;
  }
  if (t2.data.length < numel) {
    throw new RangeError(`formatTensor: ${t2.data.length} values for shape [${t2.shape}]`);
  }
  const suffixes = [];
  let body;
  if (numel === 0) {
    if (t2.shape.length !== 1) suffixes.push(`size=${pyTuple(t2.shape)}`);
    if (t2.dtype !== 'float32') suffixes.push(`dtype=${torchName(t2.dtype)}`);
    body = '[]';
  } else {
    if (t2.dtype === 'float64') suffixes.push(`dtype=${torchName(t2.dtype)}`);
    const strides = new Array(t2.shape.length);
    let step = 1;
    for (let i = t2.shape.length - 1; i >= 0; i--) {
      strides[i] = step;
      step *= t2.shape[i];
    }
    const w = {
      shape: t2.shape,
      strides,
      data: t2.data,
      edge: o.edgeitems,
      linewidth: o.linewidth,
    };
    const summarize = numel > o.threshold;
    let values = t2.data;
    if (summarize) values = summarizedValues(w);
    else if (t2.data.length !== numel) values = Array.from({ length: numel }, (_, i) => t2.data[i]);
    const f = isFloating(t2.dtype) ? floatFormatter(values, o) : integralFormatter(t2.dtype, values);
    body = tensorStr(w, 0, 0, indent, summarize, f);
  }
  if (t2.gradFn) suffixes.push(`grad_fn=<${t2.gradFn}>`);
  else if (t2.requiresGrad) suffixes.push('requires_grad=True');
  return addSuffixes(prefix + body, suffixes, indent, o.linewidth);
}

// src/tensor/tensor.ts
var Storage = class {
  constructor(data2) {
    this.data = data2;
  }
  data;
  version = 0;
};
var Tensor = class _Tensor {
  /** @internal use the creation functions (`tensor`, `zeros`, …) instead. */
  constructor(storage, shape, strides, offset, dtype) {
    this.storage = storage;
    this.shape = shape;
    this.strides = strides;
    this.offset = offset;
    this.dtype = dtype;
  }
  storage;
  shape;
  strides;
  offset;
  dtype;
  /** The gradient accumulated by `backward()` (leaves, and non-leaves after `retainGrad()`). */
  grad = null;
  /** The node that produced this tensor, or null for leaves. */
  gradFn = null;
  /** @internal the tensor this one is a view of (the root base), for in-place checks. */
  _base = null;
  _requiresGrad = false;
  _accumulator = null;
  /** @internal a fresh contiguous tensor over `data`. */
  static _fromData(data2, shape, dtype) {
    return new _Tensor(new Storage(data2), shape, contiguousStrides(shape), 0, dtype);
  }
  /** @internal a zero-filled contiguous tensor. */
  static _empty(shape, dtype) {
    return _Tensor._fromData(allocate(dtype, numelOf(shape)), shape, dtype);
  }
  get ndim() {
    return this.shape.length;
  }
  /** Number of elements. */
  get numel() {
    return numelOf(this.shape);
  }
  /** `size()` is the shape; `size(d)` the size of dim d (negative counts from the end). */
  size(dim) {
    if (dim === void 0) return this.shape;
    const d = dim < 0 ? dim + this.ndim : dim;
    if (d < 0 || d >= this.ndim) throw new RangeError(`size: dimension ${dim} out of range for a ${this.ndim}-d tensor`);
    return this.shape[d];
  }
  /** @internal the storage's version counter (bumped by in-place ops). */
  get _version() {
    return this.storage.version;
  }
  get isLeaf() {
    return this.gradFn === null;
  }
  /** Whether gradients flow to this tensor: set on leaves; true for results of such tensors. */
  get requiresGrad() {
    return this._requiresGrad || this.gradFn !== null;
  }
  set requiresGrad(on) {
    this.requiresGrad_(on);
  }
  /** Sets `requiresGrad` on a leaf and returns this tensor. */
  requiresGrad_(on = true) {
    if (!this.isLeaf) {
      throw new Error('requiresGrad: you can only change requiresGrad of leaf tensors; for a non-leaf use detach() to get a leaf');
    }
    if (on && !isFloating(this.dtype)) {
      throw new TypeError(`requiresGrad: only floating-point tensors can require gradients (got ${this.dtype})`);
    }
    this._requiresGrad = on;
    return this;
  }
  /** @internal the graph node gradients flow into: gradFn, or the leaf's AccumulateGrad. */
  _gradEdge() {
    if (this.gradFn) return this.gradFn;
    if (!this._requiresGrad) return null;
    this._accumulator ??= new AccumulateGrad(this);
    return this._accumulator;
  }
  /** Whether the elements are laid out row-major without gaps. */
  isContiguous() {
    return isContiguous(this.shape, this.strides);
  }
  /**
   * The values as a row-major TypedArray. For a contiguous tensor this is a live view of its
   * storage (writes show up in the tensor); otherwise a fresh copy.
   */
  get data() {
    const n = this.numel;
    if (this.isContiguous()) return this.storage.data.subarray(this.offset, this.offset + n);
    const out = _Tensor._empty(this.shape, this.dtype);
    backend().copy(stridedOf(this), stridedOf(out), this.shape);
    return out.storage.data;
  }
  /** The value of a one-element tensor as a JS number (booleans as 0/1 numbers too). */
  item() {
    if (this.numel !== 1) {
      throw new RangeError(`item: a tensor with ${this.numel} elements cannot be converted to a scalar`);
    }
    return this.storage.data[this.offset];
  }
  /** The values as nested JS arrays (booleans for bool tensors), like PyTorch's tolist(). */
  toArray() {
    const flat = this.data;
    const isBool = this.dtype === 'bool';
    let i = 0;
    const build = (d) => {
      if (d === this.ndim) {
        const v = flat[i++];
        return isBool ? v !== 0 : v;
      }
      const out = [];
      for (let j = 0; j < this.shape[d]; j++) out.push(build(d + 1));
      return out;
    };
    return build(0);
  }
  /** PyTorch's repr, e.g. `tensor([[0.4963, 0.7682]], requires_grad=True)`. */
  toString() {
    return formatTensor({
      shape: this.shape,
      dtype: this.dtype,
      data: this.data,
      requiresGrad: this.requiresGrad && this.isLeaf,
      gradFn: this.gradFn?.name ?? null,
    });
  }
  /** `console.log(t)` in Node prints the PyTorch-style repr. */
  [/* @__PURE__ */ Symbol.for('nodejs.util.inspect.custom')]() {
    return this.toString();
  }
};

// src/ops/convert.ts
function materialize(x2, dtype = x2.dtype) {
  const out = Tensor._empty(x2.shape, dtype);
  backend().copy(stridedOf(x2), stridedOf(out), x2.shape);
  return out;
}
function to(x2, dtype) {
  if (x2.dtype === dtype) return x2;
  const srcDtype = x2.dtype;
  return record(materialize(x2, dtype), 'ToCopyBackward0', [x2], (g) => [to(g, srcDtype)]);
}
function clone(x2) {
  return record(materialize(x2), 'CloneBackward0', [x2], (g) => [g]);
}
function contiguous(x2) {
  return x2.isContiguous() ? x2 : clone(x2);
}
function detach(x2) {
  return new Tensor(x2.storage, x2.shape, x2.strides, x2.offset, x2.dtype);
}

// src/ops/creation.ts
function finish(t2, opts) {
  if (opts?.requiresGrad) t2.requiresGrad_(true);
  return t2;
}
function inferDType(values) {
  if (values.length === 0) return defaultFloatDType;
  let allBool = true;
  let allInt = true;
  for (let i = 0; i < values.length; i++) {
    const v = values[i];
    if (typeof v !== 'boolean') {
      allBool = false;
      if (!Number.isInteger(v)) allInt = false;
    }
  }
  return allBool ? 'bool' : allInt ? 'int32' : defaultFloatDType;
}
function full(shape, value, opts) {
  const s = checkShape('full', shape);
  const dtype = opts?.dtype ?? inferDType([value]);
  const t2 = Tensor._empty(s, dtype);
  if (value !== 0 && value !== false) t2.storage.data.fill(Number(value));
  return finish(t2, opts);
}
function zeros(shape, opts) {
  return full(shape, 0, { dtype: defaultFloatDType, ...opts });
}
function ones(shape, opts) {
  return full(shape, 1, { dtype: defaultFloatDType, ...opts });
}
function empty(shape, opts) {
  return zeros(shape, opts);
}
function zerosLike(t2, opts) {
  return zeros(t2.shape, { dtype: t2.dtype, ...opts });
}
function fullLike(t2, value, opts) {
  return full(t2.shape, value, { dtype: t2.dtype, ...opts });
}
function scalarTensor(value, dtype) {
  const data2 = allocate(dtype, 1);
  data2[0] = value;
  return Tensor._fromData(data2, [], dtype);
}

// src/ops/operand.ts
function commonDType(...ops) {
  return resultType(...ops);
}
function asTensor(x2, dtype) {
  if (typeof x2 === 'number' || typeof x2 === 'boolean') return scalarTensor(Number(x2), dtype);
  return to(x2, dtype);
}
function broadcastStrided(x2, shape) {
  const lead = shape.length - x2.ndim;
  const strides = shape.map((s, i) => (i < lead || x2.shape[i - lead] !== s ? 0 : x2.strides[i - lead]));
  return { buf: x2.storage.data, offset: x2.offset, strides };
}

// src/ops/join.ts
function cat(tensors, dim = 0) {
  if (tensors.length === 0) throw new RangeError('cat: expected a non-empty list of tensors');
  const skipped = (t2) => t2.ndim === 1 && t2.shape[0] === 0;
  const parts = tensors.filter((t2) => !skipped(t2));
  if (parts.length === 0) return materialize(tensors[0]);
  const ref = parts[0];
  if (ref.ndim === 0) throw new RangeError('cat: zero-dimensional tensor cannot be concatenated');
  const d = normalizeDim('cat', dim, ref.ndim);
  parts.forEach((p, i) => {
    const ok = p.ndim === ref.ndim && p.shape.every((s, k) => k === d || s === ref.shape[k]);
    if (!ok) {
      throw new RangeError(
        `cat: sizes of tensors must match except in dimension ${d}; tensor 0 has shape ${shapeStr(ref.shape)} and tensor ${i} has shape ${shapeStr(p.shape)}`,
      );
    }
  });
  const dtype = resultType(...parts);
  const total = parts.reduce((n, p) => n + p.shape[d], 0);
  const shape = ref.shape.map((s, k) => (k === d ? total : s));
  const out = Tensor._empty(shape, dtype);
  const outer2 = numelOf(shape.slice(0, d));
  const innerOut = numelOf(shape.slice(d));
  const dst = out.storage.data;
  let at = 0;
  for (const p of parts) {
    const src = materialize(p, dtype).storage.data;
    const chunk2 = numelOf(p.shape.slice(d));
    for (let o = 0; o < outer2; o++) dst.set(src.subarray(o * chunk2, (o + 1) * chunk2), o * innerOut + at);
    at += chunk2;
  }
  const pieces = tensors.map((t2) => ({ skip: skipped(t2), size: skipped(t2) ? 0 : t2.shape[d], shape: t2.shape, dtype: t2.dtype }));
  return record(out, 'CatBackward0', tensors, (g) => {
    let start = 0;
    return pieces.map((p) => {
      if (p.skip) return Tensor._empty(p.shape, p.dtype);
      const piece = to(narrow(g, d, start, p.size), p.dtype);
      start += p.size;
      return piece;
    });
  });
}
function stack(tensors, dim = 0) {
  if (tensors.length === 0) throw new RangeError('stack: expected a non-empty list of tensors');
  const ref = tensors[0];
  tensors.forEach((p, i) => {
    if (p.shape.length !== ref.shape.length || p.shape.some((s, k) => s !== ref.shape[k])) {
      throw new RangeError(
        `stack: expects each tensor to be equal size, but got ${shapeStr(ref.shape)} at entry 0 and ${shapeStr(p.shape)} at entry ${i}`,
      );
    }
  });
  const d = normalizeDim('stack', dim, ref.ndim + 1);
  const out = noGrad(() =>
    cat(
      tensors.map((p) => unsqueeze(p, d)),
      d,
    ),
  );
  return record(out, 'StackBackward0', tensors, (g) => tensors.map((p, i) => to(select(g, d, i), p.dtype)));
}
function split(x2, size, dim = 0) {
  const d = normalizeDim('split', dim, x2.ndim);
  const n = x2.shape[d];
  let sizes2;
  if (typeof size === 'number') {
    if (!Number.isInteger(size) || size <= 0) throw new RangeError(`split: split size must be a positive integer (got ${size})`);
    sizes2 = [];
    for (let s = 0; s < n; s += size) sizes2.push(Math.min(size, n - s));
    if (n === 0) sizes2.push(0);
  } else {
    const sum2 = size.reduce((a, b) => a + b, 0);
    if (sum2 !== n) throw new RangeError(`split: split sizes ${shapeStr(size)} sum to ${sum2}, but dimension ${d} has size ${n}`);
    sizes2 = [...size];
  }
  let start = 0;
  return sizes2.map((len) => {
    const piece = narrow(x2, d, start, len);
    start += len;
    return piece;
  });
}
function chunk(x2, chunks, dim = 0) {
  if (!Number.isInteger(chunks) || chunks <= 0) throw new RangeError(`chunk: chunks must be a positive integer (got ${chunks})`);
  const d = normalizeDim('chunk', dim, x2.ndim);
  return split(x2, Math.max(1, Math.ceil(x2.shape[d] / chunks)), d);
}
function unbind(x2, dim = 0) {
  const d = normalizeDim('unbind', dim, x2.ndim);
  return Array.from({ length: x2.shape[d] }, (_, i) => select(x2, d, i));
}

// src/ops/views.ts
function makeView(x2, shape, strides, offset) {
  const v = new Tensor(x2.storage, shape, strides, offset, x2.dtype);
  v._base = x2._base ?? x2;
  return v;
}
function viewStrides(oldShape, oldStrides, shape) {
  if (isContiguous(oldShape, oldStrides)) return contiguousStrides(shape);
  const out = new Array(shape.length);
  let viewD = shape.length - 1;
  let chunkBase = oldStrides[oldStrides.length - 1];
  let tensorNumel = 1;
  let viewNumel = 1;
  for (let d = oldShape.length - 1; d >= 0; d--) {
    tensorNumel *= oldShape[d];
    if (d === 0 || (oldShape[d - 1] !== 1 && oldStrides[d - 1] !== tensorNumel * chunkBase)) {
      while (viewD >= 0 && (viewNumel < tensorNumel || shape[viewD] === 1)) {
        out[viewD] = viewNumel * chunkBase;
        viewNumel *= shape[viewD];
        viewD--;
      }
      if (viewNumel !== tensorNumel) return null;
      if (d > 0) {
        chunkBase = oldStrides[d - 1];
        tensorNumel = 1;
        viewNumel = 1;
      }
    }
  }
  return viewD === -1 ? out : null;
}
function view(x2, shape) {
  const s = checkShape('view', shape, x2.numel);
  const strides = viewStrides(x2.shape, x2.strides, s);
  if (strides === null) {
    throw new Error(
      `view: shape ${shapeStr(s)} is not compatible with the input's size ${shapeStr(x2.shape)} and strides ${shapeStr(x2.strides)} (at least one dimension spans two contiguous subspaces). Use reshape() instead.`,
    );
  }
  const inShape = x2.shape;
  return record(makeView(x2, s, strides, x2.offset), 'ViewBackward0', [x2], (g) => [reshape(g, inShape)]);
}
function reshape(x2, shape) {
  const s = checkShape('reshape', shape, x2.numel);
  if (viewStrides(x2.shape, x2.strides, s) !== null) return view(x2, s);
  return view(contiguous(x2), s);
}
function flatten(x2, startDim = 0, endDim = -1) {
  if (x2.ndim === 0) return reshape(x2, [1]);
  const a = normalizeDim('flatten', startDim, x2.ndim);
  const b = normalizeDim('flatten', endDim, x2.ndim);
  if (a > b) throw new RangeError(`flatten: startDim ${startDim} cannot come after endDim ${endDim}`);
  const merged = numelOf(x2.shape.slice(a, b + 1));
  return reshape(x2, [...x2.shape.slice(0, a), merged, ...x2.shape.slice(b + 1)]);
}
function unflatten(x2, dim, sizes2) {
  const d = normalizeDim('unflatten', dim, x2.ndim);
  const s = checkShape('unflatten', sizes2, x2.shape[d]);
  return view(x2, [...x2.shape.slice(0, d), ...s, ...x2.shape.slice(d + 1)]);
}
function permute(x2, dims) {
  if (dims.length !== x2.ndim) {
    throw new RangeError(`permute: number of dims ${dims.length} doesn't match the tensor's ${x2.ndim} (shape ${shapeStr(x2.shape)})`);
  }
  const p = dims.map((d) => normalizeDim('permute', d, x2.ndim));
  if (new Set(p).size !== p.length) throw new RangeError(`permute: repeated dim in ${shapeStr(dims)}`);
  const inverse = new Array(p.length);
  p.forEach((d, i) => {
    inverse[d] = i;
  });
  const out = makeView(
    x2,
    p.map((d) => x2.shape[d]),
    p.map((d) => x2.strides[d]),
    x2.offset,
  );
  return record(out, 'PermuteBackward0', [x2], (g) => [permute(g, inverse)]);
}
function transpose(x2, dim0, dim1, name = 'TransposeBackward0') {
  const a = normalizeDim('transpose', dim0, x2.ndim);
  const b = normalizeDim('transpose', dim1, x2.ndim);
  const shape = [...x2.shape];
  const strides = [...x2.strides];
  [shape[a], shape[b]] = [shape[b], shape[a]];
  [strides[a], strides[b]] = [strides[b], strides[a]];
  return record(makeView(x2, shape, strides, x2.offset), name, [x2], (g) => [transpose(g, a, b)]);
}
function t(x2) {
  if (x2.ndim > 2) throw new RangeError(`t: expects a tensor with <= 2 dimensions, but got ${x2.ndim}-d (shape ${shapeStr(x2.shape)})`);
  if (x2.ndim < 2) return record(makeView(x2, x2.shape, x2.strides, x2.offset), 'TBackward0', [x2], (g) => [g]);
  return transpose(x2, 0, 1, 'TBackward0');
}
function expand(x2, shape) {
  const lead = shape.length - x2.ndim;
  if (lead < 0) {
    throw new RangeError(`expand: the number of sizes provided (${shape.length}) must be at least the tensor's ${x2.ndim} dims`);
  }
  const outShape = new Array(shape.length);
  const strides = new Array(shape.length);
  for (let i = 0; i < shape.length; i++) {
    const j = i - lead;
    const want = shape[i];
    if (j < 0) {
      if (want < 0) throw new RangeError(`expand: -1 is not allowed in a leading, non-existing dimension (${shapeStr(shape)})`);
      outShape[i] = want;
      strides[i] = 0;
    } else if (want === -1 || want === x2.shape[j]) {
      outShape[i] = x2.shape[j];
      strides[i] = x2.strides[j];
    } else if (x2.shape[j] === 1) {
      outShape[i] = want;
      strides[i] = 0;
    } else {
      throw new RangeError(
        `expand: the expanded size (${want}) must match the existing size (${x2.shape[j]}) at non-singleton dimension ${i}. Target sizes: ${shapeStr(shape)}. Tensor sizes: ${shapeStr(x2.shape)}`,
      );
    }
  }
  const inShape = x2.shape;
  return record(makeView(x2, outShape, strides, x2.offset), 'ExpandBackward0', [x2], (g) => [sumTo(g, inShape)]);
}
function squeeze(x2, dim) {
  const d = dim === void 0 ? void 0 : normalizeDim('squeeze', dim, x2.ndim);
  const keep = (i) => x2.shape[i] !== 1 || (d !== void 0 && i !== d);
  const idx = x2.shape.map((_, i) => i).filter(keep);
  const inShape = x2.shape;
  const out = makeView(
    x2,
    idx.map((i) => x2.shape[i]),
    idx.map((i) => x2.strides[i]),
    x2.offset,
  );
  return record(out, dim === void 0 ? 'SqueezeBackward0' : 'SqueezeBackward1', [x2], (g) => [reshape(g, inShape)]);
}
function unsqueeze(x2, dim) {
  const d = normalizeDim('unsqueeze', dim, x2.ndim + 1);
  const shape = [...x2.shape];
  const strides = [...x2.strides];
  shape.splice(d, 0, 1);
  strides.splice(d, 0, d < x2.ndim ? x2.shape[d] * x2.strides[d] : 1);
  return record(makeView(x2, shape, strides, x2.offset), 'UnsqueezeBackward0', [x2], (g) => [squeeze(g, d)]);
}
function padAlong(g, dim, before, after) {
  const parts = [];
  const zerosOf = (n) =>
    zeros(
      g.shape.map((s, i) => (i === dim ? n : s)),
      { dtype: g.dtype },
    );
  if (before > 0) parts.push(zerosOf(before));
  parts.push(g);
  if (after > 0) parts.push(zerosOf(after));
  return parts.length === 1 ? g : cat(parts, dim);
}
function slice(x2, dim, start = 0, end = Number.POSITIVE_INFINITY, step = 1) {
  const d = normalizeDim('slice', dim, x2.ndim);
  if (!Number.isInteger(step) || step <= 0) throw new RangeError(`slice: step must be a positive integer (got ${step})`);
  const size = x2.shape[d];
  const clip = (v) => Math.min(Math.max(v < 0 ? v + size : v, 0), size);
  const a = clip(start);
  const b = Math.max(clip(end), a);
  const len = Math.ceil((b - a) / step);
  const shape = [...x2.shape];
  const strides = [...x2.strides];
  shape[d] = len;
  strides[d] = x2.strides[d] * step;
  const out = makeView(x2, shape, strides, x2.offset + a * x2.strides[d]);
  return record(out, 'SliceBackward0', [x2], (g) => {
    if (step === 1) return [padAlong(g, d, a, size - a - len)];
    const gap = zeros(g.shape, { dtype: g.dtype });
    const spread = reshape(
      stack([g, ...Array(step - 1).fill(gap)], d + 1),
      g.shape.map((s, i) => (i === d ? s * step : s)),
    );
    const room = size - a;
    const fit = spread.shape[d] > room ? narrow(spread, d, 0, room) : spread;
    return [padAlong(fit, d, a, room - fit.shape[d])];
  });
}
function narrow(x2, dim, start, length) {
  const d = normalizeDim('narrow', dim, x2.ndim);
  const s = start < 0 ? start + x2.shape[d] : start;
  if (s < 0 || length < 0 || s + length > x2.shape[d]) {
    throw new RangeError(`narrow: start (${start}) + length (${length}) exceeds dimension size (${x2.shape[d]}) of dim ${dim}`);
  }
  return slice(x2, d, s, s + length);
}
function select(x2, dim, index) {
  const d = normalizeDim('select', dim, x2.ndim);
  const size = x2.shape[d];
  if (!Number.isInteger(index) || index < -size || index >= size) {
    throw new RangeError(`select: index ${index} out of range for dimension ${dim} with size ${size}`);
  }
  const i = index < 0 ? index + size : index;
  const shape = x2.shape.filter((_, k) => k !== d);
  const strides = x2.strides.filter((_, k) => k !== d);
  const out = makeView(x2, shape, strides, x2.offset + i * x2.strides[d]);
  return record(out, 'SelectBackward0', [x2], (g) => [padAlong(unsqueeze(g, d), d, i, size - i - 1)]);
}

// src/ops/indexing.ts
function checkIndex(op, index) {
  if (index.dtype !== 'int32') throw new TypeError(`${op}: index must be an int32 tensor (got ${index.dtype})`);
}
function indexValues(op, index, size, dim) {
  const idx = materialize(index).storage.data;
  for (let i = 0; i < idx.length; i++) {
    const v = idx[i];
    if (v < 0 || v >= size) throw new RangeError(`${op}: index ${v} is out of bounds for dimension ${dim} with size ${size}`);
  }
  return idx;
}
var sizeAlong = (x2, d) => (x2.ndim === 0 ? 1 : x2.shape[d]);
function alignTo(op, x2, shape, dim, what) {
  if (shape.length !== x2.ndim) {
    throw new RangeError(`${op}: index ${shapeStr(shape)} must have as many dims as ${what} ${shapeStr(x2.shape)}`);
  }
  let out = x2;
  for (let d = 0; d < x2.ndim; d++) {
    if (d === dim || shape[d] === x2.shape[d]) continue;
    if (shape[d] > x2.shape[d]) {
      throw new RangeError(`${op}: index ${shapeStr(shape)} is larger than ${what} ${shapeStr(x2.shape)} at dimension ${d}`);
    }
    out = narrow(out, d, 0, shape[d]);
  }
  return out;
}
function gather2(x2, dim, index) {
  checkIndex('gather', index);
  const d = normalizeDim('gather', dim, x2.ndim);
  const xs = contiguous(alignTo('gather', x2, index.shape, d, 'input'));
  const size = sizeAlong(x2, d);
  const idx = indexValues('gather', index, size, d);
  const out = Tensor._empty(index.shape, x2.dtype);
  const outer2 = numelOf(index.shape.slice(0, d));
  const inner = numelOf(index.shape.slice(d + 1));
  backend().gather(xs.storage.data.subarray(xs.offset), outer2, size, inner, idx, index.shape[d] ?? 1, out.storage.data);
  const inShape = x2.shape;
  return record(out, 'GatherBackward0', [x2], (g) => [scatterAdd2(Tensor._empty(inShape, g.dtype), d, index, g)], [index]);
}
function scatterAdd2(x2, dim, index, src) {
  checkIndex('scatterAdd', index);
  const d = normalizeDim('scatterAdd', dim, x2.ndim);
  if (src.dtype !== x2.dtype) throw new TypeError(`scatterAdd: src dtype ${src.dtype} must match input dtype ${x2.dtype}`);
  const s = contiguous(alignTo('scatterAdd', src, index.shape, -1, 'src'));
  const size = sizeAlong(x2, d);
  const idx = indexValues('scatterAdd', index, size, d);
  const out = materialize(x2);
  const region = alignTo('scatterAdd', out, index.shape, d, 'input');
  const dst = region === out ? out : materialize(region);
  const outer2 = numelOf(index.shape.slice(0, d));
  const inner = numelOf(index.shape.slice(d + 1));
  backend().scatterAdd(s.storage.data.subarray(s.offset), outer2, size, inner, idx, index.shape[d] ?? 1, dst.storage.data);
  if (dst !== out) backend().copy(stridedOf(dst), stridedOf(region), region.shape);
  const srcShape = src.shape;
  return record(out, 'ScatterAddBackward0', [x2, src], (g) => [g, padTo(gather2(g, d, index), srcShape)], [index]);
}
function padTo(t2, shape) {
  let out = t2;
  shape.forEach((n, k) => {
    if (out.shape[k] < n) out = padAlong(out, k, 0, n - out.shape[k]);
  });
  return out;
}
function indexSelect(x2, dim, index) {
  checkIndex('indexSelect', index);
  if (index.ndim > 1) throw new RangeError(`indexSelect: index must be 0-d or 1-d (got shape ${shapeStr(index.shape)})`);
  const d = normalizeDim('indexSelect', dim, x2.ndim);
  const k = index.numel;
  const idx = indexValues('indexSelect', index, x2.shape[d], d);
  const shape = x2.shape.map((s, i) => (i === d ? k : s));
  const outer2 = numelOf(shape.slice(0, d));
  const inner = numelOf(shape.slice(d + 1));
  const full2 = new Int32Array(outer2 * k * inner);
  for (let o = 0; o < outer2; o++) for (let j = 0; j < k; j++) full2.fill(idx[j], (o * k + j) * inner, (o * k + j + 1) * inner);
  const expanded = Tensor._fromData(full2, shape, 'int32');
  const out = gather2(x2, d, expanded);
  if (out.gradFn) out.gradFn = null;
  const inShape = x2.shape;
  return record(out, 'IndexSelectBackward0', [x2], (g) => [scatterAdd2(Tensor._empty(inShape, g.dtype), d, expanded, g)]);
}
function oneHot(index, numClasses = -1) {
  checkIndex('oneHot', index);
  const idx = materialize(index).storage.data;
  let n = numClasses;
  if (n === -1) {
    n = 0;
    for (let i = 0; i < idx.length; i++) n = Math.max(n, idx[i] + 1);
  }
  const out = Tensor._empty([...index.shape, n], 'int32');
  const data2 = out.storage.data;
  for (let i = 0; i < idx.length; i++) {
    const c = idx[i];
    if (c < 0 || c >= n) throw new RangeError(`oneHot: class values must be in [0, ${n}) (got ${c})`);
    data2[i * n + c] = 1;
  }
  return out;
}

// src/ops/unary.ts
function kernel(op, x2, dtype) {
  const src = contiguous(to(x2, dtype));
  const out = Tensor._empty(x2.shape, dtype);
  backend().unary(op, src.storage.data, src.offset, out.storage.data, x2.numel);
  return out;
}
var floatOf = (x2) => (isFloating(x2.dtype) ? x2.dtype : defaultFloatDType);
function floatUnary(op, name, x2, saves, grad) {
  const xf = to(x2, floatOf(x2));
  const out = kernel(op, xf, xf.dtype);
  const saved = saves === 'input' ? xf : out;
  return record(out, name, [xf], (g) => [grad(g, saved)], [saved]);
}
var exp = (x2) => floatUnary('exp', 'ExpBackward0', x2, 'output', (g, y2) => mul(g, y2));
var log = (x2) => floatUnary('log', 'LogBackward0', x2, 'input', (g, x0) => div(g, x0));
var log1p = (x2) => floatUnary('log1p', 'Log1PBackward0', x2, 'input', (g, x0) => div(g, add(x0, 1)));
var expm1 = (x2) => floatUnary('expm1', 'Expm1Backward0', x2, 'output', (g, y2) => mul(g, add(y2, 1)));
var sqrt = (x2) => floatUnary('sqrt', 'SqrtBackward0', x2, 'output', (g, y2) => div(g, mul(y2, 2)));
var rsqrt = (x2) => floatUnary('rsqrt', 'RsqrtBackward0', x2, 'output', (g, y2) => mul(mul(g, -0.5), mul(y2, mul(y2, y2))));
var reciprocal = (x2) => floatUnary('reciprocal', 'ReciprocalBackward0', x2, 'output', (g, y2) => mul(neg(g), mul(y2, y2)));
var sin = (x2) => floatUnary('sin', 'SinBackward0', x2, 'input', (g, x0) => mul(g, cos(x0)));
var cos = (x2) => floatUnary('cos', 'CosBackward0', x2, 'input', (g, x0) => mul(g, neg(sin(x0))));
var sigmoid2 = (x2) => floatUnary('sigmoid', 'SigmoidBackward0', x2, 'output', (g, y2) => mul(g, mul(y2, sub(1, y2))));
var tanh = (x2) => floatUnary('tanh', 'TanhBackward0', x2, 'output', (g, y2) => mul(g, sub(1, mul(y2, y2))));
function neg(x2) {
  if (x2.dtype === 'bool') throw new TypeError('neg: negation of a bool tensor is not supported; use logicalNot instead');
  return record(kernel('neg', x2, x2.dtype), 'NegBackward0', [x2], (g) => [neg(g)]);
}
function abs(x2) {
  return record(kernel('abs', x2, x2.dtype), 'AbsBackward0', [x2], (g) => [mul(g, sign(x2))], [x2]);
}
function sign(x2) {
  return record(kernel('sign', x2, x2.dtype), 'SignBackward0', [x2], (g) => [mul(g, 0)]);
}
function square(x2) {
  return record(kernel('square', x2, x2.dtype), 'PowBackward0', [x2], (g) => [mul(g, mul(x2, 2))], [x2]);
}
function relu(x2) {
  const out = kernel('relu', x2, x2.dtype);
  return record(out, 'ReluBackward0', [x2], (g) => [mul(g, gt(out, 0))], [out]);
}
function logicalNot(x2) {
  return kernel('not', x2, 'bool');
}
function clamp2(x2, min2, max2) {
  const bounds = [min2, max2].filter((b) => b !== void 0 && b !== null);
  if (bounds.length === 0) throw new RangeError('clamp: at least one of min or max must be given');
  const xs = to(x2, resultType(x2, ...bounds));
  const lo = min2 ?? Number.NaN;
  const hi = max2 ?? Number.NaN;
  const src = contiguous(xs);
  const out = Tensor._empty(xs.shape, xs.dtype);
  backend().clamp(src.storage.data, src.offset, out.storage.data, xs.numel, lo, hi);
  return record(
    out,
    'ClampBackward1',
    [xs],
    (g) => {
      let pass = null;
      if (min2 !== void 0 && min2 !== null) pass = ge(xs, min2);
      if (max2 !== void 0 && max2 !== null) pass = pass ? logicalAnd(pass, le(xs, max2)) : le(xs, max2);
      return [where2(pass, g, 0)];
    },
    [xs],
  );
}

// src/ops/reduce.ts
function plan(op, x2, opts) {
  const all = Array.isArray(opts.dim) && opts.dim.length === 0;
  const dims = normalizeDims(op, all ? void 0 : opts.dim, x2.ndim);
  const keptShape = x2.shape.map((s, i) => (dims.includes(i) ? 1 : s));
  const outShape = opts.keepdim ? keptShape : x2.shape.filter((_, i) => !dims.includes(i));
  const size = numelOf(dims.map((d) => x2.shape[d]));
  const adjacent = dims.length === 0 || dims[dims.length - 1] - dims[0] === dims.length - 1;
  let src = contiguous(x2);
  let outer2;
  let inner;
  if (adjacent) {
    outer2 = numelOf(x2.shape.slice(0, dims[0] ?? 0));
    inner = dims.length === 0 ? 1 : numelOf(x2.shape.slice(dims[dims.length - 1] + 1));
  } else {
    const kept = x2.shape.map((_, i) => i).filter((i) => !dims.includes(i));
    src = contiguous(permute(detach(x2), [...kept, ...dims]));
    outer2 = numelOf(kept.map((i) => x2.shape[i]));
    inner = 1;
  }
  return { dims, keptShape, outShape, outer: outer2, size, inner, src };
}
function runReduce(op, p, dtype) {
  const out = Tensor._empty(p.outShape, dtype);
  const src = to(p.src, dtype);
  backend().reduce(op, src.storage.data.subarray(src.offset), p.outer, p.size, p.inner, out.storage.data);
  return out;
}
function runArg(op, p) {
  const out = Tensor._empty(p.outShape, 'int32');
  backend().argReduce(op, p.src.storage.data.subarray(p.src.offset), p.outer, p.size, p.inner, out.storage.data);
  return out;
}
function sum(x2, opts = {}) {
  const p = plan('sum', x2, opts);
  const dtype = x2.dtype === 'bool' ? 'int32' : x2.dtype;
  const out = runReduce('sum', p, dtype);
  const inShape = x2.shape;
  const name = opts.dim === void 0 && !opts.keepdim ? 'SumBackward0' : 'SumBackward1';
  return record(out, name, [x2], (g) => [expand(reshape(g, p.keptShape), inShape)]);
}
function mean(x2, opts = {}) {
  if (!isFloating(x2.dtype)) {
    throw new TypeError(`mean: could not infer output dtype; input dtype ${x2.dtype} is not floating point (convert with .to('float32'))`);
  }
  const p = plan('mean', x2, opts);
  const out = noGrad(() => div(runReduce('sum', p, x2.dtype), p.size));
  const inShape = x2.shape;
  const name = opts.dim === void 0 && !opts.keepdim ? 'MeanBackward0' : 'MeanBackward1';
  return record(out, name, [x2], (g) => [div(expand(reshape(g, p.keptShape), inShape), p.size)]);
}
function prod(x2, opts = {}) {
  const p = plan('prod', x2, opts);
  const out = runReduce('prod', p, x2.dtype === 'bool' ? 'int32' : x2.dtype);
  const name = opts.dim === void 0 ? 'ProdBackward0' : 'ProdBackward1';
  return record(
    out,
    name,
    [x2],
    (g) => {
      const kept = { dim: p.dims, keepdim: true };
      const isZero = eq(x2, 0);
      const zeros2 = sum(isZero, kept);
      const safe = where2(isZero, 1, x2);
      const nonzero = prod(safe, kept);
      const d = where2(isZero, where2(eq(zeros2, 1), nonzero, 0), where2(eq(zeros2, 0), div(nonzero, safe), 0));
      return [mul(reshape(g, p.keptShape), d)];
    },
    [x2],
  );
}
function checkNonEmpty(op, x2, p) {
  if (p.size === 0) throw new RangeError(`${op}: cannot reduce over an empty dimension (input shape [${x2.shape.join(', ')}])`);
}
function extremeAll(op, x2) {
  const p = plan(op, x2, {});
  checkNonEmpty(op, x2, p);
  const out = runReduce(op, p, x2.dtype);
  return record(
    out,
    op === 'max' ? 'MaxBackward1' : 'MinBackward1',
    [x2],
    (g) => {
      const mask = to(eq(x2, out), x2.dtype);
      return [mul(div(mask, sum(mask)), g)];
    },
    [x2, out],
  );
}
function extremeDim(op, x2, dim, keepdim) {
  const p = plan(op, x2, { dim, keepdim });
  checkNonEmpty(op, x2, p);
  const indices = runArg(op === 'max' ? 'argmax' : 'argmin', p);
  const values = gatherValues(x2, p, indices);
  const d = p.dims[0] ?? 0;
  const inShape = x2.shape;
  record(values, op === 'max' ? 'MaxBackward0' : 'MinBackward0', [x2], (g) => [
    scatterAdd2(Tensor._empty(inShape, g.dtype), d, reshape(indices, p.keptShape), reshape(g, p.keptShape)),
  ]);
  return { values, indices };
}
function gatherValues(x2, p, indices) {
  const values = Tensor._empty(p.outShape, x2.dtype);
  const idx = indices.storage.data;
  const src = p.src.storage.data;
  const base = p.src.offset;
  const out = values.storage.data;
  for (let o = 0; o < p.outer; o++) {
    for (let i = 0; i < p.inner; i++) {
      const k = o * p.inner + i;
      out[k] = src[base + (o * p.size + idx[k]) * p.inner + i];
    }
  }
  return values;
}
function max(x2, opts) {
  return opts?.dim === void 0 ? extremeAll('max', x2) : extremeDim('max', x2, opts.dim, opts.keepdim ?? false);
}
function min(x2, opts) {
  return opts?.dim === void 0 ? extremeAll('min', x2) : extremeDim('min', x2, opts.dim, opts.keepdim ?? false);
}
function argExtreme(op, x2, opts) {
  if (opts.dim === void 0) {
    const flat = reshape(detach(x2), [-1]);
    const p2 = plan(op, flat, { dim: 0 });
    checkNonEmpty(op, x2, p2);
    const i = runArg(op, p2);
    return opts.keepdim
      ? reshape(
          i,
          x2.shape.map(() => 1),
        )
      : i;
  }
  const p = plan(op, x2, { dim: opts.dim, keepdim: opts.keepdim });
  checkNonEmpty(op, x2, p);
  return runArg(op, p);
}
function argmax(x2, opts = {}) {
  return argExtreme('argmax', x2, opts);
}
function argmin(x2, opts = {}) {
  return argExtreme('argmin', x2, opts);
}
var centered = (x2, dims) => sub(x2, mean(x2, { dim: dims, keepdim: true }));
function varianceOf(x2, p, opts) {
  const divisor = Math.max(0, p.size - (opts.correction ?? 1));
  return noGrad(() => {
    const c = centered(x2, p.dims);
    return { v: div(sum(mul(c, c), { dim: p.dims, keepdim: opts.keepdim }), divisor), divisor };
  });
}
function variance(x2, opts = {}) {
  const xf = isFloating(x2.dtype) ? x2 : to(x2, defaultFloatDType);
  const p = plan('var', xf, opts);
  const { v, divisor } = varianceOf(xf, p, opts);
  return record(v, 'VarBackward0', [xf], (g) => [mul(reshape(g, p.keptShape), div(mul(centered(xf, p.dims), 2), divisor))], [xf]);
}
function std(x2, opts = {}) {
  const xf = isFloating(x2.dtype) ? x2 : to(x2, defaultFloatDType);
  const p = plan('std', xf, opts);
  const { v, divisor } = varianceOf(xf, p, opts);
  const out = noGrad(() => sqrt(v));
  return record(
    out,
    'StdBackward0',
    [xf],
    (g) => [mul(div(reshape(g, p.keptShape), mul(reshape(out, p.keptShape), divisor)), centered(xf, p.dims))],
    [xf, out],
  );
}
function stableShift(x2, dims) {
  return noGrad(() => {
    let m = detach(x2);
    for (const d of [...dims].reverse()) m = max(m, { dim: d, keepdim: true }).values;
    return where2(eq(abs(m), Number.POSITIVE_INFINITY), 0, m);
  });
}
function logsumexp(x2, opts = {}) {
  const xf = isFloating(x2.dtype) ? x2 : to(x2, defaultFloatDType);
  const dims = normalizeDims('logsumexp', opts.dim, xf.ndim);
  const m = stableShift(xf, dims);
  const keptShape = m.shape;
  const shift = opts.keepdim
    ? m
    : reshape(
        m,
        keptShape.filter((_, i) => !dims.includes(i)),
      );
  const out = noGrad(() => add(log(sum(exp(sub(xf, m)), { dim: dims, keepdim: opts.keepdim })), shift));
  return record(out, 'LogsumexpBackward0', [xf], (g) => [mul(reshape(g, keptShape), exp(sub(xf, reshape(out, keptShape))))], [xf, out]);
}
function sumTo(g, shape) {
  if (sameShape(g.shape, shape)) return g;
  const lead = g.ndim - shape.length;
  const dims = [];
  for (let i = 0; i < g.ndim; i++) if (i < lead || (shape[i - lead] === 1 && g.shape[i] !== 1)) dims.push(i);
  const s = dims.length > 0 ? sum(g, { dim: dims, keepdim: true }) : g;
  return sameShape(s.shape, shape) ? s : reshape(s, shape);
}

// src/ops/binary.ts
function kernel2(op, a, b, outDType) {
  const shape = broadcastShapes(op, a.shape, b.shape);
  const out = Tensor._empty(shape, outDType);
  backend().binary(op, broadcastStrided(a, shape), broadcastStrided(b, shape), shape, out.storage.data);
  return out;
}
function operands(op, x2, y2, force) {
  const dtype = force ?? commonDType(x2, y2);
  if (op === 'sub' && dtype === 'bool') {
    throw new TypeError('sub: subtraction of bool tensors is not supported; use ne (logical xor) or logicalNot instead');
  }
  return [asTensor(x2, dtype), asTensor(y2, dtype), dtype];
}
function add(x2, y2, alpha = 1) {
  const [a, b, dt] = operands('add', x2, y2);
  const out = alpha === 1 ? kernel2('add', a, b, dt) : kernel2('add', a, kernel2('mul', b, asTensor(alpha, dt), dt), dt);
  return record(out, 'AddBackward0', [a, b], (g) => [sumTo(g, a.shape), sumTo(alpha === 1 ? g : mul(g, alpha), b.shape)]);
}
function sub(x2, y2, alpha = 1) {
  const [a, b, dt] = operands('sub', x2, y2);
  const out = alpha === 1 ? kernel2('sub', a, b, dt) : kernel2('sub', a, kernel2('mul', b, asTensor(alpha, dt), dt), dt);
  return record(out, typeof x2 === 'number' ? 'RsubBackward1' : 'SubBackward0', [a, b], (g) => [
    sumTo(g, a.shape),
    sumTo(mul(g, -alpha), b.shape),
  ]);
}
function mul(x2, y2) {
  const [a, b, dt] = operands('mul', x2, y2);
  const saved = [...(a.requiresGrad ? [b] : []), ...(b.requiresGrad ? [a] : [])];
  return record(
    kernel2('mul', a, b, dt),
    'MulBackward0',
    [a, b],
    (g) => [a.requiresGrad ? sumTo(mul(g, b), a.shape) : null, b.requiresGrad ? sumTo(mul(g, a), b.shape) : null],
    saved,
  );
}
function div(x2, y2) {
  const common = commonDType(x2, y2);
  const [a, b, dt] = operands('div', x2, y2, isFloating(common) ? common : 'float32');
  return record(
    kernel2('div', a, b, dt),
    'DivBackward0',
    [a, b],
    (g) => [a.requiresGrad ? sumTo(div(g, b), a.shape) : null, b.requiresGrad ? sumTo(neg(div(mul(g, a), mul(b, b))), b.shape) : null],
    b.requiresGrad ? [a, b] : [b],
  );
}
function pow(x2, y2) {
  if (x2 instanceof Tensor && typeof y2 === 'number') return powScalar(x2, y2);
  const [a, b, dt] = operands('pow', x2, y2);
  const out = kernel2('pow', a, b, dt);
  return record(
    out,
    x2 instanceof Tensor ? 'PowBackward1' : 'PowBackward2',
    [a, b],
    (g) => [
      // d/da a^b = b·a^(b−1), taken as 0 where b = 0 (PyTorch's convention).
      a.requiresGrad ? sumTo(where2(eq(b, 0), 0, mul(mul(g, b), pow(a, sub(b, 1)))), a.shape) : null,
      // d/db a^b = a^b·ln a, taken as 0 where a = 0 and b ≥ 0.
      b.requiresGrad ? sumTo(where2(logicalAnd(eq(a, 0), ge(b, 0)), 0, mul(mul(g, out), log(a))), b.shape) : null,
    ],
    [a, b, out],
  );
}
function powScalar(x2, e) {
  if (e === 2) return square(x2);
  const [a, b, dt] = operands('pow', x2, e);
  return record(kernel2('pow', a, b, dt), 'PowBackward0', [a], (g) => [e === 0 ? mul(g, 0) : mul(mul(g, e), pow(a, e - 1))], [a]);
}
function extremum(op, x2, y2) {
  const [a, b, dt] = operands(op, x2, y2);
  const name = op === 'maximum' ? 'MaximumBackward0' : 'MinimumBackward0';
  return record(
    kernel2(op, a, b, dt),
    name,
    [a, b],
    (g) => {
      const shared = where2(eq(a, b), div(g, 2), g);
      const aWins = op === 'maximum' ? gt(a, b) : lt(a, b);
      const bWins = op === 'maximum' ? lt(a, b) : gt(a, b);
      return [sumTo(where2(bWins, 0, shared), a.shape), sumTo(where2(aWins, 0, shared), b.shape)];
    },
    [a, b],
  );
}
function maximum(x2, y2) {
  return extremum('maximum', x2, y2);
}
function minimum(x2, y2) {
  return extremum('minimum', x2, y2);
}
function compare(op, x2, y2) {
  const [a, b] = operands(op, x2, y2);
  return kernel2(op, a, b, 'bool');
}
var eq = (x2, y2) => compare('eq', x2, y2);
var ne = (x2, y2) => compare('ne', x2, y2);
var lt = (x2, y2) => compare('lt', x2, y2);
var le = (x2, y2) => compare('le', x2, y2);
var gt = (x2, y2) => compare('gt', x2, y2);
var ge = (x2, y2) => compare('ge', x2, y2);
var logicalAnd = (x2, y2) => compare('and', x2, y2);
var logicalOr = (x2, y2) => compare('or', x2, y2);
function where2(cond, x2, y2) {
  if (cond.dtype !== 'bool') throw new TypeError(`where: condition must be a bool tensor (got ${cond.dtype})`);
  const [a, b, dt] = operands('where', x2, y2);
  const shape = broadcastShapes('where', broadcastShapes('where', cond.shape, a.shape), b.shape);
  const out = Tensor._empty(shape, dt);
  backend().where(broadcastStrided(cond, shape), broadcastStrided(a, shape), broadcastStrided(b, shape), shape, out.storage.data);
  return record(out, 'WhereBackward0', [a, b], (g) => [
    a.requiresGrad ? sumTo(where2(cond, g, 0), a.shape) : null,
    b.requiresGrad ? sumTo(where2(cond, 0, g), b.shape) : null,
  ]);
}
function addcmul(self, t1, t2, value = 1) {
  return add(self, mul(value === 1 ? t1 : mul(t1, value), t2));
}
function addcdiv(self, t1, t2, value = 1) {
  return add(self, div(value === 1 ? t1 : mul(t1, value), t2));
}

// src/autograd/engine.ts
function topoOrder(roots) {
  const order = [];
  const seen = /* @__PURE__ */ new Set();
  const stack2 = [];
  for (const r of roots) {
    if (seen.has(r)) continue;
    seen.add(r);
    stack2.push([r, 0]);
    while (stack2.length > 0) {
      const top = stack2[stack2.length - 1];
      const [node, i] = top;
      if (i < node.next.length) {
        top[1]++;
        const child = node.next[i];
        if (child && !seen.has(child)) {
          seen.add(child);
          stack2.push([child, 0]);
        }
      } else {
        stack2.pop();
        order.push(node);
      }
    }
  }
  return order.reverse();
}
function accumulate(map, node, g) {
  const prev = map.get(node);
  map.set(node, prev ? add(prev, g) : g);
}
function storeGrad(t2, g, createGraph) {
  if (!sameShape(t2.shape, g.shape)) {
    throw new Error(`backward: gradient of shape ${shapeStr(g.shape)} for a tensor of shape ${shapeStr(t2.shape)}`);
  }
  if (t2.grad === null) {
    t2.grad = createGraph ? clone(g) : g.detach().clone();
  } else if (createGraph) {
    t2.grad = add(t2.grad, g);
  } else {
    t2.grad.add_(g);
  }
}
function runBackward(roots, grads, opts = {}) {
  const createGraph = opts.createGraph ?? false;
  const retainGraph = opts.retainGraph ?? createGraph;
  const pending = /* @__PURE__ */ new Map();
  const rootNodes = [];
  roots.forEach((r, i) => {
    if (!r.requiresGrad) {
      throw new Error(
        `backward: tensor ${i === 0 && roots.length === 1 ? '' : `${i} `}does not require grad and has no grad_fn (was it created under noGrad, or from tensors without requiresGrad?)`,
      );
    }
    let g = grads[i] ?? null;
    if (g === null) {
      if (r.numel !== 1) {
        throw new Error(
          `backward: grad can be implicitly created only for scalar outputs; this output has shape ${shapeStr(r.shape)}. Pass a gradient of the same shape: t.backward(gradient).`,
        );
      }
      g = ones(r.shape, { dtype: r.dtype });
    } else if (!sameShape(g.shape, r.shape)) {
      throw new Error(`backward: gradient has shape ${shapeStr(g.shape)} but the output has shape ${shapeStr(r.shape)}`);
    } else if (g.dtype !== r.dtype) {
      throw new TypeError(`backward: gradient has dtype ${g.dtype} but the output has dtype ${r.dtype}`);
    }
    const node = r._gradEdge();
    rootNodes.push(node);
    accumulate(pending, node, g);
  });
  const run = () => {
    for (const node of topoOrder(rootNodes)) {
      const g = pending.get(node);
      if (g === void 0) continue;
      pending.delete(node);
      if (node instanceof AccumulateGrad) {
        storeGrad(node.variable, g, createGraph);
        continue;
      }
      if (node.retained) storeGrad(node.retained, g, createGraph);
      const inputGrads = node.apply(g);
      if (!retainGraph) node.release();
      node.next.forEach((child, i) => {
        const ig = inputGrads[i];
        if (child && ig) accumulate(pending, child, ig);
      });
    }
  };
  if (createGraph) enableGrad(run);
  else noGrad(run);
}

// src/ops/inplace.ts
function checkWritable(op, t2, recording) {
  if (!isGradEnabled()) return;
  if (t2.isLeaf && t2.requiresGrad) {
    throw new Error(
      `${op}: a leaf tensor that requires grad is being used in an in-place operation; wrap the update in noGrad(() => \u2026)`,
    );
  }
  if (t2._base !== null && (t2._base.requiresGrad || recording)) {
    throw new Error(`${op}: in-place modification of a view of a tensor that requires grad is not supported; use the out-of-place op`);
  }
}
function writeInto(op, t2, values) {
  if (!sameShape(values.shape, t2.shape)) {
    throw new RangeError(`${op}: output with shape ${shapeStr(t2.shape)} doesn't match the broadcast shape ${shapeStr(values.shape)}`);
  }
  if (!canCast(values.dtype, t2.dtype)) {
    throw new TypeError(`${op}: result type ${values.dtype} can't be cast to the desired output type ${t2.dtype}`);
  }
  backend().copy(stridedOf(values), stridedOf(t2), t2.shape);
  t2.storage.version++;
}
function inplace(op, t2, others, compute) {
  const recording = isGradEnabled() && (t2.requiresGrad || others.some((o) => o instanceof Tensor && o.requiresGrad));
  checkWritable(op, t2, recording);
  let self = t2;
  if (recording) {
    self = materialize(t2);
    self.gradFn = t2.gradFn;
  }
  const result = compute(self);
  writeInto(op, t2, result);
  if (recording) t2.gradFn = result.gradFn;
  return t2;
}
var add_ = (t2, other, alpha = 1) => inplace('add_', t2, [other], (s) => add(s, other, alpha));
var sub_ = (t2, other, alpha = 1) => inplace('sub_', t2, [other], (s) => sub(s, other, alpha));
var mul_ = (t2, other) => inplace('mul_', t2, [other], (s) => mul(s, other));
var div_ = (t2, other) => inplace('div_', t2, [other], (s) => div(s, other));
var clamp_ = (t2, min2, max2) => inplace('clamp_', t2, [], (s) => clamp2(s, min2, max2));
var addcmul_ = (t2, t1, t22, value = 1) => inplace('addcmul_', t2, [t1, t22], (s) => addcmul(s, t1, t22, value));
var addcdiv_ = (t2, t1, t22, value = 1) => inplace('addcdiv_', t2, [t1, t22], (s) => addcdiv(s, t1, t22, value));
function overwritten(t2, name, src) {
  if (!isGradEnabled()) return;
  let old = null;
  if (t2.gradFn !== null) {
    old = new Tensor(t2.storage, t2.shape, t2.strides, t2.offset, t2.dtype);
    old.gradFn = t2.gradFn;
    t2.gradFn = null;
  }
  const srcShape = src?.shape ?? [];
  const srcDtype = src?.dtype ?? t2.dtype;
  record(t2, name, [old, src], (g) => [old ? zerosLike(g) : null, src ? sumTo(to(g, srcDtype), srcShape) : null]);
}
function copy_(t2, src) {
  if (typeof src === 'number') return fill_(t2, src);
  checkWritable('copy_', t2, isGradEnabled() && (src.requiresGrad || t2.requiresGrad));
  const shape = broadcastShapes('copy_', src.shape, t2.shape);
  if (!sameShape(shape, t2.shape)) {
    throw new RangeError(`copy_: source of shape ${shapeStr(src.shape)} cannot be broadcast to ${shapeStr(t2.shape)}`);
  }
  backend().copy(broadcastStrided(src, t2.shape), stridedOf(t2), t2.shape);
  t2.storage.version++;
  overwritten(t2, 'CopyBackwards', src);
  return t2;
}
function fill_(t2, value, name = 'FillBackward2') {
  checkWritable(name === 'ZeroBackward0' ? 'zero_' : 'fill_', t2, isGradEnabled() && t2.requiresGrad);
  const v = Number(value);
  if (t2.isContiguous()) t2.storage.data.fill(v, t2.offset, t2.offset + t2.numel);
  else {
    const one = Tensor._empty([], t2.dtype);
    one.storage.data[0] = v;
    backend().copy({ buf: one.storage.data, offset: 0, strides: t2.shape.map(() => 0) }, stridedOf(t2), t2.shape);
  }
  t2.storage.version++;
  overwritten(t2, name, null);
  return t2;
}
var zero_ = (t2) => fill_(t2, 0, 'ZeroBackward0');

// src/ops/linalg.ts
function checkOperands(a, b) {
  if (a.ndim === 0 || b.ndim === 0) {
    throw new RangeError(`matmul: both arguments need at least 1 dimension (got shapes ${shapeStr(a.shape)} and ${shapeStr(b.shape)})`);
  }
  if (a.dtype !== b.dtype) {
    throw new TypeError(`matmul: expected both operands to have the same dtype, got ${a.dtype} and ${b.dtype}`);
  }
  if (a.dtype === 'bool') throw new TypeError('matmul: not implemented for bool tensors');
  const ka = a.shape[a.ndim - 1];
  const kb = b.ndim === 1 ? b.shape[0] : b.shape[b.ndim - 2];
  if (ka !== kb) {
    throw new RangeError(`matmul: shapes ${shapeStr(a.shape)} and ${shapeStr(b.shape)} cannot be multiplied (${ka} \u2260 ${kb})`);
  }
  const batchA = a.shape.slice(0, -2);
  const batchB = b.shape.slice(0, -2);
  for (let i = 1; i <= Math.min(batchA.length, batchB.length); i++) {
    const [da, db] = [batchA[batchA.length - i], batchB[batchB.length - i]];
    if (da !== db && da !== 1 && db !== 1) {
      throw new RangeError(
        `matmul: batch dimensions of shapes ${shapeStr(a.shape)} and ${shapeStr(b.shape)} cannot be broadcast (${da} \u2260 ${db} at batch dimension ${-i})`,
      );
    }
  }
}
function batched(x2, batchShape) {
  const mat = x2.shape.slice(-2);
  const own = numelOf(x2.shape.slice(0, -2));
  const full2 = numelOf(batchShape);
  if (own === 1 && full2 !== 1) return { data: contiguous(x2), stride: 0 };
  const data2 = own === full2 ? contiguous(x2) : materialize(expand(x2, [...batchShape, ...mat]));
  return { data: data2, stride: numelOf(mat) };
}
function product(a, b, shape) {
  const [m, k] = a.shape.slice(-2);
  const n = b.shape[b.ndim - 1];
  const batchShape = broadcastShapes('matmul', a.shape.slice(0, -2), b.shape.slice(0, -2));
  const A = batched(a, batchShape);
  const B = batched(b, batchShape);
  const out = Tensor._empty(shape ?? [...batchShape, m, n], a.dtype);
  const bk = backend();
  bk.matmul(
    A.data.storage.data.subarray(A.data.offset),
    A.stride,
    B.data.storage.data.subarray(B.data.offset),
    B.stride,
    out.storage.data,
    numelOf(batchShape),
    m,
    k,
    n,
  );
  return out;
}
function matmulNd(a, b) {
  const name = a.ndim === 2 && b.ndim === 2 ? 'MmBackward0' : 'BmmBackward0';
  return record(
    product(a, b),
    name,
    [a, b],
    (g) => [
      a.requiresGrad ? sumTo(matmul2(g, transpose(b, -1, -2)), a.shape) : null,
      b.requiresGrad ? sumTo(matmul2(transpose(a, -1, -2), g), b.shape) : null,
    ],
    [a, b],
  );
}
function matmul2(a, b) {
  checkOperands(a, b);
  if (a.ndim === 1 && b.ndim === 1) {
    const out = noGrad(() => product(unsqueeze(a, 0), unsqueeze(b, 1), []));
    return record(out, 'DotBackward0', [a, b], (g) => [a.requiresGrad ? mul(g, b) : null, b.requiresGrad ? mul(g, a) : null], [a, b]);
  }
  if (a.ndim === 2 && b.ndim === 1) {
    const out = noGrad(() => product(a, unsqueeze(b, 1), [a.shape[0]]));
    return record(
      out,
      'MvBackward0',
      [a, b],
      (g) => [a.requiresGrad ? mul(unsqueeze(g, 1), b) : null, b.requiresGrad ? matmul2(t(a), g) : null],
      [a, b],
    );
  }
  if (a.ndim === 1) return squeeze(matmulNd(unsqueeze(a, 0), b), -2);
  if (b.ndim === 1) return squeeze(matmulNd(a, unsqueeze(b, 1)), -1);
  return matmulNd(a, b);
}
function mm(a, b) {
  if (a.ndim !== 2 || b.ndim !== 2)
    throw new RangeError(`mm: expects 2-D tensors (got shapes ${shapeStr(a.shape)} and ${shapeStr(b.shape)})`);
  return matmul2(a, b);
}
function bmm(a, b) {
  if (a.ndim !== 3 || b.ndim !== 3 || a.shape[0] !== b.shape[0]) {
    throw new RangeError(`bmm: expects 3-D tensors with equal batch sizes (got shapes ${shapeStr(a.shape)} and ${shapeStr(b.shape)})`);
  }
  return matmul2(a, b);
}
function dot(a, b) {
  if (a.ndim !== 1 || b.ndim !== 1)
    throw new RangeError(`dot: expects 1-D tensors (got shapes ${shapeStr(a.shape)} and ${shapeStr(b.shape)})`);
  return matmul2(a, b);
}
function outer(a, b) {
  if (a.ndim !== 1 || b.ndim !== 1)
    throw new RangeError(`outer: expects 1-D tensors (got shapes ${shapeStr(a.shape)} and ${shapeStr(b.shape)})`);
  return mul(unsqueeze(a, 1), b);
}
function diag(x2, offset = 0) {
  if (x2.ndim !== 1 && x2.ndim !== 2) throw new RangeError(`diag: expects a 1-D or 2-D tensor (got shape ${shapeStr(x2.shape)})`);
  const src = materialize(x2).storage.data;
  const r0 = offset < 0 ? -offset : 0;
  const c0 = Math.max(offset, 0);
  let out;
  if (x2.ndim === 1) {
    const n = x2.shape[0] + Math.abs(offset);
    out = Tensor._empty([n, n], x2.dtype);
    const d = out.storage.data;
    for (let i = 0; i < x2.shape[0]; i++) d[(r0 + i) * n + c0 + i] = src[i];
  } else {
    const [rows, cols] = x2.shape;
    const len = Math.max(0, Math.min(rows - r0, cols - c0));
    out = Tensor._empty([len], x2.dtype);
    const d = out.storage.data;
    for (let i = 0; i < len; i++) d[i] = src[(r0 + i) * cols + c0 + i];
  }
  const inShape = x2.shape;
  return record(out, 'DiagBackward0', [x2], (g) => {
    if (inShape.length === 1) return [diag(g, offset)];
    let full2 = diag(g, offset);
    inShape.forEach((size, d) => {
      const n = full2.shape[d];
      full2 = size <= n ? narrow(full2, d, 0, size) : padAlong(full2, d, 0, size - n);
    });
    return [full2];
  });
}
function diagflat(x2, offset = 0) {
  return diag(reshape(x2, [-1]), offset);
}

// src/random/fpmath.ts
var fround = Math.fround;
var f64 = new Float64Array(1);
var f64w = new Uint32Array(f64.buffer);
var LO = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1 ? 0 : 1;
var HI = 1 - LO;
function roundToOdd(s, e) {
  if (e === 0) return s;
  f64[0] = s;
  let lo = f64w[LO];
  if ((lo & 1) === 1) return s;
  let hi = f64w[HI];
  if (e > 0 === s > 0) {
    lo = lo + 1;
  } else if (lo === 0) {
    lo = 4294967295;
    hi = hi - 1;
  } else {
    lo = lo - 1;
  }
  f64w[LO] = lo;
  f64w[HI] = hi;
  return f64[0];
}
function fma32(a, b, c) {
  const p = a * b;
  const s = p + c;
  const r = fround(s);
  if (r === s) return r;
  f64[0] = s;
  if ((f64w[LO] & 536870911) !== 268435456) return r;
  const bb = s - p;
  const err = p - (s - bb) + (c - bb);
  return fround(roundToOdd(s, err));
}
var SPLITTER = 134217729;
function fma64(a, b, c) {
  const ph = a * b;
  if (ph === 0 || !Number.isFinite(ph) || !Number.isFinite(c)) return ph + c;
  let t2 = SPLITTER * a;
  const ah = t2 - (t2 - a);
  const al = a - ah;
  t2 = SPLITTER * b;
  const bh = t2 - (t2 - b);
  const bl = b - bh;
  const pl = al * bl - (ph - ah * bh - al * bh - ah * bl);
  const th = c + ph;
  let bb = th - ph;
  const tl = ph - (th - bb) + (c - bb);
  const vs = tl + pl;
  bb = vs - tl;
  const ve = tl - (vs - bb) + (pl - bb);
  return th + roundToOdd(vs, ve);
}
var oh = 0;
var ol = 0;
function twoProdLo(a, b, p) {
  let t2 = SPLITTER * a;
  const ah = t2 - (t2 - a);
  const al = a - ah;
  t2 = SPLITTER * b;
  const bh = t2 - (t2 - b);
  const bl = b - bh;
  return al * bl - (p - ah * bh - al * bh - ah * bl);
}
function ddAdd(ah, al, bh, bl) {
  let s = ah + bh;
  let bb = s - ah;
  let e = ah - (s - bb) + (bh - bb);
  const t2 = al + bl;
  bb = t2 - al;
  const f = al - (t2 - bb) + (bl - bb);
  e += t2;
  let h = s + e;
  e = e - (h - s);
  s = h;
  e += f;
  h = s + e;
  ol = e - (h - s);
  oh = h;
}
function ddMul(ah, al, bh, bl) {
  const p = ah * bh;
  let e = twoProdLo(ah, bh, p);
  e += ah * bl + al * bh;
  const h = p + e;
  ol = e - (h - p);
  oh = h;
}
function ddDiv(ah, al, bh, bl) {
  const q1 = ah / bh;
  ddMul(q1, 0, bh, bl);
  ddAdd(ah, al, -oh, -ol);
  const q2 = oh / bh;
  const rh = oh;
  const rl = ol;
  ddMul(q2, 0, bh, bl);
  ddAdd(rh, rl, -oh, -ol);
  const q3 = oh / bh;
  const h = q1 + q2;
  let e = q2 - (h - q1);
  e += q3;
  const s = h + e;
  ol = e - (s - h);
  oh = s;
}
var LN2_HI = Math.LN2;
var LN2_LO = 23190468138462996e-33;
var LN2_LOLO = 5707708438416212e-49;
var SQRT2 = Math.SQRT2;
var LOG_J0 = 90;
var LOG_J1 = 182;
var LOG_C_HI = new Float64Array(LOG_J1 - LOG_J0 + 1);
var LOG_C_LO = new Float64Array(LOG_J1 - LOG_J0 + 1);
var THIRD_HI = 0;
var THIRD_LO = 0;
var FIFTH_HI = 0;
var FIFTH_LO = 0;
function slowTwoAtanh(sh, sl) {
  ddMul(sh, sl, sh, sl);
  const s2h = oh;
  const s2l = ol;
  let th = sh;
  let tl = sl;
  let sumH = 0;
  let sumL = 0;
  for (let k = 0; k < 200; k++) {
    ddDiv(th, tl, 2 * k + 1, 0);
    ddAdd(sumH, sumL, oh, ol);
    sumH = oh;
    sumL = ol;
    ddMul(th, tl, s2h, s2l);
    th = oh;
    tl = ol;
    if (Math.abs(th) < 1e-40) break;
  }
  oh = 2 * sumH;
  ol = 2 * sumL;
}
function initLog() {
  ddDiv(1, 0, 3, 0);
  THIRD_HI = oh;
  THIRD_LO = ol;
  ddDiv(1, 0, 5, 0);
  FIFTH_HI = oh;
  FIFTH_LO = ol;
  for (let j = LOG_J0; j <= LOG_J1; j++) {
    const c = j / 128;
    ddDiv(c - 1, 0, c + 1, 0);
    slowTwoAtanh(oh, ol);
    LOG_C_HI[j - LOG_J0] = oh;
    LOG_C_LO[j - LOG_J0] = ol;
  }
}
function logCR(x2) {
  if (!(x2 > 0) || x2 === Number.POSITIVE_INFINITY) return Math.log(x2);
  if (x2 === 1) return 0;
  let k = 0;
  if (x2 < 22250738585072014e-324) {
    x2 *= 18014398509481984;
    k = -54;
  }
  f64[0] = x2;
  const hiWord = f64w[HI];
  k += (hiWord >>> 20) - 1023;
  f64w[HI] = (hiWord & 1048575) | 1072693248;
  let m = f64[0];
  if (m > SQRT2) {
    m *= 0.5;
    k += 1;
  }
  const j = Math.round(m * 128);
  const c = j / 128;
  const num = m - c;
  const dh = m + c;
  const bb = dh - m;
  const dl = m - (dh - bb) + (c - bb);
  ddDiv(num, 0, dh, dl);
  const sh = oh;
  const sl = ol;
  ddMul(sh, sl, sh, sl);
  const s2h = oh;
  const s2l = ol;
  const tail = 1 / 7 + s2h * (1 / 9 + s2h * (1 / 11 + s2h * (1 / 13 + s2h / 15)));
  ddMul(s2h, s2l, tail, 0);
  ddAdd(FIFTH_HI, FIFTH_LO, oh, ol);
  ddMul(s2h, s2l, oh, ol);
  ddAdd(THIRD_HI, THIRD_LO, oh, ol);
  ddMul(s2h, s2l, oh, ol);
  ddMul(sh, sl, oh, ol);
  ddAdd(sh, sl, oh, ol);
  let rh = 2 * oh;
  let rl = 2 * ol;
  if (j !== 128) {
    ddAdd(LOG_C_HI[j - LOG_J0], LOG_C_LO[j - LOG_J0], rh, rl);
    rh = oh;
    rl = ol;
  }
  if (k !== 0) {
    const p = k * LN2_HI;
    const pl = twoProdLo(k, LN2_HI, p) + (k * LN2_LO + k * LN2_LOLO);
    ddAdd(p, pl, rh, rl);
    rh = oh;
    rl = ol;
  }
  return rh + rl;
}
var PIO2_1 = 1.5707963267948966;
var PIO2_2 = 6123233995736766e-32;
var PIO2_3 = -14973849048591698e-49;
var TWO_OVER_PI = 0.6366197723675814;
var SC_N = 52;
var SIN_HI = new Float64Array(SC_N);
var SIN_LO = new Float64Array(SC_N);
var COS_HI = new Float64Array(SC_N);
var COS_LO = new Float64Array(SC_N);
var C6H = 0;
var C6L = 0;
var C120H = 0;
var C120L = 0;
var C24H = 0;
var C24L = 0;
var C720H = 0;
var C720L = 0;
function initSinCos() {
  ddDiv(1, 0, 6, 0);
  C6H = oh;
  C6L = ol;
  ddDiv(1, 0, 120, 0);
  C120H = oh;
  C120L = ol;
  ddDiv(1, 0, 24, 0);
  C24H = oh;
  C24L = ol;
  ddDiv(1, 0, 720, 0);
  C720H = oh;
  C720L = ol;
  for (let i = 0; i < SC_N; i++) {
    const a = i / 64;
    let sh = 0;
    let sl = 0;
    let ch = 0;
    let cl = 0;
    let th = 1;
    let tl = 0;
    for (let k = 0; k < 60; k++) {
      const sign2 = (k >> 1) % 2 === 0 ? 1 : -1;
      if (k % 2 === 0) {
        ddAdd(ch, cl, sign2 * th, sign2 * tl);
        ch = oh;
        cl = ol;
      } else {
        ddAdd(sh, sl, sign2 * th, sign2 * tl);
        sh = oh;
        sl = ol;
      }
      ddMul(th, tl, a, 0);
      ddDiv(oh, ol, k + 1, 0);
      th = oh;
      tl = ol;
      if (Math.abs(th) < 1e-40) break;
    }
    SIN_HI[i] = sh;
    SIN_LO[i] = sl;
    COS_HI[i] = ch;
    COS_LO[i] = cl;
  }
}
function sinCosCR(x2, out) {
  if (!Number.isFinite(x2) || Math.abs(x2) > 1e5) {
    out[0] = Math.sin(x2);
    out[1] = Math.cos(x2);
    return;
  }
  const n = Math.round(x2 * TWO_OVER_PI);
  let rh = x2;
  let rl = 0;
  if (n !== 0) {
    const p1 = n * PIO2_1;
    ddAdd(x2, 0, -p1, -twoProdLo(n, PIO2_1, p1));
    rh = oh;
    rl = ol;
    const p2 = n * PIO2_2;
    ddAdd(rh, rl, -p2, -(twoProdLo(n, PIO2_2, p2) + n * PIO2_3));
    rh = oh;
    rl = ol;
  }
  const i = Math.round(rh * 64);
  const ai = i < 0 ? -i : i;
  const th = rh - i / 64;
  const tl = rl;
  ddMul(th, tl, th, tl);
  const t2h = oh;
  const t2l = ol;
  const sTail = t2h * (1 / 5040 - t2h * (1 / 362880 - t2h * (1 / 39916800)));
  ddAdd(C120H, C120L, -sTail, 0);
  ddMul(oh, ol, t2h, t2l);
  ddAdd(-C6H, -C6L, oh, ol);
  ddMul(oh, ol, t2h, t2l);
  ddMul(oh, ol, th, tl);
  ddAdd(th, tl, oh, ol);
  const sinTh = oh;
  const sinTl = ol;
  const cTail = t2h * t2h * (1 / 40320 - t2h * (1 / 3628800 - t2h * (1 / 479001600)));
  ddMul(C720H, C720L, t2h, t2l);
  ddAdd(C24H, C24L, -oh, -ol);
  ddAdd(oh, ol, cTail, 0);
  ddMul(oh, ol, t2h, t2l);
  ddMul(oh, ol, t2h, t2l);
  ddAdd(oh, ol, -0.5 * t2h, -0.5 * t2l);
  ddAdd(1, 0, oh, ol);
  const cosTh = oh;
  const cosTl = ol;
  let sh;
  let sl;
  let ch;
  let cl;
  if (ai === 0) {
    sh = sinTh;
    sl = sinTl;
    ch = cosTh;
    cl = cosTl;
  } else {
    const sgn = i < 0 ? -1 : 1;
    const sah = sgn * SIN_HI[ai];
    const sal = sgn * SIN_LO[ai];
    const cah = COS_HI[ai];
    const cal = COS_LO[ai];
    ddMul(sah, sal, cosTh, cosTl);
    const p1h = oh;
    const p1l = ol;
    ddMul(cah, cal, sinTh, sinTl);
    ddAdd(p1h, p1l, oh, ol);
    sh = oh;
    sl = ol;
    ddMul(cah, cal, cosTh, cosTl);
    const q1h = oh;
    const q1l = ol;
    ddMul(sah, sal, sinTh, sinTl);
    ddAdd(q1h, q1l, -oh, -ol);
    ch = oh;
    cl = ol;
  }
  const s = sh + sl;
  const c = ch + cl;
  switch (n & 3) {
    case 0:
      out[0] = s;
      out[1] = c;
      break;
    case 1:
      out[0] = c;
      out[1] = -s;
      break;
    case 2:
      out[0] = -s;
      out[1] = -c;
      break;
    default:
      out[0] = -c;
      out[1] = s;
  }
}
initLog();
initSinCos();

// src/random/distributions.ts
var fround2 = Math.fround;
var TWO_POW_M24 = 2 ** -24;
var TWO_POW_M53 = 2 ** -53;
var TWO_POW_32 = 4294967296;
function checkFromTo(from, to2) {
  if (!(from <= to2)) throw new RangeError(`uniform_ expects to return a [from, to) range, but found from=${from} > to=${to2}`);
}
function fillUniform(gen2, out, from = 0, to2 = 1) {
  const n = out.length;
  if (out instanceof Float32Array) {
    const f = fround2(from);
    const t2 = fround2(to2);
    checkFromTo(f, t2);
    const range = fround2(t2 - f);
    if (f === 0 && range === 1) {
      for (let i = 0; i < n; i++) out[i] = (gen2.random() & 16777215) * TWO_POW_M24;
    } else {
      for (let i = 0; i < n; i++) out[i] = fma32((gen2.random() & 16777215) * TWO_POW_M24, range, f);
    }
  } else {
    checkFromTo(from, to2);
    const range = to2 - from;
    if (from === 0 && range === 1) {
      for (let i = 0; i < n; i++) out[i] = gen2.random53() * TWO_POW_M53;
    } else {
      for (let i = 0; i < n; i++) out[i] = fma64(gen2.random53() * TWO_POW_M53, range, from);
    }
  }
  return out;
}
var TWO_PI = 2 * Math.PI;
var sc = new Float64Array(2);
function sampleNormalDouble(gen2, mean2, std2) {
  const cached = gen2.nextDoubleNormal;
  if (cached !== null) {
    gen2.nextDoubleNormal = null;
    return fma64(cached, std2, mean2);
  }
  const u1 = gen2.random53() * TWO_POW_M53;
  const u2 = gen2.random53() * TWO_POW_M53;
  const r = Math.sqrt(-2 * logCR(1 - u2));
  sinCosCR(TWO_PI * u1, sc);
  gen2.nextDoubleNormal = r * sc[0];
  return fma64(r * sc[1], std2, mean2);
}
function normalFill16F64(data2, o, mean2, std2) {
  for (let j = 0; j < 8; j++) {
    const u1 = 1 - data2[o + j];
    const u2 = data2[o + j + 8];
    const radius = Math.sqrt(-2 * logCR(u1));
    sinCosCR(TWO_PI * u2, sc);
    data2[o + j] = fma64(radius * sc[1], std2, mean2);
    data2[o + j + 8] = fma64(radius * sc[0], std2, mean2);
  }
}
var fbuf = new Float32Array(1);
var ibuf = new Int32Array(fbuf.buffer);
var SQRTHF = fround2(0.7071067690849304);
var LOG_P0 = fround2(0.070376836292);
var LOG_P1 = fround2(-0.1151461031);
var LOG_P2 = fround2(0.1167699874);
var LOG_P3 = fround2(-0.12420140846);
var LOG_P4 = fround2(0.14249322787);
var LOG_P5 = fround2(-0.16668057665);
var LOG_P6 = fround2(0.20000714765);
var LOG_P7 = fround2(-0.24999993993);
var LOG_P8 = fround2(0.33333331174);
var LOG_Q1 = fround2(-21219444e-11);
var LOG_Q2 = fround2(0.693359375);
var DP1 = fround2(-0.78515625);
var DP2 = fround2(-24187564849853516e-20);
var DP3 = fround2(-3774895063202166e-23);
var SIN_P0 = fround2(-19515295891e-14);
var SIN_P1 = fround2(0.0083321608736);
var SIN_P2 = fround2(-0.16666654611);
var COS_P0 = fround2(2443315711809948e-20);
var COS_P1 = fround2(-0.001388731625493765);
var COS_P2 = fround2(0.04166664568298827);
var FOPI = fround2(1.27323954473516);
function log256(x2) {
  fbuf[0] = Math.max(x2, 11754943508222875e-54);
  const bits = ibuf[0];
  let e = (bits >>> 23) - 127 + 1;
  ibuf[0] = (bits & ~2139095040) | 1056964608;
  let m = fbuf[0];
  if (m < SQRTHF) {
    e -= 1;
    m = fround2(fround2(m - 1) + m);
  } else {
    m = fround2(m - 1);
  }
  const z = fround2(m * m);
  let y2 = fma32(LOG_P0, m, LOG_P1);
  y2 = fma32(y2, m, LOG_P2);
  y2 = fma32(y2, m, LOG_P3);
  y2 = fma32(y2, m, LOG_P4);
  y2 = fma32(y2, m, LOG_P5);
  y2 = fma32(y2, m, LOG_P6);
  y2 = fma32(y2, m, LOG_P7);
  y2 = fma32(y2, m, LOG_P8);
  y2 = fround2(y2 * m);
  y2 = fma32(y2, z, fround2(e * LOG_Q1));
  y2 = fround2(y2 - z * 0.5);
  m = fround2(m + y2);
  return fround2(m + e * LOG_Q2);
}
var sinOut = 0;
var cosOut = 0;
function sincos256(theta) {
  let x2 = Math.abs(theta);
  let sinNeg = theta < 0 || Object.is(theta, -0);
  let j = Math.trunc(fround2(x2 * FOPI)) | 0;
  j = (j + 1) & ~1;
  const y2 = j;
  if ((j & 4) !== 0) sinNeg = !sinNeg;
  const polyMask = (j & 2) === 0;
  x2 = fma32(y2, DP1, x2);
  x2 = fma32(y2, DP2, x2);
  x2 = fma32(y2, DP3, x2);
  const cosNeg = (~(j - 2) & 4) !== 0;
  const z = fround2(x2 * x2);
  const half = z * 0.5;
  let c = fma32(COS_P0, z, COS_P1);
  c = fma32(c, z, COS_P2);
  c = fround2(c * z);
  c = fma32(c, z, -half);
  c = fround2(c + 1);
  let s = fma32(SIN_P0, z, SIN_P1);
  s = fma32(s, z, SIN_P2);
  s = fround2(s * z);
  s = fma32(s, x2, x2);
  const sv = (polyMask ? s : c) + 0;
  const cv = (polyMask ? c : s) + 0;
  sinOut = sinNeg ? -sv : sv;
  cosOut = cosNeg ? -cv : cv;
}
function normalFill16Avx2(data2, o, mean2, std2) {
  const twoPi = fround2(TWO_PI);
  for (let j = 0; j < 8; j++) {
    const u1 = fround2(1 - data2[o + j]);
    const u2 = data2[o + j + 8];
    const radius = fround2(Math.sqrt(fround2(-2 * log256(u1))));
    const theta = fround2(twoPi * u2);
    sincos256(theta);
    data2[o + j] = fma32(fround2(radius * cosOut), std2, mean2);
    data2[o + j + 8] = fma32(fround2(radius * sinOut), std2, mean2);
  }
}
function fillNormal(gen2, out, mean2 = 0, std2 = 1, contiguous2 = true) {
  if (!(std2 >= 0)) throw new RangeError(`normal expects std >= 0.0, but found std ${std2}`);
  const n = out.length;
  if (n < 16 || !contiguous2) {
    for (let i = 0; i < n; i++) out[i] = sampleNormalDouble(gen2, mean2, std2);
    return out;
  }
  if (out instanceof Float32Array) {
    const m = fround2(mean2);
    const s = fround2(std2);
    for (let i = 0; i < n; i++) out[i] = (gen2.random() & 16777215) * TWO_POW_M24;
    for (let i = 0; i + 16 <= n; i += 16) normalFill16Avx2(out, i, m, s);
    if (n % 16 !== 0) {
      const o = n - 16;
      for (let i = 0; i < 16; i++) out[o + i] = (gen2.random() & 16777215) * TWO_POW_M24;
      normalFill16Avx2(out, o, m, s);
    }
  } else {
    const data2 = out;
    for (let i = 0; i < n; i++) data2[i] = gen2.random53() * TWO_POW_M53;
    for (let i = 0; i + 16 <= n; i += 16) normalFill16F64(data2, i, mean2, std2);
    if (n % 16 !== 0) {
      const o = n - 16;
      for (let i = 0; i < 16; i++) data2[o + i] = gen2.random53() * TWO_POW_M53;
      normalFill16F64(data2, o, mean2, std2);
    }
  }
  return out;
}
var INT32_MIN = -2147483648;
var INT32_MAX = 2147483647;
function updateFrom(from, digits, cast) {
  const fromPlus1 = cast(from + 1);
  if (fromPlus1 < from) {
    let f = Math.abs(from + 1);
    let n = 0;
    while (f >= 2) {
      f = Math.floor(f / 2);
      n++;
    }
    return fromPlus1 + 2 ** (n - digits + 1);
  }
  return from;
}
function updateTo(to2, digits, cast) {
  const toMinus1 = cast(to2 - 1);
  if (toMinus1 >= to2) {
    let t2 = Math.abs(to2 - 1);
    let n = 0;
    while (t2 >= 2) {
      t2 = Math.floor(t2 / 2);
      n++;
    }
    return toMinus1 - 2 ** (n - digits + 1);
  }
  return to2;
}
function fillRandint(gen2, out, low, high) {
  if (!Number.isSafeInteger(low) || !Number.isSafeInteger(high)) {
    throw new RangeError(`randint bounds must be safe integers, got low=${low}, high=${high}`);
  }
  if (!(low < high)) throw new RangeError(`random_ expects 'from' to be less than 'to', but got from=${low} >= to=${high}`);
  if (out instanceof Float32Array) {
    low = updateFrom(low, 24, fround2);
    high = updateTo(high, 24, fround2);
  } else if (out instanceof Float64Array) {
    low = updateFrom(low, 53, (v) => v);
    high = updateTo(high, 53, (v) => v);
  } else if (low < INT32_MIN || high - 1 > INT32_MAX) {
    throw new RangeError(`randint bounds [${low}, ${high}) do not fit in an Int32Array`);
  }
  if (!(low < high)) throw new RangeError(`random_ expects 'from' casted to dtype to be less than 'to' casted to dtype`);
  const n = out.length;
  const range = high - low;
  if (range < TWO_POW_32) {
    for (let i = 0; i < n; i++) out[i] = (gen2.random() % range) + low;
  } else {
    const r = BigInt(range);
    const b = BigInt(low);
    for (let i = 0; i < n; i++) out[i] = Number((gen2.random64BigInt() % r) + b);
  }
  return out;
}
function fillBernoulli(gen2, out, p) {
  if (!(p >= 0 && p <= 1)) throw new RangeError(`bernoulli_ expects p to be in [0, 1], but got p=${p}`);
  const n = out.length;
  for (let i = 0; i < n; i++) out[i] = gen2.random53() * TWO_POW_M53 < p ? 1 : 0;
  return out;
}

// src/random/mt19937.ts
var MT_N = 624;
var MT_M = 397;
var MATRIX_A = 2567483615;
var UPPER_MASK = 2147483648;
var LOWER_MASK = 2147483647;
var U64_MASK = (1n << 64n) - 1n;
var INT64_MIN = -(1n << 63n);
function toSeedU64(seed) {
  let s;
  if (typeof seed === 'number') {
    if (!Number.isInteger(seed)) throw new RangeError(`seed must be an integer, got ${seed}`);
    s = BigInt(seed);
  } else {
    s = seed;
  }
  if (s < INT64_MIN || s > U64_MASK) {
    throw new RangeError('seed must be within range [-0x8000_0000_0000_0000, 0xffff_ffff_ffff_ffff]');
  }
  return s & U64_MASK;
}
var MT19937 = class {
  /** The state words; exposed read-only for speed-sensitive callers, mutate only through the class. */
  state = new Uint32Array(MT_N);
  left = 1;
  next = 0;
  seed64 = 0n;
  constructor(seed = 5489) {
    this.seed(seed);
  }
  /**
   * Re-seeds like `init_with_uint32`: only the low 32 bits of the 64-bit seed
   * feed the state, but the full 64-bit value is remembered (it is what
   * `initial_seed()` reports).
   */
  seed(seed) {
    const s = toSeedU64(seed);
    this.seed64 = s;
    const st = this.state;
    st[0] = Number(s & 0xffffffffn);
    for (let j = 1; j < MT_N; j++) {
      const prev = st[j - 1];
      st[j] = (Math.imul(1812433253, prev ^ (prev >>> 30)) + j) >>> 0;
    }
    this.left = 1;
    this.next = 0;
  }
  /** The 64-bit seed this engine was last seeded with. */
  initialSeed() {
    return this.seed64;
  }
  /** Next tempered 32-bit output, as an unsigned integer in [0, 2^32). */
  nextUint32() {
    if (--this.left === 0) this.twist();
    let y2 = this.state[this.next++];
    y2 ^= y2 >>> 11;
    y2 ^= (y2 << 7) & 2636928640;
    y2 ^= (y2 << 15) & 4022730752;
    y2 ^= y2 >>> 18;
    return y2 >>> 0;
  }
  /** Regenerates all 624 words (PyTorch's `next_state`). */
  twist() {
    const st = this.state;
    this.left = MT_N;
    this.next = 0;
    let k = 0;
    for (; k < MT_N - MT_M; k++) {
      const u2 = st[k];
      const v2 = st[k + 1];
      const mix2 = (u2 & UPPER_MASK) | (v2 & LOWER_MASK);
      st[k] = (st[k + MT_M] ^ (mix2 >>> 1) ^ (v2 & 1 ? MATRIX_A : 0)) >>> 0;
    }
    for (; k < MT_N - 1; k++) {
      const u2 = st[k];
      const v2 = st[k + 1];
      const mix2 = (u2 & UPPER_MASK) | (v2 & LOWER_MASK);
      st[k] = (st[k + MT_M - MT_N] ^ (mix2 >>> 1) ^ (v2 & 1 ? MATRIX_A : 0)) >>> 0;
    }
    const u = st[MT_N - 1];
    const v = st[0];
    const mix = (u & UPPER_MASK) | (v & LOWER_MASK);
    st[MT_N - 1] = (st[MT_M - 1] ^ (mix >>> 1) ^ (v & 1 ? MATRIX_A : 0)) >>> 0;
  }
  /** Snapshot of the full engine state (plain data, safe to JSON.stringify). */
  getState() {
    return {
      seed: this.seed64.toString(),
      left: this.left,
      next: this.next,
      state: Array.from(this.state),
    };
  }
  /** Restores a snapshot made by {@link getState}; validates like PyTorch's `is_valid()`. */
  setState(s) {
    if (!Number.isInteger(s.left) || s.left <= 0 || s.left > MT_N) {
      throw new RangeError(`invalid mt19937 state: left=${s.left}`);
    }
    if (!Number.isInteger(s.next) || s.next < 0 || s.next > MT_N) {
      throw new RangeError(`invalid mt19937 state: next=${s.next}`);
    }
    if (s.state.length !== MT_N) {
      throw new RangeError(`invalid mt19937 state: expected ${MT_N} words, got ${s.state.length}`);
    }
    const seed = BigInt(s.seed);
    if (seed < 0n || seed > U64_MASK) throw new RangeError(`invalid mt19937 state: seed=${s.seed}`);
    for (let i = 0; i < MT_N; i++) {
      const w = s.state[i];
      if (!Number.isInteger(w) || w < 0 || w > 4294967295) {
        throw new RangeError(`invalid mt19937 state: word ${i} = ${w}`);
      }
      this.state[i] = w;
    }
    this.seed64 = seed;
    this.left = s.left;
    this.next = s.next;
  }
};

// src/random/generator.ts
var DEFAULT_RNG_SEED = 67280421310721n;
var TORCH_STATE_BYTES = 5056;
var OFF_SEED = 0;
var OFF_LEFT = 8;
var OFF_SEEDED = 12;
var OFF_NEXT = 16;
var OFF_STATE = 24;
var OFF_NORMAL_X = OFF_STATE + 8 * MT_N;
var OFF_NORMAL_Y = OFF_NORMAL_X + 8;
var OFF_NORMAL_RHO = OFF_NORMAL_Y + 8;
var OFF_NORMAL_VALID = OFF_NORMAL_RHO + 8;
var OFF_FLOAT_NORMAL = 5048;
var OFF_FLOAT_NORMAL_VALID = 5052;
var Generator = class _Generator {
  engine;
  /**
   * PyTorch's `next_double_normal_sample_`: the unscaled sin-branch sample left
   * over by the scalar Box–Muller path. Distributions read and clear it.
   */
  nextDoubleNormal = null;
  /** PyTorch's `next_float_normal_sample_` (unused by CPU kernels in 1.13). */
  nextFloatNormal = null;
  constructor(seed = DEFAULT_RNG_SEED) {
    this.engine = new MT19937(seed);
  }
  /**
   * Seeds like `torch.Generator.manual_seed`: accepts [-2^63, 2^64), negative
   * seeds taken as two's complement, and drops any cached normal sample.
   */
  manualSeed(seed) {
    this.nextDoubleNormal = null;
    this.nextFloatNormal = null;
    this.engine.seed(seed);
    return this;
  }
  /** The 64-bit seed last given (what `torch.initial_seed()` returns). */
  initialSeed() {
    return this.engine.initialSeed();
  }
  /** One engine output: an unsigned 32-bit integer (`CPUGeneratorImpl::random`). */
  random() {
    return this.engine.nextUint32();
  }
  /**
   * `CPUGeneratorImpl::random64`: two draws, the first is the high word.
   * Returned as `[hi, lo]` (each uint32) to stay clear of BigInt.
   */
  random64() {
    const hi = this.engine.nextUint32();
    const lo = this.engine.nextUint32();
    return [hi, lo];
  }
  /**
   * The low 53 bits of `random64()` as an exact integer number in [0, 2^53):
   * the numerator PyTorch's double `uniform_real_distribution` uses. Same
   * stream cost as `random64()`, without allocating.
   */
  random53() {
    const hi = this.engine.nextUint32();
    const lo = this.engine.nextUint32();
    return (hi & 2097151) * 4294967296 + lo;
  }
  /** `random64()` as a BigInt, for the rare 64-bit-range paths. */
  random64BigInt() {
    const hi = this.engine.nextUint32();
    const lo = this.engine.nextUint32();
    return (BigInt(hi) << 32n) | BigInt(lo);
  }
  /** Plain-object snapshot (JSON-safe: seed as a decimal string, numbers elsewhere). */
  getState() {
    return {
      mt: this.engine.getState(),
      nextDoubleNormal: this.nextDoubleNormal,
      nextFloatNormal: this.nextFloatNormal,
    };
  }
  /** Restores a snapshot from {@link getState} (also accepts it after a JSON round trip). */
  setState(state) {
    this.engine.setState(state.mt);
    this.nextDoubleNormal = state.nextDoubleNormal;
    this.nextFloatNormal = state.nextFloatNormal === null ? null : Math.fround(state.nextFloatNormal);
    return this;
  }
  /** Independent copy with the same stream position and caches. */
  clone() {
    const g = new _Generator();
    g.setState(this.getState());
    return g;
  }
  /**
   * The exact bytes `torch.get_rng_state()` would return for this state
   * (5056-byte legacy `CPUGeneratorImplState`, little-endian), so states can
   * be exchanged with PyTorch.
   */
  getTorchState() {
    const bytes = new Uint8Array(TORCH_STATE_BYTES);
    const dv = new DataView(bytes.buffer);
    const mt = this.engine.getState();
    dv.setBigUint64(OFF_SEED, BigInt(mt.seed), true);
    dv.setInt32(OFF_LEFT, mt.left, true);
    dv.setInt32(OFF_SEEDED, 1, true);
    dv.setBigUint64(OFF_NEXT, BigInt(mt.next), true);
    for (let i = 0; i < MT_N; i++) {
      dv.setUint32(OFF_STATE + 8 * i, mt.state[i], true);
    }
    if (this.nextDoubleNormal !== null) {
      dv.setFloat64(OFF_NORMAL_Y, this.nextDoubleNormal, true);
      dv.setInt32(OFF_NORMAL_VALID, 1, true);
    }
    if (this.nextFloatNormal !== null) {
      dv.setFloat32(OFF_FLOAT_NORMAL, this.nextFloatNormal, true);
      bytes[OFF_FLOAT_NORMAL_VALID] = 1;
    }
    return bytes;
  }
  /** Loads bytes produced by `torch.get_rng_state()` (or {@link getTorchState}). */
  setTorchState(bytes) {
    if (bytes.length !== TORCH_STATE_BYTES) {
      throw new RangeError(
        `Expected a CPUGeneratorImplState of size ${TORCH_STATE_BYTES} but found the input RNG state size to be ${bytes.length}`,
      );
    }
    const dv = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    if (dv.getInt32(OFF_SEEDED, true) === 0) throw new RangeError('Invalid mt19937 state');
    const state = new Array(MT_N);
    for (let i = 0; i < MT_N; i++) {
      state[i] = dv.getUint32(OFF_STATE + 8 * i, true);
    }
    this.engine.setState({
      seed: dv.getBigUint64(OFF_SEED, true).toString(),
      left: dv.getInt32(OFF_LEFT, true),
      next: Number(dv.getBigUint64(OFF_NEXT, true) & 0xffffffffn),
      state,
    });
    this.nextDoubleNormal = dv.getInt32(OFF_NORMAL_VALID, true) !== 0 ? dv.getFloat64(OFF_NORMAL_Y, true) : null;
    this.nextFloatNormal = bytes[OFF_FLOAT_NORMAL_VALID] !== 0 ? dv.getFloat32(OFF_FLOAT_NORMAL, true) : null;
    return this;
  }
};
var defaultGenerator = new Generator();
function manualSeed(seed) {
  return defaultGenerator.manualSeed(seed);
}

// src/ops/random.ts
var gen = (opts) => opts?.generator ?? defaultGenerator;
function floatDType(op, opts) {
  const d = opts?.dtype ?? defaultFloatDType;
  if (!isFloating(d)) throw new TypeError(`${op}: expected a floating dtype (got ${d})`);
  return d;
}
function finish2(t2, opts) {
  if (opts?.requiresGrad) t2.requiresGrad_(true);
  return t2;
}
function rand(shape, opts) {
  const t2 = Tensor._empty(checkShape('rand', shape), floatDType('rand', opts));
  fillUniform(gen(opts), t2.storage.data);
  return finish2(t2, opts);
}
function randint(low, high, shape, opts) {
  const dtype = opts?.dtype ?? 'int32';
  if (dtype === 'bool') throw new TypeError('randint: bool dtype is not supported');
  const t2 = Tensor._empty(checkShape('randint', shape), dtype);
  fillRandint(gen(opts), t2.storage.data, low, high);
  return t2;
}
function fillInPlace(t2, fill) {
  const order = t2.shape.map((_, i) => i).sort((a, b) => t2.strides[b] - t2.strides[a] || a - b);
  const target = permute(detach(t2), order);
  const scratch3 = Tensor._empty(target.shape, t2.dtype);
  fill(scratch3.storage.data);
  copy_(
    t2,
    permute(
      scratch3,
      order.map((_, i) => order.indexOf(i)),
    ),
  );
  return t2;
}
function uniform_(t2, from = 0, to2 = 1, opts) {
  floatDType('uniform_', { dtype: t2.dtype });
  return fillInPlace(t2, (d) => fillUniform(gen(opts), d, from, to2));
}
function normal_(t2, mean2 = 0, std2 = 1, opts) {
  floatDType('normal_', { dtype: t2.dtype });
  return fillInPlace(t2, (d) => fillNormal(gen(opts), d, mean2, std2, t2.isContiguous()));
}
function bernoulli_(t2, p = 0.5, opts) {
  if (t2.dtype === 'bool') throw new TypeError('bernoulli_: bool tensors are not supported');
  return fillInPlace(t2, (d) => fillBernoulli(gen(opts), d, p));
}

// src/ops/softmax.ts
var asFloat = (x2) => (isFloating(x2.dtype) ? x2 : to(x2, defaultFloatDType));
function softmax(x2, dim) {
  const xf = asFloat(x2);
  const d = normalizeDim('softmax', dim, xf.ndim);
  const y2 = noGrad(() => {
    const e = exp(sub(xf, stableShift(xf, [d])));
    return div(e, sum(e, { dim: d, keepdim: true }));
  });
  return record(y2, 'SoftmaxBackward0', [xf], (g) => [mul(y2, sub(g, sum(mul(g, y2), { dim: d, keepdim: true })))], [y2]);
}
function logSoftmax(x2, dim) {
  const xf = asFloat(x2);
  const d = normalizeDim('logSoftmax', dim, xf.ndim);
  const y2 = noGrad(() => {
    const shifted = sub(xf, stableShift(xf, [d]));
    return sub(shifted, log(sum(exp(shifted), { dim: d, keepdim: true })));
  });
  return record(y2, 'LogSoftmaxBackward0', [xf], (g) => [sub(g, mul(exp(y2), sum(g, { dim: d, keepdim: true })))], [y2]);
}

// src/tensor/methods.ts
var sizes = (args) => (Array.isArray(args[0]) ? args[0] : args);
var proto = Tensor.prototype;
Object.defineProperty(proto, 'T', {
  get() {
    return t(this);
  },
});
Object.assign(proto, {
  to(dtype) {
    return to(this, dtype);
  },
  float() {
    return to(this, 'float32');
  },
  double() {
    return to(this, 'float64');
  },
  int() {
    return to(this, 'int32');
  },
  bool() {
    return to(this, 'bool');
  },
  clone() {
    return clone(this);
  },
  contiguous() {
    return contiguous(this);
  },
  detach() {
    return detach(this);
  },
  view(...s) {
    return view(this, sizes(s));
  },
  reshape(...s) {
    return reshape(this, sizes(s));
  },
  flatten(a, b) {
    return flatten(this, a, b);
  },
  unflatten(d, s) {
    return unflatten(this, d, s);
  },
  permute(...d) {
    return permute(this, sizes(d));
  },
  transpose(a, b) {
    return transpose(this, a, b);
  },
  t() {
    return t(this);
  },
  expand(...s) {
    return expand(this, sizes(s));
  },
  expandAs(o) {
    return expand(this, o.shape);
  },
  squeeze(d) {
    return squeeze(this, d);
  },
  unsqueeze(d) {
    return unsqueeze(this, d);
  },
  narrow(d, s, l) {
    return narrow(this, d, s, l);
  },
  select(d, i) {
    return select(this, d, i);
  },
  slice(d, s, e, st) {
    return slice(this, d, s, e, st);
  },
  split(s, d) {
    return split(this, s, d);
  },
  chunk(c, d) {
    return chunk(this, c, d);
  },
  unbind(d) {
    return unbind(this, d);
  },
  add(o, alpha) {
    return add(this, o, alpha);
  },
  sub(o, alpha) {
    return sub(this, o, alpha);
  },
  mul(o) {
    return mul(this, o);
  },
  div(o) {
    return div(this, o);
  },
  pow(e) {
    return pow(this, e);
  },
  maximum(o) {
    return maximum(this, o);
  },
  minimum(o) {
    return minimum(this, o);
  },
  eq(o) {
    return eq(this, o);
  },
  ne(o) {
    return ne(this, o);
  },
  lt(o) {
    return lt(this, o);
  },
  le(o) {
    return le(this, o);
  },
  gt(o) {
    return gt(this, o);
  },
  ge(o) {
    return ge(this, o);
  },
  logicalAnd(o) {
    return logicalAnd(this, o);
  },
  logicalOr(o) {
    return logicalOr(this, o);
  },
  logicalNot() {
    return logicalNot(this);
  },
  neg() {
    return neg(this);
  },
  abs() {
    return abs(this);
  },
  sign() {
    return sign(this);
  },
  exp() {
    return exp(this);
  },
  log() {
    return log(this);
  },
  log1p() {
    return log1p(this);
  },
  expm1() {
    return expm1(this);
  },
  sqrt() {
    return sqrt(this);
  },
  rsqrt() {
    return rsqrt(this);
  },
  reciprocal() {
    return reciprocal(this);
  },
  square() {
    return square(this);
  },
  sin() {
    return sin(this);
  },
  cos() {
    return cos(this);
  },
  sigmoid() {
    return sigmoid2(this);
  },
  tanh() {
    return tanh(this);
  },
  relu() {
    return relu(this);
  },
  clamp(lo, hi) {
    return clamp2(this, lo, hi);
  },
  sum(o) {
    return sum(this, o);
  },
  mean(o) {
    return mean(this, o);
  },
  prod(o) {
    return prod(this, o);
  },
  max(o) {
    return o === void 0 ? max(this) : max(this, o);
  },
  min(o) {
    return o === void 0 ? min(this) : min(this, o);
  },
  argmax(o) {
    return argmax(this, o);
  },
  argmin(o) {
    return argmin(this, o);
  },
  var(o) {
    return variance(this, o);
  },
  std(o) {
    return std(this, o);
  },
  logsumexp(o) {
    return logsumexp(this, o);
  },
  softmax(d) {
    return softmax(this, d);
  },
  logSoftmax(d) {
    return logSoftmax(this, d);
  },
  matmul(o) {
    return matmul2(this, o);
  },
  mm(o) {
    return mm(this, o);
  },
  bmm(o) {
    return bmm(this, o);
  },
  dot(o) {
    return dot(this, o);
  },
  outer(o) {
    return outer(this, o);
  },
  diag(k) {
    return diag(this, k);
  },
  diagflat(k) {
    return diagflat(this, k);
  },
  gather(d, i) {
    return gather2(this, d, i);
  },
  indexSelect(d, i) {
    return indexSelect(this, d, i);
  },
  scatterAdd(d, i, s) {
    return scatterAdd2(this, d, i, s);
  },
  add_(o, alpha) {
    return add_(this, o, alpha);
  },
  sub_(o, alpha) {
    return sub_(this, o, alpha);
  },
  mul_(o) {
    return mul_(this, o);
  },
  div_(o) {
    return div_(this, o);
  },
  clamp_(lo, hi) {
    return clamp_(this, lo, hi);
  },
  addcmul_(a, b, v) {
    return addcmul_(this, a, b, v);
  },
  addcmul(a, b, v) {
    return addcmul(this, a, b, v);
  },
  addcdiv(a, b, v) {
    return addcdiv(this, a, b, v);
  },
  addcdiv_(a, b, v) {
    return addcdiv_(this, a, b, v);
  },
  copy_(s) {
    return copy_(this, s);
  },
  fill_(v) {
    return fill_(this, v);
  },
  zero_() {
    return zero_(this);
  },
  uniform_(a, b, o) {
    return uniform_(this, a, b, o);
  },
  normal_(m, s, o) {
    return normal_(this, m, s, o);
  },
  bernoulli_(p, o) {
    return bernoulli_(this, p, o);
  },
  backward(gradient, opts) {
    runBackward([this], [gradient ?? null], opts);
  },
  retainGrad() {
    if (!this.requiresGrad) throw new Error("retainGrad: can't retain grad on a tensor that doesn't require grad");
    if (this.gradFn) this.gradFn.retained = this;
    return this;
  },
});

// src/data/transforms.ts
function markBatchable(fn) {
  return Object.assign(fn, { batchable: true });
}
var BYTE_TO_UNIT = /* @__PURE__ */ (() => {
  const t2 = new Float32Array(256);
  for (let v = 0; v < 256; v++) t2[v] = v / 255;
  return t2;
})();
var toTensor = markBatchable((img) => {
  const { data: data2, height: h, width: w } = img;
  const c = img.channels ?? 1;
  const count = img.count ?? 1;
  for (const [name, v] of [
    ['height', h],
    ['width', w],
    ['channels', c],
    ['count', count],
  ]) {
    if (!Number.isInteger(v) || v < 0) throw new RangeError(`toTensor: ${name} must be a non-negative integer (got ${v})`);
  }
  const per = h * w * c;
  if (data2.length !== per * count) {
    throw new RangeError(
      `toTensor: image data has ${data2.length} bytes, expected ${count === 1 ? '' : `${count}\xD7`}${h}\xD7${w}\xD7${c} = ${per * count}`,
    );
  }
  const out = new Float32Array(data2.length);
  if (c === 1) {
    for (let i = 0; i < data2.length; i++) out[i] = BYTE_TO_UNIT[data2[i]];
  } else {
    const hw = h * w;
    for (let b = 0; b < count; b++) {
      const o = b * per;
      for (let p = 0; p < hw; p++) for (let ch = 0; ch < c; ch++) out[o + ch * hw + p] = BYTE_TO_UNIT[data2[o + p * c + ch]];
    }
  }
  const shape = img.count === void 0 ? [c, h, w] : [count, c, h, w];
  return Tensor._fromData(out, shape, 'float32');
});

// src/io/safetensors.ts
var LITTLE_ENDIAN = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1;
var f32 = new Float32Array(1);
var u32 = new Uint32Array(f32.buffer);

// src/nn/index.ts
var nn_exports = {};
__export(nn_exports, {
  AdaptiveAvgPool2d: () => AdaptiveAvgPool2d,
  AvgPool2d: () => AvgPool2d,
  BCELoss: () => BCELoss,
  BCEWithLogitsLoss: () => BCEWithLogitsLoss,
  BatchNorm1d: () => BatchNorm1d,
  BatchNorm2d: () => BatchNorm2d,
  BatchNormBase: () => BatchNormBase,
  Conv2d: () => Conv2d,
  CrossEntropyLoss: () => CrossEntropyLoss,
  Dropout: () => Dropout,
  F: () => functional_exports,
  Flatten: () => Flatten,
  GELU: () => GELU,
  Identity: () => Identity,
  L1Loss: () => L1Loss,
  LeakyReLU: () => LeakyReLU,
  Linear: () => Linear,
  LogSoftmax: () => LogSoftmax,
  Loss: () => Loss,
  MSELoss: () => MSELoss,
  MaxPool2d: () => MaxPool2d,
  Module: () => Module,
  ModuleDict: () => ModuleDict,
  ModuleList: () => ModuleList,
  NLLLoss: () => NLLLoss,
  Parameter: () => Parameter,
  ReLU: () => ReLU,
  Sequential: () => Sequential,
  Sigmoid: () => Sigmoid,
  Softmax: () => Softmax,
  Tanh: () => Tanh,
  init: () => init_exports,
});

// src/ops/gelu.ts
var erx = 0.8450629115104675;
var efx = 0.1283791670955126;
var efx8 = 1.0270333367641007;
var pp = [0.12837916709551256, -0.3250421072470015, -0.02848174957559851, -0.005770270296489442, -23763016656650163e-21];
var qq = [0.39791722395915535, 0.0650222499887673, 0.005081306281875766, 13249473800432164e-20, -3960228278775368e-21];
var pa = [
  -0.0023621185607526594, 0.41485611868374833, -0.3722078760357013, 0.31834661990116175, -0.11089469428239668, 0.035478304325618236,
  -0.002166375594868791,
];
var qa = [0.10642088040084423, 0.540397917702171, 0.07182865441419627, 0.12617121980876164, 0.01363708391202905, 0.011984499846799107];
var ra = [
  -0.009864944034847148, -0.6938585727071818, -10.558626225323291, -62.375332450326006, -162.39666946257347, -184.60509290671104,
  -81.2874355063066, -9.814329344169145,
];
var sa = [
  19.651271667439257, 137.65775414351904, 434.56587747522923, 645.3872717332679, 429.00814002756783, 108.63500554177944, 6.570249770319282,
  -0.0604244152148581,
];
var rb = [
  -0.0098649429247001, -0.799283237680523, -17.757954917754752, -160.63638485582192, -637.5664433683896, -1025.0951316110772,
  -483.5191916086514,
];
var sb = [
  30.33806074348246, 325.7925129965739, 1536.729586084437, 3199.8582195085955, 2553.0504064331644, 474.52854120695537, -22.44095244658582,
];
var f642 = new Float64Array(1);
var u322 = new Uint32Array(f642.buffer);
function clearLow(x2) {
  f642[0] = x2;
  u322[0] = 0;
  return f642[0];
}
function erf(x2) {
  if (Number.isNaN(x2)) return x2;
  if (x2 === Infinity) return 1;
  if (x2 === -Infinity) return -1;
  const ax = Math.abs(x2);
  if (ax < 0.84375) {
    if (ax < 2 ** -28) return ax < 2 ** -1022 ? 0.125 * (8 * x2 + efx8 * x2) : x2 + efx * x2;
    const z2 = x2 * x2;
    const r2 = pp[0] + z2 * (pp[1] + z2 * (pp[2] + z2 * (pp[3] + z2 * pp[4])));
    const s2 = 1 + z2 * (qq[0] + z2 * (qq[1] + z2 * (qq[2] + z2 * (qq[3] + z2 * qq[4]))));
    return x2 + x2 * (r2 / s2);
  }
  if (ax < 1.25) {
    const s2 = ax - 1;
    const P = pa[0] + s2 * (pa[1] + s2 * (pa[2] + s2 * (pa[3] + s2 * (pa[4] + s2 * (pa[5] + s2 * pa[6])))));
    const Q = 1 + s2 * (qa[0] + s2 * (qa[1] + s2 * (qa[2] + s2 * (qa[3] + s2 * (qa[4] + s2 * qa[5])))));
    return x2 >= 0 ? erx + P / Q : -erx - P / Q;
  }
  if (ax >= 6) return x2 >= 0 ? 1 - 1e-300 : 1e-300 - 1;
  const s = 1 / (ax * ax);
  let R;
  let S;
  if (ax < 1 / 0.35) {
    R = ra[0] + s * (ra[1] + s * (ra[2] + s * (ra[3] + s * (ra[4] + s * (ra[5] + s * (ra[6] + s * ra[7]))))));
    S = 1 + s * (sa[0] + s * (sa[1] + s * (sa[2] + s * (sa[3] + s * (sa[4] + s * (sa[5] + s * (sa[6] + s * sa[7])))))));
  } else {
    R = rb[0] + s * (rb[1] + s * (rb[2] + s * (rb[3] + s * (rb[4] + s * (rb[5] + s * rb[6])))));
    S = 1 + s * (sb[0] + s * (sb[1] + s * (sb[2] + s * (sb[3] + s * (sb[4] + s * (sb[5] + s * sb[6]))))));
  }
  const z = clearLow(ax);
  const r = Math.exp(-z * z - 0.5625) * Math.exp((z - ax) * (z + ax) + R / S);
  return x2 >= 0 ? 1 - r / ax : r / ax - 1;
}
var SQRT1_2 = Math.SQRT1_2;
var K_ALPHA = (2 / Math.sqrt(Math.PI)) * Math.SQRT1_2 * 0.5;
var K_BETA = Math.SQRT2 * (2 / Math.sqrt(Math.PI)) * 0.5;
var K_KAPPA = 0.044715;
function geluValue(x2, tanhForm) {
  if (tanhForm) return 0.5 * x2 * (1 + Math.tanh(K_BETA * (x2 + K_KAPPA * x2 * x2 * x2)));
  return x2 * 0.5 * (1 + erf(x2 * SQRT1_2));
}
function geluDerivative(x2, tanhForm) {
  if (tanhForm) {
    const xSq = x2 * x2;
    const inner = K_BETA * (x2 + K_KAPPA * xSq * x2);
    const th = Math.tanh(inner);
    const left = 0.5 * x2;
    const right = 1 + th;
    return 0.5 * right + left * (1 - th * th) * K_BETA * (1 + 3 * K_KAPPA * xSq);
  }
  const cdf = 0.5 * (1 + erf(x2 * SQRT1_2));
  const pdf = Math.exp(-0.5 * x2 * x2) * K_ALPHA;
  return cdf + x2 * pdf;
}
function mapValues(x2, f) {
  const src = contiguous(x2);
  const out = Tensor._empty(x2.shape, x2.dtype);
  const a = src.storage.data;
  const o = out.storage.data;
  const off = src.offset;
  for (let i = 0; i < o.length; i++) o[i] = f(a[off + i]);
  return out;
}
function gelu(x2, approximate = 'none') {
  if (approximate !== 'none' && approximate !== 'tanh') {
    throw new RangeError(`gelu: approximate must be 'none' or 'tanh' (got '${approximate}')`);
  }
  const tanhForm = approximate === 'tanh';
  const xf = isFloating(x2.dtype) ? x2 : to(x2, defaultFloatDType);
  const out = mapValues(xf, (v) => geluValue(v, tanhForm));
  return record(
    out,
    'GeluBackward0',
    [xf],
    (g) => [
      mul(
        g,
        mapValues(xf, (v) => geluDerivative(v, tanhForm)),
      ),
    ],
    [xf],
  );
}

// src/nn/functional/activation.ts
function leakyRelu(x2, negativeSlope = 0.01) {
  const xf = isFloating(x2.dtype) ? x2 : to(x2, defaultFloatDType);
  const src = contiguous(xf);
  const out = Tensor._empty(xf.shape, xf.dtype);
  const a = src.storage.data;
  const o = out.storage.data;
  const off = src.offset;
  const slope = xf.dtype === 'float32' ? Math.fround(negativeSlope) : negativeSlope;
  for (let i = 0; i < o.length; i++) {
    const v = a[off + i];
    o[i] = v > 0 ? v : v * slope;
  }
  return record(
    out,
    'LeakyReluBackward0',
    [xf],
    (g) => {
      const gs = contiguous(g);
      const gx = Tensor._empty(xf.shape, g.dtype);
      const gd = gs.storage.data;
      const goff = gs.offset;
      const xd = contiguous(xf);
      const xa = xd.storage.data;
      const xoff = xd.offset;
      const r = gx.storage.data;
      for (let i = 0; i < r.length; i++) r[i] = xa[xoff + i] > 0 ? gd[goff + i] : gd[goff + i] * slope;
      return [gx];
    },
    [xf],
  );
}
function implicitSoftmaxDim(ndim) {
  return ndim === 0 || ndim === 1 || ndim === 3 ? 0 : 1;
}

// src/nn/parameter.ts
var Parameter = class extends Tensor {
  constructor(data2, requiresGrad = true) {
    super(data2.storage, data2.shape, data2.strides, data2.offset, data2.dtype);
    this.requiresGrad_(requiresGrad);
  }
  /** PyTorch's repr: `Parameter containing:\ntensor([...], requires_grad=True)`. */
  toString() {
    const body = formatTensor({
      shape: this.shape,
      dtype: this.dtype,
      data: this.data,
      requiresGrad: this.requiresGrad,
      gradFn: null,
    });
    return `Parameter containing:
${body}`;
  }
};

// src/nn/repr.ts
function pyFloat(x2) {
  if (Number.isNaN(x2)) return 'nan';
  if (x2 === Infinity) return 'inf';
  if (x2 === -Infinity) return '-inf';
  if (x2 === 0) return Object.is(x2, -0) ? '-0.0' : '0.0';
  const [mant, expStr] = x2.toExponential().split('e');
  const exp2 = Number(expStr);
  const neg2 = mant.startsWith('-');
  const digits = mant.replace('-', '').replace('.', '');
  let body;
  if (exp2 >= -5 + 1 && exp2 < 16) {
    if (exp2 < 0) body = `0.${'0'.repeat(-exp2 - 1)}${digits}`;
    else if (digits.length <= exp2 + 1) body = `${digits}${'0'.repeat(exp2 + 1 - digits.length)}.0`;
    else body = `${digits.slice(0, exp2 + 1)}.${digits.slice(exp2 + 1)}`;
  } else {
    const m = digits.length === 1 ? digits : `${digits[0]}.${digits.slice(1)}`;
    const e = Math.abs(exp2);
    body = `${m}e${exp2 < 0 ? '-' : '+'}${e < 10 ? `0${e}` : e}`;
  }
  return neg2 ? `-${body}` : body;
}
function pyRepr(v, opts = {}) {
  if (v === null || v === void 0) return 'None';
  if (typeof v === 'boolean') return v ? 'True' : 'False';
  if (typeof v === 'number') return opts.float ? pyFloat(v) : Number.isInteger(v) ? String(v) : pyFloat(v);
  if (typeof v === 'string') return opts.quote ? `'${v}'` : v;
  if (Array.isArray(v)) {
    const items = v.map((x2) => pyRepr(x2, opts));
    return items.length === 1 ? `(${items[0]},)` : `(${items.join(', ')})`;
  }
  return String(v);
}
function addIndent(s, n) {
  const lines = s.split('\n');
  if (lines.length === 1) return s;
  const pad = ' '.repeat(n);
  return [lines[0], ...lines.slice(1).map((l) => pad + l)].join('\n');
}

// src/nn/module.ts
var nextHookId = 0;
var snakeToCamel = (s) => s.replace(/_([a-z0-9])/g, (_, c) => c.toUpperCase());
function checkName(kind, owner, name) {
  if (typeof name !== 'string' || name.length === 0) throw new TypeError(`register${kind}: name must be a non-empty string`);
  if (name.includes('.')) throw new RangeError(`register${kind}: name can't contain "." (got "${name}")`);
  if (name.startsWith('_')) throw new RangeError(`register${kind}: names starting with "_" are reserved (got "${name}")`);
  if (name === 'training') throw new RangeError(`register${kind}: "training" is reserved`);
  const current2 = owner[name];
  if (name in owner && !owner._isRegistered(name) && current2 !== void 0 && current2 !== null) {
    throw new RangeError(`register${kind}: attribute "${name}" already exists on ${owner._getName()}`);
  }
}
var Module = class _Module {
  /** Training mode (dropout active, batch norm uses batch statistics); see `train()`/`eval()`. */
  training = true;
  /** @internal names of parameters, in registration order. */
  _parameterNames = /* @__PURE__ */ new Set();
  /** @internal names of buffers → persistent (included in stateDict). */
  _bufferNames = /* @__PURE__ */ new Map();
  /** @internal names of submodules, in registration order. */
  _moduleNames = /* @__PURE__ */ new Set();
  /** @internal */
  _forwardPreHooks = /* @__PURE__ */ new Map();
  /** @internal */
  _forwardHooks = /* @__PURE__ */ new Map();
  /** The computation; subclasses override it. Call the module with `call()` instead. */
  forward(..._args) {
    throw new Error(`Module [${this._getName()}] is missing the required "forward" function`);
  }
  /** Runs forward pre-hooks, `forward`, then forward hooks (PyTorch's `module(...)`). */
  call(...args) {
    let a = args;
    for (const hook of [...this._forwardPreHooks.values()]) {
      const r = hook(this, a);
      if (r !== void 0) a = Array.isArray(r) ? r : [r];
    }
    let out = this.forward(...a);
    for (const hook of [...this._forwardHooks.values()]) {
      const r = hook(this, a, out);
      if (r !== void 0) out = r;
    }
    return out;
  }
  /** Registers a hook run before `forward(...args)`; it may return new args. */
  registerForwardPreHook(hook) {
    return this._addHook(this._forwardPreHooks, hook);
  }
  /** Registers a hook run after `forward` as `hook(module, args, output)`; it may return a new output. */
  registerForwardHook(hook) {
    return this._addHook(this._forwardHooks, hook);
  }
  _addHook(map, hook) {
    const id = nextHookId++;
    map.set(id, hook);
    return { id, remove: () => void map.delete(id) };
  }
  // ---------------------------------------------------------------- registration
  /** @internal registers fields assigned since the last look, in property order. */
  _sync() {
    for (const key of Object.keys(this)) {
      if (key.startsWith('_') || key === 'training') continue;
      if (this._isRegistered(key)) continue;
      const v = this[key];
      if (v instanceof Parameter) this._parameterNames.add(key);
      else if (v instanceof _Module) this._moduleNames.add(key);
    }
  }
  /** @internal */
  _isRegistered(name) {
    return this._parameterNames.has(name) || this._moduleNames.has(name) || this._bufferNames.has(name);
  }
  /** @internal the class name PyTorch prints (`Linear`, `Sequential`, …). */
  _getName() {
    return this.constructor.name;
  }
  _get(name) {
    return this[name];
  }
  _set(name, value) {
    this[name] = value;
  }
  /** Adds a parameter (or `null`, a declared but absent one, like `bias=False`). */
  registerParameter(name, param) {
    this._sync();
    checkName('Parameter', this, name);
    if (param !== null && !(param instanceof Parameter)) {
      throw new TypeError(`registerParameter: "${name}" must be a Parameter or null (wrap a tensor: new nn.Parameter(t))`);
    }
    if (this._moduleNames.has(name) || this._bufferNames.has(name)) {
      throw new RangeError(`registerParameter: "${name}" is already registered as a ${this._moduleNames.has(name) ? 'module' : 'buffer'}`);
    }
    this._parameterNames.add(name);
    this._set(name, param);
  }
  /**
   * Adds a buffer: state that is not a parameter (running statistics). Persistent buffers are
   * part of `stateDict()`.
   */
  registerBuffer(name, tensor2, opts = {}) {
    this._sync();
    checkName('Buffer', this, name);
    if (tensor2 !== null && !(tensor2 instanceof Tensor)) throw new TypeError(`registerBuffer: "${name}" must be a Tensor or null`);
    if (this._parameterNames.has(name) || this._moduleNames.has(name)) {
      throw new RangeError(`registerBuffer: "${name}" is already registered as a ${this._moduleNames.has(name) ? 'module' : 'parameter'}`);
    }
    this._bufferNames.set(name, opts.persistent ?? true);
    this._set(name, tensor2);
  }
  /** Adds a submodule under `name` (any string without "."; Sequential uses "0", "1", …). */
  registerModule(name, module) {
    this._sync();
    checkName('Module', this, name);
    if (module !== null && !(module instanceof _Module)) throw new TypeError(`registerModule: "${name}" must be a Module or null`);
    if (this._parameterNames.has(name) || this._bufferNames.has(name)) {
      throw new RangeError(
        `registerModule: "${name}" is already registered as a ${this._parameterNames.has(name) ? 'parameter' : 'buffer'}`,
      );
    }
    this._moduleNames.add(name);
    this._set(name, module);
  }
  /** Alias of `registerModule` (PyTorch's `add_module`). */
  addModule(name, module) {
    this.registerModule(name, module);
  }
  /** @internal own (non-recursive) parameters in order, skipping nulls. */
  _ownParameters() {
    this._sync();
    const out = [];
    for (const name of this._parameterNames) {
      const v = this._get(name);
      if (v === null || v === void 0) continue;
      if (!(v instanceof Parameter)) {
        throw new TypeError(
          `${this._getName()}: "${name}" is registered as a parameter but holds ${v instanceof Tensor ? 'a plain Tensor' : typeof v}; assign new nn.Parameter(t) (or null)`,
        );
      }
      out.push([name, v]);
    }
    return out;
  }
  /** @internal own buffers in order, skipping nulls. */
  _ownBuffers() {
    this._sync();
    const out = [];
    for (const [name, persistent] of this._bufferNames) {
      const v = this._get(name);
      if (v === null || v === void 0) continue;
      if (!(v instanceof Tensor)) throw new TypeError(`${this._getName()}: buffer "${name}" holds ${typeof v}, not a Tensor`);
      out.push([name, v, persistent]);
    }
    return out;
  }
  // ---------------------------------------------------------------- traversal
  /** @internal every registered child slot in order (no deduplication, skipping nulls). */
  _childSlots() {
    this._sync();
    const out = [];
    for (const name of this._moduleNames) {
      const m = this._get(name);
      if (m instanceof _Module) out.push([name, m]);
    }
    return out;
  }
  /** Direct submodules with their names (skipping `null` slots). */
  *namedChildren() {
    this._sync();
    const seen = /* @__PURE__ */ new Set();
    for (const name of this._moduleNames) {
      const m = this._get(name);
      if (m instanceof _Module && !seen.has(m)) {
        seen.add(m);
        yield [name, m];
      }
    }
  }
  /** Direct submodules. */
  *children() {
    for (const [, m] of this.namedChildren()) yield m;
  }
  /** This module and all submodules, depth first, each once, named by dotted path ('' for this one). */
  *namedModules(prefix = '', memo = /* @__PURE__ */ new Set()) {
    if (memo.has(this)) return;
    memo.add(this);
    yield [prefix, this];
    this._sync();
    for (const name of this._moduleNames) {
      const m = this._get(name);
      if (m instanceof _Module) yield* m.namedModules(prefix ? `${prefix}.${name}` : name, memo);
    }
  }
  /** This module and all submodules. */
  *modules() {
    for (const [, m] of this.namedModules()) yield m;
  }
  /**
   * Parameters of this module and (with `recurse`, the default) its submodules, named by dotted
   * path like PyTorch (`features.0.weight`); a parameter shared by two modules is listed once.
   */
  *namedParameters(opts = {}) {
    const seen = /* @__PURE__ */ new Set();
    const mods = opts.recurse === false ? [[opts.prefix ?? '', this]] : this.namedModules(opts.prefix ?? '');
    for (const [path, m] of mods) {
      for (const [name, p] of m._ownParameters()) {
        if (seen.has(p)) continue;
        seen.add(p);
        yield [path ? `${path}.${name}` : name, p];
      }
    }
  }
  /** All parameters (what optimizers take). */
  parameters(opts = {}) {
    return [...this.namedParameters(opts)].map(([, p]) => p);
  }
  /** Buffers of this module and its submodules, named by dotted path. */
  *namedBuffers(opts = {}) {
    const seen = /* @__PURE__ */ new Set();
    const mods = opts.recurse === false ? [[opts.prefix ?? '', this]] : this.namedModules(opts.prefix ?? '');
    for (const [path, m] of mods) {
      for (const [name, b] of m._ownBuffers()) {
        if (seen.has(b)) continue;
        seen.add(b);
        yield [path ? `${path}.${name}` : name, b];
      }
    }
  }
  /** All buffers. */
  buffers(opts = {}) {
    return [...this.namedBuffers(opts)].map(([, b]) => b);
  }
  /** Number of parameter elements (each shared parameter once); `trainable` counts only those requiring grad. */
  numParameters(opts = {}) {
    let n = 0;
    for (const p of this.parameters()) if (!opts.trainable || p.requiresGrad) n += p.numel;
    return n;
  }
  // ---------------------------------------------------------------- modes and utilities
  /** Sets training mode on this module and all submodules; returns this module. */
  train(mode = true) {
    if (typeof mode !== 'boolean') throw new TypeError('train: training mode is expected to be boolean');
    for (const m of this.modules()) m.training = mode;
    return this;
  }
  /** Evaluation mode: `train(false)`. */
  eval() {
    return this.train(false);
  }
  /** Calls `fn` on every submodule (children first, then this module), like PyTorch's `apply`. */
  apply(fn) {
    for (const m of this.children()) m.apply(fn);
    fn(this);
    return this;
  }
  /** Turns gradient recording on or off for every parameter; returns this module. */
  requiresGrad_(on = true) {
    for (const p of this.parameters()) p.requiresGrad_(on);
    return this;
  }
  /** Clears parameter gradients: sets them to null (default) or zeroes them in place. */
  zeroGrad(opts = {}) {
    const setToNone = opts.setToNone ?? true;
    for (const p of this.parameters()) {
      if (p.grad === null) continue;
      if (setToNone) p.grad = null;
      else {
        const g = p.grad.isLeaf ? p.grad : detach(p.grad);
        g.requiresGrad_(false);
        noGrad(() => g.zero_());
        p.grad = g;
      }
    }
  }
  /**
   * Converts floating-point parameters and buffers to `dtype` (PyTorch's `module.to(dtype)`).
   * Parameters are replaced by new Parameter objects, so build optimizers afterwards.
   */
  to(dtype) {
    if (dtype !== 'float32' && dtype !== 'float64')
      throw new TypeError(`to: nn.Module.to only accepts floating point dtypes, but got ${dtype}`);
    for (const m of this.modules()) {
      for (const [name, p] of m._ownParameters()) {
        if (p.dtype === dtype || (p.dtype !== 'float32' && p.dtype !== 'float64')) continue;
        const q = new Parameter(
          noGrad(() => to(detach(p), dtype)),
          p.requiresGrad,
        );
        if (p.grad) q.grad = noGrad(() => to(detach(p.grad), dtype));
        m._set(name, q);
      }
      for (const [name, b] of m._ownBuffers()) {
        if (b.dtype === dtype || (b.dtype !== 'float32' && b.dtype !== 'float64')) continue;
        m._set(
          name,
          noGrad(() => to(detach(b), dtype)),
        );
      }
    }
    return this;
  }
  /** `to('float64')`. */
  double() {
    return this.to('float64');
  }
  /** `to('float32')`. */
  float() {
    return this.to('float32');
  }
  // ---------------------------------------------------------------- state dict
  /**
   * Parameters and persistent buffers by dotted name, in PyTorch's order (each module's
   * parameters, then its buffers, then its submodules). The tensors are detached and share
   * memory with the module.
   */
  stateDict(opts = {}) {
    const out = {};
    const visit = (m, prefix) => {
      for (const [name, p] of m._ownParameters()) out[prefix + name] = detach(p);
      for (const [name, b, persistent] of m._ownBuffers()) if (persistent) out[prefix + name] = detach(b);
      m._sync();
      for (const name of m._moduleNames) {
        const c = m._get(name);
        if (c instanceof _Module) visit(c, `${prefix}${name}.`);
      }
    };
    visit(this, opts.prefix ?? '');
    return out;
  }
  /**
   * Copies tensors from `stateDict` into this module's parameters and buffers (under noGrad).
   * With `strict` (default) the keys must match exactly; a shape mismatch is always an error.
   * Keys in PyTorch's snake_case (`bn.running_mean`) load into the camelCase names.
   */
  loadStateDict(stateDict, opts = {}) {
    const strict = opts.strict ?? true;
    const incoming = new Map(stateDict instanceof Map ? stateDict : Object.entries(stateDict));
    const own = /* @__PURE__ */ new Map();
    const visit = (m, prefix) => {
      for (const [name, p] of m._ownParameters()) own.set(prefix + name, { module: m, name, tensor: p });
      for (const [name, b, persistent] of m._ownBuffers()) if (persistent) own.set(prefix + name, { module: m, name, tensor: b });
      m._sync();
      for (const name of m._moduleNames) {
        const c = m._get(name);
        if (c instanceof _Module) visit(c, `${prefix}${name}.`);
      }
    };
    visit(this, '');
    for (const key of [...incoming.keys()]) {
      if (own.has(key)) continue;
      const dot2 = key.lastIndexOf('.');
      const alias = key.slice(0, dot2 + 1) + snakeToCamel(key.slice(dot2 + 1));
      if (alias !== key && own.has(alias) && !incoming.has(alias)) {
        incoming.set(alias, incoming.get(key));
        incoming.delete(key);
      }
    }
    const missingKeys = [...own.keys()].filter((k) => !incoming.has(k));
    const unexpectedKeys = [...incoming.keys()].filter((k) => !own.has(k));
    const errors = [];
    for (const [key, { tensor: tensor2 }] of own) {
      const src = incoming.get(key);
      if (src === void 0) continue;
      if (!(src instanceof Tensor)) {
        errors.push(`While copying the parameter named "${key}", expected a Tensor but got ${typeof src}.`);
      } else if (!sameShape(src.shape, tensor2.shape)) {
        errors.push(
          `size mismatch for ${key}: copying a param with shape ${shapeStr(src.shape)} from checkpoint, the shape in current model is ${shapeStr(tensor2.shape)}.`,
        );
      }
    }
    if (strict) {
      if (unexpectedKeys.length > 0) errors.unshift(`Unexpected key(s) in state_dict: ${unexpectedKeys.map((k) => `"${k}"`).join(', ')}.`);
      if (missingKeys.length > 0) errors.unshift(`Missing key(s) in state_dict: ${missingKeys.map((k) => `"${k}"`).join(', ')}.`);
    }
    if (errors.length > 0) {
      throw new Error(`Error(s) in loading state_dict for ${this._getName()}:
	${errors.join('\n	')}`);
    }
    noGrad(() => {
      for (const [key, { tensor: tensor2 }] of own) {
        const src = incoming.get(key);
        if (src !== void 0 && src !== tensor2) tensor2.copy_(src);
      }
    });
    return { missingKeys, unexpectedKeys };
  }
  // ---------------------------------------------------------------- printing
  /** The one-line settings shown inside the parentheses of this module's repr (override it). */
  extraRepr() {
    return '';
  }
  /** PyTorch's module repr, e.g. `Linear(in_features=4, out_features=4, bias=True)`. */
  toString() {
    const extra = this.extraRepr();
    const extraLines = extra ? extra.split('\n') : [];
    const childLines = [];
    this._sync();
    for (const name of this._moduleNames) {
      const m = this._get(name);
      const s = m instanceof _Module ? m.toString() : 'None';
      childLines.push(`(${name}): ${addIndent(s, 2)}`);
    }
    const lines = [...extraLines, ...childLines];
    let main = `${this._getName()}(`;
    if (lines.length > 0) {
      if (extraLines.length === 1 && childLines.length === 0) main += extraLines[0];
      else
        main += `
  ${lines.join('\n  ')}
`;
    }
    return `${main})`;
  }
  /** `console.log(module)` in Node prints the PyTorch-style repr. */
  [/* @__PURE__ */ Symbol.for('nodejs.util.inspect.custom')]() {
    return this.toString();
  }
};

// src/nn/activation.ts
var ReLU = class extends Module {
  inplace;
  constructor(opts = {}) {
    super();
    this.inplace = opts.inplace ?? false;
  }
  forward(input) {
    return relu(input);
  }
  extraRepr() {
    return this.inplace ? 'inplace=True' : '';
  }
};
var LeakyReLU = class extends Module {
  negativeSlope;
  inplace;
  constructor(negativeSlope = 0.01, opts = {}) {
    super();
    this.negativeSlope = negativeSlope;
    this.inplace = opts.inplace ?? false;
  }
  forward(input) {
    return leakyRelu(input, this.negativeSlope);
  }
  extraRepr() {
    return `negative_slope=${pyFloat(this.negativeSlope)}${this.inplace ? ', inplace=True' : ''}`;
  }
};
var Sigmoid = class extends Module {
  forward(input) {
    return sigmoid2(input);
  }
};
var Tanh = class extends Module {
  forward(input) {
    return tanh(input);
  }
};
var GELU = class extends Module {
  approximate;
  constructor(opts = {}) {
    super();
    const a = opts.approximate ?? 'none';
    if (a !== 'none' && a !== 'tanh') throw new RangeError(`GELU: approximate must be 'none' or 'tanh' (got '${a}')`);
    this.approximate = a;
  }
  forward(input) {
    return gelu(input, this.approximate);
  }
  extraRepr() {
    return `approximate='${this.approximate}'`;
  }
};
var Softmax = class extends Module {
  constructor(dim = null) {
    super();
    this.dim = dim;
  }
  dim;
  forward(input) {
    return softmax(input, this.dim ?? implicitSoftmaxDim(input.ndim));
  }
  extraRepr() {
    return `dim=${this.dim ?? 'None'}`;
  }
};
var LogSoftmax = class extends Module {
  constructor(dim = null) {
    super();
    this.dim = dim;
  }
  dim;
  forward(input) {
    return logSoftmax(input, this.dim ?? implicitSoftmaxDim(input.ndim));
  }
  extraRepr() {
    return `dim=${this.dim ?? 'None'}`;
  }
};

// src/ops/batchnorm.ts
function batchNorm2(input, runningMean, runningVar, weight, bias, opts) {
  const op = 'batchNorm';
  const training = opts.training;
  const momentum = opts.momentum ?? 0.1;
  const eps = opts.eps ?? 1e-5;
  if (input.ndim < 2)
    throw new RangeError(`${op}: expected an input of shape [N, C, ...] with at least 2 dims, but got ${shapeStr(input.shape)}`);
  if (!isFloating(input.dtype)) throw new TypeError(`${op}: expected a floating-point input, but got ${input.dtype}`);
  const [batch, channels] = input.shape;
  const spatial = input.shape.slice(2).reduce((a, b2) => a * b2, 1);
  const named = [
    ['runningMean', runningMean],
    ['runningVar', runningVar],
    ['weight', weight],
    ['bias', bias],
  ];
  for (const [name, t2] of named) {
    if (t2 === null) continue;
    if (t2.numel !== channels) {
      throw new RangeError(
        `${op}: ${name} should contain ${channels} elements (one per channel of input ${shapeStr(input.shape)}), not ${t2.numel}`,
      );
    }
    if (t2.dtype !== input.dtype) throw new TypeError(`${op}: ${name} has dtype ${t2.dtype} but the input has ${input.dtype}`);
  }
  if (!training && (runningMean === null || runningVar === null)) {
    throw new Error(`${op}: runningMean and runningVar must be given in eval mode (training: false)`);
  }
  if (training && batch * spatial <= 1) {
    throw new RangeError(`${op}: expected more than 1 value per channel when training, got input of shape ${shapeStr(input.shape)}`);
  }
  const p = { batch, channels, spatial, eps, training };
  const x2 = contiguous(input);
  const w = weight === null ? null : contiguous(weight);
  const b = bias === null ? null : contiguous(bias);
  const meanArr = new Float64Array(channels);
  const varArr = new Float64Array(channels);
  if (!training) {
    meanArr.set(runningMean.data);
    varArr.set(runningVar.data);
  }
  const out = Tensor._empty(x2.shape, x2.dtype);
  const raw = (t2) => (t2 === null ? null : t2.storage.data.subarray(t2.offset));
  backend().batchNorm(x2.storage.data.subarray(x2.offset), out.storage.data, meanArr, varArr, raw(w), raw(b), p);
  if (training) {
    const n = batch * spatial;
    const update = (running, stat, factor) => {
      if (running === null) return;
      const cur = running.data;
      const next = Tensor._empty(running.shape, running.dtype);
      const d = next.storage.data;
      for (let c = 0; c < channels; c++) d[c] = momentum * stat[c] * factor + (1 - momentum) * cur[c];
      noGrad(() => copy_(running, next));
    };
    update(runningMean, meanArr, 1);
    update(runningVar, varArr, n / (n - 1));
  }
  return record(
    out,
    'NativeBatchNormBackward0',
    [x2, w, b],
    (g) => {
      const gc = contiguous(g);
      const need = [x2.requiresGrad, w?.requiresGrad ?? false, b?.requiresGrad ?? false];
      let gi;
      let gw;
      let gb;
      if (isGradEnabled()) {
        [gi, gw, gb] = composedBackward(x2, w, gc, meanArr, varArr, p, need);
      } else {
        gi = need[0] ? Tensor._empty(x2.shape, x2.dtype) : null;
        gw = need[1] ? Tensor._empty([channels], x2.dtype) : null;
        gb = need[2] ? Tensor._empty([channels], x2.dtype) : null;
        backend().batchNormBackward(
          x2.storage.data.subarray(x2.offset),
          gc.storage.data.subarray(gc.offset),
          meanArr,
          varArr,
          raw(w),
          raw(gi),
          raw(gw),
          raw(gb),
          p,
        );
      }
      return [gi, gw === null ? null : reshape(gw, w.shape), gb === null ? null : reshape(gb, b.shape)];
    },
    [x2, ...(w === null ? [] : [w])],
  );
}
function composedBackward(x2, w, g, meanArr, varArr, p, need) {
  const dims = [0, ...Array.from({ length: x2.ndim - 2 }, (_, i) => i + 2)];
  const perChannel = [1, p.channels, ...Array.from({ length: x2.ndim - 2 }, () => 1)];
  const channelTensor = (arr) =>
    reshape(Tensor._fromData(x2.dtype === 'float32' ? Float32Array.from(arr) : Float64Array.from(arr), [p.channels], x2.dtype), perChannel);
  let xhat;
  let invstd;
  if (p.training) {
    const centered2 = sub(x2, mean(x2, { dim: dims, keepdim: true }));
    invstd = rsqrt(add(mean(mul(centered2, centered2), { dim: dims, keepdim: true }), p.eps));
    xhat = mul(centered2, invstd);
  } else {
    invstd = channelTensor(varArr.map((v) => 1 / Math.sqrt(v + p.eps)));
    xhat = mul(sub(x2, channelTensor(meanArr)), invstd);
  }
  const scale = w === null ? invstd : mul(reshape(w, perChannel), invstd);
  let gi = null;
  if (need[0]) {
    gi = p.training
      ? mul(scale, sub(sub(g, mean(g, { dim: dims, keepdim: true })), mul(xhat, mean(mul(g, xhat), { dim: dims, keepdim: true }))))
      : mul(g, scale);
  }
  const gw = need[1] ? sum(mul(g, xhat), { dim: dims }) : null;
  const gb = need[2] ? sum(g, { dim: dims }) : null;
  return [gi, gw, gb];
}

// src/nn/batchnorm.ts
var BatchNormBase = class extends Module {
  numFeatures;
  eps;
  momentum;
  affine;
  trackRunningStats;
  weight;
  bias;
  runningMean;
  runningVar;
  numBatchesTracked;
  constructor(numFeatures, opts = {}) {
    super();
    if (!Number.isInteger(numFeatures) || numFeatures <= 0) {
      throw new RangeError(`${this._getName()}: numFeatures must be a positive integer (got ${numFeatures})`);
    }
    this.numFeatures = numFeatures;
    this.eps = opts.eps ?? 1e-5;
    this.momentum = opts.momentum === void 0 ? 0.1 : opts.momentum;
    this.affine = opts.affine ?? true;
    this.trackRunningStats = opts.trackRunningStats ?? true;
    const dtype = opts.dtype ?? 'float32';
    this.weight = null;
    this.bias = null;
    if (this.affine) {
      this.weight = new Parameter(ones([numFeatures], { dtype }));
      this.bias = new Parameter(zeros([numFeatures], { dtype }));
    } else {
      this.registerParameter('weight', null);
      this.registerParameter('bias', null);
    }
    this.runningMean = null;
    this.runningVar = null;
    this.numBatchesTracked = null;
    if (this.trackRunningStats) {
      this.registerBuffer('runningMean', zeros([numFeatures], { dtype }));
      this.registerBuffer('runningVar', ones([numFeatures], { dtype }));
      this.registerBuffer('numBatchesTracked', zeros([], { dtype: 'int32' }));
    } else {
      this.registerBuffer('runningMean', null);
      this.registerBuffer('runningVar', null);
      this.registerBuffer('numBatchesTracked', null);
    }
  }
  /** Zeroes the running mean and batch count and sets the running variance to 1. */
  resetRunningStats() {
    if (!this.trackRunningStats) return;
    noGrad(() => {
      this.runningMean?.zero_();
      this.runningVar?.fill_(1);
      this.numBatchesTracked?.zero_();
    });
  }
  /** Running stats reset, weight 1, bias 0 (PyTorch's reset_parameters). */
  resetParameters() {
    this.resetRunningStats();
    noGrad(() => {
      this.weight?.fill_(1);
      this.bias?.zero_();
    });
  }
  forward(input) {
    this.checkInputDim(input);
    if (input.shape[1] !== this.numFeatures) {
      throw new RangeError(
        `${this._getName()}: expected ${this.numFeatures} channels in dim 1, got input of shape [${input.shape.join(', ')}]`,
      );
    }
    let factor = this.momentum ?? 0;
    if (this.training && this.trackRunningStats && this.numBatchesTracked !== null) {
      const nbt = this.numBatchesTracked;
      noGrad(() => nbt.add_(1));
      factor = this.momentum === null ? 1 / nbt.item() : this.momentum;
    }
    const bnTraining = this.training ? true : this.runningMean === null && this.runningVar === null;
    const useStats = !this.training || this.trackRunningStats;
    return batchNorm2(input, useStats ? this.runningMean : null, useStats ? this.runningVar : null, this.weight, this.bias, {
      training: bnTraining,
      momentum: factor,
      eps: this.eps,
    });
  }
  extraRepr() {
    const m = this.momentum === null ? 'None' : pyFloat(this.momentum);
    const b = (v) => (v ? 'True' : 'False');
    return `${this.numFeatures}, eps=${pyFloat(this.eps)}, momentum=${m}, affine=${b(this.affine)}, track_running_stats=${b(this.trackRunningStats)}`;
  }
};
var BatchNorm1d = class extends BatchNormBase {
  checkInputDim(input) {
    if (input.ndim !== 2 && input.ndim !== 3) throw new RangeError(`BatchNorm1d: expected 2D or 3D input (got ${input.ndim}D input)`);
  }
};
var BatchNorm2d = class extends BatchNormBase {
  checkInputDim(input) {
    if (input.ndim !== 4) throw new RangeError(`BatchNorm2d: expected 4D input (got ${input.ndim}D input)`);
  }
};

// src/nn/container.ts
function checkIndex3(op, i, n) {
  if (!Number.isInteger(i) || i < -n || i >= n) throw new RangeError(`${op}: index ${i} is out of range for ${n} modules`);
  return i < 0 ? i + n : i;
}
var Sequential = class _Sequential extends Module {
  constructor(...modules) {
    super();
    const first = modules[0];
    if (modules.length === 1 && !(first instanceof Module)) {
      const entries = first instanceof Map ? [...first.entries()] : Object.entries(first);
      for (const [name, m] of entries) this.registerModule(name, m);
    } else {
      modules.forEach((m, i) => {
        if (!(m instanceof Module)) throw new TypeError(`Sequential: argument ${i} is not a Module`);
        this.registerModule(String(i), m);
      });
    }
  }
  /** @internal the child modules in order. */
  _list() {
    return this._childSlots().map(([, m]) => m);
  }
  /** Number of modules. */
  get length() {
    return this._list().length;
  }
  /** The module at position `i` (negative counts from the end). */
  get(i) {
    const list = this._list();
    return list[checkIndex3('Sequential.get', i, list.length)];
  }
  /** A new Sequential of modules `start` ≤ i < `end`, keeping their names (like `seq[a:b]`). */
  slice(start = 0, end) {
    const entries = this._childSlots().slice(start, end);
    return new _Sequential(new Map(entries));
  }
  /** Appends a module; returns this Sequential. */
  append(module) {
    this.registerModule(String(this.length), module);
    return this;
  }
  [Symbol.iterator]() {
    return this._list()[Symbol.iterator]();
  }
  forward(input) {
    let x2 = input;
    for (const m of this._list()) x2 = m.call(x2);
    return x2;
  }
};
var ModuleList = class extends Module {
  _items = [];
  constructor(modules = []) {
    super();
    for (const m of modules) this.append(m);
  }
  _reregister() {
    for (const name of [...this._moduleNames]) {
      this._moduleNames.delete(name);
      delete this[name];
    }
    for (let i = 0; i < this._items.length; i++) this.registerModule(String(i), this._items[i]);
  }
  get length() {
    return this._items.length;
  }
  /** The module at `i` (negative counts from the end). */
  get(i) {
    return this._items[checkIndex3('ModuleList.get', i, this._items.length)];
  }
  /** Replaces the module at `i`. */
  set(i, module) {
    const k = checkIndex3('ModuleList.set', i, this._items.length);
    this._items[k] = module;
    this.registerModule(String(k), module);
  }
  append(module) {
    if (!(module instanceof Module)) throw new TypeError('ModuleList.append: expected a Module');
    this._items.push(module);
    this.registerModule(String(this._items.length - 1), module);
    return this;
  }
  /** PyTorch's spelling is `append`; `push` reads like JS. */
  push(...modules) {
    for (const m of modules) this.append(m);
    return this.length;
  }
  extend(modules) {
    for (const m of modules) this.append(m);
    return this;
  }
  /** Inserts before position `index`. */
  insert(index, module) {
    const n = this._items.length;
    const k = index < 0 ? Math.max(0, index + n) : Math.min(index, n);
    this._items.splice(k, 0, module);
    this._reregister();
  }
  /** Removes and returns the module at `i` (default: the last). */
  pop(i = -1) {
    const k = checkIndex3('ModuleList.pop', i, this._items.length);
    const [m] = this._items.splice(k, 1);
    this._reregister();
    return m;
  }
  [Symbol.iterator]() {
    return this._items[Symbol.iterator]();
  }
  map(fn) {
    return this._items.map(fn);
  }
};
var ModuleDict = class extends Module {
  constructor(modules = {}) {
    super();
    const entries = modules instanceof Map || Symbol.iterator in modules ? [...modules] : Object.entries(modules);
    for (const [k, m] of entries) this.set(k, m);
  }
  get size() {
    return this._moduleNames.size;
  }
  get(key) {
    return this._moduleNames.has(key) ? (this[key] ?? void 0) : void 0;
  }
  set(key, module) {
    if (!(module instanceof Module)) throw new TypeError(`ModuleDict.set: "${key}" is not a Module`);
    this.registerModule(key, module);
    return this;
  }
  has(key) {
    return this._moduleNames.has(key);
  }
  /** Removes `key`; returns the module it held. */
  delete(key) {
    const m = this.get(key);
    if (this._moduleNames.delete(key)) delete this[key];
    return m;
  }
  keys() {
    return [...this._moduleNames];
  }
  values() {
    return this.keys().map((k) => this.get(k));
  }
  entries() {
    return this.keys().map((k) => [k, this.get(k)]);
  }
  [Symbol.iterator]() {
    return this.entries()[Symbol.iterator]();
  }
};

// src/ops/conv.ts
function pair(op, name, v, min2) {
  const p = typeof v === 'number' ? [v, v] : v;
  if (!Array.isArray(p) || p.length !== 2 || !p.every((x2) => Number.isInteger(x2))) {
    throw new TypeError(`${op}: ${name} must be an integer or a pair of integers (got ${JSON.stringify(v)})`);
  }
  if (p[0] < min2 || p[1] < min2) {
    const what = min2 === 0 ? 'non-negative' : 'positive';
    throw new RangeError(`${op}: ${name} must be ${what} (got ${JSON.stringify(v)})`);
  }
  return [p[0], p[1]];
}
function conv2d2(input, weight, bias, opts = {}) {
  const b = bias ?? null;
  const unbatched = input.ndim === 3;
  const p = convParams(input, weight, b, opts);
  const x2 = contiguous(unbatched ? unsqueeze(input, 0) : input);
  const out = convForward(x2, contiguous(weight), b === null ? null : contiguous(b), p);
  return unbatched ? squeeze(out, 0) : out;
}
function convParams(input, weight, bias, opts) {
  const op = 'conv2d';
  if (input.ndim !== 3 && input.ndim !== 4) {
    throw new RangeError(`${op}: expected a 3-D (unbatched) or 4-D (batched) input, but got input of shape ${shapeStr(input.shape)}`);
  }
  if (weight.ndim !== 4) {
    throw new RangeError(
      `${op}: expected a 4-D weight [outChannels, inChannels/groups, kH, kW], but got weight of shape ${shapeStr(weight.shape)}`,
    );
  }
  if (!isFloating(input.dtype)) throw new TypeError(`${op}: expected a floating-point input, but got ${input.dtype}`);
  if (weight.dtype !== input.dtype) {
    throw new TypeError(`${op}: input (${input.dtype}) and weight (${weight.dtype}) should have the same dtype`);
  }
  if (bias !== null && bias.dtype !== input.dtype) {
    throw new TypeError(`${op}: input (${input.dtype}) and bias (${bias.dtype}) should have the same dtype`);
  }
  const groups = opts.groups ?? 1;
  if (!Number.isInteger(groups) || groups <= 0) throw new RangeError(`${op}: groups must be a positive integer (got ${groups})`);
  const [stride0, stride1] = pair(op, 'stride', opts.stride ?? 1, 1);
  const [dil0, dil1] = pair(op, 'dilation', opts.dilation ?? 1, 1);
  const [outChannels, cinG, kH, kW] = weight.shape;
  const shape4 = input.ndim === 3 ? [1, ...input.shape] : input.shape;
  const [batch, inChannels, inH, inW] = shape4;
  const inDesc = shapeStr(input.shape);
  if (outChannels % groups !== 0) {
    throw new RangeError(
      `${op}: given groups=${groups}, expected weight to be divisible by ${groups} at dimension 0, but got weight of shape ${shapeStr(weight.shape)}`,
    );
  }
  if (cinG * groups !== inChannels) {
    throw new RangeError(
      `${op}: given groups=${groups}, weight of shape ${shapeStr(weight.shape)}, expected input ${inDesc} to have ${cinG * groups} channels, but got ${inChannels} channels instead`,
    );
  }
  if (bias !== null && (bias.ndim !== 1 || bias.shape[0] !== outChannels)) {
    throw new RangeError(
      `${op}: given weight of shape ${shapeStr(weight.shape)}, expected bias to be 1-D with ${outChannels} elements, but got bias of shape ${shapeStr(bias.shape)}`,
    );
  }
  const effH = dil0 * (kH - 1) + 1;
  const effW = dil1 * (kW - 1) + 1;
  let padTop;
  let padLeft2;
  let padBottom;
  let padRight;
  const padding = opts.padding ?? 0;
  if (typeof padding === 'string') {
    if (padding === 'valid') {
      padTop = padLeft2 = padBottom = padRight = 0;
    } else if (padding === 'same') {
      if (stride0 !== 1 || stride1 !== 1) throw new RangeError(`${op}: padding='same' is not supported for strided convolutions`);
      padTop = Math.floor((effH - 1) / 2);
      padBottom = effH - 1 - padTop;
      padLeft2 = Math.floor((effW - 1) / 2);
      padRight = effW - 1 - padLeft2;
    } else {
      throw new RangeError(`${op}: invalid padding string '${padding}' (expected 'same' or 'valid')`);
    }
  } else {
    [padTop, padLeft2] = pair(op, 'padding', padding, 0);
    padBottom = padTop;
    padRight = padLeft2;
  }
  const paddedH = inH + padTop + padBottom;
  const paddedW = inW + padLeft2 + padRight;
  if (paddedH < effH || paddedW < effW) {
    throw new RangeError(
      `${op}: calculated padded input size per channel: (${paddedH} x ${paddedW}); kernel size: (${effH} x ${effW}). Kernel size can't be greater than actual input size (input ${inDesc}, weight ${shapeStr(weight.shape)})`,
    );
  }
  return {
    batch,
    inChannels,
    inH,
    inW,
    outChannels,
    kernelH: kH,
    kernelW: kW,
    outH: Math.floor((paddedH - effH) / stride0) + 1,
    outW: Math.floor((paddedW - effW) / stride1) + 1,
    strideH: stride0,
    strideW: stride1,
    padTop,
    padLeft: padLeft2,
    padBottom,
    padRight,
    dilationH: dil0,
    dilationW: dil1,
    groups,
  };
}
function convForward(x2, w, b, p) {
  const out = Tensor._empty([p.batch, p.outChannels, p.outH, p.outW], x2.dtype);
  backend().conv2d(
    x2.storage.data.subarray(x2.offset),
    w.storage.data.subarray(w.offset),
    b === null ? null : b.storage.data.subarray(b.offset),
    out.storage.data,
    p,
  );
  return record(
    out,
    'ConvolutionBackward0',
    [x2, w, b],
    (grad) => {
      const g = contiguous(grad);
      const wb = w.requiresGrad || b?.requiresGrad ? weightGrad(x2, g, p, w.requiresGrad, b?.requiresGrad ?? false) : null;
      return [x2.requiresGrad ? inputGrad(g, w, p) : null, wb?.weight ?? null, wb?.bias ?? null];
    },
    [x2, w],
  );
}
function inputGrad(g, w, p) {
  const out = Tensor._empty([p.batch, p.inChannels, p.inH, p.inW], g.dtype);
  backend().conv2dBackwardData(g.storage.data.subarray(g.offset), w.storage.data.subarray(w.offset), out.storage.data, p);
  return record(
    out,
    'ConvolutionBackwardBackward0',
    [g, w],
    (grad) => {
      const u = contiguous(grad);
      return [g.requiresGrad ? convForward(u, w, null, p) : null, w.requiresGrad ? weightGrad(u, g, p, true, false).weight : null];
    },
    [g, w],
  );
}
function weightGrad(x2, g, p, wantWeight, wantBias) {
  const kernelShape = [p.outChannels, p.inChannels / p.groups, p.kernelH, p.kernelW];
  const gw = wantWeight ? Tensor._empty(kernelShape, x2.dtype) : null;
  const gb = wantBias ? Tensor._empty([p.outChannels], x2.dtype) : null;
  backend().conv2dBackwardWeights(
    x2.storage.data.subarray(x2.offset),
    g.storage.data.subarray(g.offset),
    gw?.storage.data ?? null,
    gb?.storage.data ?? null,
    p,
  );
  const weight =
    gw === null
      ? null
      : record(
          gw,
          'ConvolutionBackwardBackward0',
          [x2, g],
          (grad) => {
            const u = contiguous(grad);
            return [x2.requiresGrad ? inputGrad(g, u, p) : null, g.requiresGrad ? convForward(x2, u, null, p) : null];
          },
          [x2, g],
        );
  const gShape = g.shape;
  const bias =
    gb === null ? null : record(gb, 'ConvolutionBackwardBackward0', [g], (grad) => [expand(reshape(grad, [1, -1, 1, 1]), gShape)]);
  return { weight, bias };
}

// src/nn/functional/linear.ts
function linear(input, weight, bias) {
  if (weight.ndim !== 2) throw new RangeError(`linear: weight must be 2-D [out_features, in_features] (got ${shapeStr(weight.shape)})`);
  const inF = weight.shape[1];
  if (input.ndim === 0 || input.shape[input.ndim - 1] !== inF) {
    throw new RangeError(
      `linear: input ${shapeStr(input.shape)} and weight ${shapeStr(weight.shape)} don't match: the input's last dim must be in_features = ${inF}`,
    );
  }
  const out = matmul2(input, t(weight));
  return bias ? add(out, bias) : out;
}

// src/nn/init.ts
var init_exports = {};
__export(init_exports, {
  calculateFanInAndFanOut: () => calculateFanInAndFanOut,
  calculateGain: () => calculateGain,
  constant_: () => constant_,
  kaimingNormal_: () => kaimingNormal_,
  kaimingUniform_: () => kaimingUniform_,
  normal_: () => normal_2,
  ones_: () => ones_,
  uniform_: () => uniform_2,
  xavierNormal_: () => xavierNormal_,
  xavierUniform_: () => xavierUniform_,
  zeros_: () => zeros_,
});
var LINEAR_FNS = /* @__PURE__ */ new Set([
  'linear',
  'conv1d',
  'conv2d',
  'conv3d',
  'conv_transpose1d',
  'conv_transpose2d',
  'conv_transpose3d',
]);
function calculateGain(nonlinearity, param) {
  const nl = nonlinearity.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`);
  if (LINEAR_FNS.has(nl) || nl === 'sigmoid') return 1;
  if (nl === 'tanh') return 5 / 3;
  if (nl === 'relu') return Math.sqrt(2);
  if (nl === 'leaky_relu') {
    let slope = 0.01;
    if (param !== void 0 && param !== null) {
      if (typeof param !== 'number' || Number.isNaN(param))
        throw new TypeError(`calculateGain: negative_slope ${param} not a valid number`);
      slope = param;
    }
    return Math.sqrt(2 / (1 + slope * slope));
  }
  if (nl === 'selu') return 3 / 4;
  throw new RangeError(`calculateGain: unsupported nonlinearity ${nonlinearity}`);
}
function calculateFanInAndFanOut(t2) {
  if (t2.ndim < 2) {
    throw new RangeError(
      `init: fan in and fan out can not be computed for tensor with fewer than 2 dimensions (got shape [${t2.shape.join(', ')}])`,
    );
  }
  let receptive = 1;
  for (let d = 2; d < t2.ndim; d++) receptive *= t2.shape[d];
  return [t2.shape[1] * receptive, t2.shape[0] * receptive];
}
function correctFan(t2, mode) {
  const m = mode === 'fanIn' ? 'fan_in' : mode === 'fanOut' ? 'fan_out' : mode;
  if (m !== 'fan_in' && m !== 'fan_out') throw new RangeError(`init: mode ${mode} not supported, please use one of fan_in, fan_out`);
  const [fanIn, fanOut] = calculateFanInAndFanOut(t2);
  return m === 'fan_in' ? fanIn : fanOut;
}
function uniform_2(t2, a = 0, b = 1, opts = {}) {
  return noGrad(() => t2.uniform_(a, b, { generator: opts.generator }));
}
function normal_2(t2, mean2 = 0, std2 = 1, opts = {}) {
  return noGrad(() => t2.normal_(mean2, std2, { generator: opts.generator }));
}
function constant_(t2, val) {
  return noGrad(() => t2.fill_(val));
}
function zeros_(t2) {
  return noGrad(() => t2.zero_());
}
function ones_(t2) {
  return noGrad(() => t2.fill_(1));
}
var gainOpts = (g) => (typeof g === 'number' ? { gain: g } : (g ?? {}));
function xavierUniform_(t2, gain, opts = {}) {
  const o = { ...gainOpts(gain), ...opts };
  const [fanIn, fanOut] = calculateFanInAndFanOut(t2);
  const std2 = (o.gain ?? 1) * Math.sqrt(2 / (fanIn + fanOut));
  const a = Math.sqrt(3) * std2;
  return uniform_2(t2, -a, a, o);
}
function xavierNormal_(t2, gain, opts = {}) {
  const o = { ...gainOpts(gain), ...opts };
  const [fanIn, fanOut] = calculateFanInAndFanOut(t2);
  const std2 = (o.gain ?? 1) * Math.sqrt(2 / (fanIn + fanOut));
  return normal_2(t2, 0, std2, o);
}
function kaimingStd(t2, o) {
  if (t2.shape.includes(0)) {
    console.warn('Initializing zero-element tensors is a no-op');
    return null;
  }
  const fan = correctFan(t2, o.mode ?? 'fan_in');
  const gain = calculateGain(o.nonlinearity ?? 'leaky_relu', o.a ?? 0);
  return gain / Math.sqrt(fan);
}
function kaimingUniform_(t2, opts = {}) {
  const std2 = kaimingStd(t2, opts);
  if (std2 === null) return t2;
  const bound = Math.sqrt(3) * std2;
  return uniform_2(t2, -bound, bound, opts);
}
function kaimingNormal_(t2, opts = {}) {
  const std2 = kaimingStd(t2, opts);
  if (std2 === null) return t2;
  return normal_2(t2, 0, std2, opts);
}

// src/nn/linear.ts
function resetLinearLike(weight, bias, generator) {
  kaimingUniform_(weight, { a: Math.sqrt(5), generator });
  if (bias !== null) {
    const [fanIn] = calculateFanInAndFanOut(weight);
    if (fanIn > 0) {
      const bound = 1 / Math.sqrt(fanIn);
      uniform_2(bias, -bound, bound, { generator });
    }
  }
}
var Linear = class extends Module {
  inFeatures;
  outFeatures;
  weight;
  bias;
  constructor(inFeatures, outFeatures, opts = {}) {
    super();
    for (const [k, v] of [
      ['inFeatures', inFeatures],
      ['outFeatures', outFeatures],
    ]) {
      if (!Number.isInteger(v) || v < 0) throw new RangeError(`Linear: ${k} must be a non-negative integer (got ${v})`);
    }
    this.inFeatures = inFeatures;
    this.outFeatures = outFeatures;
    const dtype = opts.dtype ?? 'float32';
    this.weight = new Parameter(empty([outFeatures, inFeatures], { dtype }));
    this.bias = opts.bias === false ? null : new Parameter(empty([outFeatures], { dtype }));
    if (this.bias === null) this.registerParameter('bias', null);
    this.resetParameters(opts.generator);
  }
  /** Re-draws weight and bias as PyTorch's reset_parameters does. */
  resetParameters(generator) {
    resetLinearLike(this.weight, this.bias, generator);
  }
  forward(input) {
    return linear(input, this.weight, this.bias);
  }
  extraRepr() {
    return `in_features=${this.inFeatures}, out_features=${this.outFeatures}, bias=${this.bias !== null ? 'True' : 'False'}`;
  }
};
var Identity = class extends Module {
  forward(input) {
    return input;
  }
};

// src/nn/conv.ts
function pair2(op, what, v, min2) {
  const p = typeof v === 'number' ? [v, v] : [v[0], v[1]];
  if (!Array.isArray(v) && typeof v !== 'number') throw new TypeError(`${op}: ${what} must be a number or a [h, w] pair`);
  if (Array.isArray(v) && v.length !== 2) throw new RangeError(`${op}: ${what} must have 2 elements (got ${v.length})`);
  for (const x2 of p)
    if (!Number.isInteger(x2) || x2 < min2) throw new RangeError(`${op}: ${what} must be integers >= ${min2} (got ${pyRepr(v)})`);
  return p;
}
var Conv2d = class extends Module {
  inChannels;
  outChannels;
  kernelSize;
  stride;
  padding;
  dilation;
  groups;
  paddingMode = 'zeros';
  weight;
  bias;
  constructor(inChannels, outChannels, kernelSize, opts = {}) {
    super();
    const op = 'Conv2d';
    const groups = opts.groups ?? 1;
    if (!Number.isInteger(groups) || groups <= 0) throw new RangeError(`${op}: groups must be a positive integer (got ${groups})`);
    if (!Number.isInteger(inChannels) || inChannels <= 0)
      throw new RangeError(`${op}: inChannels must be a positive integer (got ${inChannels})`);
    if (!Number.isInteger(outChannels) || outChannels <= 0)
      throw new RangeError(`${op}: outChannels must be a positive integer (got ${outChannels})`);
    if (inChannels % groups !== 0) throw new RangeError(`${op}: in_channels (${inChannels}) must be divisible by groups (${groups})`);
    if (outChannels % groups !== 0) throw new RangeError(`${op}: out_channels (${outChannels}) must be divisible by groups (${groups})`);
    if ((opts.paddingMode ?? 'zeros') !== 'zeros')
      throw new RangeError(`${op}: paddingMode '${opts.paddingMode}' is not supported (only 'zeros')`);
    this.inChannels = inChannels;
    this.outChannels = outChannels;
    this.kernelSize = pair2(op, 'kernelSize', kernelSize, 1);
    this.stride = pair2(op, 'stride', opts.stride ?? 1, 1);
    const padding = opts.padding ?? 0;
    if (typeof padding === 'string') {
      if (padding !== 'same' && padding !== 'valid')
        throw new RangeError(`${op}: invalid padding string '${padding}', should be one of 'valid', 'same'`);
      if (padding === 'same' && (this.stride[0] !== 1 || this.stride[1] !== 1)) {
        throw new RangeError(`${op}: padding='same' is not supported for strided convolutions`);
      }
      this.padding = padding;
    } else {
      this.padding = pair2(op, 'padding', padding, 0);
    }
    this.dilation = pair2(op, 'dilation', opts.dilation ?? 1, 1);
    this.groups = groups;
    const dtype = opts.dtype ?? 'float32';
    this.weight = new Parameter(empty([outChannels, inChannels / groups, ...this.kernelSize], { dtype }));
    this.bias = opts.bias === false ? null : new Parameter(empty([outChannels], { dtype }));
    if (this.bias === null) this.registerParameter('bias', null);
    this.resetParameters(opts.generator);
  }
  /** Re-draws weight and bias as PyTorch's reset_parameters does. */
  resetParameters(generator) {
    resetLinearLike(this.weight, this.bias, generator);
  }
  forward(input) {
    return conv2d2(input, this.weight, this.bias, {
      stride: this.stride,
      padding: this.padding,
      dilation: this.dilation,
      groups: this.groups,
    });
  }
  extraRepr() {
    let s = `${this.inChannels}, ${this.outChannels}, kernel_size=${pyRepr(this.kernelSize)}, stride=${pyRepr(this.stride)}`;
    if (typeof this.padding === 'string' || this.padding[0] !== 0 || this.padding[1] !== 0) s += `, padding=${pyRepr(this.padding)}`;
    if (this.dilation[0] !== 1 || this.dilation[1] !== 1) s += `, dilation=${pyRepr(this.dilation)}`;
    if (this.groups !== 1) s += `, groups=${this.groups}`;
    if (this.bias === null) s += ', bias=False';
    return s;
  }
};

// src/ops/dropout.ts
function dropout(input, p = 0.5, training = true, generator) {
  if (!(p >= 0 && p <= 1)) throw new RangeError(`dropout: dropout probability has to be between 0 and 1, but got ${p}`);
  if (p === 0 || !training || input.numel === 0) return input;
  if (!isFloating(input.dtype)) throw new TypeError(`dropout: expected a floating-point input, but got ${input.dtype}`);
  if (p === 1) return mul(input, 0);
  const noise = Tensor._empty(input.shape, input.dtype);
  bernoulli_(noise, 1 - p, { generator });
  return mul(input, div(noise, 1 - p));
}

// src/nn/dropout.ts
var Dropout = class extends Module {
  p;
  inplace;
  /** The generator masks are drawn from (undefined: the global one). */
  generator;
  constructor(p = 0.5, opts = {}) {
    super();
    if (!(p >= 0 && p <= 1)) throw new RangeError(`Dropout: dropout probability has to be between 0 and 1, but got ${p}`);
    this.p = p;
    this.inplace = opts.inplace ?? false;
    this.generator = opts.generator;
  }
  forward(input) {
    return dropout(input, this.p, this.training, this.generator);
  }
  extraRepr() {
    return `p=${pyFloat(this.p)}, inplace=${this.inplace ? 'True' : 'False'}`;
  }
};

// src/nn/flatten.ts
var Flatten = class extends Module {
  constructor(startDim = 1, endDim = -1) {
    super();
    this.startDim = startDim;
    this.endDim = endDim;
  }
  startDim;
  endDim;
  forward(input) {
    return flatten(input, this.startDim, this.endDim);
  }
  extraRepr() {
    return `start_dim=${this.startDim}, end_dim=${this.endDim}`;
  }
};

// src/nn/functional.ts
var functional_exports = {};
__export(functional_exports, {
  adaptiveAvgPool2d: () => adaptiveAvgPool2d2,
  avgPool2d: () => avgPool2d2,
  batchNorm: () => batchNorm2,
  binaryCrossEntropy: () => binaryCrossEntropy,
  binaryCrossEntropyWithLogits: () => binaryCrossEntropyWithLogits,
  conv2d: () => conv2d2,
  crossEntropy: () => crossEntropy,
  dropout: () => dropout,
  erf: () => erf,
  flatten: () => flatten,
  gelu: () => gelu,
  l1Loss: () => l1Loss,
  leakyRelu: () => leakyRelu,
  linear: () => linear,
  logSoftmax: () => logSoftmax,
  maxPool2d: () => maxPool2d2,
  maxPool2dWithIndices: () => maxPool2dWithIndices,
  mseLoss: () => mseLoss,
  nllLoss: () => nllLoss,
  oneHot: () => oneHot,
  relu: () => relu,
  sigmoid: () => sigmoid2,
  softmax: () => softmax,
  tanh: () => tanh,
});

// src/ops/pool.ts
function nonEmptyPlanes(input) {
  if (input.ndim !== 3 && input.ndim !== 4) return false;
  return input.shape.slice(input.ndim - 3).every((s) => s !== 0);
}
function outputSize(inSize, k, pad, stride, dilation, ceilMode) {
  let out = Math.floor((inSize + 2 * pad - dilation * (k - 1) - 1 + (ceilMode ? stride - 1 : 0)) / stride) + 1;
  if (ceilMode && (out - 1) * stride >= inSize + pad) out--;
  return out;
}
function poolGeometry(op, input, kernelSize, stride, padding, dilation, ceilMode) {
  if (!nonEmptyPlanes(input)) {
    throw new RangeError(
      `${op}: expected a non-empty 3-D (unbatched) or 4-D (batched) input, but got input of shape ${shapeStr(input.shape)}`,
    );
  }
  if (!isFloating(input.dtype)) throw new TypeError(`${op}: expected a floating-point input, but got ${input.dtype}`);
  const [kH, kW] = pair(op, 'kernelSize', kernelSize, 1);
  const [sH, sW] = pair(op, 'stride', stride ?? kernelSize, 1);
  const [padH, padW] = pair(op, 'padding', padding ?? 0, 0);
  const [dH, dW] = pair(op, 'dilation', dilation ?? 1, 1);
  if (padH > Math.floor(kH / 2) || padW > Math.floor(kW / 2)) {
    throw new RangeError(
      `${op}: padding should be at most half of the kernel size, but got padding (${padH}, ${padW}) for kernel size (${kH}, ${kW})`,
    );
  }
  const inH = input.shape[input.ndim - 2];
  const inW = input.shape[input.ndim - 1];
  const outH = outputSize(inH, kH, padH, sH, dH, ceilMode);
  const outW = outputSize(inW, kW, padW, sW, dW, ceilMode);
  const lead = input.shape.slice(0, -2);
  if (outH < 1 || outW < 1) {
    throw new RangeError(
      `${op}: given input of shape ${shapeStr(input.shape)}, the calculated output size ${shapeStr([...lead, outH, outW])} is too small (kernel (${kH}, ${kW}), stride (${sH}, ${sW}), padding (${padH}, ${padW}), dilation (${dH}, ${dW}))`,
    );
  }
  const planes = lead.reduce((a, b) => a * b, 1);
  const p = {
    planes,
    inH,
    inW,
    outH,
    outW,
    kernelH: kH,
    kernelW: kW,
    strideH: sH,
    strideW: sW,
    padH,
    padW,
    dilationH: dH,
    dilationW: dW,
  };
  return { p, outShape: [...lead, outH, outW] };
}
var data = (t2) => t2.storage.data.subarray(t2.offset);
function maxPool2dWithIndices(input, opts) {
  const { p, outShape } = poolGeometry(
    'maxPool2d',
    input,
    opts.kernelSize,
    opts.stride,
    opts.padding,
    opts.dilation,
    opts.ceilMode ?? false,
  );
  const x2 = contiguous(input);
  const values = Tensor._empty(outShape, x2.dtype);
  const indices = Tensor._empty(outShape, 'int32');
  const idx = indices.storage.data;
  backend().maxPool2d(data(x2), values.storage.data, idx, p);
  const inShape = x2.shape;
  record(values, 'MaxPool2DWithIndicesBackward0', [x2], (g) => [maxPoolScatter(contiguous(g), idx, p, inShape)], [indices]);
  return { values, indices };
}
function maxPool2d2(input, opts) {
  return maxPool2dWithIndices(input, opts).values;
}
function maxPoolScatter(g, idx, p, inShape) {
  const out = Tensor._empty(inShape, g.dtype);
  backend().maxPool2dBackward(data(g), idx, out.storage.data, p);
  const outShape = g.shape;
  return record(out, 'MaxPool2DWithIndicesBackwardBackward0', [g], (u) => [maxPoolGather(contiguous(u), idx, p, outShape)]);
}
function maxPoolGather(x2, idx, p, outShape) {
  const out = Tensor._empty(outShape, x2.dtype);
  backend().gather(data(x2), p.planes, p.inH * p.inW, 1, idx, p.outH * p.outW, out.storage.data);
  const inShape = x2.shape;
  return record(out, 'MaxPool2DWithIndicesBackward0', [x2], (g) => [maxPoolScatter(contiguous(g), idx, p, inShape)]);
}
function avgPool2d2(input, opts) {
  const { p, outShape } = poolGeometry('avgPool2d', input, opts.kernelSize, opts.stride, opts.padding, 1, opts.ceilMode ?? false);
  const divisorOverride = opts.divisorOverride ?? 0;
  if (opts.divisorOverride !== void 0 && opts.divisorOverride !== null && (!Number.isInteger(divisorOverride) || divisorOverride === 0)) {
    throw new RangeError(`avgPool2d: divisorOverride must be a nonzero integer (got ${opts.divisorOverride})`);
  }
  const ap = { ...p, countIncludePad: opts.countIncludePad ?? true, divisorOverride };
  return avgForward(contiguous(input), ap, outShape);
}
function avgForward(x2, p, outShape) {
  const out = Tensor._empty(outShape, x2.dtype);
  backend().avgPool2d(data(x2), out.storage.data, p);
  const inShape = x2.shape;
  return record(out, 'AvgPool2DBackward0', [x2], (g) => [avgBackward(contiguous(g), p, inShape)]);
}
function avgBackward(g, p, inShape) {
  const out = Tensor._empty(inShape, g.dtype);
  backend().avgPool2dBackward(data(g), out.storage.data, p);
  const outShape = g.shape;
  return record(out, 'AvgPool2DBackwardBackward0', [g], (u) => [avgForward(contiguous(u), p, outShape)]);
}
function adaptiveAvgPool2d2(input, outputSize2) {
  const op = 'adaptiveAvgPool2d';
  if (!nonEmptyPlanes(input)) {
    throw new RangeError(
      `${op}: expected a non-empty 3-D (unbatched) or 4-D (batched) input, but got input of shape ${shapeStr(input.shape)}`,
    );
  }
  if (!isFloating(input.dtype)) throw new TypeError(`${op}: expected a floating-point input, but got ${input.dtype}`);
  const [outH, outW] = pair(op, 'outputSize', outputSize2, 0);
  const lead = input.shape.slice(0, -2);
  const p = {
    planes: lead.reduce((a, b) => a * b, 1),
    inH: input.shape[input.ndim - 2],
    inW: input.shape[input.ndim - 1],
    outH,
    outW,
  };
  return adaptiveForward(contiguous(input), p, [...lead, outH, outW]);
}
function adaptiveForward(x2, p, outShape) {
  const out = Tensor._empty(outShape, x2.dtype);
  backend().adaptiveAvgPool2d(data(x2), out.storage.data, p);
  const inShape = x2.shape;
  const name = p.outH === 1 && p.outW === 1 ? 'MeanBackward1' : 'AdaptiveAvgPool2DBackward0';
  return record(out, name, [x2], (g) => [adaptiveBackward(contiguous(g), p, inShape)]);
}
function adaptiveBackward(g, p, inShape) {
  const out = Tensor._empty(inShape, g.dtype);
  backend().adaptiveAvgPool2dBackward(data(g), out.storage.data, p);
  const outShape = g.shape;
  return record(out, 'AdaptiveAvgPool2DBackwardBackward0', [g], (u) => [adaptiveForward(contiguous(u), p, outShape)]);
}

// src/nn/functional/loss.ts
function checkReduction(op, r) {
  const red = r ?? 'mean';
  if (red !== 'none' && red !== 'mean' && red !== 'sum')
    throw new RangeError(`${op}: ${red} is not a valid value for reduction (use 'none', 'mean' or 'sum')`);
  return red;
}
function reduce2(loss, reduction) {
  if (reduction === 'mean') return mean(loss);
  if (reduction === 'sum') return sum(loss);
  return loss;
}
function checkFloat(op, what, t2) {
  if (!isFloating(t2.dtype)) throw new TypeError(`${op}: ${what} must be a floating-point tensor (got ${t2.dtype})`);
}
function mseLoss(input, target, opts = {}) {
  const reduction = checkReduction('mseLoss', opts.reduction);
  checkFloat('mseLoss', 'input', input);
  return reduce2(square(sub(input, target)), reduction);
}
function l1Loss(input, target, opts = {}) {
  const reduction = checkReduction('l1Loss', opts.reduction);
  checkFloat('l1Loss', 'input', input);
  return reduce2(abs(sub(input, target)), reduction);
}
function rowsOf(input) {
  if (input.ndim === 1) return view(input, [1, input.shape[0]]);
  if (input.ndim === 2) return input;
  const dims = [0, ...input.shape.map((_, i) => i).slice(2), 1];
  return reshape(permute(input, dims), [-1, input.shape[1]]);
}
function checkTargetShape(op, input, target) {
  if (input.ndim === 0) throw new RangeError(`${op}: input must have at least 1 dimension (got a 0-d tensor)`);
  if (input.ndim === 1) {
    if (target.ndim !== 0)
      throw new RangeError(`${op}: 1-D input ${shapeStr(input.shape)} expects a 0-d target (got ${shapeStr(target.shape)})`);
    return;
  }
  if (input.ndim === 2) {
    if (target.ndim !== 1 || target.shape[0] !== input.shape[0]) {
      throw new RangeError(
        `${op}: expected input batch_size (${input.shape[0]}) to match target batch_size (${target.ndim === 0 ? 'a 0-d target' : target.shape[0]}); input ${shapeStr(input.shape)}, target ${shapeStr(target.shape)} (a 1-D target of class indices)`,
      );
    }
    return;
  }
  const want = [input.shape[0], ...input.shape.slice(2)];
  if (!sameShape(want, target.shape)) throw new RangeError(`${op}: expected target size ${shapeStr(want)}, got ${shapeStr(target.shape)}`);
}
function targetWeights(op, target, C, ignoreIndex, weight, dtype) {
  const t2 = materialize(target).storage.data;
  const w = weight === null ? null : materialize(detach(weight), 'float64').storage.data;
  const safe = new Int32Array(t2.length);
  const rowWeight = Tensor._empty([t2.length], dtype);
  const rw = rowWeight.storage.data;
  let total = 0;
  for (let i = 0; i < t2.length; i++) {
    const k = t2[i];
    if (k === ignoreIndex) continue;
    if (k < 0 || k >= C) throw new RangeError(`${op}: Target ${k} is out of bounds (${C} classes; ignoreIndex ${ignoreIndex}).`);
    safe[i] = k;
    rw[i] = w === null ? 1 : w[k];
    total += rw[i];
  }
  return { safe, rowWeight, total };
}
function checkWeight(op, weight, C) {
  if (weight === void 0 || weight === null) return null;
  if (weight.ndim !== 1 || weight.shape[0] !== C) {
    throw new RangeError(
      `${op}: weight tensor should be defined either for all ${C} classes or no classes but got weight tensor of shape: ${shapeStr(weight.shape)}`,
    );
  }
  return weight;
}
function nllLoss(input, target, opts = {}) {
  const op = 'nllLoss';
  const reduction = checkReduction(op, opts.reduction);
  checkFloat(op, 'input', input);
  if (target.dtype !== 'int32') throw new TypeError(`${op}: target must be an int32 tensor of class indices (got ${target.dtype})`);
  checkTargetShape(op, input, target);
  const C = input.ndim === 1 ? input.shape[0] : input.shape[1];
  const weight = checkWeight(op, opts.weight, C);
  const { safe, rowWeight, total } = targetWeights(op, target, C, opts.ignoreIndex ?? -100, weight, input.dtype);
  const rows = rowsOf(input);
  const picked = reshape(gather2(rows, 1, Tensor._fromData(safe, [safe.length, 1], 'int32')), [-1]);
  const loss = mul(
    picked,
    noGrad(() => neg(rowWeight)),
  );
  if (reduction === 'none') return reshape(loss, target.shape);
  if (reduction === 'sum') return sum(loss);
  return div(sum(loss), total);
}
function classView(weight, ndim, classDim) {
  return view(
    weight,
    Array.from({ length: ndim }, (_, i) => (i === classDim ? weight.shape[0] : 1)),
  );
}
function crossEntropy(input, target, opts = {}) {
  const op = 'crossEntropy';
  const reduction = checkReduction(op, opts.reduction);
  const ls = opts.labelSmoothing ?? 0;
  if (!(ls >= 0 && ls <= 1)) throw new RangeError(`${op}: labelSmoothing must be between 0.0 and 1.0. Got: ${ls}`);
  checkFloat(op, 'input', input);
  if (input.ndim === 0) throw new RangeError(`${op}: input must have at least 1 dimension (got a 0-d tensor)`);
  const classDim = input.ndim === 1 ? 0 : 1;
  const C = input.shape[classDim];
  const weight = checkWeight(op, opts.weight, C);
  const logp = logSoftmax(input, classDim);
  if (sameShape(input.shape, target.shape)) {
    if (!isFloating(target.dtype)) {
      throw new TypeError(`${op}: expected a floating point target with class probabilities (same shape as input), got ${target.dtype}`);
    }
    if (opts.ignoreIndex !== void 0 && opts.ignoreIndex >= 0)
      throw new RangeError(`${op}: ignoreIndex is not supported for floating point target`);
    const t2 = ls > 0 ? add(mul(target, 1 - ls), ls / C) : target;
    let prod2 = mul(logp, t2);
    if (weight) prod2 = mul(prod2, classView(weight, input.ndim, classDim));
    if (reduction === 'none') return neg(sum(prod2, { dim: classDim }));
    if (reduction === 'sum') return neg(sum(prod2));
    if (input.numel === 0) return mul(neg(sum(prod2)), Number.NaN);
    return div(neg(sum(prod2)), input.numel / C);
  }
  const ignoreIndex = opts.ignoreIndex ?? -100;
  const nll = nllLoss(logp, target, { weight, ignoreIndex, reduction });
  if (ls === 0) return nll;
  const ignored = eq(target, ignoreIndex);
  let smooth = weight ? neg(sum(mul(logp, classView(weight, input.ndim, classDim)), { dim: classDim })) : neg(sum(logp, { dim: classDim }));
  smooth = where2(ignored, 0, smooth);
  let ret;
  if (reduction === 'mean') {
    if (weight) {
      const { total } = targetWeights(op, target, C, ignoreIndex, weight, input.dtype);
      ret = div(sum(smooth), total);
    } else {
      let count = 0;
      for (const k of materialize(target).storage.data) if (k !== ignoreIndex) count++;
      ret = div(sum(smooth), count);
    }
  } else if (reduction === 'sum') {
    ret = sum(smooth);
  } else {
    ret = smooth;
  }
  return add(mul(nll, 1 - ls), mul(ret, ls / C));
}
var rounder = (dtype) => (dtype === 'float32' ? Math.fround : (v) => v);
function elementwiseData(t2, shape, dtype) {
  return materialize(expand(to(detach(t2), dtype), shape)).storage.data;
}
function combineWeight(op, loss, weight) {
  if (weight === void 0 || weight === null) return loss;
  const shape = broadcastShapes(op, loss.shape, weight.shape);
  if (!sameShape(shape, loss.shape)) {
    throw new RangeError(
      `${op}: weight of shape ${shapeStr(weight.shape)} does not broadcast to the input's shape ${shapeStr(loss.shape)}`,
    );
  }
  return mul(loss, weight);
}
function binaryCrossEntropy(input, target, opts = {}) {
  const op = 'binaryCrossEntropy';
  const reduction = checkReduction(op, opts.reduction);
  checkFloat(op, 'input', input);
  if (!sameShape(input.shape, target.shape)) {
    throw new RangeError(
      `${op}: using a target size (${shapeStr(target.shape)}) that is different to the input size (${shapeStr(input.shape)}) is not supported; please ensure they have the same size`,
    );
  }
  const dtype = input.dtype;
  const r = rounder(dtype);
  const x2 = materialize(input).storage.data;
  const y2 = elementwiseData(target, input.shape, dtype);
  const out = Tensor._empty(input.shape, dtype);
  const o = out.storage.data;
  for (let i = 0; i < o.length; i++) {
    const xi = x2[i];
    if (!(xi >= 0 && xi <= 1)) throw new RangeError(`${op}: all elements of input should be between 0 and 1 (got ${xi})`);
    const yi = y2[i];
    const log1m = Math.max(r(Math.log1p(-xi)), -100);
    const logx = Math.max(r(Math.log(xi)), -100);
    o[i] = r(r(r(yi - 1) * log1m) - r(yi * logx));
  }
  const tgt = to(target, dtype);
  const loss = record(
    out,
    'BinaryCrossEntropyBackward0',
    [input, tgt],
    (g) => {
      const gd = materialize(g).storage.data;
      const gi = Tensor._empty(input.shape, dtype);
      const gt2 = Tensor._empty(input.shape, dtype);
      const a = gi.storage.data;
      const b = gt2.storage.data;
      for (let i = 0; i < a.length; i++) {
        const xi = x2[i];
        a[i] = r(r(gd[i] * r(xi - y2[i])) / Math.max(r(r(1 - xi) * xi), 1e-12));
        b[i] = r(gd[i] * r(r(Math.log(r(1 - xi))) - r(Math.log(xi))));
      }
      return [gi, tgt.requiresGrad ? gt2 : null];
    },
    [input, tgt],
  );
  return reduce2(combineWeight(op, loss, opts.weight), reduction);
}
var logSigmoid = (v) => (v < 0 ? v - Math.log1p(Math.exp(v)) : -Math.log1p(Math.exp(-v)));
function binaryCrossEntropyWithLogits(input, target, opts = {}) {
  const op = 'binaryCrossEntropyWithLogits';
  const reduction = checkReduction(op, opts.reduction);
  checkFloat(op, 'input', input);
  if (!sameShape(input.shape, target.shape)) {
    throw new RangeError(`${op}: target size (${shapeStr(target.shape)}) must be the same as input size (${shapeStr(input.shape)})`);
  }
  const dtype = input.dtype;
  const r = rounder(dtype);
  const x2 = materialize(input).storage.data;
  const y2 = elementwiseData(target, input.shape, dtype);
  const pwT = opts.posWeight ?? null;
  if (pwT !== null) {
    const s = broadcastShapes(op, input.shape, pwT.shape);
    if (!sameShape(s, input.shape))
      throw new RangeError(`${op}: posWeight of shape ${shapeStr(pwT.shape)} does not broadcast to ${shapeStr(input.shape)}`);
  }
  const pw = pwT === null ? null : elementwiseData(pwT, input.shape, dtype);
  const out = Tensor._empty(input.shape, dtype);
  const o = out.storage.data;
  for (let i = 0; i < o.length; i++) {
    const xi = x2[i];
    const yi = y2[i];
    const m = Math.max(-xi, 0);
    const lse = r(Math.log(r(r(Math.exp(-m)) + r(Math.exp(r(-xi - m))))));
    const lin = r(r(1 - yi) * xi);
    if (pw === null) o[i] = r(r(lin + m) + lse);
    else {
      const lw = r(r(r(pw[i] - 1) * yi) + 1);
      o[i] = r(lin + r(lw * r(lse + m)));
    }
  }
  const tgt = to(target, dtype);
  const loss = record(
    out,
    'BinaryCrossEntropyWithLogitsBackward0',
    [input, tgt],
    (g) => {
      const gd = materialize(g).storage.data;
      const gi = Tensor._empty(input.shape, dtype);
      const gt2 = Tensor._empty(input.shape, dtype);
      const a = gi.storage.data;
      const b = gt2.storage.data;
      for (let i = 0; i < a.length; i++) {
        const xi = x2[i];
        const yi = y2[i];
        const sig = r(1 / (1 + Math.exp(-xi)));
        if (pw === null) {
          a[i] = r(r(sig - yi) * gd[i]);
          b[i] = r(-xi * gd[i]);
        } else {
          const t2 = r(pw[i] * yi);
          const c = r(r(t2 + 1) - yi);
          a[i] = r(r(r(c * sig) - t2) * gd[i]);
          b[i] = r(r(r(logSigmoid(-xi)) - r(r(logSigmoid(xi)) * pw[i])) * gd[i]);
        }
      }
      return [gi, tgt.requiresGrad ? gt2 : null];
    },
    [input, tgt],
  );
  return reduce2(combineWeight(op, loss, opts.weight), reduction);
}

// src/nn/loss.ts
var Loss = class extends Module {
  reduction;
  constructor(opts = {}) {
    super();
    this.reduction = opts.reduction ?? 'mean';
  }
};
var MSELoss = class extends Loss {
  forward(input, target) {
    return mseLoss(input, target, { reduction: this.reduction });
  }
};
var L1Loss = class extends Loss {
  forward(input, target) {
    return l1Loss(input, target, { reduction: this.reduction });
  }
};
var NLLLoss = class extends Loss {
  ignoreIndex;
  constructor(opts = {}) {
    super(opts);
    this.registerBuffer('weight', opts.weight ?? null);
    this.ignoreIndex = opts.ignoreIndex ?? -100;
  }
  forward(input, target) {
    return nllLoss(input, target, { weight: this.weight, ignoreIndex: this.ignoreIndex, reduction: this.reduction });
  }
};
var CrossEntropyLoss = class extends Loss {
  ignoreIndex;
  labelSmoothing;
  constructor(opts = {}) {
    super(opts);
    this.registerBuffer('weight', opts.weight ?? null);
    this.ignoreIndex = opts.ignoreIndex ?? -100;
    this.labelSmoothing = opts.labelSmoothing ?? 0;
  }
  forward(input, target) {
    return crossEntropy(input, target, {
      weight: this.weight,
      ignoreIndex: this.ignoreIndex,
      reduction: this.reduction,
      labelSmoothing: this.labelSmoothing,
    });
  }
};
var BCELoss = class extends Loss {
  constructor(opts = {}) {
    super(opts);
    this.registerBuffer('weight', opts.weight ?? null);
  }
  forward(input, target) {
    return binaryCrossEntropy(input, target, { weight: this.weight, reduction: this.reduction });
  }
};
var BCEWithLogitsLoss = class extends Loss {
  constructor(opts = {}) {
    super(opts);
    this.registerBuffer('weight', opts.weight ?? null);
    this.registerBuffer('posWeight', opts.posWeight ?? null);
  }
  forward(input, target) {
    return binaryCrossEntropyWithLogits(input, target, { weight: this.weight, posWeight: this.posWeight, reduction: this.reduction });
  }
};

// src/nn/pooling.ts
var MaxPool2d = class extends Module {
  kernelSize;
  stride;
  padding;
  dilation;
  returnIndices;
  ceilMode;
  constructor(kernelSize, opts = {}) {
    super();
    this.kernelSize = kernelSize;
    this.stride = opts.stride ?? kernelSize;
    this.padding = opts.padding ?? 0;
    this.dilation = opts.dilation ?? 1;
    this.returnIndices = opts.returnIndices ?? false;
    this.ceilMode = opts.ceilMode ?? false;
  }
  _opts() {
    return { kernelSize: this.kernelSize, stride: this.stride, padding: this.padding, dilation: this.dilation, ceilMode: this.ceilMode };
  }
  forward(input) {
    if (this.returnIndices) {
      const { values, indices } = maxPool2dWithIndices(input, this._opts());
      return [values, indices];
    }
    return maxPool2d2(input, this._opts());
  }
  extraRepr() {
    return `kernel_size=${pyRepr(this.kernelSize)}, stride=${pyRepr(this.stride)}, padding=${pyRepr(this.padding)}, dilation=${pyRepr(this.dilation)}, ceil_mode=${pyRepr(this.ceilMode)}`;
  }
};
var AvgPool2d = class extends Module {
  kernelSize;
  stride;
  padding;
  ceilMode;
  countIncludePad;
  divisorOverride;
  constructor(kernelSize, opts = {}) {
    super();
    this.kernelSize = kernelSize;
    this.stride = opts.stride ?? kernelSize;
    this.padding = opts.padding ?? 0;
    this.ceilMode = opts.ceilMode ?? false;
    this.countIncludePad = opts.countIncludePad ?? true;
    this.divisorOverride = opts.divisorOverride ?? null;
  }
  forward(input) {
    return avgPool2d2(input, {
      kernelSize: this.kernelSize,
      stride: this.stride,
      padding: this.padding,
      ceilMode: this.ceilMode,
      countIncludePad: this.countIncludePad,
      ...(this.divisorOverride !== null ? { divisorOverride: this.divisorOverride } : {}),
    });
  }
  extraRepr() {
    return `kernel_size=${pyRepr(this.kernelSize)}, stride=${pyRepr(this.stride)}, padding=${pyRepr(this.padding)}`;
  }
};
var AdaptiveAvgPool2d = class extends Module {
  outputSize;
  constructor(outputSize2) {
    super();
    this.outputSize = outputSize2;
  }
  forward(input) {
    const s = this.outputSize;
    return adaptiveAvgPool2d2(input, typeof s === 'number' ? s : [s[0], s[1]]);
  }
  extraRepr() {
    return `output_size=${pyRepr(this.outputSize)}`;
  }
};

// src/optim/index.ts
var optim_exports = {};
__export(optim_exports, {
  Adagrad: () => Adagrad,
  Adam: () => Adam,
  AdamW: () => AdamW,
  CosineAnnealingLR: () => CosineAnnealingLR,
  ExponentialLR: () => ExponentialLR,
  HeavyBall: () => HeavyBall,
  LRScheduler: () => LRScheduler,
  LambdaLR: () => LambdaLR,
  LinearLR: () => LinearLR,
  MultiStepLR: () => MultiStepLR,
  OneCycleLR: () => OneCycleLR,
  Optimizer: () => Optimizer,
  RMSprop: () => RMSprop,
  SGD: () => SGD,
  StepLR: () => StepLR,
});

// src/optim/optimizer.ts
var isPlainObject = (v) => typeof v === 'object' && v !== null && !Array.isArray(v) && !(v instanceof Tensor);
function copyValue(v) {
  if (Array.isArray(v)) return v.map(copyValue);
  if (v instanceof Tensor) return v.detach().clone();
  if (isPlainObject(v)) return Object.fromEntries(Object.entries(v).map(([k, x2]) => [k, copyValue(x2)]));
  return v;
}
var Optimizer = class {
  /** The options a group gets when it doesn't set them. */
  defaults;
  /** The parameter groups, each with all options filled in; edit `lr` here to change it. */
  paramGroups = [];
  /** Per-parameter state, created on the parameter's first step. */
  state = /* @__PURE__ */ new Map();
  /** @internal the number of `step()` calls, which lr schedulers check. */
  _stepCount = 0;
  constructor(params, defaults) {
    this.defaults = defaults;
    if (params instanceof Tensor) {
      throw new TypeError(`${this.name}: params should be an iterable of Tensors or parameter groups, but got a Tensor; pass [tensor]`);
    }
    if (params === null || params === void 0 || typeof params[Symbol.iterator] !== 'function') {
      throw new TypeError(`${this.name}: params should be an iterable of Tensors or parameter groups, but got ${typeof params}`);
    }
    const list = [...params];
    if (list.length === 0) throw new Error(`${this.name}: optimizer got an empty parameter list`);
    const groups = isPlainObject(list[0]) ? list : [{ params: list }];
    for (const g of groups) this.addParamGroup(g);
  }
  /** The class name, used in error messages. */
  get name() {
    return this.constructor.name;
  }
  /**
   * Adds a parameter group, e.g. to train layers that were frozen so far. Options it doesn't set
   * come from the optimizer's defaults.
   */
  addParamGroup(group) {
    if (!isPlainObject(group)) throw new TypeError(`${this.name}.addParamGroup: a parameter group must be an object with a params key`);
    const where3 = `parameter group ${this.paramGroups.length}`;
    const src = group.params;
    if (src === void 0 || src === null) throw new TypeError(`${this.name}: ${where3} has no params`);
    const params = src instanceof Tensor ? [src] : [...src];
    params.forEach((p, i) => {
      if (!(p instanceof Tensor)) {
        const what = p === null ? 'null' : typeof p === 'object' ? (p.constructor?.name ?? 'object') : typeof p;
        throw new TypeError(`${this.name}: can only optimize Tensors, but parameter ${i} of ${where3} is ${what}`);
      }
      if (!p.isLeaf && p.gradFn?.retained !== p) {
        throw new Error(
          `${this.name}: can't optimize a non-leaf Tensor (parameter ${i} of ${where3}, shape ${shapeStr(p.shape)}, grad_fn ${p.gradFn?.name}); optimize the leaf it was computed from, or detach() it and set requiresGrad`,
        );
      }
    });
    const seen = /* @__PURE__ */ new Set();
    params.forEach((p, i) => {
      if (seen.has(p))
        throw new Error(`${this.name}: ${where3} lists the same parameter twice (parameter ${i}, shape ${shapeStr(p.shape)})`);
      seen.add(p);
    });
    this.paramGroups.forEach((g, gi) => {
      for (const p of g.params) {
        if (seen.has(p)) {
          throw new Error(
            `${this.name}: some parameters appear in more than one parameter group (a parameter of shape ${shapeStr(p.shape)} is in groups ${gi} and ${this.paramGroups.length})`,
          );
        }
      }
    });
    const filled = {};
    for (const [k, v] of Object.entries(this.defaults)) filled[k] = copyValue(v);
    for (const [k, v] of Object.entries(group)) if (k !== 'params' && v !== void 0) filled[k] = copyValue(v);
    if (typeof filled.lr !== 'number' || Number.isNaN(filled.lr)) {
      throw new TypeError(`${this.name}: ${where3} didn't specify a learning rate (lr), and the optimizer has no default one`);
    }
    this.validate(filled, where3);
    filled.params = params;
    this.paramGroups.push(filled);
  }
  /**
   * Resets the gradients of all parameters: to null (the default, like PyTorch 2), or to zeros
   * with `{ setToNone: false }` (PyTorch 1.13's default). Optimizers skip parameters whose grad is
   * null, while a zero gradient still moves them through momentum and weight decay.
   */
  zeroGrad(opts = {}) {
    const setToNone = opts.setToNone ?? true;
    for (const g of this.paramGroups) {
      for (const p of g.params) {
        if (p.grad === null) continue;
        if (setToNone) p.grad = null;
        else {
          if (p.grad.gradFn !== null) p.grad = p.grad.detach();
          else if (p.grad.requiresGrad) p.grad.requiresGrad_(false);
          const grad = p.grad;
          noGrad(() => grad.zero_());
        }
      }
    }
  }
  /**
   * Performs one optimization step. `closure`, if given, re-evaluates the model (with gradient
   * recording on) and returns the loss, which `step` returns.
   */
  step(closure) {
    let loss;
    if (closure !== void 0) loss = enableGrad(closure);
    noGrad(() => {
      for (const g of this.paramGroups) this.updateGroup(g);
    });
    this._stepCount++;
    return loss;
  }
  /**
   * The optimizer's state: per-parameter state keyed by parameter index and the groups' options
   * with their parameters as index lists. Like PyTorch's, it refers to the live state tensors
   * (save or copy it before stepping again); `loadStateDict` copies what it loads.
   */
  stateDict() {
    const index = /* @__PURE__ */ new Map();
    let start = 0;
    const paramGroups = this.paramGroups.map((g) => {
      const packed = { params: [] };
      for (const [k, v] of Object.entries(g)) if (k !== 'params') packed[k] = copyValue(v);
      g.params.forEach((p, i) => {
        if (!index.has(p)) index.set(p, start + i);
      });
      packed.params = g.params.map((p) => index.get(p));
      start += g.params.length;
      return packed;
    });
    const state = {};
    for (const [p, s] of this.state) {
      const i = index.get(p);
      if (i !== void 0) state[i] = { ...s };
    }
    return { state, paramGroups };
  }
  /**
   * Loads a state from `stateDict()` (or from a file written from it). The groups must list as
   * many parameters as this optimizer's; floating-point state tensors are converted to their
   * parameter's dtype, and everything is copied.
   */
  loadStateDict(stateDict) {
    const saved = stateDict?.paramGroups;
    if (!Array.isArray(saved) || !isPlainObject(stateDict.state)) {
      throw new TypeError(`${this.name}.loadStateDict: expected an object with state and paramGroups, as stateDict() returns`);
    }
    if (saved.length !== this.paramGroups.length) {
      throw new Error(
        `${this.name}.loadStateDict: the state has ${saved.length} parameter groups but the optimizer has ${this.paramGroups.length}`,
      );
    }
    const byIndex = /* @__PURE__ */ new Map();
    saved.forEach((sg, gi) => {
      const mine = this.paramGroups[gi].params;
      if (!Array.isArray(sg.params) || sg.params.length !== mine.length) {
        throw new Error(
          `${this.name}.loadStateDict: parameter group ${gi} of the state has ${sg.params?.length ?? 0} parameters but the optimizer's has ${mine.length}`,
        );
      }
      sg.params.forEach((id, i) => {
        byIndex.set(Number(id), mine[i]);
      });
    });
    const state = /* @__PURE__ */ new Map();
    for (const [key, value] of Object.entries(stateDict.state)) {
      const p = byIndex.get(Number(key));
      if (p === void 0) {
        throw new Error(`${this.name}.loadStateDict: the state has an entry for parameter ${key}, which no parameter group lists`);
      }
      const s = {};
      for (const [k, v] of Object.entries(value)) {
        if (v instanceof Tensor) {
          if (k === 'step') {
            s[k] = v.item();
            continue;
          }
          if (v.numel !== p.numel) {
            throw new Error(
              `${this.name}.loadStateDict: state '${k}' of parameter ${key} has shape ${shapeStr(v.shape)} but the parameter has shape ${shapeStr(p.shape)}`,
            );
          }
          const cast = isFloating(v.dtype) && isFloating(p.dtype) ? v.to(p.dtype) : v;
          s[k] = noGrad(() => cast.detach().clone().reshape(p.shape));
        } else s[k] = copyValue(v);
      }
      state.set(p, s);
    }
    this.paramGroups = saved.map((sg, gi) => {
      const g = {};
      for (const [k, v] of Object.entries(sg)) if (k !== 'params') g[k] = copyValue(v);
      g.params = this.paramGroups[gi].params;
      return g;
    });
    this.state = state;
  }
  /** PyTorch's repr: the class and each group's options. */
  toString() {
    let s = `${this.name} (`;
    this.paramGroups.forEach((g, i) => {
      s += `
Parameter Group ${i}`;
      for (const k of Object.keys(g).sort())
        if (k !== 'params')
          s += `
    ${k}: ${formatOption(g[k])}`;
    });
    return `${s}
)`;
  }
  /** `console.log(opt)` in Node prints the repr. */
  [/* @__PURE__ */ Symbol.for('nodejs.util.inspect.custom')]() {
    return this.toString();
  }
  /** @internal the state of `p`, created by `init` on first use. */
  stateOf(p, init) {
    let s = this.state.get(p);
    if (s === void 0) {
      s = init();
      this.state.set(p, s);
    }
    return s;
  }
};
function formatOption(v) {
  if (Array.isArray(v)) return `(${v.map(formatOption).join(', ')})`;
  if (typeof v === 'boolean') return v ? 'True' : 'False';
  if (v === null || v === void 0) return 'None';
  return String(v);
}
function checkNonNegative(opt2, name, value, where3) {
  if (typeof value !== 'number' || !(value >= 0)) {
    throw new RangeError(`${opt2}: invalid ${name} ${value} in ${where3} (must be \u2265 0)`);
  }
}

// src/optim/adagrad.ts
var Adagrad = class extends Optimizer {
  constructor(params, options = {}) {
    super(params, {
      lr: options.lr ?? 0.01,
      lrDecay: options.lrDecay ?? 0,
      weightDecay: options.weightDecay ?? 0,
      initialAccumulatorValue: options.initialAccumulatorValue ?? 0,
      eps: options.eps ?? 1e-10,
      maximize: options.maximize ?? false,
    });
    for (const g of this.paramGroups) for (const p of g.params) this.initState(p, g.initialAccumulatorValue);
  }
  initState(p, initialAccumulatorValue) {
    return this.stateOf(p, () => ({ step: 0, sum: fullLike(p, initialAccumulatorValue) }));
  }
  validate(g, where3) {
    checkNonNegative('Adagrad', 'learning rate (lr)', g.lr, where3);
    checkNonNegative('Adagrad', 'lrDecay', g.lrDecay, where3);
    checkNonNegative('Adagrad', 'weightDecay', g.weightDecay, where3);
    checkNonNegative('Adagrad', 'initialAccumulatorValue', g.initialAccumulatorValue, where3);
    checkNonNegative('Adagrad', 'epsilon (eps)', g.eps, where3);
  }
  updateGroup(group) {
    const { lr, lrDecay, weightDecay, eps, maximize } = group;
    for (const p of group.params) {
      if (p.grad === null) continue;
      const state = this.initState(p, group.initialAccumulatorValue);
      state.step += 1;
      const step = state.step;
      let grad = maximize ? p.grad.neg() : p.grad;
      if (weightDecay !== 0) grad = grad.add(p, weightDecay);
      const clr = lr / (1 + (step - 1) * lrDecay);
      state.sum.addcmul_(grad, grad, 1);
      const std2 = state.sum.sqrt().add_(eps);
      p.addcdiv_(grad, std2, -clr);
    }
  }
};

// src/optim/adam.ts
function validateAdam(opt2, g, where3) {
  checkNonNegative(opt2, 'learning rate (lr)', g.lr, where3);
  checkNonNegative(opt2, 'epsilon (eps)', g.eps, where3);
  if (!Array.isArray(g.betas) || g.betas.length !== 2) throw new TypeError(`${opt2}: betas must be a pair [beta1, beta2] in ${where3}`);
  g.betas.forEach((b, i) => {
    if (typeof b !== 'number' || !(b >= 0 && b < 1))
      throw new RangeError(`${opt2}: invalid beta parameter at index ${i}: ${b} in ${where3} (must be in [0, 1))`);
  });
  checkNonNegative(opt2, 'weightDecay', g.weightDecay, where3);
}
function adamUpdate(p, state, group, grad) {
  const { lr, eps, amsgrad } = group;
  const [beta1, beta2] = group.betas;
  const { expAvg, expAvgSq } = state;
  expAvg.mul_(beta1).add_(grad, 1 - beta1);
  expAvgSq.mul_(beta2).addcmul_(grad, grad, 1 - beta2);
  const step = state.step;
  const biasCorrection1 = 1 - beta1 ** step;
  const biasCorrection2 = 1 - beta2 ** step;
  const stepSize = lr / biasCorrection1;
  const biasCorrection2Sqrt = Math.sqrt(biasCorrection2);
  let denom;
  if (amsgrad) {
    state.maxExpAvgSq ??= zerosLike(p);
    const maxSq = state.maxExpAvgSq;
    maxSq.copy_(maximum(maxSq, expAvgSq));
    denom = maxSq.sqrt().div(biasCorrection2Sqrt).add_(eps);
  } else {
    denom = expAvgSq.sqrt().div(biasCorrection2Sqrt).add_(eps);
  }
  p.addcdiv_(expAvg, denom, -stepSize);
}
var Adam = class extends Optimizer {
  constructor(params, options = {}) {
    super(params, {
      lr: options.lr ?? 1e-3,
      betas: options.betas ?? [0.9, 0.999],
      eps: options.eps ?? 1e-8,
      weightDecay: options.weightDecay ?? 0,
      amsgrad: options.amsgrad ?? false,
      maximize: options.maximize ?? false,
    });
  }
  validate(g, where3) {
    validateAdam('Adam', g, where3);
  }
  updateGroup(group) {
    for (const p of group.params) {
      if (p.grad === null) continue;
      const state = this.stateOf(p, () => {
        const s = { step: 0, expAvg: zerosLike(p), expAvgSq: zerosLike(p) };
        if (group.amsgrad) s.maxExpAvgSq = zerosLike(p);
        return s;
      });
      let grad = group.maximize ? p.grad.neg() : p.grad;
      state.step += 1;
      if (group.weightDecay !== 0) grad = grad.add(p, group.weightDecay);
      adamUpdate(p, state, group, grad);
    }
  }
};

// src/optim/adamw.ts
var AdamW = class extends Optimizer {
  /** Options as in Adam; `weightDecay` defaults to 1e-2 and is decoupled from the gradient. */
  constructor(params, options = {}) {
    super(params, {
      lr: options.lr ?? 1e-3,
      betas: options.betas ?? [0.9, 0.999],
      eps: options.eps ?? 1e-8,
      weightDecay: options.weightDecay ?? 0.01,
      amsgrad: options.amsgrad ?? false,
      maximize: options.maximize ?? false,
    });
  }
  validate(g, where3) {
    validateAdam('AdamW', g, where3);
  }
  updateGroup(group) {
    for (const p of group.params) {
      if (p.grad === null) continue;
      const state = this.stateOf(p, () => {
        const s = { step: 0, expAvg: zerosLike(p), expAvgSq: zerosLike(p) };
        if (group.amsgrad) s.maxExpAvgSq = zerosLike(p);
        return s;
      });
      const grad = group.maximize ? p.grad.neg() : p.grad;
      state.step += 1;
      const decay = 1 - group.lr * group.weightDecay;
      if (decay !== 1) p.mul_(decay);
      adamUpdate(p, state, group, grad);
    }
  }
};

// src/optim/heavy-ball.ts
var HeavyBall = class extends Optimizer {
  constructor(params, options = {}) {
    super(params, {
      lr: options.lr,
      momentum: options.momentum ?? 0,
      weightDecay: options.weightDecay ?? 0,
      maximize: options.maximize ?? false,
    });
  }
  validate(g, where3) {
    checkNonNegative('HeavyBall', 'learning rate (lr)', g.lr, where3);
    checkNonNegative('HeavyBall', 'momentum', g.momentum, where3);
    checkNonNegative('HeavyBall', 'weightDecay', g.weightDecay, where3);
  }
  updateGroup(group) {
    const { lr, momentum, weightDecay, maximize } = group;
    for (const p of group.params) {
      if (p.grad === null) continue;
      const state = this.stateOf(p, () => ({ previous: null }));
      let g = maximize ? p.grad.neg() : p.grad;
      if (weightDecay !== 0) g = g.add(p, weightDecay);
      if (momentum !== 0) {
        const previous = state.previous ?? p.clone();
        state.previous = previous;
        const delta = p.sub(previous);
        previous.copy_(p);
        p.add_(g, -lr).add_(delta, momentum);
      } else {
        state.previous = null;
        p.add_(g, -lr);
      }
    }
  }
};

// src/optim/lr-scheduler.ts
var warnedOrder = false;
var isOptions = (v) => typeof v === 'object' && v !== null && !Array.isArray(v);
var LRScheduler = class {
  optimizer;
  /** Each group's initial learning rate. */
  baseLrs;
  /** The index of the last step taken (0 right after construction). */
  lastEpoch;
  _stepCount = 0;
  _lastLr = [];
  constructor(optimizer, lastEpoch = -1) {
    if (optimizer === null || typeof optimizer !== 'object' || !Array.isArray(optimizer.paramGroups)) {
      throw new TypeError(`${new.target.name}: expected an Optimizer, got ${optimizer === null ? 'null' : typeof optimizer}`);
    }
    this.optimizer = optimizer;
    if (!Number.isInteger(lastEpoch) || lastEpoch < -1) {
      throw new RangeError(`${new.target.name}: lastEpoch must be an integer \u2265 \u22121 (got ${lastEpoch})`);
    }
    const groups = this.groups();
    if (lastEpoch === -1) {
      for (const g of groups) if (g.initialLr === void 0) g.initialLr = g.lr;
    } else {
      groups.forEach((g, i) => {
        if (g.initialLr === void 0) {
          throw new Error(
            `${new.target.name}: param 'initialLr' is not specified in paramGroups[${i}] when resuming an optimizer (lastEpoch ${lastEpoch})`,
          );
        }
      });
    }
    this.baseLrs = groups.map((g) => g.initialLr);
    this.lastEpoch = lastEpoch;
  }
  /** Subclasses call this at the end of their constructor: resets the counters and steps once. */
  _initialStep() {
    this.optimizer._stepCount = 0;
    this._stepCount = 0;
    this.step();
  }
  groups() {
    return this.optimizer.paramGroups;
  }
  /** The learning rates the last `step()` set, one per group. */
  getLastLr() {
    return [...this._lastLr];
  }
  /** Advances the schedule by one epoch (or iteration) and sets the groups' learning rates. */
  step() {
    if (this._stepCount === 1 && this.optimizer._stepCount < 1 && !warnedOrder) {
      warnedOrder = true;
      console.warn(
        'Detected call of lrScheduler.step() before optimizer.step(): call optimizer.step() first, or the first value of the learning rate schedule is skipped.',
      );
    }
    this._stepCount++;
    this.lastEpoch++;
    const values = this.getLr();
    this.groups().forEach((g, i) => {
      g.lr = values[i];
    });
    this._lastLr = this.groups().map((g) => g.lr);
  }
  /** The scheduler's state (every field but the optimizer and functions), as plain data. */
  stateDict() {
    const out = {};
    for (const [k, v] of Object.entries(this)) {
      if (k === 'optimizer' || typeof v === 'function' || (Array.isArray(v) && v.some((x2) => typeof x2 === 'function'))) continue;
      out[k] = structuredClone(v);
    }
    return out;
  }
  /** Restores a state from `stateDict()`. */
  loadStateDict(state) {
    if (!isOptions(state)) throw new TypeError(`${this.constructor.name}.loadStateDict: expected an object as stateDict() returns`);
    for (const [k, v] of Object.entries(state)) {
      if (k === 'optimizer') continue;
      this[k] = structuredClone(v);
    }
  }
};
var LambdaLR = class extends LRScheduler {
  lrLambdas;
  constructor(optimizer, lrLambda, opts = {}) {
    const o = typeof lrLambda === 'function' || Array.isArray(lrLambda) ? { ...opts, lrLambda } : lrLambda;
    super(optimizer, o.lastEpoch);
    const n = this.groups().length;
    if (Array.isArray(o.lrLambda)) {
      if (o.lrLambda.length !== n)
        throw new RangeError(`LambdaLR: expected ${n} lrLambdas (one per parameter group), but got ${o.lrLambda.length}`);
      this.lrLambdas = [...o.lrLambda];
    } else {
      if (typeof o.lrLambda !== 'function') throw new TypeError('LambdaLR: lrLambda must be a function of the epoch or a list of them');
      this.lrLambdas = new Array(n).fill(o.lrLambda);
    }
    this._initialStep();
  }
  getLr() {
    return this.baseLrs.map((base, i) => base * this.lrLambdas[i](this.lastEpoch));
  }
};
var StepLR = class extends LRScheduler {
  stepSize;
  gamma;
  constructor(optimizer, stepSize, opts = {}) {
    const o = typeof stepSize === 'number' ? { ...opts, stepSize } : stepSize;
    super(optimizer, o.lastEpoch);
    if (!Number.isInteger(o.stepSize) || o.stepSize <= 0)
      throw new RangeError(`StepLR: stepSize must be a positive integer (got ${o.stepSize})`);
    this.stepSize = o.stepSize;
    this.gamma = o.gamma ?? 0.1;
    this._initialStep();
  }
  getLr() {
    const lrs = this.groups().map((g) => g.lr);
    if (this.lastEpoch === 0 || this.lastEpoch % this.stepSize !== 0) return lrs;
    return lrs.map((lr) => lr * this.gamma);
  }
};
var MultiStepLR = class extends LRScheduler {
  /** The milestones, sorted; repeats count (PyTorch keeps a Counter). */
  milestones;
  gamma;
  constructor(optimizer, milestones, opts = {}) {
    const o = Array.isArray(milestones) ? { ...opts, milestones } : milestones;
    super(optimizer, o.lastEpoch);
    if (!Array.isArray(o.milestones) || o.milestones.some((m) => !Number.isInteger(m))) {
      throw new TypeError('MultiStepLR: milestones must be a list of integer epochs');
    }
    this.milestones = [...o.milestones].sort((a, b) => a - b);
    this.gamma = o.gamma ?? 0.1;
    this._initialStep();
  }
  getLr() {
    const count = this.milestones.filter((m) => m === this.lastEpoch).length;
    const lrs = this.groups().map((g) => g.lr);
    if (count === 0) return lrs;
    return lrs.map((lr) => lr * this.gamma ** count);
  }
};
var LinearLR = class extends LRScheduler {
  startFactor;
  endFactor;
  totalIters;
  constructor(optimizer, opts = {}) {
    super(optimizer, opts.lastEpoch);
    const startFactor = opts.startFactor ?? 1 / 3;
    const endFactor = opts.endFactor ?? 1;
    if (startFactor > 1 || startFactor < 0) throw new RangeError(`LinearLR: startFactor must be between 0 and 1 (got ${startFactor})`);
    if (endFactor > 1 || endFactor < 0) throw new RangeError(`LinearLR: endFactor must be between 0 and 1 (got ${endFactor})`);
    this.startFactor = startFactor;
    this.endFactor = endFactor;
    this.totalIters = opts.totalIters ?? 5;
    this._initialStep();
  }
  getLr() {
    const lrs = this.groups().map((g) => g.lr);
    if (this.lastEpoch === 0) return lrs.map((lr) => lr * this.startFactor);
    if (this.lastEpoch > this.totalIters) return lrs;
    const d = this.endFactor - this.startFactor;
    return lrs.map((lr) => lr * (1 + d / (this.totalIters * this.startFactor + (this.lastEpoch - 1) * d)));
  }
};
var ExponentialLR = class extends LRScheduler {
  gamma;
  constructor(optimizer, gamma, opts = {}) {
    const o = typeof gamma === 'number' ? { ...opts, gamma } : gamma;
    super(optimizer, o.lastEpoch);
    if (typeof o.gamma !== 'number') throw new TypeError('ExponentialLR: gamma must be a number');
    this.gamma = o.gamma;
    this._initialStep();
  }
  getLr() {
    const lrs = this.groups().map((g) => g.lr);
    if (this.lastEpoch === 0) return lrs;
    return lrs.map((lr) => lr * this.gamma);
  }
};
var CosineAnnealingLR = class extends LRScheduler {
  tMax;
  etaMin;
  constructor(optimizer, tMax, opts = {}) {
    const o = typeof tMax === 'number' ? { ...opts, tMax } : tMax;
    super(optimizer, o.lastEpoch);
    if (typeof o.tMax !== 'number' || !(o.tMax > 0))
      throw new RangeError(`CosineAnnealingLR: tMax must be a positive number (got ${o.tMax})`);
    this.tMax = o.tMax;
    this.etaMin = o.etaMin ?? 0;
    this._initialStep();
  }
  getLr() {
    const { tMax, etaMin, lastEpoch } = this;
    const groups = this.groups();
    if (lastEpoch === 0) return groups.map((g) => g.lr);
    if (this._stepCount === 1 && lastEpoch > 0) {
      return this.baseLrs.map((base) => etaMin + ((base - etaMin) * (1 + Math.cos((lastEpoch * Math.PI) / tMax))) / 2);
    }
    if ((lastEpoch - 1 - tMax) % (2 * tMax) === 0) {
      return groups.map((g, i) => g.lr + ((this.baseLrs[i] - etaMin) * (1 - Math.cos(Math.PI / tMax))) / 2);
    }
    return groups.map(
      (g) => ((1 + Math.cos((Math.PI * lastEpoch) / tMax)) / (1 + Math.cos((Math.PI * (lastEpoch - 1)) / tMax))) * (g.lr - etaMin) + etaMin,
    );
  }
};
var OneCycleLR = class extends LRScheduler {
  totalSteps;
  annealStrategy;
  cycleMomentum;
  useBeta1;
  _schedulePhases;
  constructor(optimizer, maxLr, opts = {}) {
    const o = typeof maxLr === 'number' || Array.isArray(maxLr) ? { ...opts, maxLr } : maxLr;
    const lastEpoch = o.lastEpoch ?? -1;
    const groups = optimizer.paramGroups;
    const fmt = (name, v) => {
      if (Array.isArray(v)) {
        if (v.length !== groups.length) throw new RangeError(`OneCycleLR: expected ${groups.length} values for ${name}, got ${v.length}`);
        return v;
      }
      return new Array(groups.length).fill(v);
    };
    let totalSteps;
    if (o.totalSteps !== void 0 && o.totalSteps !== null) {
      if (!Number.isInteger(o.totalSteps) || o.totalSteps <= 0)
        throw new RangeError(`OneCycleLR: expected a positive integer totalSteps, but got ${o.totalSteps}`);
      totalSteps = o.totalSteps;
    } else if (o.epochs !== void 0 || o.stepsPerEpoch !== void 0) {
      if (!Number.isInteger(o.epochs) || o.epochs <= 0)
        throw new RangeError(`OneCycleLR: expected a positive integer epochs, but got ${o.epochs}`);
      if (!Number.isInteger(o.stepsPerEpoch) || o.stepsPerEpoch <= 0) {
        throw new RangeError(`OneCycleLR: expected a positive integer stepsPerEpoch, but got ${o.stepsPerEpoch}`);
      }
      totalSteps = o.epochs * o.stepsPerEpoch;
    } else {
      throw new Error('OneCycleLR: you must define either totalSteps OR (epochs AND stepsPerEpoch)');
    }
    const pctStart = o.pctStart ?? 0.3;
    if (typeof pctStart !== 'number' || pctStart < 0 || pctStart > 1)
      throw new RangeError(`OneCycleLR: expected pctStart between 0 and 1, but got ${pctStart}`);
    const annealStrategy = o.annealStrategy ?? 'cos';
    if (annealStrategy !== 'cos' && annealStrategy !== 'linear') {
      throw new RangeError(`OneCycleLR: annealStrategy must be 'cos' or 'linear', instead got ${annealStrategy}`);
    }
    const divFactor = o.divFactor ?? 25;
    const finalDivFactor = o.finalDivFactor ?? 1e4;
    const maxLrs = fmt('maxLr', o.maxLr);
    if (lastEpoch === -1) {
      groups.forEach((g, i) => {
        g.initialLr = maxLrs[i] / divFactor;
        g.maxLr = maxLrs[i];
        g.minLr = g.initialLr / finalDivFactor;
      });
    }
    const cycleMomentum = o.cycleMomentum ?? true;
    let useBeta1 = false;
    if (cycleMomentum) {
      const defaults = optimizer.defaults;
      if (!('momentum' in defaults) && !('betas' in defaults)) {
        throw new Error('OneCycleLR: optimizer must support momentum (momentum or betas) with the cycleMomentum option enabled');
      }
      useBeta1 = 'betas' in defaults;
      const maxMomentums = fmt('maxMomentum', o.maxMomentum ?? 0.95);
      const baseMomentums = fmt('baseMomentum', o.baseMomentum ?? 0.85);
      if (lastEpoch === -1) {
        groups.forEach((g, i) => {
          if (useBeta1) g.betas = [maxMomentums[i], ...g.betas.slice(1)];
          else g.momentum = maxMomentums[i];
          g.maxMomentum = maxMomentums[i];
          g.baseMomentum = baseMomentums[i];
        });
      }
    }
    super(optimizer, lastEpoch);
    this.totalSteps = totalSteps;
    this.annealStrategy = annealStrategy;
    this.cycleMomentum = cycleMomentum;
    this.useBeta1 = useBeta1;
    this._schedulePhases = o.threePhase
      ? [
          {
            endStep: pctStart * totalSteps - 1,
            startLr: 'initialLr',
            endLr: 'maxLr',
            startMomentum: 'maxMomentum',
            endMomentum: 'baseMomentum',
          },
          {
            endStep: 2 * pctStart * totalSteps - 2,
            startLr: 'maxLr',
            endLr: 'initialLr',
            startMomentum: 'baseMomentum',
            endMomentum: 'maxMomentum',
          },
          { endStep: totalSteps - 1, startLr: 'initialLr', endLr: 'minLr', startMomentum: 'maxMomentum', endMomentum: 'maxMomentum' },
        ]
      : [
          {
            endStep: pctStart * totalSteps - 1,
            startLr: 'initialLr',
            endLr: 'maxLr',
            startMomentum: 'maxMomentum',
            endMomentum: 'baseMomentum',
          },
          { endStep: totalSteps - 1, startLr: 'maxLr', endLr: 'minLr', startMomentum: 'baseMomentum', endMomentum: 'maxMomentum' },
        ];
    this._initialStep();
  }
  anneal(start, end, pct) {
    if (this.annealStrategy === 'linear') return (end - start) * pct + start;
    const cosOut2 = Math.cos(Math.PI * pct) + 1;
    return end + ((start - end) / 2) * cosOut2;
  }
  getLr() {
    const stepNum = this.lastEpoch;
    if (stepNum > this.totalSteps) {
      throw new RangeError(`OneCycleLR: tried to step ${stepNum + 1} times; the specified number of total steps is ${this.totalSteps}`);
    }
    return this.groups().map((g) => {
      let startStep = 0;
      let lr = 0;
      let momentum = 0;
      const phases = this._schedulePhases;
      for (let i = 0; i < phases.length; i++) {
        const phase = phases[i];
        const endStep = phase.endStep;
        if (stepNum <= endStep || i === phases.length - 1) {
          const pct = (stepNum - startStep) / (endStep - startStep);
          lr = this.anneal(g[phase.startLr], g[phase.endLr], pct);
          if (this.cycleMomentum) momentum = this.anneal(g[phase.startMomentum], g[phase.endMomentum], pct);
          break;
        }
        startStep = phase.endStep;
      }
      if (this.cycleMomentum) {
        if (this.useBeta1) g.betas = [momentum, ...g.betas.slice(1)];
        else g.momentum = momentum;
      }
      return lr;
    });
  }
};

// src/optim/rmsprop.ts
var RMSprop = class extends Optimizer {
  constructor(params, options = {}) {
    super(params, {
      lr: options.lr ?? 0.01,
      alpha: options.alpha ?? 0.99,
      eps: options.eps ?? 1e-8,
      weightDecay: options.weightDecay ?? 0,
      momentum: options.momentum ?? 0,
      centered: options.centered ?? false,
      maximize: options.maximize ?? false,
    });
  }
  validate(g, where3) {
    checkNonNegative('RMSprop', 'learning rate (lr)', g.lr, where3);
    checkNonNegative('RMSprop', 'epsilon (eps)', g.eps, where3);
    checkNonNegative('RMSprop', 'momentum', g.momentum, where3);
    checkNonNegative('RMSprop', 'weightDecay', g.weightDecay, where3);
    checkNonNegative('RMSprop', 'alpha', g.alpha, where3);
  }
  updateGroup(group) {
    const { lr, alpha, eps, weightDecay, momentum, centered: centered2, maximize } = group;
    for (const p of group.params) {
      if (p.grad === null) continue;
      const state = this.stateOf(p, () => {
        const s = { step: 0, squareAvg: zerosLike(p) };
        if (momentum > 0) s.momentumBuffer = zerosLike(p);
        if (centered2) s.gradAvg = zerosLike(p);
        return s;
      });
      state.step += 1;
      let grad = maximize ? p.grad.neg() : p.grad;
      if (weightDecay !== 0) grad = grad.add(p, weightDecay);
      state.squareAvg.mul_(alpha).addcmul_(grad, grad, 1 - alpha);
      let avg;
      if (centered2) {
        state.gradAvg ??= zerosLike(p);
        const gradAvg = state.gradAvg;
        gradAvg.mul_(alpha).add_(grad, 1 - alpha);
        avg = state.squareAvg.addcmul(gradAvg, gradAvg, -1).sqrt();
      } else {
        avg = state.squareAvg.sqrt();
      }
      avg = avg.add_(eps);
      if (momentum > 0) {
        state.momentumBuffer ??= zerosLike(p);
        const buf = state.momentumBuffer;
        buf.mul_(momentum).addcdiv_(grad, avg);
        p.add_(buf, -lr);
      } else {
        p.addcdiv_(grad, avg, -lr);
      }
    }
  }
};

// src/optim/sgd.ts
var SGD = class extends Optimizer {
  constructor(params, options = {}) {
    super(params, {
      lr: options.lr,
      momentum: options.momentum ?? 0,
      dampening: options.dampening ?? 0,
      weightDecay: options.weightDecay ?? 0,
      nesterov: options.nesterov ?? false,
      maximize: options.maximize ?? false,
    });
  }
  validate(g, where3) {
    checkNonNegative('SGD', 'learning rate (lr)', g.lr, where3);
    checkNonNegative('SGD', 'momentum', g.momentum, where3);
    checkNonNegative('SGD', 'weightDecay', g.weightDecay, where3);
    if (g.nesterov && (g.momentum <= 0 || g.dampening !== 0)) {
      throw new RangeError(
        `SGD: Nesterov momentum requires a momentum > 0 and zero dampening (${where3} has momentum ${g.momentum}, dampening ${g.dampening})`,
      );
    }
  }
  updateGroup(group) {
    const { lr, momentum, dampening, weightDecay, nesterov, maximize } = group;
    for (const p of group.params) {
      if (p.grad === null) continue;
      const state = this.stateOf(p, () => ({ momentumBuffer: null }));
      let dP = maximize ? p.grad.neg() : p.grad;
      if (weightDecay !== 0) dP = dP.add(p, weightDecay);
      if (momentum !== 0) {
        let buf = state.momentumBuffer;
        if (buf === null) {
          buf = dP.clone();
          state.momentumBuffer = buf;
        } else {
          buf.mul_(momentum).add_(dP, 1 - dampening);
        }
        dP = nesterov ? dP.add(buf, momentum) : buf;
      }
      p.add_(dP, -lr);
    }
  }
};

// src/backend/native/addon.ts
import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';

function conv2dParamArray(p) {
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
var buildDir = fileURLToPath(new URL('../../../native/build/', import.meta.url));
function loadAddon() {
  if (process.env.NABLA_BACKEND === 'js') return 'disabled by NABLA_BACKEND=js';
  const file = `${buildDir}Release/nabla_native.node`;
  if (!existsSync(file)) {
    const note = `${buildDir}unavailable.txt`;
    return existsSync(note) ? readFileSync(note, 'utf8').trim() : 'the addon was not built (run npm run build:native)';
  }
  try {
    return createRequire(import.meta.url)(file);
  } catch (e) {
    return `loading ${file} failed: ${e.message.split('\n')[0]}`;
  }
}

// src/backend/native/backend.ts
var MIN_GEMM_MACS = 16 * 16 * 16;
var isF32 = (...arrays) => arrays.every((a) => a === null || a instanceof Float32Array);
function nativeBackend(addon2) {
  return {
    ...jsBackend,
    name: 'native',
    matmul(a, aBatchStride, b, bBatchStride, out, batch, m, k, n) {
      if (isF32(a, b, out) && m * n * k >= MIN_GEMM_MACS) {
        addon2.sgemm(false, false, batch, m, n, k, a, aBatchStride, b, bBatchStride, out);
        return;
      }
      jsBackend.matmul(a, aBatchStride, b, bBatchStride, out, batch, m, k, n);
    },
    conv2d(x2, weight, bias, out, p) {
      if (!isF32(x2, weight, bias, out)) return jsBackend.conv2d(x2, weight, bias, out, p);
      addon2.conv2dForward(conv2dParamArray(p), x2, weight, bias, out);
    },
    conv2dBackwardData(gradOut, weight, gradInput, p) {
      if (!isF32(gradOut, weight, gradInput)) return jsBackend.conv2dBackwardData(gradOut, weight, gradInput, p);
      addon2.conv2dBackwardData(conv2dParamArray(p), gradOut, weight, gradInput);
    },
    conv2dBackwardWeights(x2, gradOut, gradWeight, gradBias, p) {
      if (gradWeight === null || !isF32(x2, gradOut, gradWeight, gradBias)) {
        return jsBackend.conv2dBackwardWeights(x2, gradOut, gradWeight, gradBias, p);
      }
      addon2.conv2dBackwardWeights(conv2dParamArray(p), x2, gradOut, gradWeight, gradBias);
    },
  };
}

// src/backend/native/index.ts
var addon;
function getAddon() {
  addon ??= loadAddon();
  return addon;
}
function useNativeBackend() {
  const a = getAddon();
  if (typeof a === 'string') return false;
  if (backend().name !== 'native') setBackend(nativeBackend(a));
  return true;
}
function setNumThreads(n) {
  if (!Number.isInteger(n) || n < 1) throw new RangeError(`setNumThreads: n must be a positive integer (got ${n})`);
  const a = getAddon();
  if (typeof a !== 'string') a.setNumThreads(n);
}

// prof-tmp.ts
useNativeBackend();
setNumThreads(2);
manualSeed(0);
var model = new nn_exports.Sequential(
  new nn_exports.Conv2d(1, 96, 4),
  new nn_exports.ReLU(),
  new nn_exports.Conv2d(96, 96, 3),
  new nn_exports.ReLU(),
  new nn_exports.Conv2d(96, 256, 5, { padding: 2 }),
  new nn_exports.ReLU(),
  new nn_exports.MaxPool2d(3, { stride: 2 }),
  new nn_exports.Conv2d(256, 384, 3, { padding: 1 }),
  new nn_exports.ReLU(),
  new nn_exports.Conv2d(384, 384, 3, { padding: 1 }),
  new nn_exports.ReLU(),
  new nn_exports.Conv2d(384, 256, 3, { padding: 1 }),
  new nn_exports.ReLU(),
  new nn_exports.MaxPool2d(3, { stride: 2 }),
  new nn_exports.Flatten(),
  new nn_exports.Dropout(0.5),
  new nn_exports.Linear(6400, 800),
  new nn_exports.ReLU(),
  new nn_exports.Linear(800, 10),
);
var opt = new optim_exports.SGD(model.parameters(), { lr: 0.01 });
var lossFn = new nn_exports.CrossEntropyLoss();
var x = rand([64, 1, 28, 28]);
var y = randint(0, 10, [64]);
for (let i = 0; i < 8; i++) {
  opt.zeroGrad();
  lossFn.call(model.call(x), y).backward();
  opt.step();
}
