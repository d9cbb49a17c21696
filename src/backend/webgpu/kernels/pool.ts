// Max/average/adaptive-average 2-D pooling and their backward passes over contiguous planes,
// with PyTorch 1.13's window and divisor rules (as the reference kernels). Backward passes run one
// thread per input element and gather the output windows that cover it: no atomics needed.
import { type AdaptivePool2dParams, type AvgPool2dParams, type Pool2dParams, pool2dParamList } from '../../backend.js';
import { type GpuArray, WebGpuContext } from '../context.js';
import { COMMON, elementMain, groupsFor, paramsBinding } from '../wgsl.js';

/** p: planes, inH, inW, outH, outW, kH, kW, sH, sW, padH, padW, dH, dW, n, countIncludePad, divisorOverride. */
const FIELDS = /* wgsl */ `
  let inH = p[1]; let inW = p[2]; let outH = p[3]; let outW = p[4];
  let kH = p[5]; let kW = p[6]; let sH = p[7]; let sW = p[8]; let padH = p[9]; let padW = p[10];
  let dH = p[11]; let dW = p[12];`;

const HELPERS = /* wgsl */ `
fn firstTap(start: i32, dil: i32) -> i32 { if (start >= 0) { return 0; } return (-start + dil - 1) / dil; }
fn endTap(start: i32, dil: i32, k: i32, size: i32) -> i32 {
  let last = size - 1 - start;
  if (last < 0) { return 0; }
  return min(k, last / dil + 1);
}
fn floorDiv(a: i32, b: i32) -> i32 { return select(a / b, -((-a + b - 1) / b), a < 0); }
// The window of output o along one axis: clipped start/end and the extent clipped to the padded input.
fn avgStart(o: i32, s: i32, pad: i32) -> i32 { return max(o * s - pad, 0); }
fn avgEnd(o: i32, s: i32, pad: i32, k: i32, size: i32) -> i32 { return min(min(o * s - pad + k, size + pad), size); }
fn avgPadded(o: i32, s: i32, pad: i32, k: i32, size: i32) -> i32 { return min(o * s - pad + k, size + pad) - (o * s - pad); }
fn divisorOf(oh: i32, ow: i32) -> f32 {
  let inH = p[1]; let inW = p[2]; let kH = p[5]; let kW = p[6]; let sH = p[7]; let sW = p[8]; let padH = p[9]; let padW = p[10];
  if (p[15] != 0) { return f32(p[15]); }
  if (p[14] != 0) { return f32(avgPadded(oh, sH, padH, kH, inH) * avgPadded(ow, sW, padW, kW, inW)); }
  return f32((avgEnd(oh, sH, padH, kH, inH) - avgStart(oh, sH, padH)) * (avgEnd(ow, sW, padW, kW, inW) - avgStart(ow, sW, padW)));
}
fn adStart(o: i32, inS: i32, outS: i32) -> i32 { return (o * inS) / outS; }
fn adEnd(o: i32, inS: i32, outS: i32) -> i32 { return ((o + 1) * inS + outS - 1) / outS; }`;

function poolParams(ctx: WebGpuContext, p: Pool2dParams, n: number, countIncludePad = false, divisorOverride = 0): GpuArray {
  return ctx.params([...pool2dParamList(p), n, countIncludePad ? 1 : 0, divisorOverride]);
}

function checkF32(name: string, arrays: GpuArray[]): void {
  for (const a of arrays) if (a.dtype !== 'float32') throw new TypeError(`webgpu ${name}: float32 arrays only (got ${a.dtype})`);
}

function source(bindings: string[], body: string): string {
  return [
    COMMON,
    paramsBinding(0),
    ...bindings.map((b, i) => `@group(0) @binding(${i + 1}) ${b};`),
    HELPERS,
    elementMain('p[13]', body),
  ].join('\n');
}

export function maxPool2d(ctx: WebGpuContext, x: GpuArray, out: GpuArray, indices: GpuArray, p: Pool2dParams): void {
  checkF32('maxPool2d', [x, out]);
  const n = p.planes * p.outH * p.outW;
  if (n === 0) return;
  const pipe = ctx.pipeline('maxPool2d', 'maxPool2d', () =>
    source(
      ['var<storage, read> x: array<f32>', 'var<storage, read_write> y: array<f32>', 'var<storage, read_write> idx: array<i32>'],
      `${FIELDS}
  let ow = i % outW;
  let oh = (i / outW) % outH;
  let xo = (i / (outW * outH)) * inH * inW;
  let h0 = oh * sH - padH;
  let w0 = ow * sW - padW;
  let i0 = firstTap(h0, dH); let i1 = endTap(h0, dH, kH, inH);
  let j0 = firstTap(w0, dW); let j1 = endTap(w0, dW, kW, inW);
  var best = (h0 + i0 * dH) * inW + w0 + j0 * dW;
  var m = -inf_();
  for (var a = i0; a < i1; a++) {
    let row = (h0 + a * dH) * inW + w0;
    for (var b = j0; b < j1; b++) {
      let k = row + b * dW;
      let v = x[xo + k];
      // A NaN counts as a maximum (the last one wins), as in PyTorch.
      if (isnan_(v) || (!isnan_(m) && v > m)) { m = v; best = k; }
    }
  }
  y[i] = m;
  idx[i] = best;`,
    ),
  );
  ctx.dispatch(
    pipe,
    [{ array: poolParams(ctx, p, n) }, { array: x }, { array: out, write: true }, { array: indices, write: true }],
    WebGpuContext.groups1d(groupsFor(n)),
  );
}

