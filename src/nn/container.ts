import { isOptionsObject, noMoreArgs } from '../tensor/args.js';
import type { Tensor } from '../tensor/tensor.js';
import { type AnyModule, Module } from './module.js';

function checkIndex(op: string, i: number, n: number): number {
  if (!Number.isInteger(i) || i < -n || i >= n) throw new RangeError(`${op}: index ${i} is out of range for ${n} modules`);
  return i < 0 ? i + n : i;
}

/**
 * Modules run one after another, each fed the previous one's output (`torch.nn.Sequential`).
 * @example new Sequential(new Linear(4, 8), new ReLU(), new Linear(8, 1))
 * @example new Sequential({ conv1: new Conv2d(1, 8, 3), relu1: new ReLU() })
 */
export class Sequential extends Module<[Tensor], Tensor> {
  constructor(...modules: AnyModule[] | [Record<string, AnyModule>] | [Map<string, AnyModule>]) {
    super();
    const first = modules[0];
    if (modules.length === 1 && !(first instanceof Module)) {
      if (!(first instanceof Map) && !isOptionsObject(first)) {
        throw new TypeError('Sequential: expected modules, or one object or Map of named modules (an OrderedDict)');
      }
      const entries = first instanceof Map ? [...first.entries()] : Object.entries(first as Record<string, AnyModule>);
      for (const [name, m] of entries) this.registerModule(name, m);
    } else {
      (modules as AnyModule[]).forEach((m, i) => {
        if (!(m instanceof Module)) throw new TypeError(`Sequential: argument ${i} is not a Module`);
        this.registerModule(String(i), m);
      });
    }
  }

  /** @internal the child modules in order. */
  _list(): AnyModule[] {
    return this._childSlots().map(([, m]) => m);
  }

  /** Number of modules. */
  get length(): number {
    return this._list().length;
  }

  /**
   * The module at position `i` (negative counts from the end), PyTorch's `seq[i]`. Pass the
   * expected class to get it typed and checked: `seq.get(0, nn.Linear).weight`; or name the type
   * without a check: `seq.get<nn.Linear>(0)`.
   */
  get<M extends AnyModule = AnyModule>(i: number, type?: abstract new (...args: never[]) => M): M {
    const list = this._list();
    const m = list[checkIndex('Sequential.get', i, list.length)];
    if (type !== undefined && !(m instanceof type)) {
      throw new TypeError(`Sequential.get: module ${i} is a ${m._getName()}, not a ${type.name}`);
    }
    return m as M;
  }

  /** A new Sequential of modules `start` ≤ i < `end`, keeping their names (like `seq[a:b]`). */
  slice(start = 0, end?: number): Sequential {
    const entries = this._childSlots().slice(start, end);
    return new Sequential(new Map(entries));
  }

  /** Appends a module; returns this Sequential. */
  append(module: AnyModule): this {
    this.registerModule(String(this.length), module);
    return this;
  }

  [Symbol.iterator](): Iterator<AnyModule> {
    return this._list()[Symbol.iterator]();
  }

  override forward(input: Tensor): Tensor {
    // biome-ignore lint/suspicious/noExplicitAny: each stage's output feeds the next
    let x: any = input;
    for (const m of this._list()) x = m.call(x);
    return x;
  }
}

/**
 * A list of submodules, registered under "0", "1", … (`torch.nn.ModuleList`). It has no forward;
 * index it in the owner's forward.
 */
export class ModuleList<M extends AnyModule = AnyModule> extends Module {
  private _items: M[] = [];

  constructor(modules: Iterable<M> = [], ...rest: never[]) {
    super();
    noMoreArgs('ModuleList', rest, 'ModuleList(modules?)');
    if (modules === null || typeof (modules as Iterable<M>)[Symbol.iterator] !== 'function') {
      throw new TypeError('ModuleList: modules must be an iterable (e.g. an array) of modules');
    }
    for (const m of modules) this.append(m);
  }

  private _reregister(): void {
    for (const name of [...this._moduleNames]) {
      this._moduleNames.delete(name);
      delete (this as unknown as Record<string, unknown>)[name];
    }
    for (let i = 0; i < this._items.length; i++) this.registerModule(String(i), this._items[i]);
  }

  get length(): number {
    return this._items.length;
  }

  /** The module at `i` (negative counts from the end). */
  get(i: number): M {
    return this._items[checkIndex('ModuleList.get', i, this._items.length)];
  }

  /** Replaces the module at `i`. */
  set(i: number, module: M): void {
    const k = checkIndex('ModuleList.set', i, this._items.length);
    this._items[k] = module;
    this.registerModule(String(k), module);
  }

  append(module: M): this {
    if (!(module instanceof Module)) throw new TypeError('ModuleList.append: expected a Module');
    this._items.push(module);
    this.registerModule(String(this._items.length - 1), module);
    return this;
  }

  /** PyTorch's spelling is `append`; `push` reads like JS. */
  push(...modules: M[]): number {
    for (const m of modules) this.append(m);
    return this.length;
  }

  extend(modules: Iterable<M>): this {
    for (const m of modules) this.append(m);
    return this;
  }

  /** Inserts before position `index`. */
  insert(index: number, module: M): void {
    const n = this._items.length;
    const k = index < 0 ? Math.max(0, index + n) : Math.min(index, n);
    this._items.splice(k, 0, module);
    this._reregister();
  }

  /** Removes and returns the module at `i` (default: the last). */
  pop(i = -1): M {
    const k = checkIndex('ModuleList.pop', i, this._items.length);
    const [m] = this._items.splice(k, 1);
    this._reregister();
    return m;
  }

  [Symbol.iterator](): Iterator<M> {
    return this._items[Symbol.iterator]();
  }

  map<T>(fn: (m: M, i: number) => T): T[] {
    return this._items.map(fn);
  }
}

/** Submodules by name (`torch.nn.ModuleDict`); keeps insertion order. */
export class ModuleDict<M extends AnyModule = AnyModule> extends Module {
  constructor(modules: Record<string, M> | Map<string, M> | Iterable<[string, M]> = {}, ...rest: never[]) {
    super();
    noMoreArgs('ModuleDict', rest, 'ModuleDict(modules?)');
    if (modules === null || typeof modules !== 'object') {
      throw new TypeError('ModuleDict: modules must be an object, a Map or an iterable of [name, module] pairs');
    }
    const entries =
      modules instanceof Map || Symbol.iterator in modules ? [...(modules as Iterable<[string, M]>)] : Object.entries(modules);
    for (const [k, m] of entries) this.set(k, m);
  }

  get size(): number {
    return this._moduleNames.size;
  }

  get(key: string): M | undefined {
    return this._moduleNames.has(key) ? ((this as unknown as Record<string, M>)[key] ?? undefined) : undefined;
  }

  set(key: string, module: M): this {
    if (!(module instanceof Module)) throw new TypeError(`ModuleDict.set: "${key}" is not a Module`);
    this.registerModule(key, module);
    return this;
  }

  has(key: string): boolean {
    return this._moduleNames.has(key);
  }

  /** Removes `key`; returns the module it held. */
  delete(key: string): M | undefined {
    const m = this.get(key);
    if (this._moduleNames.delete(key)) delete (this as unknown as Record<string, unknown>)[key];
    return m;
  }

  keys(): string[] {
    return [...this._moduleNames];
  }

  values(): M[] {
    return this.keys().map((k) => this.get(k) as M);
  }

  entries(): [string, M][] {
    return this.keys().map((k) => [k, this.get(k) as M]);
  }

  [Symbol.iterator](): Iterator<[string, M]> {
    return this.entries()[Symbol.iterator]();
  }
}
