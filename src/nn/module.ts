import '../tensor/methods.js';
import { noGrad } from '../autograd/grad-mode.js';
import { type DeviceLike, getDevice } from '../backend/device.js';
import { DTYPE_LIKE, detach, to, transfer } from '../ops/convert.js';
import { type ArgSpec, checkOptions, kinds, noMoreArgs, parseArgs } from '../tensor/args.js';
import { checkDType, type DType } from '../tensor/dtype.js';
import { sameShape, shapeStr } from '../tensor/shape.js';
import { Tensor } from '../tensor/tensor.js';
import { Parameter } from './parameter.js';
import { addIndent } from './repr.js';

// biome-ignore lint/suspicious/noExplicitAny: modules hold children of any signature
export type AnyModule = Module<any[], any>;

/** Runs before `forward`; may return replacement arguments (an array, or one value). */
// biome-ignore lint/suspicious/noExplicitAny: hook arguments follow the module's forward
export type ForwardPreHook = (module: AnyModule, args: any[]) => unknown;
/** Runs after `forward`; may return a replacement output. */
// biome-ignore lint/suspicious/noExplicitAny: hook arguments follow the module's forward
export type ForwardHook = (module: AnyModule, args: any[], output: any) => unknown;

/** What `registerForwardHook` returns: `remove()` unregisters the hook. */
export interface RemovableHandle {
  readonly id: number;
  remove(): void;
}

/** Ordered `name → tensor` map of parameters and persistent buffers (detached). */
export type StateDict = Record<string, Tensor>;

/** What `loadStateDict` reports when `strict` is false (mismatches throw when it is true). */
export interface LoadResult {
  missingKeys: string[];
  unexpectedKeys: string[];
}

let nextHookId = 0;

/**
 * PyTorch's name for a camelCase attribute: `runningMean` → `running_mean`,
 * `linearReluStack` → `linear_relu_stack` (names without capitals, `0`, `fc1`, are unchanged).
 */
export const torchName = (s: string): string => s.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`);

/** A dotted state-dict key with every component in PyTorch's snake_case. */
export const torchKey = (key: string): string => key.split('.').map(torchName).join('.');

function checkName(kind: string, owner: AnyModule, name: string): void {
  if (typeof name !== 'string' || name.length === 0) throw new TypeError(`register${kind}: name must be a non-empty string`);
  if (name.includes('.')) throw new RangeError(`register${kind}: name can't contain "." (got "${name}")`);
  if (name.startsWith('_')) throw new RangeError(`register${kind}: names starting with "_" are reserved (got "${name}")`);
  if (name === 'training') throw new RangeError(`register${kind}: "training" is reserved`);
  const current = (owner as unknown as Record<string, unknown>)[name];
  if (name in owner && !owner._isRegistered(name) && current !== undefined && current !== null) {
    throw new RangeError(`register${kind}: attribute "${name}" already exists on ${owner._getName()}`);
  }
}

const RECURSE = (fn: string): ArgSpec => ({ positional: [['recurse', kinds.bool]], usage: `${fn}(recurse?) or ${fn}({ recurse })` });
const PREFIX_RECURSE = (fn: string): ArgSpec => ({
  positional: [
    ['prefix', kinds.string],
    ['recurse', kinds.bool],
  ],
  usage: `${fn}(prefix?, recurse?) or ${fn}({ prefix, recurse })`,
});

/** `zeroGrad`'s arguments (module's and optimizer's): PyTorch's `set_to_none`, default true. */
export function parseSetToNone(args: readonly unknown[]): boolean {
  const o = parseArgs<{ setToNone?: boolean }>('zeroGrad', args, {
    positional: [['setToNone', kinds.bool]],
    usage: 'zeroGrad(setToNone?) or zeroGrad({ setToNone })',
  });
  return o.setToNone ?? true;
}

/**
 * Base class of all neural-network modules, like `torch.nn.Module`.
 *
 * Parameters, buffers and submodules are found by name:
 * - a field holding a {@link Parameter} is a parameter, a field holding a `Module` a submodule,
 *   registered when first assigned, in assignment order, as PyTorch does (the order in which the
 *   fields are declared does not matter);
 * - buffers are registered explicitly with `registerBuffer` (a plain tensor field is just state);
 * - `registerParameter`/`registerModule` register explicitly (names need not be identifiers).
 * Fields whose names start with `_` are never registered.
 *
 * Subclasses implement `forward`; call a module with `module.call(...)` so hooks run.
 * Type the signature with the generic parameters: `class Net extends Module<[Tensor], Tensor>`.
 */
