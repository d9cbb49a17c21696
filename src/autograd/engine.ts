import { stridedOf } from '../backend/backend.js';
import { add } from '../ops/binary.js';
import { clone } from '../ops/convert.js';
import { sameShape, shapeStr } from '../tensor/shape.js';
import { Tensor } from '../tensor/tensor.js';
import { derivatives } from './derivatives/index.js';
import { AccumulateGrad, type GradFn } from './grad-fn.js';
import { enableGrad, noGrad } from './grad-mode.js';

export interface BackwardOptions {
  /** Keep the graph's saved values so backward can run through it again. */
  retainGraph?: boolean;
  /** Record the backward pass itself, for higher-order gradients. */
  createGraph?: boolean;
  /**
   * Accumulate only into these tensors' `.grad` (leaves or not); the other leaves' `.grad` are
   * left alone, like PyTorch's `backward(inputs=...)`.
   */
  inputs?: Tensor | readonly Tensor[];
}

const BACKWARD_KEYS = new Set(['retainGraph', 'createGraph', 'inputs']);

function checkBackwardOptions(opts: object): void {
  if (opts === null || typeof opts !== 'object') {
    throw new TypeError('backward: options must be an object { retainGraph, createGraph, inputs }');
  }
  for (const k of Object.keys(opts)) {
    if (!BACKWARD_KEYS.has(k)) {
      throw new TypeError(
        `backward: unknown option '${k}' (valid options: retainGraph, createGraph, inputs). ` +
          'Accepted forms: t.backward(), t.backward(gradient), t.backward({ retainGraph, createGraph, inputs }), t.backward(gradient, { … })',
      );
    }
  }
}

/** What the engine does with the gradient that reaches a requested input. */
type Sink = (index: number, g: Tensor) => void;

/** The requested inputs: the graph node each one's gradient arrives at, with its positions. */
function inputTargets(op: string, inputs: readonly Tensor[]): Map<GradFn, number[]> {
  const targets = new Map<GradFn, number[]>();
  inputs.forEach((t, i) => {
    if (!(t instanceof Object) || !('requiresGrad' in t)) throw new TypeError(`${op}: inputs must be Tensors (input ${i} is ${typeof t})`);
    const node = t._gradEdge();
    if (node === null) throw new Error(`${op}: input ${i} does not require grad (set requiresGrad on it, or leave it out)`);
    const list = targets.get(node) ?? [];
    list.push(i);
    targets.set(node, list);
  });
  return targets;
}

/**
 * The nodes reachable from `roots` in an order where every node comes after all nodes that feed
 * it gradients, with each node's position in it (`slot`) and its pending gradient by position.
 * Arrays and fields on the nodes instead of Maps and Sets: a small step's backward visits a few
 * dozen nodes, and hashing them cost more than running them.
 */
class Schedule {
  readonly order: GradFn[] = [];
  readonly pending: (Tensor | undefined)[];

  constructor(roots: readonly GradFn[]) {
    const stamp = ++visits;
    const post = this.order;
    // Iterative post-order DFS (deep graphs, long RNN chains, must not overflow the JS stack):
    // a stack of nodes and, beside it, the index of the next child to visit.
    const nodes: GradFn[] = [];
    const next: number[] = [];
    for (const r of roots) {
      if (r._visit === stamp) continue;
      r._visit = stamp;
      nodes.push(r);
      next.push(0);
      while (nodes.length > 0) {
        const top = nodes.length - 1;
        const node = nodes[top];
        const i = next[top];
        if (i < node.next.length) {
          next[top] = i + 1;
          const child = node.next[i];
          if (child !== null && child._visit !== stamp) {
            child._visit = stamp;
            nodes.push(child);
            next.push(0);
          }
        } else {
          nodes.pop();
          next.pop();
          post.push(node);
        }
      }
    }
    post.reverse();
    for (let k = 0; k < post.length; k++) post[k]._slot = k;
    this.pending = new Array<Tensor | undefined>(post.length);
  }

  /**
   * The position of `node`: its `_slot`, unless an ordering made since (a backward run from
   * inside a backward formula) reused the field for another graph; then found by search.
   */
  slot(node: GradFn): number {
    const k = node._slot;
    return this.order[k] === node ? k : this.order.indexOf(node);
  }

  /** Adds `g` to the gradient pending for `node`. */
  accumulate(node: GradFn, g: Tensor): void {
    const k = this.slot(node);
    const prev = this.pending[k];
    this.pending[k] = prev === undefined ? g : add(prev, g);
  }

  /** Takes the gradient pending at position `k` (undefined when none reached it). */
  take(k: number): Tensor | undefined {
    const g = this.pending[k];
    this.pending[k] = undefined;
    return g;
  }
}

/** Stamps `GradFn._visit`: each ordering gets a new number, so no per-node reset is needed. */
let visits = 0;

