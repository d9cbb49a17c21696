// Batch normalization over contiguous [batch, channels, spatial] float32 data. Per-channel
// statistics take one workgroup per channel (two passes: mean, then squared deviations, each a
// shared-memory tree sum); the elementwise parts run one thread per element. Mean and variance
// are float32 arrays on the GPU (the reference keeps them in float64).
import type { BatchNormParams } from '../../backend.js';
import { type GpuArray, WebGpuContext } from '../context.js';
import { elementMain, groupsFor, paramsBinding } from '../wgsl.js';
import { copy } from './elementwise.js';

const RWG = 64;

/** WGSL: sums f(n, s) over one channel's batch × spatial elements into sh[0], for every thread. */
function channelSum(name: string, term: string): string {
  return /* wgsl */ `
fn ${name}(c: i32, lid: u32) -> f32 {
  let batch = p[0]; let channels = p[1]; let spatial = p[2];
  let count = batch * spatial;
  var a = 0.0;
  for (var k = i32(lid); k < count; k += ${RWG}) {
    let idx = ((k / spatial) * channels + c) * spatial + k % spatial;
    a += ${term};
  }
  sh[lid] = a;
  workgroupBarrier();
  for (var s = ${RWG / 2}u; s > 0u; s = s >> 1u) {
    if (lid < s) { sh[lid] += sh[lid + s]; }
    workgroupBarrier();
  }
  let r = sh[0];
  workgroupBarrier();
  return r;
}`;
}

function checkF32(name: string, arrays: (GpuArray | null)[]): void {
  for (const a of arrays)
    if (a !== null && a.dtype !== 'float32') throw new TypeError(`webgpu ${name}: float32 arrays only (got ${a.dtype})`);
}

const prm = (ctx: WebGpuContext, p: BatchNormParams, flags: number[] = []) =>
  ctx.params([p.batch, p.channels, p.spatial, p.batch * p.channels * p.spatial, ...flags], [p.eps]);

export function batchNorm(
  ctx: WebGpuContext,
  x: GpuArray,
  out: GpuArray,
  mean: GpuArray,
  variance: GpuArray,
  weight: GpuArray | null,
  bias: GpuArray | null,
  p: BatchNormParams,
): void {
  checkF32('batchNorm', [x, out, mean, variance, weight, bias]);
  if (p.channels === 0) return;
  if (p.training) {
    const stats = ctx.pipeline('batchNorm:stats', 'batchNorm:stats', () =>
      [
        paramsBinding(0),
        '@group(0) @binding(1) var<storage, read> x: array<f32>;',
        '@group(0) @binding(2) var<storage, read_write> mean: array<f32>;',
        '@group(0) @binding(3) var<storage, read_write> variance: array<f32>;',
        `var<workgroup> sh: array<f32, ${RWG}>;`,
        `var<workgroup> m: f32;`,
        channelSum('sumX', 'x[idx]'),
        channelSum('sumSq', '(x[idx] - m) * (x[idx] - m)'),
        `@compute @workgroup_size(${RWG})
fn main(@builtin(workgroup_id) wid: vec3<u32>, @builtin(local_invocation_index) lid: u32) {
  let c = i32(wid.x);
  let count = f32(p[0] * p[2]);
  let mu = sumX(c, lid) / count;
  if (lid == 0u) { m = mu; }
  workgroupBarrier();
  let q = sumSq(c, lid);
  if (lid == 0u) { mean[c] = mu; variance[c] = q / count; }
}`,
      ].join('\n'),
    );
    ctx.dispatch(
      stats,
      [{ array: prm(ctx, p) }, { array: x }, { array: mean, write: true }, { array: variance, write: true }],
      [p.channels, 1, 1],
    );
  }
  const n = p.batch * p.channels * p.spatial;
  if (n === 0) return;
  const norm = ctx.pipeline('batchNorm', 'batchNorm:normalize', () =>
    [
      paramsBinding(0),
      '@group(0) @binding(1) var<storage, read> x: array<f32>;',
      '@group(0) @binding(2) var<storage, read> mean: array<f32>;',
      '@group(0) @binding(3) var<storage, read> variance: array<f32>;',
      '@group(0) @binding(4) var<storage, read> weight: array<f32>;',
      '@group(0) @binding(5) var<storage, read> bias: array<f32>;',
      '@group(0) @binding(6) var<storage, read_write> y: array<f32>;',
      elementMain(
        'p[3]',
        `  let c = (i / p[2]) % p[1];
  var scale = 1.0 / sqrt(variance[c] + pf(6));
  if (p[4] != 0) { scale *= weight[c]; }
  var shift = 0.0;
  if (p[5] != 0) { shift = bias[c]; }
  y[i] = (x[i] - mean[c]) * scale + shift;`,
      ),
    ].join('\n'),
  );
  const params = prm(ctx, p, [weight ? 1 : 0, bias ? 1 : 0]);
  ctx.dispatch(
    norm,
    [
      { array: params },
      { array: x },
      { array: mean },
      { array: variance },
      { array: weight ?? params },
      { array: bias ?? params },
      { array: out, write: true },
    ],
    WebGpuContext.groups1d(groupsFor(n)),
  );
}