// biome-ignore lint/suspicious/noExplicitAny: the default signature is open, like Python's
export class Module<In extends unknown[] = any[], Out = any> {
  /** Training mode (dropout active, batch norm uses batch statistics); see `train()`/`eval()`. */
  training = true;
  /** @internal names of parameters, in registration order. */
  readonly _parameterNames = new Set<string>();
  /** @internal names of buffers → persistent (included in stateDict). */
  readonly _bufferNames = new Map<string, boolean>();
  /** @internal names of submodules, in registration order. */
  readonly _moduleNames = new Set<string>();
  /** @internal */
  readonly _forwardPreHooks = new Map<number, ForwardPreHook>();
  /** @internal */
  readonly _forwardHooks = new Map<number, ForwardHook>();

  constructor() {
    // Parameters and submodules register when they are assigned (PyTorch's __setattr__), so
    // parameters(), stateDict() and printing follow assignment order, not the order in which
    // TypeScript declares the fields. A Proxy is the only hook JS has on plain assignment.
    // biome-ignore lint/correctness/noConstructorReturn: the proxy stands in for this module
    return new Proxy(this, {
      set(target, key, value) {
        (target as Record<string | symbol, unknown>)[key] = value;
        if (typeof key === 'string') target._noteAssignment(key, value);
        return true;
      },
      defineProperty(target, key, desc) {
        const ok = Reflect.defineProperty(target, key, desc);
        if (ok && typeof key === 'string' && 'value' in desc) target._noteAssignment(key, desc.value);
        return ok;
      },
    });
  }

  /** @internal registers a Parameter or Module the first time it is assigned to a public field. */
  _noteAssignment(key: string, value: unknown): void {
    if (key.startsWith('_') || key === 'training' || this._isRegistered(key)) return;
    if (value instanceof Parameter) this._parameterNames.add(key);
    else if (value instanceof Module) this._moduleNames.add(key);
  }

  /** The computation; subclasses override it. Call the module with `call()` instead. */
  forward(..._args: In): Out {
    throw new Error(`Module [${this._getName()}] is missing the required "forward" function`);
  }

  /** Runs forward pre-hooks, `forward`, then forward hooks (PyTorch's `module(...)`). */
  call(...args: In): Out {
    let a: unknown[] = args;
    for (const hook of [...this._forwardPreHooks.values()]) {
      const r = hook(this, a);
      if (r !== undefined) a = Array.isArray(r) ? r : [r];
    }
    let out = this.forward(...(a as In));
    for (const hook of [...this._forwardHooks.values()]) {
      const r = hook(this, a, out);
      if (r !== undefined) out = r as Out;
    }
    return out;
  }

  /** Registers a hook run before `forward(...args)`; it may return new args. */
  registerForwardPreHook(hook: ForwardPreHook): RemovableHandle {
    return this._addHook(this._forwardPreHooks, hook);
  }

  /** Registers a hook run after `forward` as `hook(module, args, output)`; it may return a new output. */
  registerForwardHook(hook: ForwardHook): RemovableHandle {
    return this._addHook(this._forwardHooks, hook);
  }

  private _addHook<H>(map: Map<number, H>, hook: H): RemovableHandle {
    const id = nextHookId++;
    map.set(id, hook);
    return { id, remove: () => void map.delete(id) };
  }

  // ---------------------------------------------------------------- registration

  /**
   * @internal kept for callers that ran it before reading the registries; assignments register
   * themselves now (see the constructor), so there is nothing left to discover.
   */
  _sync(): void {}

  /** @internal */
  _isRegistered(name: string): boolean {
    return this._parameterNames.has(name) || this._moduleNames.has(name) || this._bufferNames.has(name);
  }

  /** @internal the class name PyTorch prints (`Linear`, `Sequential`, …). */
  _getName(): string {
    return this.constructor.name;
  }

  private _get(name: string): unknown {
    return (this as Record<string, unknown>)[name];
  }

  private _set(name: string, value: unknown): void {
    (this as Record<string, unknown>)[name] = value;
  }

