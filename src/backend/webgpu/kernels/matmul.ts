// Batched matmul: 64×64 output tiles per workgroup of 16×16 threads, each thread a 4×4 register
// block, operands staged through workgroup memory 16 deep in k. A transposed operand is read in
// place from its stored transpose; a batch stride of 0 broadcasts one matrix over the batch.
import type { GpuArray, WebGpuContext } from '../context.js';
import { paramsBinding } from '../wgsl.js';

const TILE = 64;

const SOURCE = /* wgsl */ `
${paramsBinding(0)}
@group(0) @binding(1) var<storage, read> A: array<f32>;
@group(0) @binding(2) var<storage, read> B: array<f32>;
@group(0) @binding(3) var<storage, read_write> C: array<f32>;
var<workgroup> As: array<f32, 1024>;
var<workgroup> Bs: array<f32, 1024>;

@compute @workgroup_size(16, 16)
fn main(@builtin(workgroup_id) wid: vec3<u32>, @builtin(local_invocation_id) l: vec3<u32>, @builtin(local_invocation_index) lid: u32) {
  let M = p[1];
  let K = p[2];
  let N = p[3];
  let transA = p[6] != 0;
  let transB = p[7] != 0;
  let b = i32(wid.z);
  let aBase = b * p[4];
  let bBase = b * p[5];
  let row0 = i32(wid.y) * 64;
  let col0 = i32(wid.x) * 64;
  let tr = i32(l.y) * 4;
  let tc = i32(l.x) * 4;
  var acc: array<f32, 16>;
  for (var k0 = 0; k0 < K; k0 += 16) {
    for (var e = 0; e < 4; e++) {
      let idx = i32(lid) + e * 256;
      // A tile: 64 rows × 16 k (consecutive threads walk k when A is row-major, rows when transposed).
      var r = idx / 16;
      var kk = idx % 16;
      if (transA) { r = idx % 64; kk = idx / 64; }
      let gr = row0 + r;
      let gk = k0 + kk;
      var v = 0.0;
      if (gr < M && gk < K) {
        if (transA) { v = A[aBase + gk * M + gr]; } else { v = A[aBase + gr * K + gk]; }
      }
      As[kk * 64 + r] = v;
      // B tile: 16 k × 64 columns.
      var c = idx % 64;
      var bk = idx / 64;
      if (transB) { c = idx / 16; bk = idx % 16; }
      let gc = col0 + c;
      let gbk = k0 + bk;
      var w = 0.0;
      if (gc < N && gbk < K) {
        if (transB) { w = B[bBase + gc * K + gbk]; } else { w = B[bBase + gbk * N + gc]; }
      }
      Bs[bk * 64 + c] = w;
    }
    workgroupBarrier();
    for (var kk = 0; kk < 16; kk++) {
      let a0 = As[kk * 64 + tr];
      let a1 = As[kk * 64 + tr + 1];
      let a2 = As[kk * 64 + tr + 2];
      let a3 = As[kk * 64 + tr + 3];
      for (var j = 0; j < 4; j++) {
        let bv = Bs[kk * 64 + tc + j];
        acc[j] = fma(a0, bv, acc[j]);
        acc[4 + j] = fma(a1, bv, acc[4 + j]);
        acc[8 + j] = fma(a2, bv, acc[8 + j]);
        acc[12 + j] = fma(a3, bv, acc[12 + j]);
      }
    }
    workgroupBarrier();
  }
  let cBase = b * M * N;
  for (var i = 0; i < 4; i++) {
    let r = row0 + tr + i;
    if (r >= M) { break; }
    for (var j = 0; j < 4; j++) {
      let c = col0 + tc + j;
      if (c < N) { C[cBase + r * N + c] = acc[i * 4 + j]; }
    }
  }
}`;

export function matmul(
  ctx: WebGpuContext,
  a: GpuArray,
  aBatchStride: number,
  transA: boolean,
  b: GpuArray,
  bBatchStride: number,
  transB: boolean,
  out: GpuArray,
  batch: number,
  m: number,
  k: number,
  n: number,
): void {
  if (batch === 0 || m === 0 || n === 0) return;
  if (a.dtype !== 'float32' || b.dtype !== 'float32' || out.dtype !== 'float32') {
    throw new TypeError(`webgpu matmul: float32 operands only (got ${a.dtype} × ${b.dtype} → ${out.dtype})`);
  }
  if (batch > 65535) throw new RangeError(`webgpu matmul: at most 65535 matrices per call (got a batch of ${batch})`);
  const pipe = ctx.pipeline('matmul', 'matmul:f32', () => SOURCE);
  const params = ctx.params([batch, m, k, n, aBatchStride, bBatchStride, transA ? 1 : 0, transB ? 1 : 0]);
  ctx.dispatch(
    pipe,
    [{ array: params }, { array: a }, { array: b }, { array: out, write: true }],
    [Math.ceil(n / TILE), Math.ceil(m / TILE), batch],
  );
}
