/**
 * The optimizer base class, shaped like `torch.optim.Optimizer` (PyTorch 1.13): parameter
 * groups with per-group options, lazily created per-parameter state, `zeroGrad`, `step(closure)`,
 * and `stateDict()` / `loadStateDict()` keyed by parameter index.
 */
import '../tensor/methods.js';
import { enableGrad, noGrad } from '../autograd/grad-mode.js';
import { parseSetToNone } from '../nn/module.js';
import { kinds, noMoreArgs, type ParamSpec, parseArgs } from '../tensor/args.js';
import { isFloating } from '../tensor/dtype.js';
import { shapeStr } from '../tensor/shape.js';
import { Tensor } from '../tensor/tensor.js';

/**
 * What an optimizer keeps per parameter, for checking loaded state: 'tensor' (required),
 * 'tensor?' (may be absent), 'tensorOrNull' (required, null until first used), 'count' (a
 * non-negative integer, e.g. Adam's step; a 0-d tensor is accepted, as PyTorch saves it).
 */
export type StateSpec = Record<string, 'tensor' | 'tensor?' | 'tensorOrNull' | 'count'>;

/** A value an optimizer keeps per parameter: a buffer tensor, a step count, or nothing yet. */
export type StateValue = Tensor | number | null;

/** Per-parameter state, e.g. `{ step, expAvg, expAvgSq }` for Adam. */
export type ParamState = Record<string, StateValue>;

/**
 * One parameter group: its parameters and the options that apply to them. Schedulers may add
 * keys (`initialLr`, `maxLr`, …), hence the index signature.
 */
export type ParamGroup<O extends object = { lr: number }> = O & {
  params: Tensor[];
  [option: string]: unknown;
};

/** A parameter group as passed in: parameters plus options that override the optimizer's. */
export type ParamGroupInput<O extends object = { lr: number }> = Partial<O> & {
  params: Iterable<Tensor> | Tensor;
  [option: string]: unknown;
};

/** What an optimizer accepts: parameters (`model.parameters()`), or a list of groups. */
export type Params<O extends object = { lr: number }> = Iterable<Tensor> | Iterable<ParamGroupInput<O>>;

/**
 * The optimizer's state in PyTorch's structure: `state` maps a parameter's index (its position
 * across all groups, in order) to its state, and each group lists its parameters by index. Only
 * plain objects, arrays, numbers, booleans, strings, null and tensors appear in it.
 */
export interface OptimizerStateDict {
  state: Record<number | string, ParamState>;
  paramGroups: Array<{ params: number[]; [option: string]: unknown }>;
}

/** A step function that re-evaluates the model and returns the loss (for `step(closure)`). */
export type Closure<L> = () => L;

const isPlainObject = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v) && !(v instanceof Tensor);

/** A deep copy of a plain option value (arrays such as Adam's `betas` are copied, not shared). */
function copyValue(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(copyValue);
  if (v instanceof Tensor) return v.detach().clone();
  if (isPlainObject(v)) return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, copyValue(x)]));
  return v;
}

/**
 * The base class of all optimizers. Subclasses pass their resolved default options to the
 * constructor and implement `updateGroup`, which runs under `noGrad` once per group per step.
 *
 * @example
 * const opt = new optim.SGD([{ params: model.fc1.parameters(), lr: 0.01 }, { params: model.fc2.parameters() }],
 *                           { lr: 0.1, momentum: 0.9 });
 * opt.zeroGrad(); loss.backward(); opt.step();
 */
export abstract class Optimizer<O extends { lr: number } = { lr: number }, S extends object = ParamState> {
  /** The options a group gets when it doesn't set them. */
  readonly defaults: O;
  /** The parameter groups, each with all options filled in; edit `lr` here to change it. */
  paramGroups: ParamGroup<O>[] = [];
  /** Per-parameter state, created on the parameter's first step. */
  state: Map<Tensor, S> = new Map();
  /** @internal the number of `step()` calls, which lr schedulers check. */
  _stepCount = 0;

  protected constructor(params: Params<O>, defaults: O) {
    this.defaults = defaults;
    if (params instanceof Tensor) {
      throw new TypeError(`${this.name}: params should be an iterable of Tensors or parameter groups, but got a Tensor; pass [tensor]`);
    }
    if (params === null || params === undefined || typeof (params as Iterable<unknown>)[Symbol.iterator] !== 'function') {
      throw new TypeError(`${this.name}: params should be an iterable of Tensors or parameter groups, but got ${typeof params}`);
    }
    const list = [...(params as Iterable<Tensor | ParamGroupInput<O>>)];
    if (list.length === 0) throw new Error(`${this.name}: optimizer got an empty parameter list`);
    const groups: ParamGroupInput<O>[] = isPlainObject(list[0])
      ? (list as ParamGroupInput<O>[])
      : [{ params: list as Tensor[] } as unknown as ParamGroupInput<O>];
    for (const g of groups) this.addParamGroup(g);
  }