  /** Adds a parameter (or `null`, a declared but absent one, like `bias=False`). */
  registerParameter(name: string, param: Parameter | null): void {
    this._sync();
    checkName('Parameter', this, name);
    if (param !== null && !(param instanceof Parameter)) {
      throw new TypeError(`registerParameter: "${name}" must be a Parameter or null (wrap a tensor: new nn.Parameter(t))`);
    }
    if (this._moduleNames.has(name) || this._bufferNames.has(name)) {
      throw new RangeError(`registerParameter: "${name}" is already registered as a ${this._moduleNames.has(name) ? 'module' : 'buffer'}`);
    }
    this._parameterNames.add(name);
    this._set(name, param);
  }

  /**
   * Adds a buffer: state that is not a parameter (running statistics). Persistent buffers are
   * part of `stateDict()`.
   */
  registerBuffer(name: string, tensor: Tensor | null, opts: { persistent?: boolean } = {}): void {
    this._sync();
    checkName('Buffer', this, name);
    if (tensor !== null && !(tensor instanceof Tensor)) throw new TypeError(`registerBuffer: "${name}" must be a Tensor or null`);
    if (this._parameterNames.has(name) || this._moduleNames.has(name)) {
      throw new RangeError(`registerBuffer: "${name}" is already registered as a ${this._moduleNames.has(name) ? 'module' : 'parameter'}`);
    }
    this._bufferNames.set(name, opts.persistent ?? true);
    this._set(name, tensor);
  }

  /** Adds a submodule under `name` (any string without "."; Sequential uses "0", "1", …). */
  registerModule(name: string, module: AnyModule | null): void {
    this._sync();
    checkName('Module', this, name);
    if (module !== null && !(module instanceof Module)) throw new TypeError(`registerModule: "${name}" must be a Module or null`);
    if (this._parameterNames.has(name) || this._bufferNames.has(name)) {
      throw new RangeError(
        `registerModule: "${name}" is already registered as a ${this._parameterNames.has(name) ? 'parameter' : 'buffer'}`,
      );
    }
    this._moduleNames.add(name);
    this._set(name, module);
  }

  /** Alias of `registerModule` (PyTorch's `add_module`). */
  addModule(name: string, module: AnyModule | null): void {
    this.registerModule(name, module);
  }

  /** @internal own (non-recursive) parameters in order, skipping nulls. */
  _ownParameters(): [string, Parameter][] {
    this._sync();
    const out: [string, Parameter][] = [];
    for (const name of this._parameterNames) {
      const v = this._get(name);
      if (v === null || v === undefined) continue;
      if (!(v instanceof Parameter)) {
        throw new TypeError(
          `${this._getName()}: "${name}" is registered as a parameter but holds ${v instanceof Tensor ? 'a plain Tensor' : typeof v}; ` +
            'assign new nn.Parameter(t) (or null)',
        );
      }
      out.push([name, v]);
    }
    return out;
  }

  /** @internal own buffers in order, skipping nulls. */
  _ownBuffers(): [string, Tensor, boolean][] {
    this._sync();
    const out: [string, Tensor, boolean][] = [];
    for (const [name, persistent] of this._bufferNames) {
      const v = this._get(name);
      if (v === null || v === undefined) continue;
      if (!(v instanceof Tensor)) throw new TypeError(`${this._getName()}: buffer "${name}" holds ${typeof v}, not a Tensor`);
      out.push([name, v, persistent]);
    }
    return out;
  }

  // ---------------------------------------------------------------- traversal

  /** @internal every registered child slot in order (no deduplication, skipping nulls). */
  _childSlots(): [string, AnyModule][] {
    this._sync();
    const out: [string, AnyModule][] = [];
    for (const name of this._moduleNames) {
      const m = this._get(name);
      if (m instanceof Module) out.push([name, m]);
    }
    return out;
  }

  /** Direct submodules with their names (skipping `null` slots). */
  *namedChildren(): Generator<[string, AnyModule]> {
    this._sync();
    const seen = new Set<AnyModule>();
    for (const name of this._moduleNames) {
      const m = this._get(name);
      if (m instanceof Module && !seen.has(m)) {
        seen.add(m);
        yield [name, m];
      }
    }
  }

  /** Direct submodules. */
  *children(): Generator<AnyModule> {
    for (const [, m] of this.namedChildren()) yield m;
  }