/** Stores `g` into a leaf's or retained tensor's `.grad`, summing with what is there. */
function storeGrad(t: Tensor, g: Tensor, createGraph: boolean): void {
  if (!sameShape(t.shape, g.shape)) {
    throw new Error(`backward: gradient of shape ${shapeStr(g.shape)} for a tensor of shape ${shapeStr(t.shape)}`);
  }
  if (t.grad === null) {
    // .grad must own a contiguous buffer, since a later backward adds into it in place. A fresh
    // gradient computed in this pass is adopted as it is; a copy is made when it is the caller's
    // seed, already some other tensor's .grad (AddBackward hands one gradient to both inputs), a
    // view or a stride-0 expansion (SumBackward). With createGraph the copy keeps its history.
    if (createGraph) t.grad = clone(g);
    else if (!g._handedOut && g._base === null && g.isContiguous()) t.grad = g;
    else t.grad = g.detach().clone();
    t.grad._handedOut = true;
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
  checkBackwardOptions(opts);
  const createGraph = opts.createGraph ?? false;
  if (opts.inputs !== undefined) {
    const inputs = Array.isArray(opts.inputs) ? (opts.inputs as readonly Tensor[]) : [opts.inputs as Tensor];
    if (inputs.length === 0) throw new RangeError("backward: 'inputs' argument to backward() cannot be empty");
    for (const g of grads) if (g !== null) g._handedOut = true;
    runGraph('backward', roots, grads, opts, inputTargets('backward', inputs), (i, g) => storeGrad(inputs[i], g, createGraph));
    return;
  }
  const retainGraph = opts.retainGraph ?? createGraph;
  const rootNodes: GradFn[] = [];
  const seeds: Tensor[] = [];
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
      g = onesOf(r);
    } else if (!sameShape(g.shape, r.shape)) {
      throw new Error(`backward: gradient has shape ${shapeStr(g.shape)} but the output has shape ${shapeStr(r.shape)}`);
    } else if (g.dtype !== r.dtype) {
      throw new TypeError(`backward: gradient has dtype ${g.dtype} but the output has dtype ${r.dtype}`);
    }
    rootNodes.push(r._gradEdge() as GradFn);
    seeds.push(g);
    g._handedOut = true; // the caller's seed
  });
  const schedule = new Schedule(rootNodes);
  for (let i = 0; i < rootNodes.length; i++) schedule.accumulate(rootNodes[i], seeds[i]);

  const run = () => {
    const order = schedule.order;
    for (let k = 0; k < order.length; k++) {
      // (the whole graph: every leaf and retained tensor gets its .grad)
      const node = order[k];
      const g = schedule.take(k);
      if (g === undefined) continue;
      if (node instanceof AccumulateGrad) {
        storeGrad(node.variable, g, createGraph);
        continue;
      }
      if (node.retained) storeGrad(node.retained, g, createGraph);
      const inputGrads = node.apply(g, derivatives);
      if (!retainGraph) node.release();
      const next = node.next;
      for (let i = 0; i < next.length; i++) {
        const child = next[i];
        const ig = inputGrads[i];
        if (child !== null && ig) schedule.accumulate(child, ig);
      }
    }
  };
  if (createGraph) enableGrad(run);
  else noGrad(run);
}

/** The implicit seed of a scalar output: a one of its dtype on its device. */
function onesOf(r: Tensor): Tensor {
  const g = Tensor._empty(r.shape, r.dtype, r._device);
  r._device.kernels.fill(stridedOf(g), g.shape, 1);
  return g;
}

/** Checks the outputs and seeds the way `backward` does; returns the root nodes and their seeds. */
function seed(op: string, roots: readonly Tensor[], grads: readonly (Tensor | null)[]): { nodes: GradFn[]; seeds: Tensor[] } {
  const seeds: Tensor[] = [];
  const nodes = roots.map((r, i) => {
    if (!r.requiresGrad) throw new Error(`${op}: output ${i} does not require grad and has no grad_fn`);
    let g = grads[i] ?? null;
    if (g === null) {
      if (r.numel !== 1) {
        throw new Error(
          `${op}: grad can be implicitly created only for scalar outputs; output ${i} has shape ${shapeStr(r.shape)}. ` +
            'Pass gradOutputs of the same shapes.',
        );
      }
      g = onesOf(r);
    } else if (!sameShape(g.shape, r.shape)) {
      throw new Error(`${op}: gradient ${i} has shape ${shapeStr(g.shape)} but output ${i} has shape ${shapeStr(r.shape)}`);
    } else if (g.dtype !== r.dtype) {
      throw new TypeError(`${op}: gradient ${i} has dtype ${g.dtype} but output ${i} has dtype ${r.dtype}`);
    }
    seeds.push(g);
    return r._gradEdge() as GradFn;
  });
  return { nodes, seeds };
}

