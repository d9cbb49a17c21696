/**
 * Exact sets of tensor indices for receptive fields: an `IndexSet` is a sorted list of distinct
 * indices along one dim, a `Box` one set per dim (their product), a region a union of boxes.
 * Sets may have holes (dilation, strides larger than the kernel), so they are not intervals.
 */

/** Sorted distinct non-negative integers. */
export type IndexSet = readonly number[];
/** The product of one index set per dim. */
export type Box = readonly IndexSet[];

/** {lo, …, hi} (empty when hi < lo). */
export function span(lo: number, hi: number): IndexSet {
  const out: number[] = [];
  for (let i = lo; i <= hi; i++) out.push(i);
  return out;
}

/** Every index of a dim of size n. */
export const all = (n: number): IndexSet => span(0, n - 1);

/** The set of the given (unsorted, possibly repeated) indices. */
export function setOf(values: Iterable<number>): IndexSet {
  return [...new Set(values)].sort((a, b) => a - b);
}

/** a ∪ b. */
export function union(a: IndexSet, b: IndexSet): IndexSet {
  const out: number[] = [];
  let i = 0;
  let j = 0;
  while (i < a.length || j < b.length) {
    const v = j >= b.length || (i < a.length && a[i] < b[j]) ? a[i++] : b[j++];
    if (out.length === 0 || out[out.length - 1] !== v) out.push(v);
    if (i < a.length && a[i] === v) i++;
    if (j < b.length && b[j] === v) j++;
  }
  return out;
}

export function equalSets(a: IndexSet, b: IndexSet): boolean {
  return a.length === b.length && a.every((v, i) => v === b[i]);
}

/** a ⊆ b. */
export function isSubset(a: IndexSet, b: IndexSet): boolean {
  let j = 0;
  for (const v of a) {
    while (j < b.length && b[j] < v) j++;
    if (j >= b.length || b[j] !== v) return false;
  }
  return true;
}

/** Maximal runs of consecutive indices, as inclusive [lo, hi] pairs. */
export function runs(s: IndexSet): [number, number][] {
  const out: [number, number][] = [];
  for (const v of s) {
    const last = out[out.length - 1];
    if (last !== undefined && last[1] === v - 1) last[1] = v;
    else out.push([v, v]);
  }
  return out;
}

/** [min, max], or null for the empty set. */
export function hull(s: IndexSet): [number, number] | null {
  return s.length === 0 ? null : [s[0], s[s.length - 1]];
}

/**
 * The input indices that sliding windows at output indices `outs` read, clipped to [0, inSize):
 * window o covers o·stride − padBefore + t·dilation for t = 0 … kernel − 1.
 */
export function windowPreimage(
  outs: IndexSet,
  inSize: number,
  kernel: number,
  stride: number,
  padBefore: number,
  dilation: number,
): IndexSet {
  const hit = new Uint8Array(inSize);
  for (const o of outs) {
    for (let t = 0; t < kernel; t++) {
      const i = o * stride - padBefore + t * dilation;
      if (i >= 0 && i < inSize) hit[i] = 1;
    }
  }
  const out: number[] = [];
  for (let i = 0; i < inSize; i++) if (hit[i]) out.push(i);
  return out;
}

export const boxIsEmpty = (b: Box): boolean => b.some((s) => s.length === 0);

/** Number of index tuples in a box. */
export const boxSize = (b: Box): number => b.reduce((n, s) => n * s.length, 1);

/** Whether box a lies inside box b. */
export const boxInside = (a: Box, b: Box): boolean => a.every((s, d) => isSubset(s, b[d]));

/**
 * A smaller list of boxes with the same union: empty and contained boxes are dropped, and two
 * boxes that differ in one dim only are merged.
 */
export function compact(boxes: readonly Box[]): Box[] {
  let list = boxes.filter((b) => !boxIsEmpty(b));
  let changed = true;
  while (changed) {
    changed = false;
    outer: for (let i = 0; i < list.length; i++) {
      for (let j = 0; j < list.length; j++) {
        if (i === j) continue;
        const a = list[i];
        const b = list[j];
        if (boxInside(a, b)) {
          list = list.filter((_, k) => k !== i);
          changed = true;
          break outer;
        }
        let differ = -1;
        let many = false;
        for (let d = 0; d < a.length; d++) {
          if (equalSets(a[d], b[d])) continue;
          if (differ >= 0) {
            many = true;
            break;
          }
          differ = d;
        }
        if (!many && differ >= 0) {
          const merged = a.map((s, d) => (d === differ ? union(s, b[d]) : s));
          list = [...list.filter((_, k) => k !== i && k !== j), merged];
          changed = true;
          break outer;
        }
      }
    }
  }
  return list;
}

/** Whether index tuple `p` lies in the union of `boxes`. */
export function regionHas(boxes: readonly Box[], p: readonly number[]): boolean {
  return boxes.some((b) => b.every((s, d) => binaryHas(s, p[d])));
}

function binaryHas(s: IndexSet, v: number): boolean {
  let lo = 0;
  let hi = s.length - 1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    if (s[mid] === v) return true;
    if (s[mid] < v) lo = mid + 1;
    else hi = mid - 1;
  }
  return false;
}

/** Number of distinct index tuples in the union of boxes (by enumeration of the hull; small regions only). */
export function regionCount(boxes: readonly Box[]): number {
  if (boxes.length === 0) return 0;
  if (boxes.length === 1) return boxSize(boxes[0]);
  const dims = boxes[0].length;
  const axes = Array.from({ length: dims }, (_, d) => boxes.reduce<IndexSet>((s, b) => union(s, b[d]), []));
  let n = 0;
  const p = new Array<number>(dims).fill(0);
  const walk = (d: number) => {
    if (d === dims) {
      if (regionHas(boxes, p)) n++;
      return;
    }
    for (const v of axes[d]) {
      p[d] = v;
      walk(d + 1);
    }
  };
  walk(0);
  return n;
}