  /** This module and all submodules, depth first, each once, named by dotted path ('' for this one). */
  *namedModules(prefix = '', memo: Set<AnyModule> = new Set()): Generator<[string, AnyModule]> {
    if (memo.has(this)) return;
    memo.add(this);
    yield [prefix, this];
    this._sync();
    for (const name of this._moduleNames) {
      const m = this._get(name);
      if (m instanceof Module) yield* m.namedModules(prefix ? `${prefix}.${name}` : name, memo);
    }
  }

  /** This module and all submodules. */
  *modules(): Generator<AnyModule> {
    for (const [, m] of this.namedModules()) yield m;
  }

  /**
   * Parameters of this module and (with `recurse`, the default) its submodules, named by dotted
   * path like PyTorch (`features.0.weight`); a parameter shared by two modules is listed once.
   */
  namedParameters(opts?: { prefix?: string; recurse?: boolean }): Generator<[string, Parameter]>;
  namedParameters(prefix?: string, recurse?: boolean): Generator<[string, Parameter]>;
  namedParameters(...args: unknown[]): Generator<[string, Parameter]> {
    // Parsed here, not in the generator, so a bad argument fails at the call rather than at the first read.
    return this._namedParameters(parseArgs('namedParameters', args, PREFIX_RECURSE('namedParameters')));
  }

  private *_namedParameters(opts: { prefix?: string; recurse?: boolean }): Generator<[string, Parameter]> {
    const seen = new Set<Tensor>();
    const mods = opts.recurse === false ? [[opts.prefix ?? '', this] as [string, AnyModule]] : this.namedModules(opts.prefix ?? '');
    for (const [path, m] of mods) {
      for (const [name, p] of m._ownParameters()) {
        if (seen.has(p)) continue;
        seen.add(p);
        yield [path ? `${path}.${name}` : name, p];
      }
    }
  }

  /** All parameters (what optimizers take). */
  parameters(recurse?: boolean | { recurse?: boolean }, ...rest: never[]): Parameter[] {
    const opts = parseArgs<{ recurse?: boolean }>('parameters', [recurse, ...rest], RECURSE('parameters'));
    return [...this.namedParameters(opts)].map(([, p]) => p);
  }

  /** Buffers of this module and its submodules, named by dotted path. */
  namedBuffers(opts?: { prefix?: string; recurse?: boolean }): Generator<[string, Tensor]>;
  namedBuffers(prefix?: string, recurse?: boolean): Generator<[string, Tensor]>;
  namedBuffers(...args: unknown[]): Generator<[string, Tensor]> {
    // Parsed here, not in the generator, so a bad argument fails at the call rather than at the first read.
    return this._namedBuffers(parseArgs('namedBuffers', args, PREFIX_RECURSE('namedBuffers')));
  }

  private *_namedBuffers(opts: { prefix?: string; recurse?: boolean }): Generator<[string, Tensor]> {
    const seen = new Set<Tensor>();
    const mods = opts.recurse === false ? [[opts.prefix ?? '', this] as [string, AnyModule]] : this.namedModules(opts.prefix ?? '');
    for (const [path, m] of mods) {
      for (const [name, b] of m._ownBuffers()) {
        if (seen.has(b)) continue;
        seen.add(b);
        yield [path ? `${path}.${name}` : name, b];
      }
    }
  }

  /** All buffers. */
  buffers(recurse?: boolean | { recurse?: boolean }, ...rest: never[]): Tensor[] {
    const opts = parseArgs<{ recurse?: boolean }>('buffers', [recurse, ...rest], RECURSE('buffers'));
    return [...this.namedBuffers(opts)].map(([, b]) => b);
  }

  /** Number of parameter elements (each shared parameter once); `trainable` counts only those requiring grad. */
  numParameters(opts: { trainable?: boolean } = {}): number {
    checkOptions('numParameters', opts, [['trainable', kinds.bool]], 'numParameters({ trainable })');
    let n = 0;
    for (const p of this.parameters()) if (!opts.trainable || p.requiresGrad) n += p.numel;
    return n;
  }

  // ---------------------------------------------------------------- modes and utilities

  /** Sets training mode on this module and all submodules; returns this module. */
  train(mode = true): this {
    if (typeof mode !== 'boolean') throw new TypeError('train: training mode is expected to be boolean');
    for (const m of this.modules()) m.training = mode;
    return this;
  }