  /** The class name, used in error messages. */
  get name(): string {
    return this.constructor.name;
  }

  /**
   * Checks a group's options (negative learning rate, invalid betas, …); throws a RangeError
   * naming the option. Called for the defaults and for every group added.
   */
  protected abstract validate(group: O, where: string): void;

  /** Updates the parameters of one group from their `.grad` (runs under `noGrad`). */
  protected abstract updateGroup(group: ParamGroup<O>): void;

  /** The per-parameter state this optimizer keeps; `loadStateDict` checks loaded state against it. */
  protected readonly stateSpec: StateSpec | null = null;

  /**
   * Adds a parameter group, e.g. to train layers that were frozen so far. Options it doesn't set
   * come from the optimizer's defaults.
   */
  addParamGroup(group: ParamGroupInput<O>, ...rest: never[]): void {
    noMoreArgs(`${this.name}.addParamGroup`, rest, 'addParamGroup(paramGroup)');
    if (!isPlainObject(group)) throw new TypeError(`${this.name}.addParamGroup: a parameter group must be an object with a params key`);
    const where = `parameter group ${this.paramGroups.length}`;
    const src = group.params;
    if (src === undefined || src === null) throw new TypeError(`${this.name}: ${where} has no params`);
    const params: Tensor[] = src instanceof Tensor ? [src] : [...(src as Iterable<Tensor>)];
    params.forEach((p, i) => {
      if (!(p instanceof Tensor)) {
        const what = p === null ? 'null' : typeof p === 'object' ? ((p as object).constructor?.name ?? 'object') : typeof p;
        throw new TypeError(`${this.name}: can only optimize Tensors, but parameter ${i} of ${where} is ${what}`);
      }
      if (!p.isLeaf && p.gradFn?.retained !== p) {
        throw new Error(
          `${this.name}: can't optimize a non-leaf Tensor (parameter ${i} of ${where}, shape ${shapeStr(p.shape)}, ` +
            `grad_fn ${p.gradFn?.name}); optimize the leaf it was computed from, or detach() it and set requiresGrad`,
        );
      }
    });
    const seen = new Set<Tensor>();
    params.forEach((p, i) => {
      if (seen.has(p))
        throw new Error(`${this.name}: ${where} lists the same parameter twice (parameter ${i}, shape ${shapeStr(p.shape)})`);
      seen.add(p);
    });
    this.paramGroups.forEach((g, gi) => {
      for (const p of g.params) {
        if (seen.has(p)) {
          throw new Error(
            `${this.name}: some parameters appear in more than one parameter group (a parameter of shape ${shapeStr(p.shape)} is in groups ${gi} and ${this.paramGroups.length})`,
          );
        }
      }
    });
    const filled: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(this.defaults)) filled[k] = copyValue(v);
    for (const [k, v] of Object.entries(group)) if (k !== 'params' && v !== undefined) filled[k] = copyValue(v);
    if (typeof filled.lr !== 'number' || Number.isNaN(filled.lr)) {
      throw new TypeError(`${this.name}: ${where} didn't specify a learning rate (lr), and the optimizer has no default one`);
    }
    this.validate(filled as O, where);
    filled.params = params;
    this.paramGroups.push(filled as ParamGroup<O>);
  }

  /**
   * Resets the gradients of all parameters: to null (the default, like PyTorch 2), or to zeros
   * with `{ setToNone: false }` (PyTorch 1.13's default). Optimizers skip parameters whose grad is
   * null, while a zero gradient still moves them through momentum and weight decay.
   */
  zeroGrad(setToNone?: boolean | { setToNone?: boolean }, ...rest: never[]): void {
    const toNone = parseSetToNone([setToNone, ...rest]);
    for (const g of this.paramGroups) {
      for (const p of g.params) {
        if (p.grad === null) continue;
        if (toNone) p.grad = null;
        else {
          if (p.grad.gradFn !== null) p.grad = p.grad.detach();
          else if (p.grad.requiresGrad) p.grad.requiresGrad_(false);
          const grad = p.grad;
          noGrad(() => grad.zero_());
        }
      }
    }
  }

  /**
   * Performs one optimization step. `closure`, if given, re-evaluates the model (with gradient
   * recording on) and returns the loss, which `step` returns.
   */
  step<L = undefined>(closure?: Closure<L>): L | undefined {
    let loss: L | undefined;
    if (closure !== undefined) loss = enableGrad(closure);
    noGrad(() => {
      for (const g of this.paramGroups) this.updateGroup(g);
    });
    this._stepCount++;
    return loss;
  }

  /**
   * The optimizer's state: per-parameter state keyed by parameter index and the groups' options
   * with their parameters as index lists. Like PyTorch's, it refers to the live state tensors
   * (save or copy it before stepping again); `loadStateDict` copies what it loads.
   */
  stateDict(...rest: never[]): OptimizerStateDict {
    noMoreArgs(`${this.name}.stateDict`, rest, 'stateDict()');
    const index = new Map<Tensor, number>();
    let start = 0;
    const paramGroups = this.paramGroups.map((g) => {
      const packed: { params: number[]; [option: string]: unknown } = { params: [] };
      for (const [k, v] of Object.entries(g)) if (k !== 'params') packed[k] = copyValue(v);
      g.params.forEach((p, i) => {
        if (!index.has(p)) index.set(p, start + i);
      });
      packed.params = g.params.map((p) => index.get(p) as number);
      start += g.params.length;
      return packed;
    });
    const state: Record<number, ParamState> = {};
    for (const [p, s] of this.state) {
      const i = index.get(p);
      if (i !== undefined) state[i] = { ...(s as ParamState) };
    }
    return { state, paramGroups };
  }

  /**
   * Loads a state from `stateDict()` (or from a file written from it). The groups must list as
   * many parameters as this optimizer's; floating-point state tensors are converted to their
   * parameter's dtype, and everything is copied.
   */
  loadStateDict(stateDict: OptimizerStateDict, ...rest: never[]): void {
    noMoreArgs(`${this.name}.loadStateDict`, rest, 'loadStateDict(stateDict)');
    const saved = stateDict?.paramGroups;
    if (!Array.isArray(saved) || !isPlainObject(stateDict.state)) {
      throw new TypeError(`${this.name}.loadStateDict: expected an object with state and paramGroups, as stateDict() returns`);
    }
    if (saved.length !== this.paramGroups.length) {
      throw new Error(
        `${this.name}.loadStateDict: the state has ${saved.length} parameter groups but the optimizer has ${this.paramGroups.length}`,
      );
    }
    const byIndex = new Map<number, Tensor>();
    saved.forEach((sg, gi) => {
      const where = `parameter group ${gi} of the state`;
      if (!isPlainObject(sg)) throw new TypeError(`${this.name}.loadStateDict: ${where} is not an object`);
      // Another optimizer's state (SGD's into Adam) lacks options this one needs: refuse it here,
      // not with a TypeError in the first step().
      for (const k of Object.keys(this.defaults)) {
        if (!(k in sg)) throw new Error(`${this.name}.loadStateDict: ${where} has no '${k}' option (is it another optimizer's state?)`);
      }
      const { params: _p, ...options } = sg;
      this.validate(options as unknown as O, `${where} (loadStateDict)`);
      const mine = this.paramGroups[gi].params;
      if (!Array.isArray(sg.params) || sg.params.length !== mine.length) {
        throw new Error(
          `${this.name}.loadStateDict: parameter group ${gi} of the state has ${sg.params?.length ?? 0} parameters but the optimizer's has ${mine.length}`,
        );
      }
      sg.params.forEach((id, i) => {
        byIndex.set(Number(id), mine[i]);
      });
    });
    const state = new Map<Tensor, S>();
    for (const [key, value] of Object.entries(stateDict.state)) {
      const p = byIndex.get(Number(key));
      if (p === undefined) {
        throw new Error(`${this.name}.loadStateDict: the state has an entry for parameter ${key}, which no parameter group lists`);
      }
      const s: ParamState = {};
      for (const [k, v] of Object.entries(value)) {
        if (v instanceof Tensor) {
          if (k === 'step') {
            s[k] = v.item(); // PyTorch ≥ 1.12 keeps step as a tensor; nabla as a number
            continue;
          }
          if (v.numel !== p.numel) {
            throw new Error(
              `${this.name}.loadStateDict: state '${k}' of parameter ${key} has shape ${shapeStr(v.shape)} but the parameter has shape ${shapeStr(p.shape)}`,
            );
          }
          // Like PyTorch, state moves to its parameter's device (and float state to its dtype).
          const cast = isFloating(v.dtype) && isFloating(p.dtype) ? v.to(p.device, p.dtype) : v.to(p.device);
          s[k] = noGrad(() => cast.detach().clone().reshape(p.shape));
        } else s[k] = copyValue(v) as StateValue;
      }
      if (this.stateSpec !== null) checkState(this.name, this.stateSpec, s, key);
      state.set(p, s as S);
    }
    this.paramGroups = saved.map((sg, gi) => {
      const g: Record<string, unknown> = {};
      for (const [k, v] of Object.entries(sg)) if (k !== 'params') g[k] = copyValue(v);
      g.params = this.paramGroups[gi].params;
      return g as ParamGroup<O>;
    });
    this.state = state;
  }

  /** PyTorch's repr: the class and each group's options. */
  toString(): string {
    let s = `${this.name} (`;
    this.paramGroups.forEach((g, i) => {
      s += `\nParameter Group ${i}`;
      for (const k of Object.keys(g).sort()) if (k !== 'params') s += `\n    ${k}: ${formatOption(g[k])}`;
    });
    return `${s}\n)`;
  }

  /** `console.log(opt)` in Node prints the repr. */
  [Symbol.for('nodejs.util.inspect.custom')](): string {
    return this.toString();
  }

  /**
   * The per-parameter state of `p` (what `state` holds, and `stateDict()` saves), created by
   * `init` on first use. Custom optimizers keep their buffers here:
   * @example
   * class SignSGD extends Optimizer<{ lr: number }, { steps: number }> {
   *   protected updateGroup(g: ParamGroup<{ lr: number }>) {
   *     for (const p of g.params) { if (p.grad) { this.stateOf(p, () => ({ steps: 0 })).steps++; p.sub_(p.grad.sign(), g.lr); } }
   *   }
   *   protected validate() {}
   * }
   */
  stateOf(p: Tensor, init: () => S): S {
    let s = this.state.get(p);
    if (s === undefined) {
      s = init();
      this.state.set(p, s);
    }
    return s;
  }
}

