// conv2d and its two backward passes. Ungrouped convolutions go through im2col and the tiled
// matmul (GEMM form: the batched product writes NCHW directly); grouped ones, and those whose
// column matrix would not fit one buffer, run as direct convolutions, one thread per output
// element: forward per output pixel, backward-data per input pixel (gathering the output pixels
// whose window covers it, so no atomics), backward-weights per weight.
import { type Conv2dParams, conv2dParamList } from '../../backend.js';
import { type GpuArray, WebGpuContext } from '../context.js';
import { elementMain, groupsFor, paramsBinding } from '../wgsl.js';
import { binary } from './elementwise.js';
import { matmul } from './matmul.js';
import { reduce } from './reduce.js';

/** Which convolution algorithm runs: 'auto' picks im2col + GEMM where it applies. */
export type ConvAlgorithm = 'auto' | 'direct' | 'im2col';
const algorithms = new WeakMap<WebGpuContext, ConvAlgorithm>();
/** Chooses the convolution algorithm of a context (tests compare both). */
export function setConvAlgorithm(ctx: WebGpuContext, a: ConvAlgorithm): void {
  algorithms.set(ctx, a);
}

/** Whether the im2col path applies: no groups, and the [batch, K, P] column matrix fits one buffer. */
function useIm2col(ctx: WebGpuContext, p: Conv2dParams): boolean {
  const a = algorithms.get(ctx) ?? 'auto';
  if (a === 'direct' || p.groups !== 1 || p.batch > 65535) return false;
  const bytes = p.batch * p.inChannels * p.kernelH * p.kernelW * p.outH * p.outW * 4;
  return bytes <= Math.min(ctx.device.limits.maxStorageBufferBindingSize, ctx.device.limits.maxBufferSize);
}

/** col[b, (ic·kH + kh)·kW + kw, oh·outW + ow] = x[b, ic, ih, iw] (0 in the padding). */
function im2col(ctx: WebGpuContext, x: GpuArray, p: Conv2dParams): GpuArray {
  const n = p.batch * p.inChannels * p.kernelH * p.kernelW * p.outH * p.outW;
  const col = ctx.allocUninit('float32', n);
  const pipe = ctx.pipeline('conv2d:im2col', 'conv2d:im2col', () =>
    [
      paramsBinding(0),
      '@group(0) @binding(1) var<storage, read> x: array<f32>;',
      '@group(0) @binding(2) var<storage, read_write> col: array<f32>;',
      elementMain(
        'p[19]',
        `${FIELDS}
  let P = outH * outW;
  let pp = i % P;
  let kk = (i / P) % (inC * kH * kW);
  let nb = i / (P * inC * kH * kW);
  let kw = kk % kW;
  let kh = (kk / kW) % kH;
  let ic = kk / (kW * kH);
  let ih = (pp / outW) * sH - padT + kh * dH;
  let iw = (pp % outW) * sW - padL + kw * dW;
  var v = 0.0;
  if (ih >= 0 && ih < inH && iw >= 0 && iw < inW) { v = x[((nb * inC + ic) * inH + ih) * inW + iw]; }
  col[i] = v;`,
      ),
    ].join('\n'),
  );
  ctx.dispatch(pipe, [{ array: params(ctx, p, n) }, { array: x }, { array: col, write: true }], WebGpuContext.groups1d(groupsFor(n)));
  return col;
}

/** p[0..17]: the Conv2dParams fields in this order; p[18]: a flag (bias present). */
const FIELDS = /* wgsl */ `
  let batch = p[0]; let inC = p[1]; let inH = p[2]; let inW = p[3];
  let outC = p[4]; let kH = p[5]; let kW = p[6]; let outH = p[7]; let outW = p[8];
  let sH = p[9]; let sW = p[10]; let padT = p[11]; let padL = p[12];
  let dH = p[15]; let dW = p[16]; let groups = p[17];
  let cinG = inC / groups; let coutG = outC / groups;`;

function params(ctx: WebGpuContext, p: Conv2dParams, n: number, flag = 0): GpuArray {
  return ctx.params([...conv2dParamList(p), flag, n]);
}

function checkF32(name: string, arrays: (GpuArray | null)[]): void {
  for (const a of arrays)
    if (a !== null && a.dtype !== 'float32') throw new TypeError(`webgpu ${name}: float32 arrays only (got ${a.dtype})`);
}