  /** Evaluation mode: `train(false)`. */
  eval(...rest: never[]): this {
    noMoreArgs('eval', rest, 'eval()');
    return this.train(false);
  }

  /** Calls `fn` on every submodule (children first, then this module), like PyTorch's `apply`. */
  apply(fn: (module: AnyModule) => void, ...rest: never[]): this {
    noMoreArgs('apply', rest, 'apply(fn)');
    if (typeof fn !== 'function') throw new TypeError('apply: fn must be a function called with each module');
    for (const m of this.children()) m.apply(fn);
    fn(this);
    return this;
  }

  /** Turns gradient recording on or off for every parameter; returns this module. */
  requiresGrad_(requiresGrad?: boolean | { requiresGrad?: boolean }, ...rest: never[]): this {
    const on =
      parseArgs<{ requiresGrad?: boolean }>('requiresGrad_', [requiresGrad, ...rest], {
        positional: [['requiresGrad', kinds.bool]],
        usage: 'requiresGrad_(requiresGrad?) or requiresGrad_({ requiresGrad })',
      }).requiresGrad ?? true;
    for (const p of this.parameters()) p.requiresGrad_(on);
    return this;
  }

  /**
   * Clears the gradients of all parameters, with the same semantics as `optimizer.zeroGrad()`
   * (PyTorch 1.13's `set_to_none`): by default each `.grad` becomes null (the next backward
   * allocates a fresh one, and optimizers skip parameters whose grad is null); with
   * `{ setToNone: false }` each existing `.grad` is detached and zeroed in place instead.
   */
  zeroGrad(setToNone?: boolean | { setToNone?: boolean }, ...rest: never[]): void {
    const toNone = parseSetToNone([setToNone, ...rest]);
    for (const p of this.parameters()) {
      if (p.grad === null) continue;
      if (toNone) p.grad = null;
      else {
        const g = p.grad.isLeaf ? p.grad : detach(p.grad);
        g.requiresGrad_(false);
        noGrad(() => g.zero_());
        p.grad = g;
      }
    }
  }

  /**
   * Moves parameters and buffers to a device and/or converts floating-point ones to a dtype, in
   * PyTorch's forms: `module.to('webgpu')`, `to('float64')`, `to('webgpu', 'float64')`,
   * `to({ device, dtype })`. A device move is in place, as in PyTorch: each Parameter keeps its
   * identity (an optimizer built before still holds it) and its gradient moves with it. A dtype
   * change replaces the Parameter objects, so build optimizers afterwards.
   */
  to(...args: [dtype: DType] | [device: DeviceLike, dtype?: DType] | [opts: { device?: DeviceLike; dtype?: DType }]): this {
    const { device, dtype } = moduleToArgs(args);
    if (device !== undefined) this._toDevice(device);
    return dtype === undefined ? this : this._toDType(dtype);
  }

  private _toDevice(device: DeviceLike): void {
    const d = getDevice(device, 'to');
    noGrad(() => {
      for (const m of this.modules()) {
        for (const [, p] of m._ownParameters()) {
          if (p._device === d) continue;
          p._adopt(transfer(p, d));
          if (p.grad) p.grad = transfer(p.grad, d);
        }
        for (const [name, b] of m._ownBuffers()) {
          if (b._device !== d) m._set(name, transfer(b, d));
        }
      }
    });
  }

  private _toDType(dtype: DType): this {
    if (dtype !== 'float32' && dtype !== 'float64')
      throw new TypeError(`to: nn.Module.to only accepts floating point dtypes, but got ${dtype}`);
    for (const m of this.modules()) {
      for (const [name, p] of m._ownParameters()) {
        if (p.dtype === dtype || (p.dtype !== 'float32' && p.dtype !== 'float64')) continue;
        const q = new Parameter(
          noGrad(() => to(detach(p), dtype)),
          p.requiresGrad,
        );
        if (p.grad) q.grad = noGrad(() => to(detach(p.grad as Tensor), dtype));
        m._set(name, q);
      }
      for (const [name, b] of m._ownBuffers()) {
        if (b.dtype === dtype || (b.dtype !== 'float32' && b.dtype !== 'float64')) continue;
        m._set(
          name,
          noGrad(() => to(detach(b), dtype)),
        );
      }
    }
    return this;
  }