export function maxPool2dBackward(ctx: WebGpuContext, gradOut: GpuArray, indices: GpuArray, gradInput: GpuArray, p: Pool2dParams): void {
  checkF32('maxPool2dBackward', [gradOut, gradInput]);
  const n = p.planes * p.inH * p.inW;
  if (n === 0) return;
  const pipe = ctx.pipeline('maxPool2dBackward', 'maxPool2dBackward', () =>
    source(
      ['var<storage, read> go: array<f32>', 'var<storage, read> idx: array<i32>', 'var<storage, read_write> gi: array<f32>'],
      `${FIELDS}
  let k = i % (inH * inW);
  let h = k / inW;
  let w = k % inW;
  let oBase = (i / (inH * inW)) * outH * outW;
  // Output windows that can cover (h, w), in output order (the reference's summation order).
  let oh0 = max(0, floorDiv(h + padH - (kH - 1) * dH + sH - 1, sH));
  let oh1 = min(outH - 1, floorDiv(h + padH, sH));
  let ow0 = max(0, floorDiv(w + padW - (kW - 1) * dW + sW - 1, sW));
  let ow1 = min(outW - 1, floorDiv(w + padW, sW));
  var acc = 0.0;
  for (var oh = oh0; oh <= oh1; oh++) {
    for (var ow = ow0; ow <= ow1; ow++) {
      let o = oBase + oh * outW + ow;
      if (idx[o] == k) { acc += go[o]; }
    }
  }
  gi[i] = acc;`,
    ),
  );
  ctx.dispatch(
    pipe,
    [{ array: poolParams(ctx, p, n) }, { array: gradOut }, { array: indices }, { array: gradInput, write: true }],
    WebGpuContext.groups1d(groupsFor(n)),
  );
}

export function avgPool2d(ctx: WebGpuContext, x: GpuArray, out: GpuArray, p: AvgPool2dParams): void {
  checkF32('avgPool2d', [x, out]);
  const n = p.planes * p.outH * p.outW;
  if (n === 0) return;
  const pipe = ctx.pipeline('avgPool2d', 'avgPool2d', () =>
    source(
      ['var<storage, read> x: array<f32>', 'var<storage, read_write> y: array<f32>'],
      `${FIELDS}
  let ow = i % outW;
  let oh = (i / outW) % outH;
  let xo = (i / (outW * outH)) * inH * inW;
  let hs = avgStart(oh, sH, padH); let he = avgEnd(oh, sH, padH, kH, inH);
  let ws = avgStart(ow, sW, padW); let we = avgEnd(ow, sW, padW, kW, inW);
  if (hs >= he || ws >= we) { y[i] = 0.0; return; }
  var s = 0.0;
  for (var h = hs; h < he; h++) { for (var w = ws; w < we; w++) { s += x[xo + h * inW + w]; } }
  y[i] = s / divisorOf(oh, ow);`,
    ),
  );
  ctx.dispatch(
    pipe,
    [{ array: poolParams(ctx, p, n, p.countIncludePad, p.divisorOverride) }, { array: x }, { array: out, write: true }],
    WebGpuContext.groups1d(groupsFor(n)),
  );
}

