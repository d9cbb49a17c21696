import type { Tensor } from '../tensor/tensor.js';

/** Computes the gradients of a node's inputs from the gradient of its output. */
export type BackwardFn = (grad: Tensor) => (Tensor | null)[];

/** A tensor a backward formula needs, with the storage version it had when saved. */
interface SavedTensor {
  tensor: Tensor;
  version: number;
}

/**
 * A node of the autograd graph (PyTorch's grad_fn): one per differentiable op application. It
 * points to the nodes of its inputs (`next`, null for inputs that need no gradient) and holds the
 * backward formula, which captures only what that formula needs.
 */
export class GradFn {
  /** Set by `retainGrad()` on the output tensor: receives the gradient flowing through here. */
  retained: Tensor | null = null;
  private fn: BackwardFn | null;
  private readonly saved: SavedTensor[];

  constructor(
    /** PyTorch's grad_fn class name, e.g. `AddBackward0`. */
    readonly name: string,
    readonly next: (GradFn | null)[],
    fn: BackwardFn,
    saved: readonly Tensor[] = [],
  ) {
    this.fn = fn;
    this.saved = saved.map((t) => ({ tensor: t, version: t._version }));
  }

  /** Runs the backward formula, after checking no saved tensor was modified in place. */
  apply(grad: Tensor): (Tensor | null)[] {
    if (this.fn === null) {
      throw new Error(
        `backward: trying to backward through the graph a second time (through ${this.name}); ` +
          'its saved values were freed after the first backward. Pass { retainGraph: true } to ' +
          'the first backward() if you need to backward twice.',
      );
    }
    for (const s of this.saved) {
      if (s.tensor._version !== s.version) {
        throw new Error(
          `backward: a tensor needed by ${this.name} (shape [${s.tensor.shape.join(', ')}], ` +
            `${s.tensor.dtype}) was modified by an in-place operation: it is at version ` +
            `${s.tensor._version}; expected version ${s.version}. Use the out-of-place op, or ` +
            'clone() the tensor before modifying it.',
        );
      }
    }
    return this.fn(grad);
  }

  /** PyTorch-like `<AddBackward0>`, so `${t.gradFn}` and logs show the op. */
  toString(): string {
    return `<${this.name}>`;
  }

  /** `console.log(t.gradFn)` in GradFn prints `<AddBackward0>`. */
  [Symbol.for('nodejs.util.inspect.custom')](): string {
    return this.toString();
  }

  /** Frees the formula and what it captured (after a backward without retainGraph). */
  release(): void {
    this.fn = null;
    this.saved.length = 0;
  }
}

/** The node that adds an incoming gradient into a leaf tensor's `.grad`. */
export class AccumulateGrad extends GradFn {
  constructor(readonly variable: Tensor) {
    super('AccumulateGrad', [], () => []);
  }
  override release(): void {}
}