  /** `to('float64')`. */
  double(): this {
    return this.to('float64');
  }

  /** `to('float32')`. */
  float(): this {
    return this.to('float32');
  }

  // ---------------------------------------------------------------- state dict

  /**
   * Parameters and persistent buffers by dotted name, in PyTorch's order (each module's
   * parameters, then its buffers, then its submodules) and with PyTorch's names: camelCase
   * attributes become snake_case (`bn1.running_mean`, `linear_relu_stack.0.weight`), so the
   * dict loads into the equivalent PyTorch module. The tensors are detached and share memory
   * with the module.
   */
  stateDict(opts: { prefix?: string } = {}): StateDict {
    checkOptions('stateDict', opts, [['prefix', kinds.string]], 'stateDict({ prefix })');
    const out: StateDict = {};
    const visit = (m: AnyModule, prefix: string) => {
      for (const [name, p] of m._ownParameters()) out[prefix + torchName(name)] = detach(p);
      for (const [name, b, persistent] of m._ownBuffers()) if (persistent) out[prefix + torchName(name)] = detach(b);
      m._sync();
      for (const name of m._moduleNames) {
        const c = m._get(name);
        if (c instanceof Module) visit(c, `${prefix}${torchName(name)}.`);
      }
    };
    visit(this, opts.prefix ?? '');
    return out;
  }

  /**
   * Copies tensors from `stateDict` into this module's parameters and buffers (under noGrad).
   * Keys are compared in PyTorch's snake_case, so a PyTorch state dict (`bn1.running_mean`,
   * `linear_relu_stack.0.weight`) and one written by older nabla (`bn1.runningMean`) both load.
   * With `strict` (default) the keys must match, else the error lists the missing and
   * unexpected keys (and likely renames); with `strict: false` they are returned instead. A shape
   * mismatch is always an error. Values are converted to each target's dtype (PyTorch's int64
   * `num_batches_tracked` loads into nabla's int32 one).
   */
  loadStateDict(stateDict: StateDict | Map<string, Tensor>, strict?: boolean | { strict?: boolean }, ...rest: never[]): LoadResult {
    const opts = parseArgs<{ strict?: boolean }>('loadStateDict', [strict, ...rest], {
      positional: [['strict', kinds.bool]],
      usage: 'loadStateDict(stateDict, strict?) or loadStateDict(stateDict, { strict })',
    });
    const isStrict = opts.strict ?? true;
    const own = new Map<string, { module: AnyModule; name: string; tensor: Tensor }>();
    const visit = (m: AnyModule, prefix: string) => {
      for (const [name, p] of m._ownParameters()) own.set(prefix + torchName(name), { module: m, name, tensor: p });
      for (const [name, b, persistent] of m._ownBuffers()) {
        if (persistent) own.set(prefix + torchName(name), { module: m, name, tensor: b });
      }
      m._sync();
      for (const name of m._moduleNames) {
        const c = m._get(name);
        if (c instanceof Module) visit(c, `${prefix}${torchName(name)}.`);
      }
    };
    visit(this, '');
    // Keys match in PyTorch's snake_case, so nabla's camelCase spellings load too.
    const incoming = new Map<string, Tensor>();
    const spelled = new Map<string, string>();
    for (const [key, t] of stateDict instanceof Map ? stateDict : Object.entries(stateDict)) {
      const k = torchKey(key);
      if (spelled.has(k)) {
        throw new Error(
          `Error(s) in loading state_dict for ${this._getName()}:\n\tkeys "${spelled.get(k)}" and "${key}" name the same entry "${k}"`,
        );
      }
      spelled.set(k, key);
      incoming.set(k, t);
    }
    const missingKeys = [...own.keys()].filter((k) => !incoming.has(k));
    const unexpectedKeys = [...incoming.keys()].filter((k) => !own.has(k)).map((k) => spelled.get(k) as string);
    const errors: string[] = [];
    for (const [key, { tensor }] of own) {
      const src = incoming.get(key);
      if (src === undefined) continue;
      if (!(src instanceof Tensor)) {
        errors.push(`While copying the parameter named "${key}", expected a Tensor but got ${typeof src}.`);
      } else if (!sameShape(src.shape, tensor.shape)) {
        errors.push(
          `size mismatch for ${key}: copying a param with shape ${shapeStr(src.shape)} from checkpoint, ` +
            `the shape in current model is ${shapeStr(tensor.shape)}.`,
        );
      }
    }
    if (isStrict) {
      // Pair up keys that differ only in their module path (a renamed field), to point at the fix.
      const hints: string[] = [];
      for (const u of unexpectedKeys) {
        const t = incoming.get(torchKey(u));
        const last = torchKey(u).split('.').pop();
        const m = missingKeys.find(
          (k) => k.split('.').pop() === last && t instanceof Tensor && sameShape((own.get(k) as { tensor: Tensor }).tensor.shape, t.shape),
        );
        if (m !== undefined) hints.push(`"${u}" → "${m}"?`);
      }
      if (hints.length > 0) errors.unshift(`Possible renames (same name and shape, different module path): ${hints.join(', ')}`);
      if (unexpectedKeys.length > 0) errors.unshift(`Unexpected key(s) in state_dict: ${unexpectedKeys.map((k) => `"${k}"`).join(', ')}.`);
      if (missingKeys.length > 0) errors.unshift(`Missing key(s) in state_dict: ${missingKeys.map((k) => `"${k}"`).join(', ')}.`);
    }
    if (errors.length > 0) {
      throw new Error(`Error(s) in loading state_dict for ${this._getName()}:\n\t${errors.join('\n\t')}`);
    }
    noGrad(() => {
      for (const [key, { tensor }] of own) {
        const src = incoming.get(key);
        if (src !== undefined && src !== tensor) tensor.copy_(src);
      }
    });
    return { missingKeys, unexpectedKeys };
  }

