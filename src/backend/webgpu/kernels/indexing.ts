// gather and its adjoint scatterAdd along the middle axis of [outer, size, inner]. scatterAdd runs
// one thread per destination element, summing the sources that name it in index order: WGSL has
// no float atomics, and this order is deterministic.
import { type GpuArray, WebGpuContext, wgslType } from '../context.js';
import { COMMON, elementMain, groupsFor, paramsBinding } from '../wgsl.js';

export function gather(
  ctx: WebGpuContext,
  x: GpuArray,
  outer: number,
  size: number,
  inner: number,
  index: GpuArray,
  idxSize: number,
  out: GpuArray,
): void {
  const n = outer * idxSize * inner;
  if (n === 0) return;
  const pipe = ctx.pipeline('gather', `gather:${x.dtype}:${out.dtype}`, () =>
    [
      COMMON,
      paramsBinding(0),
      `@group(0) @binding(1) var<storage, read> x: array<${wgslType(x.dtype)}>;`,
      '@group(0) @binding(2) var<storage, read> index: array<i32>;',
      `@group(0) @binding(3) var<storage, read_write> y: array<${wgslType(out.dtype)}>;`,
      elementMain(
        'p[0]',
        `  let size = p[1];
  let inner = p[2];
  let idxSize = p[3];
  let o = i / (idxSize * inner);
  let ii = i % inner;
  y[i] = x[(o * size + index[i]) * inner + ii];`,
      ),
    ].join('\n'),
  );
  ctx.dispatch(
    pipe,
    [{ array: ctx.params([n, size, inner, idxSize]) }, { array: x }, { array: index }, { array: out, write: true }],
    WebGpuContext.groups1d(groupsFor(n)),
  );
}

export function scatterAdd(
  ctx: WebGpuContext,
  src: GpuArray,
  outer: number,
  size: number,
  inner: number,
  index: GpuArray,
  idxSize: number,
  out: GpuArray,
): void {
  const n = outer * size * inner;
  if (n === 0 || idxSize === 0) return;
  if (out.dtype !== 'float32' && out.dtype !== 'int32')
    throw new TypeError(`webgpu scatterAdd: float32 or int32 output only (got ${out.dtype})`);
  const t = wgslType(out.dtype);
  const pipe = ctx.pipeline('scatterAdd', `scatterAdd:${src.dtype}:${out.dtype}`, () =>
    [
      COMMON,
      paramsBinding(0),
      `@group(0) @binding(1) var<storage, read> src: array<${wgslType(src.dtype)}>;`,
      '@group(0) @binding(2) var<storage, read> index: array<i32>;',
      `@group(0) @binding(3) var<storage, read_write> y: array<${t}>;`,
      elementMain(
        'p[0]',
        `  let size = p[1];
  let inner = p[2];
  let idxSize = p[3];
  let o = i / (size * inner);
  let s = (i / inner) % size;
  let ii = i % inner;
  var acc = y[i];
  for (var j = 0; j < idxSize; j++) {
    let k = (o * idxSize + j) * inner + ii;
    if (index[k] == s) { acc += ${t}(src[k]); }
  }
  y[i] = acc;`,
      ),
    ].join('\n'),
  );
  ctx.dispatch(
    pipe,
    [{ array: ctx.params([n, size, inner, idxSize]) }, { array: src }, { array: index }, { array: out, write: true }],
    WebGpuContext.groups1d(groupsFor(n)),
  );
}