export function batchNormBackward(
  ctx: WebGpuContext,
  x: GpuArray,
  gradOut: GpuArray,
  mean: GpuArray,
  variance: GpuArray,
  weight: GpuArray | null,
  gradInput: GpuArray | null,
  gradWeight: GpuArray | null,
  gradBias: GpuArray | null,
  p: BatchNormParams,
): void {
  checkF32('batchNormBackward', [x, gradOut, mean, variance, weight, gradInput, gradWeight, gradBias]);
  const C = p.channels;
  if (C === 0) return;
  // sums[c] = Σ g, sums[C + c] = Σ g·(x − mean)·invstd (= gradBias, gradWeight).
  const sums = ctx.allocUninit('float32', 2 * C);
  const stats = ctx.pipeline('batchNormBackward:stats', 'batchNormBackward:stats', () =>
    [
      paramsBinding(0),
      '@group(0) @binding(1) var<storage, read> x: array<f32>;',
      '@group(0) @binding(2) var<storage, read> go: array<f32>;',
      '@group(0) @binding(3) var<storage, read> mean: array<f32>;',
      '@group(0) @binding(4) var<storage, read> variance: array<f32>;',
      '@group(0) @binding(5) var<storage, read_write> sums: array<f32>;',
      `var<workgroup> sh: array<f32, ${RWG}>;`,
      'var<workgroup> m: f32;',
      channelSum('sumG', 'go[idx]'),
      channelSum('sumGX', 'go[idx] * (x[idx] - m)'),
      `@compute @workgroup_size(${RWG})
fn main(@builtin(workgroup_id) wid: vec3<u32>, @builtin(local_invocation_index) lid: u32) {
  let c = i32(wid.x);
  if (lid == 0u) { m = mean[c]; }
  workgroupBarrier();
  let g = sumG(c, lid);
  let gx = sumGX(c, lid);
  if (lid == 0u) { sums[c] = g; sums[p[1] + c] = gx / sqrt(variance[c] + pf(4)); }
}`,
    ].join('\n'),
  );
  ctx.dispatch(
    stats,
    [{ array: prm(ctx, p) }, { array: x }, { array: gradOut }, { array: mean }, { array: variance }, { array: sums, write: true }],
    [C, 1, 1],
  );
  if (gradBias) copy(ctx, { buf: sums, offset: 0, strides: [1] }, { buf: gradBias, offset: 0, strides: [1] }, [C]);
  if (gradWeight) copy(ctx, { buf: sums, offset: C, strides: [1] }, { buf: gradWeight, offset: 0, strides: [1] }, [C]);
  const n = p.batch * C * p.spatial;
  if (gradInput && n > 0) {
    const gi = ctx.pipeline('batchNormBackward', 'batchNormBackward:input', () =>
      [
        paramsBinding(0),
        '@group(0) @binding(1) var<storage, read> x: array<f32>;',
        '@group(0) @binding(2) var<storage, read> go: array<f32>;',
        '@group(0) @binding(3) var<storage, read> mean: array<f32>;',
        '@group(0) @binding(4) var<storage, read> variance: array<f32>;',
        '@group(0) @binding(5) var<storage, read> weight: array<f32>;',
        '@group(0) @binding(6) var<storage, read> sums: array<f32>;',
        '@group(0) @binding(7) var<storage, read_write> gi: array<f32>;',
        elementMain(
          'p[3]',
          `  let C = p[1];
  let c = (i / p[2]) % C;
  let invstd = 1.0 / sqrt(variance[c] + pf(7));
  var scale = invstd;
  if (p[4] != 0) { scale *= weight[c]; }
  if (p[5] != 0) {
    // Training: dx = w·invstd·(g − mean(g) − x̂·mean(g·x̂)).
    let count = f32(p[0] * p[2]);
    let k = sums[C + c] * invstd / count;
    gi[i] = (go[i] - sums[c] / count - (x[i] - mean[c]) * k) * scale;
  } else {
    gi[i] = go[i] * scale;
  }`,
        ),
      ].join('\n'),
    );
    const params = ctx.params([p.batch, C, p.spatial, n, weight ? 1 : 0, p.training ? 1 : 0, 0], [p.eps]);
    ctx.dispatch(
      gi,
      [
        { array: params },
        { array: x },
        { array: gradOut },
        { array: mean },
        { array: variance },
        { array: weight ?? params },
        { array: sums },
        { array: gradInput, write: true },
      ],
      WebGpuContext.groups1d(groupsFor(n)),
    );
  }
  ctx.release(sums);
}
