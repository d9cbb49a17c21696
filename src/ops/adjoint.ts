/**
 * The adjoints of broadcasting and slicing, which backward rules are made of: `sumTo` sums a
 * gradient down to a broadcast input's shape, `padAlong`/`padTo` put a slice's gradient back in
 * place among zeros. They sit below the backward rules (autograd/derivatives) and above the
 * forward ops they are built from, so no forward op needs them and no import cycle runs through them.
 */
import { sameShape } from '../tensor/shape.js';
import type { Tensor } from '../tensor/tensor.js';
import { zeros } from './creation.js';
import { cat } from './join.js';
import { sum } from './reduce.js';
import { reshape } from './views.js';

/** Sums `g` down to `shape`: the adjoint of broadcasting. */
export function sumTo(g: Tensor, shape: readonly number[]): Tensor {
  if (sameShape(g.shape, shape)) return g;
  const lead = g.ndim - shape.length;
  const dims: number[] = [];
  for (let i = 0; i < g.ndim; i++) if (i < lead || (shape[i - lead] === 1 && g.shape[i] !== 1)) dims.push(i);
  const s = dims.length > 0 ? sum(g, { dim: dims, keepdim: true }) : g;
  return sameShape(s.shape, shape) ? s : reshape(s, shape);
}

/** `g` with `before` and `after` zeros around it along `dim` (a slice's gradient). */
export function padAlong(g: Tensor, dim: number, before: number, after: number): Tensor {
  const parts: Tensor[] = [];
  const zerosOf = (n: number) =>
    zeros(
      g.shape.map((s, i) => (i === dim ? n : s)),
      { dtype: g.dtype, device: g._device },
    );
  if (before > 0) parts.push(zerosOf(before));
  parts.push(g);
  if (after > 0) parts.push(zerosOf(after));
  return parts.length === 1 ? g : cat(parts, dim);
}

/** `t` padded with zeros at the end of each dim up to `shape` (the adjoint of `alignTo`). */
export function padTo(t: Tensor, shape: readonly number[]): Tensor {
  let out = t;
  shape.forEach((n, k) => {
    if (out.shape[k] < n) out = padAlong(out, k, 0, n - out.shape[k]);
  });
  return out;
}