function formatOption(v: unknown): string {
  if (Array.isArray(v)) return `(${v.map(formatOption).join(', ')})`;
  if (typeof v === 'boolean') return v ? 'True' : 'False';
  if (v === null || v === undefined) return 'None';
  return String(v);
}

/** Throws unless `value` is a number ≥ 0 (the check PyTorch makes for lr, eps, weight decay…). */
export function checkNonNegative(opt: string, name: string, value: number, where: string): void {
  if (typeof value !== 'number' || !(value >= 0)) {
    throw new RangeError(`${opt}: invalid ${name} ${value} in ${where} (must be ≥ 0)`);
  }
}

/** Checks one parameter's loaded state against the optimizer's {@link StateSpec}. */
function checkState(opt: string, spec: StateSpec, s: ParamState, key: string): void {
  const where = `${opt}.loadStateDict: the state of parameter ${key}`;
  for (const k of Object.keys(s))
    if (!(k in spec)) throw new Error(`${where} has '${k}', which ${opt} does not keep (expected ${Object.keys(spec).join(', ')})`);
  for (const [k, kind] of Object.entries(spec)) {
    const v = s[k];
    const ok =
      kind === 'count'
        ? typeof v === 'number' && Number.isInteger(v) && v >= 0
        : kind === 'tensor'
          ? v instanceof Tensor
          : kind === 'tensor?'
            ? v === undefined || v instanceof Tensor
            : v === null || v instanceof Tensor;
    if (!ok) {
      const want =
        kind === 'count'
          ? 'a non-negative integer'
          : kind === 'tensor'
            ? 'a tensor'
            : kind === 'tensor?'
              ? 'a tensor or absent'
              : 'a tensor or null';
      throw new Error(`${where} has ${v === undefined ? 'no' : `an invalid`} '${k}' (expected ${want})`);
    }
  }
}