  // ---------------------------------------------------------------- printing

  /** The one-line settings shown inside the parentheses of this module's repr (override it). */
  extraRepr(): string {
    return '';
  }

  /** PyTorch's module repr, e.g. `Linear(in_features=4, out_features=4, bias=True)`. */
  toString(): string {
    const extra = this.extraRepr();
    const extraLines = extra ? extra.split('\n') : [];
    const childLines: string[] = [];
    this._sync();
    for (const name of this._moduleNames) {
      const m = this._get(name);
      const s = m instanceof Module ? m.toString() : 'None';
      childLines.push(`(${name}): ${addIndent(s, 2)}`);
    }
    const lines = [...extraLines, ...childLines];
    let main = `${this._getName()}(`;
    if (lines.length > 0) {
      if (extraLines.length === 1 && childLines.length === 0) main += extraLines[0];
      else main += `\n  ${lines.join('\n  ')}\n`;
    }
    return `${main})`;
  }

  /** `console.log(module)` in Node prints the PyTorch-style repr. */
  [Symbol.for('nodejs.util.inspect.custom')](): string {
    return this.toString();
  }
}

const MODULE_TO_USAGE = 'module.to(device), module.to(dtype), module.to(device, dtype) or module.to({ device, dtype })';

function moduleToArgs(args: readonly unknown[]): { device?: DeviceLike; dtype?: DType } {
  const [a, b] = args;
  if (args.length === 0 || args.length > 2)
    throw new TypeError(`to: expected 1 or 2 arguments (got ${args.length}); accepted forms: ${MODULE_TO_USAGE}`);
  if (typeof a === 'string' && (['float32', 'float64', 'int32', 'bool'].includes(a) || DTYPE_LIKE.test(a))) {
    checkDType('to', a);
    if (args.length > 1) throw new TypeError(`to: a dtype comes after the device; accepted forms: ${MODULE_TO_USAGE}`);
    return { dtype: a as DType };
  }
  if (typeof a === 'string') {
    if (b !== undefined) checkDType('to', b);
    return { device: a, dtype: b as DType | undefined };
  }
  if (typeof a === 'object' && a !== null && !Array.isArray(a) && args.length === 1) {
    for (const k of Object.keys(a)) {
      if (k !== 'device' && k !== 'dtype')
        throw new TypeError(`to: unknown option '${k}' (expected device and dtype); accepted forms: ${MODULE_TO_USAGE}`);
    }
    const o = a as { device?: DeviceLike; dtype?: DType };
    if (o.dtype !== undefined) checkDType('to', o.dtype);
    return o;
  }
  throw new TypeError(`to: expected a device, a dtype or an options object; accepted forms: ${MODULE_TO_USAGE}`);
}