export function conv2d(ctx: WebGpuContext, x: GpuArray, weight: GpuArray, bias: GpuArray | null, out: GpuArray, p: Conv2dParams): void {
  checkF32('conv2d', [x, weight, bias, out]);
  const n = p.batch * p.outChannels * p.outH * p.outW;
  if (n === 0) return;
  if (useIm2col(ctx, p)) {
    const K = p.inChannels * p.kernelH * p.kernelW;
    const P = p.outH * p.outW;
    const col = im2col(ctx, x, p);
    matmul(ctx, weight, 0, false, col, K * P, false, out, p.batch, p.outChannels, K, P);
    ctx.release(col);
    if (bias)
      binary(
        ctx,
        'add',
        { buf: out, offset: 0, strides: [p.outChannels * P, P, 1] },
        { buf: bias, offset: 0, strides: [0, 1, 0] },
        [p.batch, p.outChannels, P],
        out,
      );
    return;
  }
  const pipe = ctx.pipeline('conv2d', 'conv2d:f32', () =>
    [
      paramsBinding(0),
      '@group(0) @binding(1) var<storage, read> x: array<f32>;',
      '@group(0) @binding(2) var<storage, read> w: array<f32>;',
      '@group(0) @binding(3) var<storage, read> bias: array<f32>;',
      '@group(0) @binding(4) var<storage, read_write> y: array<f32>;',
      elementMain(
        'p[19]',
        `${FIELDS}
  let ow = i % outW;
  let oh = (i / outW) % outH;
  let oc = (i / (outW * outH)) % outC;
  let nb = i / (outW * outH * outC);
  let g = oc / coutG;
  var acc = 0.0;
  for (var icg = 0; icg < cinG; icg++) {
    let xPlane = (nb * inC + g * cinG + icg) * inH;
    let wBase = (oc * cinG + icg) * kH;
    for (var kh = 0; kh < kH; kh++) {
      let ih = oh * sH - padT + kh * dH;
      if (ih < 0 || ih >= inH) { continue; }
      for (var kw = 0; kw < kW; kw++) {
        let iw = ow * sW - padL + kw * dW;
        if (iw < 0 || iw >= inW) { continue; }
        acc = fma(x[(xPlane + ih) * inW + iw], w[(wBase + kh) * kW + kw], acc);
      }
    }
  }
  if (p[18] != 0) { acc += bias[oc]; }
  y[i] = acc;`,
      ),
    ].join('\n'),
  );
  const prm = params(ctx, p, n, bias ? 1 : 0);
  // Without a bias the parameter array stands in for it (read-only bindings may alias).
  ctx.dispatch(
    pipe,
    [{ array: prm }, { array: x }, { array: weight }, { array: bias ?? prm }, { array: out, write: true }],
    WebGpuContext.groups1d(groupsFor(n)),
  );
}

export function conv2dBackwardData(ctx: WebGpuContext, gradOut: GpuArray, weight: GpuArray, gradInput: GpuArray, p: Conv2dParams): void {
  checkF32('conv2dBackwardData', [gradOut, weight, gradInput]);
  const n = p.batch * p.inChannels * p.inH * p.inW;
  if (n === 0) return;
  if (useIm2col(ctx, p) && p.outH * p.outW > 0) {
    const K = p.inChannels * p.kernelH * p.kernelW;
    const P = p.outH * p.outW;
    // gcol[b] = Wᵀ · gradOut[b], then each input pixel sums the columns that read it.
    const gcol = ctx.allocUninit('float32', p.batch * K * P);
    matmul(ctx, weight, 0, true, gradOut, p.outChannels * P, false, gcol, p.batch, K, p.outChannels, P);
    const pipe = ctx.pipeline('conv2dBackwardData:col2im', 'conv2dBackwardData:col2im', () =>
      [
        paramsBinding(0),
        '@group(0) @binding(1) var<storage, read> gcol: array<f32>;',
        '@group(0) @binding(2) var<storage, read_write> gi: array<f32>;',
        elementMain(
          'p[19]',
          `${FIELDS}
  let P = outH * outW;
  let iw = i % inW;
  let ih = (i / inW) % inH;
  let ic = (i / (inW * inH)) % inC;
  let nb = i / (inW * inH * inC);
  var acc = 0.0;
  for (var kh = 0; kh < kH; kh++) {
    let th = ih + padT - kh * dH;
    if (th < 0 || th % sH != 0) { continue; }
    let oh = th / sH;
    if (oh >= outH) { continue; }
    for (var kw = 0; kw < kW; kw++) {
      let tw = iw + padL - kw * dW;
      if (tw < 0 || tw % sW != 0) { continue; }
      let ow = tw / sW;
      if (ow >= outW) { continue; }
      acc += gcol[((nb * inC + ic) * kH * kW + kh * kW + kw) * P + oh * outW + ow];
    }
  }
  gi[i] = acc;`,
        ),
      ].join('\n'),
    );
    ctx.dispatch(
      pipe,
      [{ array: params(ctx, p, n) }, { array: gcol }, { array: gradInput, write: true }],
      WebGpuContext.groups1d(groupsFor(n)),
    );
    ctx.release(gcol);
    return;
  }
  const pipe = ctx.pipeline('conv2dBackwardData', 'conv2dBackwardData:f32', () =>
    [
      paramsBinding(0),
      '@group(0) @binding(1) var<storage, read> go: array<f32>;',
      '@group(0) @binding(2) var<storage, read> w: array<f32>;',
      '@group(0) @binding(3) var<storage, read_write> gi: array<f32>;',
      elementMain(
        'p[19]',
        `${FIELDS}
  let iw = i % inW;
  let ih = (i / inW) % inH;
  let ic = (i / (inW * inH)) % inC;
  let nb = i / (inW * inH * inC);
  let g = ic / cinG;
  let icg = ic % cinG;
  var acc = 0.0;
  for (var ocg = 0; ocg < coutG; ocg++) {
    let oc = g * coutG + ocg;
    let goPlane = (nb * outC + oc) * outH;
    let wBase = (oc * cinG + icg) * kH;
    for (var kh = 0; kh < kH; kh++) {
      let th = ih + padT - kh * dH;
      if (th < 0 || th % sH != 0) { continue; }
      let oh = th / sH;
      if (oh >= outH) { continue; }
      for (var kw = 0; kw < kW; kw++) {
        let tw = iw + padL - kw * dW;
        if (tw < 0 || tw % sW != 0) { continue; }
        let ow = tw / sW;
        if (ow >= outW) { continue; }
        acc = fma(go[(goPlane + oh) * outW + ow], w[(wBase + kh) * kW + kw], acc);
      }
    }
  }
  gi[i] = acc;`,
      ),
    ].join('\n'),
  );
  ctx.dispatch(
    pipe,
    [{ array: params(ctx, p, n) }, { array: gradOut }, { array: weight }, { array: gradInput, write: true }],
    WebGpuContext.groups1d(groupsFor(n)),
  );
}

