import type { Tensor } from '../tensor/tensor.js';

/** Computes the gradients of a node's inputs from the gradient of its output. */
export type BackwardFn = (grad: Tensor) => (Tensor | null)[];

/** A backward rule of the table in autograd/derivatives: the output's gradient and the op's context to one gradient per input. */
export type Rule<C> = (grad: Tensor, ctx: C) => (Tensor | null)[];

/** The table of backward rules by name, as the engine passes it to {@link GradFn.apply}. */
export type RuleTable = Readonly<Record<string, Rule<never>>>;

const NO_TENSORS: readonly Tensor[] = [];
const NO_VERSIONS: readonly number[] = [];

/**
 * A node of the autograd graph (PyTorch's grad_fn): one per differentiable op application. It
 * points to the nodes of its inputs (`next`, null for inputs that need no gradient) and holds the
 * backward formula, which captures only what that formula needs.
 */
export class GradFn {
  /** Set by `retainGrad()` on the output tensor: receives the gradient flowing through here. */
  retained: Tensor | null = null;
  /** @internal the backward engine's marks: the ordering that last visited this node, and its position there. */
  _visit = 0;
  /** @internal see `_visit`. */
  _slot = 0;
  private fn: BackwardFn | null;
  private ctx: unknown;
  private released = false;
  // The tensors the formula reads and their storage versions when saved (two arrays rather than
  // an object per tensor: one is made per op).
  private saved: readonly Tensor[];
  private versions: readonly number[];

  /** PyTorch's grad_fn class name, e.g. `AddBackward0` (computed when asked: one node is made per op). */
  get name(): string {
    const variant = this.rule.indexOf('#');
    return variant < 0 ? this.rule : this.rule.slice(0, variant);
  }

  /**
   * `backward` is the context of the table rule named `name` (most ops), or a closure of its own
   * (hooks such as gradFlow's probes, and ops whose rules are not in the table yet).
   */

  constructor(
    /**
     * The name of its rule in the table: PyTorch's grad_fn name, followed by `#variant` where
     * PyTorch gives one name to different formulas (the display name drops the variant).
     */
    readonly rule: string,
    readonly next: (GradFn | null)[],
    backward: BackwardFn | { readonly ctx: unknown },
    saved: readonly Tensor[] = NO_TENSORS,
  ) {
    this.fn = typeof backward === 'function' ? backward : null;
    this.ctx = typeof backward === 'function' ? null : backward.ctx;
    this.saved = saved;
    if (saved.length === 0) this.versions = NO_VERSIONS;
    else {
      const versions = new Array<number>(saved.length);
      for (let i = 0; i < saved.length; i++) versions[i] = saved[i]._version;
      this.versions = versions;
    }
  }

  /**
   * Runs the backward formula (its own closure, or the rule `rules[rule]` with the saved context),
   * after checking no saved tensor was modified in place.
   */
  apply(grad: Tensor, rules: RuleTable): (Tensor | null)[] {
    if (this.released) {
      throw new Error(
        `backward: trying to backward through the graph a second time (through ${this.name}); ` +
          'its saved values were freed after the first backward. Pass { retainGraph: true } to ' +
          'the first backward() if you need to backward twice.',
      );
    }
    for (let i = 0; i < this.saved.length; i++) {
      const t = this.saved[i];
      if (t._version !== this.versions[i]) {
        throw new Error(
          `backward: a tensor needed by ${this.name} (shape [${t.shape.join(', ')}], ` +
            `${t.dtype}) was modified by an in-place operation: it is at version ` +
            `${t._version}; expected version ${this.versions[i]}. Use the out-of-place op, or ` +
            'clone() the tensor before modifying it.',
        );
      }
    }
    if (this.fn !== null) return this.fn(grad);
    const rule = rules[this.rule] as Rule<unknown> | undefined;
    if (rule === undefined) throw new Error(`backward: no backward rule named ${this.rule} (autograd/derivatives)`);
    return rule(grad, this.ctx);
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
    this.released = true;
    this.fn = null;
    this.ctx = null;
    this.saved = NO_TENSORS;
    this.versions = NO_VERSIONS;
  }
}

/** The node that adds an incoming gradient into a leaf tensor's `.grad`. */
export class AccumulateGrad extends GradFn {
  constructor(readonly variable: Tensor) {
    super('AccumulateGrad', [], () => []);
  }
  override release(): void {}
}
