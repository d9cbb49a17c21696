// conv2d and its two backward passes as direct convolutions, one thread per output element:
// forward per output pixel, backward-data per input pixel (gathering the output pixels whose
// window covers it, so no atomics), backward-weights per weight (summing over batch and pixels).
import type { Conv2dParams } from '../../backend.js';
import { type GpuArray, WebGpuContext } from '../context.js';
import { elementMain, groupsFor, paramsBinding } from '../wgsl.js';

/** p[0..17]: the Conv2dParams fields in this order; p[18]: a flag (bias present). */
const FIELDS = /* wgsl */ `
  let batch = p[0]; let inC = p[1]; let inH = p[2]; let inW = p[3];
  let outC = p[4]; let kH = p[5]; let kW = p[6]; let outH = p[7]; let outW = p[8];
  let sH = p[9]; let sW = p[10]; let padT = p[11]; let padL = p[12];
  let dH = p[15]; let dW = p[16]; let groups = p[17];
  let cinG = inC / groups; let coutG = outC / groups;`;

function params(ctx: WebGpuContext, p: Conv2dParams, n: number, flag = 0): GpuArray {
  return ctx.params([
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
    flag,
    n,
  ]);
}

function checkF32(name: string, arrays: (GpuArray | null)[]): void {
  for (const a of arrays)
    if (a !== null && a.dtype !== 'float32') throw new TypeError(`webgpu ${name}: float32 arrays only (got ${a.dtype})`);
}

export function conv2d(ctx: WebGpuContext, x: GpuArray, weight: GpuArray, bias: GpuArray | null, out: GpuArray, p: Conv2dParams): void {
  checkF32('conv2d', [x, weight, bias, out]);
  const n = p.batch * p.outChannels * p.outH * p.outW;
  if (n === 0) return;
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
  if (gradWeight !== null && nw > 0) {
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
