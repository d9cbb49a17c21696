import { add } from '../ops/binary.js';
import { clone } from '../ops/convert.js';
import { ones } from '../ops/creation.js';
import { sameShape, shapeStr } from '../tensor/shape.js';
import type { Tensor } from '../tensor/tensor.js';
import { enableGrad, noGrad } from './grad-mode.js';
import { AccumulateGrad, type Node } from './node.js';

export interface BackwardOptions {
  /** Keep the graph's saved values so backward can run through it again. */
  retainGraph?: boolean;
  /** Record the backward pass itself, for higher-order gradients. */
  createGraph?: boolean;
}

/** Nodes reachable from `roots`, ordered so every node comes after all nodes that feed it grads. */
function topoOrder(roots: Node[]): Node[] {
  const order: Node[] = [];
  const seen = new Set<Node>();
  // Iterative post-order DFS: deep graphs (long RNN chains) must not overflow the JS stack.
  const stack: [Node, number][] = [];
  for (const r of roots) {
    if (seen.has(r)) continue;
    seen.add(r);
    stack.push([r, 0]);
    while (stack.length > 0) {
      const top = stack[stack.length - 1];
      const [node, i] = top;
      if (i < node.next.length) {
        top[1]++;
        const child = node.next[i];
        if (child && !seen.has(child)) {
          seen.add(child);
          stack.push([child, 0]);
        }
      } else {
        stack.pop();
        order.push(node);
      }
    }
  }
  return order.reverse();
}

function accumulate(map: Map<Node, Tensor>, node: Node, g: Tensor): void {
  const prev = map.get(node);
  map.set(node, prev ? add(prev, g) : g);
}

/** Stores `g` into a leaf's or retained tensor's `.grad`, summing with what is there. */
function storeGrad(t: Tensor, g: Tensor, createGraph: boolean, handedOut: Set<Tensor>): void {
  if (!sameShape(t.shape, g.shape)) {
    throw new Error(`backward: gradient of shape ${shapeStr(g.shape)} for a tensor of shape ${shapeStr(t.shape)}`);
  }
  if (t.grad === null) {
    // .grad must own a contiguous buffer, since a later backward adds into it in place. A fresh
    // gradient computed in this pass is adopted as it is; a copy is made when it is the caller's
    // seed, already some other tensor's .grad (AddBackward hands one gradient to both inputs), a
    // view or a stride-0 expansion (SumBackward). With createGraph the copy keeps its history.
    if (createGraph) t.grad = clone(g);
    else if (!handedOut.has(g) && g._base === null && g.isContiguous()) t.grad = g;
    else t.grad = g.detach().clone();
    handedOut.add(t.grad);
  } else if (createGraph) {
    t.grad = add(t.grad, g);
  } else {
    t.grad.add_(g);
  }
}

/**
 * Reverse-mode differentiation from `roots` seeded with `grads`: accumulates into `.grad` of the
 * leaves (and of tensors that called `retainGrad()`).
 */
export function runBackward(roots: readonly Tensor[], grads: readonly (Tensor | null)[], opts: BackwardOptions = {}): void {
  const createGraph = opts.createGraph ?? false;
  const retainGraph = opts.retainGraph ?? createGraph;
  const pending = new Map<Node, Tensor>();
  // Gradients that already belong to someone: the caller's seeds and each stored .grad.
  const handedOut = new Set<Tensor>();
  const rootNodes: Node[] = [];
  roots.forEach((r, i) => {
    if (!r.requiresGrad) {
      throw new Error(
        `backward: tensor ${i === 0 && roots.length === 1 ? '' : `${i} `}does not require grad and has no grad_fn ` +
          '(was it created under noGrad, or from tensors without requiresGrad?)',
      );
    }
    let g = grads[i] ?? null;
    if (g === null) {
      if (r.numel !== 1) {
        throw new Error(
          `backward: grad can be implicitly created only for scalar outputs; this output has shape ${shapeStr(r.shape)}. ` +
            'Pass a gradient of the same shape: t.backward(gradient).',
        );
      }
      g = ones(r.shape, { dtype: r.dtype });
    } else if (!sameShape(g.shape, r.shape)) {
      throw new Error(`backward: gradient has shape ${shapeStr(g.shape)} but the output has shape ${shapeStr(r.shape)}`);
    } else if (g.dtype !== r.dtype) {
      throw new TypeError(`backward: gradient has dtype ${g.dtype} but the output has dtype ${r.dtype}`);
    }
    const node = r._gradEdge() as Node;
    rootNodes.push(node);
    handedOut.add(g);
    accumulate(pending, node, g);
  });

  const run = () => {
    for (const node of topoOrder(rootNodes)) {
      const g = pending.get(node);
      if (g === undefined) continue;
      pending.delete(node);
      if (node instanceof AccumulateGrad) {
        storeGrad(node.variable, g, createGraph, handedOut);
        continue;
      }
      if (node.retained) storeGrad(node.retained, g, createGraph, handedOut);
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
