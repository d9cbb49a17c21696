// Reductions over the middle axis of a contiguous [outer, size, inner] array: one workgroup per
// output element, its threads striding over the axis and combining in a shared-memory tree
// (pairwise float32 sums). Arg-reductions keep the first index, one thread per output.
import type { ArgReduceOp, ReduceOp } from '../../backend.js';
import { type GpuArray, WebGpuContext, wgslType } from '../context.js';
import { COMMON, elementMain, groupsFor, paramsBinding } from '../wgsl.js';

const RWG = 64;

const COMBINE: Record<ReduceOp, { init: string; combine: string }> = {
  sum: { init: '0.0', combine: 'a + v' },
  prod: { init: '1.0', combine: 'a * v' },
  // NaN is sticky, as in PyTorch.
  max: { init: '-inf_()', combine: 'select(a, v, isnan_(v) || (!isnan_(a) && v > a))' },
  min: { init: 'inf_()', combine: 'select(a, v, isnan_(v) || (!isnan_(a) && v < a))' },
};

// int32 into int32 in i32 arithmetic: exact past 2^24, and sums wrap like the reference's.
const COMBINE_INT: Record<ReduceOp, { init: string; combine: string }> = {
  sum: { init: '0', combine: 'a + v' },
  prod: { init: '1', combine: 'a * v' },
  max: { init: '(-2147483647 - 1)', combine: 'max(a, v)' },
  min: { init: '2147483647', combine: 'min(a, v)' },
};

export function reduce(ctx: WebGpuContext, op: ReduceOp, x: GpuArray, outer: number, size: number, inner: number, out: GpuArray): void {
  const count = outer * inner;
  if (count === 0) return;
  if (COMBINE[op] === undefined) throw new Error(`webgpu reduce: unknown op ${op as string}`);
  const int = x.dtype === 'int32' && out.dtype === 'int32';
  const c = int ? COMBINE_INT[op] : COMBINE[op];
  const acc = int ? 'i32' : 'f32';
  const pipe = ctx.pipeline(`reduce:${op}`, `reduce:${op}:${x.dtype}:${out.dtype}`, () =>
    [
      COMMON,
      paramsBinding(0),
      `@group(0) @binding(1) var<storage, read> x: array<${wgslType(x.dtype)}>;`,
      `@group(0) @binding(2) var<storage, read_write> y: array<${wgslType(out.dtype)}>;`,
      `var<workgroup> sh: array<${acc}, ${RWG}>;`,
      `fn combine(a: ${acc}, v: ${acc}) -> ${acc} { return ${c.combine}; }`,
      `@compute @workgroup_size(${RWG})
fn main(@builtin(workgroup_id) wid: vec3<u32>, @builtin(num_workgroups) nwg: vec3<u32>, @builtin(local_invocation_index) lid: u32) {
  let g = i32(wid.y * nwg.x + wid.x);
  let size = p[1];
  let inner = p[2];
  let valid = g < p[0] * inner;
  let base = (g / inner) * size * inner + g % inner;
  var a = ${c.init};
  if (valid) {
    for (var r = i32(lid); r < size; r += ${RWG}) { a = combine(a, ${x.dtype === 'float32' || int ? '' : 'f32'}(x[base + r * inner])); }
  }
  sh[lid] = a;
  workgroupBarrier();
  for (var s = ${RWG / 2}u; s > 0u; s = s >> 1u) {
    if (lid < s) { sh[lid] = combine(sh[lid], sh[lid + s]); }
    workgroupBarrier();
  }
  if (valid && lid == 0u) { y[g] = ${int ? 'sh[0]' : out.dtype === 'float32' ? 'sh[0]' : out.dtype === 'int32' ? 'i32(sh[0])' : 'select(0u, 1u, truthy(sh[0]))'}; }
}`,
    ].join('\n'),
  );
  ctx.dispatch(
    pipe,
    [{ array: ctx.params([outer, size, inner]) }, { array: x }, { array: out, write: true }],
    WebGpuContext.groups1d(count),
  );
}

/** Index of the first max/min along the middle axis; a NaN wins outright (PyTorch). */
export function argReduce(
  ctx: WebGpuContext,
  op: ArgReduceOp,
  x: GpuArray,
  outer: number,
  size: number,
  inner: number,
  out: GpuArray,
): void {
  const count = outer * inner;
  if (count === 0) return;
  const cmp = op === 'argmax' ? 'v > best' : 'v < best';
  // Compared in the array's own type: int32 values past 2^24 stay distinct.
  const nan = (v: string) => (x.dtype === 'float32' ? `isnan_(${v})` : 'false');
  const pipe = ctx.pipeline(`argReduce:${op}`, `argReduce:${op}:${x.dtype}`, () =>
    [
      COMMON,
      paramsBinding(0),
      `@group(0) @binding(1) var<storage, read> x: array<${wgslType(x.dtype)}>;`,
      '@group(0) @binding(2) var<storage, read_write> y: array<i32>;',
      elementMain(
        'p[0] * p[2]',
        `  let size = p[1];
  let inner = p[2];
  let base = (i / inner) * size * inner + i % inner;
  var best = x[base];
  var bi = 0;
  for (var r = 1; r < size && !${nan('best')}; r++) {
    let v = x[base + r * inner];
    if (${nan('v')} || ${cmp}) { best = v; bi = r; }
  }
  y[i] = bi;`,
      ),
    ].join('\n'),
  );
  ctx.dispatch(
    pipe,
    [{ array: ctx.params([outer, size, inner]) }, { array: x }, { array: out, write: true }],
    WebGpuContext.groups1d(groupsFor(count)),
  );
}