/**
 * Runs the part of the graph between `roots` and the `targets` nodes only (nodes no target is
 * reachable from are skipped, so no other leaf's .grad changes), handing each target's total
 * gradient to `sink`.
 */
function runGraph(
  op: string,
  roots: readonly Tensor[],
  grads: readonly (Tensor | null)[],
  opts: { retainGraph?: boolean; createGraph?: boolean },
  targets: Map<GradFn, number[]>,
  sink: Sink,
): void {
  const createGraph = opts.createGraph ?? false;
  const retainGraph = opts.retainGraph ?? createGraph;
  const { nodes: rootNodes, seeds } = seed(op, roots, grads);
  const schedule = new Schedule(rootNodes);
  for (let i = 0; i < rootNodes.length; i++) schedule.accumulate(rootNodes[i], seeds[i]);
  const order = schedule.order;
  // A node is needed when a target is reachable from it (children come later in the order).
  const needed = new Array<boolean>(order.length).fill(false);
  const isNeeded = (c: GradFn | null) => c !== null && needed[schedule.slot(c)];
  for (let k = order.length - 1; k >= 0; k--) {
    const node = order[k];
    needed[k] = targets.has(node) || node.next.some(isNeeded);
  }
  const run = () => {
    for (let k = 0; k < order.length; k++) {
      if (!needed[k]) continue;
      const node = order[k];
      const g = schedule.take(k);
      if (g === undefined) continue;
      const at = targets.get(node);
      if (at) for (const i of at) sink(i, g);
      if (node instanceof AccumulateGrad) continue;
      if (!node.next.some(isNeeded)) continue;
      const inputGrads = node.apply(g, derivatives);
      if (!retainGraph) node.release();
      node.next.forEach((child, i) => {
        const ig = inputGrads[i];
        if (child && ig && isNeeded(child)) schedule.accumulate(child, ig);
      });
    }
  };
  if (createGraph) enableGrad(run);
  else noGrad(run);
}

/** Options of {@link grad}. */
export interface GradOptions {
  /** The gradients of the outputs (default: 1 for scalar outputs). PyTorch's grad_outputs. */
  gradOutputs?: Tensor | readonly (Tensor | null)[] | null;
  /** Keep the graph for another backward (default: createGraph). */
  retainGraph?: boolean;
  /** Record the gradient computation, so the returned gradients can be differentiated again. */
  createGraph?: boolean;
  /** Return null for an input the outputs do not depend on, instead of throwing. */
  allowUnused?: boolean;
}

const GRAD_KEYS = new Set(['gradOutputs', 'retainGraph', 'createGraph', 'allowUnused']);

/**
 * The gradients of `outputs` with respect to `inputs`, returned rather than accumulated into
 * `.grad` (no `.grad` anywhere changes), like `torch.autograd.grad`. With `createGraph` the
 * results are differentiable, e.g. for a gradient penalty.
 * @example const [dx] = autograd.grad(y, [x], { createGraph: true });
 */
export function grad(outputs: Tensor | readonly Tensor[], inputs: Tensor | readonly Tensor[], opts: GradOptions = {}): (Tensor | null)[] {
  for (const k of Object.keys(opts)) {
    if (!GRAD_KEYS.has(k)) {
      throw new TypeError(
        `grad: unknown option '${k}' (valid options: ${[...GRAD_KEYS].join(', ')}). Accepted form: grad(outputs, inputs, { gradOutputs, retainGraph, createGraph, allowUnused })`,
      );
    }
  }
  const outs = Array.isArray(outputs) ? (outputs as readonly Tensor[]) : [outputs as Tensor];
  const ins = Array.isArray(inputs) ? (inputs as readonly Tensor[]) : [inputs as Tensor];
  const go = opts.gradOutputs;
  const gs = go == null ? [] : Array.isArray(go) ? (go as readonly (Tensor | null)[]) : [go as Tensor];
  if (gs.length > 0 && gs.length !== outs.length) {
    throw new RangeError(`grad: gradOutputs has ${gs.length} entries but there are ${outs.length} outputs`);
  }
  const result: (Tensor | null)[] = ins.map(() => null);
  const createGraph = opts.createGraph ?? false;
  runGraph('grad', outs, gs, opts, inputTargets('grad', ins), (i, g) => {
    // Hand out a tensor the caller owns: not the seed, not shared with another input.
    result[i] = result[i] === null ? (createGraph ? g : g.detach()) : add(result[i] as Tensor, g);
  });
  result.forEach((r, i) => {
    if (r === null && !opts.allowUnused) {
      throw new Error(
        `grad: input ${i} was not used in the graph of the outputs (its gradient is undefined). Pass { allowUnused: true } to get null for it`,
      );
    }
  });
  return result;
}