/**
 * The argument forms of an optimizer constructor, as PyTorch's: `(params, lr, momentum, …)`
 * positionally, `(params, { lr, momentum, … })`, or `(params, lr, { momentum, … })`.
 */
export type OptimizerArgs<O, P extends unknown[]> = [options?: O] | P | [lr: number, options: Omit<O, 'lr'>];

const numberPair = {
  desc: 'a [number, number] pair',
  ok: (v: unknown) => Array.isArray(v) && v.length === 2 && v.every((x) => typeof x === 'number'),
};

/** The kinds optimizer options use (for {@link optimizerOptions}). */
export const optionKinds = { ...kinds, numberPair };

/**
 * @internal reads an optimizer's constructor arguments (see {@link OptimizerArgs}); `positional`
 * lists PyTorch's positional parameters in order, `keywords` the rest.
 */
export function optimizerOptions<O>(
  name: string,
  args: readonly unknown[],
  positional: readonly ParamSpec[],
  keywords: readonly ParamSpec[] = [],
): O {
  const names = positional.map((p) => p[0]);
  return parseArgs(name, args, {
    positional,
    keywords,
    usage: `${name}(params, ${names.map((n) => `${n}?`).join(', ')}), ${name}(params, lr, { ${[...names.slice(1), ...keywords.map((k) => k[0])].join(', ')} }) or ${name}(params, { ${[...names, ...keywords.map((k) => k[0])].join(', ')} })`,
  }) as O;
}