export function avgPool2dBackward(ctx: WebGpuContext, gradOut: GpuArray, gradInput: GpuArray, p: AvgPool2dParams): void {
  checkF32('avgPool2dBackward', [gradOut, gradInput]);
  const n = p.planes * p.inH * p.inW;
  if (n === 0) return;
  const pipe = ctx.pipeline('avgPool2dBackward', 'avgPool2dBackward', () =>
    source(
      ['var<storage, read> go: array<f32>', 'var<storage, read_write> gi: array<f32>'],
      `${FIELDS}
  let k = i % (inH * inW);
  let h = k / inW;
  let w = k % inW;
  let oBase = (i / (inH * inW)) * outH * outW;
  let oh0 = max(0, floorDiv(h + padH - kH + sH, sH));
  let oh1 = min(outH - 1, floorDiv(h + padH, sH));
  let ow0 = max(0, floorDiv(w + padW - kW + sW, sW));
  let ow1 = min(outW - 1, floorDiv(w + padW, sW));
  var acc = 0.0;
  for (var oh = oh0; oh <= oh1; oh++) {
    if (h < avgStart(oh, sH, padH) || h >= avgEnd(oh, sH, padH, kH, inH)) { continue; }
    for (var ow = ow0; ow <= ow1; ow++) {
      if (w < avgStart(ow, sW, padW) || w >= avgEnd(ow, sW, padW, kW, inW)) { continue; }
      acc += go[oBase + oh * outW + ow] / divisorOf(oh, ow);
    }
  }
  gi[i] = acc;`,
    ),
  );
  ctx.dispatch(
    pipe,
    [{ array: poolParams(ctx, p, n, p.countIncludePad, p.divisorOverride) }, { array: gradOut }, { array: gradInput, write: true }],
    WebGpuContext.groups1d(groupsFor(n)),
  );
}

function adaptiveParams(ctx: WebGpuContext, p: AdaptivePool2dParams, n: number): GpuArray {
  return ctx.params([p.planes, p.inH, p.inW, p.outH, p.outW, 0, 0, 0, 0, 0, 0, 0, 0, n, 0, 0]);
}

export function adaptiveAvgPool2d(ctx: WebGpuContext, x: GpuArray, out: GpuArray, p: AdaptivePool2dParams): void {
  checkF32('adaptiveAvgPool2d', [x, out]);
  const n = p.planes * p.outH * p.outW;
  if (n === 0) return;
  const pipe = ctx.pipeline('adaptiveAvgPool2d', 'adaptiveAvgPool2d', () =>
    source(
      ['var<storage, read> x: array<f32>', 'var<storage, read_write> y: array<f32>'],
      `  let inH = p[1]; let inW = p[2]; let outH = p[3]; let outW = p[4];
  let ow = i % outW;
  let oh = (i / outW) % outH;
  let xo = (i / (outW * outH)) * inH * inW;
  let hs = adStart(oh, inH, outH); let he = adEnd(oh, inH, outH);
  let ws = adStart(ow, inW, outW); let we = adEnd(ow, inW, outW);
  var s = 0.0;
  for (var h = hs; h < he; h++) { for (var w = ws; w < we; w++) { s += x[xo + h * inW + w]; } }
  y[i] = s / f32((he - hs) * (we - ws));`,
    ),
  );
  ctx.dispatch(
    pipe,
    [{ array: adaptiveParams(ctx, p, n) }, { array: x }, { array: out, write: true }],
    WebGpuContext.groups1d(groupsFor(n)),
  );
}

export function adaptiveAvgPool2dBackward(ctx: WebGpuContext, gradOut: GpuArray, gradInput: GpuArray, p: AdaptivePool2dParams): void {
  checkF32('adaptiveAvgPool2dBackward', [gradOut, gradInput]);
  const n = p.planes * p.inH * p.inW;
  if (n === 0) return;
  const pipe = ctx.pipeline('adaptiveAvgPool2dBackward', 'adaptiveAvgPool2dBackward', () =>
    source(
      ['var<storage, read> go: array<f32>', 'var<storage, read_write> gi: array<f32>'],
      `  let inH = p[1]; let inW = p[2]; let outH = p[3]; let outW = p[4];
  let k = i % (inH * inW);
  let h = k / inW;
  let w = k % inW;
  let oBase = (i / (inH * inW)) * outH * outW;
  // Windows covering h: start(oh) <= h < end(oh), a contiguous run of oh.
  let oh0 = (h * outH) / inH;
  let oh1 = min(outH - 1, ((h + 1) * outH + inH - 1) / inH - 1);
  let ow0 = (w * outW) / inW;
  let ow1 = min(outW - 1, ((w + 1) * outW + inW - 1) / inW - 1);
  var acc = 0.0;
  for (var oh = oh0; oh <= oh1; oh++) {
    let hs = adStart(oh, inH, outH); let he = adEnd(oh, inH, outH);
    if (h < hs || h >= he) { continue; }
    for (var ow = ow0; ow <= ow1; ow++) {
      let ws = adStart(ow, inW, outW); let we = adEnd(ow, inW, outW);
      if (w < ws || w >= we) { continue; }
      acc += go[oBase + oh * outW + ow] / f32((he - hs) * (we - ws));
    }
  }
  gi[i] = acc;`,
    ),
  );
  ctx.dispatch(
    pipe,
    [{ array: adaptiveParams(ctx, p, n) }, { array: gradOut }, { array: gradInput, write: true }],
    WebGpuContext.groups1d(groupsFor(n)),
  );
}