export function conv2dBackwardWeights(
  ctx: WebGpuContext,
  x: GpuArray,
  gradOut: GpuArray,
  gradWeight: GpuArray | null,
  gradBias: GpuArray | null,
  p: Conv2dParams,
): void {
  checkF32('conv2dBackwardWeights', [x, gradOut, gradWeight, gradBias]);
  const cinG = p.inChannels / p.groups;
  const nw = p.outChannels * cinG * p.kernelH * p.kernelW;
  if (gradWeight !== null && nw > 0 && useIm2col(ctx, p) && p.outH * p.outW > 0) {
    const K = p.inChannels * p.kernelH * p.kernelW;
    const P = p.outH * p.outW;
    // gradWeight = Σ_b gradOut[b] · col[b]ᵀ: one batched GEMM, then a sum over the batch.
    const col = im2col(ctx, x, p);
    const perBatch = ctx.allocUninit('float32', p.batch * p.outChannels * K);
    matmul(ctx, gradOut, p.outChannels * P, false, col, K * P, true, perBatch, p.batch, p.outChannels, P, K);
    ctx.release(col);
    reduce(ctx, 'sum', perBatch, 1, p.batch, p.outChannels * K, gradWeight);
    ctx.release(perBatch);
  } else if (gradWeight !== null && nw > 0) {
    const pipe = ctx.pipeline('conv2dBackwardWeights', 'conv2dBackwardWeights:f32', () =>
      [
        paramsBinding(0),
        '@group(0) @binding(1) var<storage, read> x: array<f32>;',
        '@group(0) @binding(2) var<storage, read> go: array<f32>;',
        '@group(0) @binding(3) var<storage, read_write> gw: array<f32>;',
        elementMain(
          'p[19]',
          `${FIELDS}
  let kw = i % kW;
  let kh = (i / kW) % kH;
  let icg = (i / (kW * kH)) % cinG;
  let oc = i / (kW * kH * cinG);
  let ic = (oc / coutG) * cinG + icg;
  var acc = 0.0;
  for (var nb = 0; nb < batch; nb++) {
    let xPlane = (nb * inC + ic) * inH;
    let goPlane = (nb * outC + oc) * outH;
    for (var oh = 0; oh < outH; oh++) {
      let ih = oh * sH - padT + kh * dH;
      if (ih < 0 || ih >= inH) { continue; }
      for (var ow = 0; ow < outW; ow++) {
        let iw = ow * sW - padL + kw * dW;
        if (iw < 0 || iw >= inW) { continue; }
        acc = fma(x[(xPlane + ih) * inW + iw], go[(goPlane + oh) * outW + ow], acc);
      }
    }
  }
  gw[i] = acc;`,
        ),
      ].join('\n'),
    );
    ctx.dispatch(
      pipe,
      [{ array: params(ctx, p, nw) }, { array: x }, { array: gradOut }, { array: gradWeight, write: true }],
      WebGpuContext.groups1d(groupsFor(nw)),
    );
  }
  if (gradBias !== null && p.outChannels > 0) {
    const pipe = ctx.pipeline('conv2dBackwardBias', 'conv2dBackwardBias:f32', () =>
      [
        paramsBinding(0),
        '@group(0) @binding(1) var<storage, read> go: array<f32>;',
        '@group(0) @binding(2) var<storage, read_write> gb: array<f32>;',
        elementMain(
          'p[19]',
          `  let batch = p[0]; let outC = p[4]; let plane = p[7] * p[8];
  var acc = 0.0;
  for (var nb = 0; nb < batch; nb++) {
    let base = (nb * outC + i) * plane;
    for (var k = 0; k < plane; k++) { acc += go[base + k]; }
  }
  gb[i] = acc;`,
        ),
      ].join('\n'),
    );
    ctx.dispatch(
      pipe,
      [{ array: params(ctx, p, p.outChannels) }, { array: gradOut }, { array: gradBias, write: true }],
      WebGpuContext.groups1d(groupsFor(p.outChannels)),
    );
  }
}
