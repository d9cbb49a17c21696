/**
 * PyTorch's keyword arguments for functions with fixed parameters: `keywords('add', add, ['input',
 * 'other', 'alpha'])` is `add` that also takes its trailing parameters by name in a last options
 * object (`add(x, y, { alpha: 2 })`, `clamp(x, { max: 0 })`) and refuses a surplus argument or an
 * unknown option with an error naming the function and its accepted forms. `methodOf` makes the
 * Tensor method (`x.add(y, { alpha: 2 })`) from the same definition.
 *
 * The plain positional call stays as cheap as calling the op: no allocation and no parsing unless
 * the last argument is an options object or there are too many arguments.
 */
import { isOptionsObject } from './args.js';
import { Tensor } from './tensor.js';

/**
 * Parameter names, in PyTorch's positional order and camelCase; an optional one ends in `?`
 * (`['input', 'other', 'alpha?']` for PyTorch's `alpha=1`).
 */
export type ParamNames = readonly string[];
/** A parameter's name without its optional mark. */
type Bare<S> = S extends `${infer K}?` ? K : S;

/** How the op reads arguments after its named ones. */
export interface Tail {
  /**
   * The keys of an options object the op takes after its named parameters (`arange(start, end,
   * step, { dtype, device, requiresGrad })`). Its keys may be mixed with the parameters' names.
   */
  readonly options?: readonly string[];
  /** The op reads further arguments itself (PyTorch forms of its own, checked there). */
  readonly variadic?: boolean;
}

/** The definition a keyword-taking function was made from. */
export interface Signature extends Tail {
  readonly name: string;
  readonly names: ParamNames;
  readonly impl: (...args: never[]) => unknown;
}

/** The phantom type of a signature, so a Tensor method's type can be derived from it. */
interface SignatureTypes<F, N, O> {
  readonly impl: F;
  readonly names: N;
  readonly options: O;
}

/** Where a function made by `keywords` keeps its definition. */
export const SIGNATURE: unique symbol = Symbol('nabla.signature');

/** `{ [names[i]]?: P[i] }`: the parameters by name. */
export type Named<P extends readonly unknown[], N extends ParamNames> = {
  [I in keyof N as I extends `${number}` ? Bare<N[I]> & string : never]?: I extends keyof P ? P[I] : never;
};

/** Each split of the parameters into leading positional ones and a last options object of the rest. */
export type KeywordForms<P extends readonly unknown[], N extends ParamNames, O> =
  | [opts: Named<P, N> & O]
  | (N extends readonly [string, ...infer NT extends ParamNames]
      ? P extends readonly [(infer H)?, ...infer PT]
        ? [H, ...KeywordForms<PT, NT, O>]
        : never
      : never);

type Fn = (...args: never[]) => unknown;
type Drop1<T extends readonly unknown[]> = T extends readonly [unknown?, ...infer R] ? R : [];

/**
 * The options object `F` takes after the named parameters `N` (`arange`'s `{ dtype, device,
 * requiresGrad }`), or unknown when it takes none.
 */
export type TailOptions<F extends Fn, N extends ParamNames> = [OptionsIn<Parameters<F>[N['length']]>] extends [never]
  ? unknown
  : OptionsIn<Parameters<F>[N['length']]>;
type OptionsIn<T> = Exclude<Extract<NonNullable<T>, object>, readonly unknown[]>;

/** `F` that also takes its trailing parameters by name. */
export type Keyworded<F extends Fn, N extends ParamNames, O = unknown> = F &
  ((...args: KeywordForms<Parameters<F>, N, O>) => ReturnType<F>) & {
    readonly [SIGNATURE]: SignatureTypes<F, N, O>;
  };

/** The Tensor method of a keyword-taking op: the op without its first parameter. */
export type MethodOf<K> = K extends { readonly [SIGNATURE]: SignatureTypes<infer F extends Fn, infer N extends ParamNames, infer O> }
  ? ((...args: Drop1<Parameters<F>>) => ReturnType<F>) & ((...args: KeywordForms<Drop1<Parameters<F>>, Drop1<N>, O>) => ReturnType<F>)
  : never;

/** Whether `v` may be an options object; a quick no for numbers, tensors and arrays. */
function maybeOptions(v: unknown): boolean {
  return typeof v === 'object' && v !== null && !(v instanceof Tensor) && !Array.isArray(v) && isOptionsObject(v);
}

/** The accepted forms of `call` (`add` or `Tensor.add`) with parameters `names` (optional ones marked `?`). */
function usage(call: string, names: ParamNames, tail: Tail): string {
  const opts = tail.options ? `{ ${tail.options.join(', ')} }` : '';
  const all = [...names, ...(tail.variadic ? ['…'] : []), ...(opts ? [opts] : [])].join(', ');
  if (names.length === 0) return `${call}(${all})`;
  // A method's parameters may all go by name (`x.size({ dim: 1 })`); a function keeps its first.
  const lead = call.startsWith('Tensor.') ? [] : names.slice(0, 1);
  const byName = [...names.slice(lead.length).map((k) => k.replace(/\?$/, '')), ...(tail.options ?? [])].join(', ');
  const example =
    byName === '' ? '' : `, or trailing ones by name in a last options object: ${call}(${[...lead, `{ ${byName} }`].join(', ')})`;
  return `${call}(${all})${example}`;
}

/** "takes at most 2 arguments (dim0, dim1)". */
function takes(names: ParamNames): string {
  if (names.length === 0) return 'takes no arguments';
  return `takes at most ${names.length} argument${names.length === 1 ? '' : 's'} (${names.join(', ')})`;
}

function fail(call: string, names: ParamNames, tail: Tail, problem: string): never {
  throw new TypeError(`${call}: ${problem}. Accepted forms: ${usage(call, names, tail)}`);
}

/**
 * The positional arguments `args` (optionally ending in an options object) mean for a function
 * with parameters `names` and `tail`: the options' keys that name parameters fill those slots, the
 * rest go on in one options object after them (`tail.options`) or to the op itself (`variadic`).
 * Throws naming `call` for a surplus argument, an unknown option or a parameter given twice.
 */
export function resolveArgs(call: string, names: ParamNames, tail: Tail, args: ArrayLike<unknown>): unknown[] {
  let n = args.length;
  while (n > 0 && args[n - 1] === undefined) n--; // a trailing undefined is "not given"
  const last = n > 0 ? args[n - 1] : undefined;
  const opts = maybeOptions(last) ? (last as Record<string, unknown>) : null;
  if (opts !== null) n--;
  if (n > names.length && !tail.variadic) {
    fail(call, names, tail, `${takes(names)} but got ${n}`);
  }
  const out = Array.prototype.slice.call(args, 0, n) as unknown[];
  if (opts === null) return out;
  const bare = names.map((k) => k.replace(/\?$/, ''));
  let rest: Record<string, unknown> | null = null;
  for (const key of Object.keys(opts)) {
    const v = opts[key];
    const at = bare.indexOf(key);
    if (at >= 0) {
      if (at < n && out[at] !== undefined) fail(call, names, tail, `${key} given both positionally and as an option`);
      out[at] = v;
    } else if (tail.variadic || tail.options?.includes(key)) {
      rest ??= {};
      rest[key] = v;
    } else {
      const valid = [...bare, ...(tail.options ?? [])];
      fail(call, names, tail, `unknown option '${key}' (valid options: ${valid.join(', ') || 'none'})`);
    }
  }
  // Given by name, a required parameter can be left out by mistake (`cat({ dim: 1 })`).
  const missing = bare.filter((_, i) => !names[i].endsWith('?') && out[i] === undefined);
  if (missing.length > 0) fail(call, names, tail, `missing ${missing.join(', ')}`);
  if (rest !== null) out[Math.max(out.length, names.length)] = rest;
  return out;
}

/** An options object last, or more arguments than `max`: the call needs `resolveArgs`. */
function needsResolving(args: ArrayLike<unknown>, max: number): boolean {
  const n = args.length;
  return n > max || (n > 0 && maybeOptions(args[n - 1]));
}

/**
 * `impl` as a public function taking PyTorch's positional parameters `names` and, by those names,
 * a last options object (see the module comment). `tail` says what `impl` takes after them.
 */
export function keywords<F extends Fn, const N extends ParamNames, O = TailOptions<F, N>>(
  name: string,
  impl: F,
  names: N,
  tail: Tail = {},
): Keyworded<F, N, O> {
  const call = impl as unknown as (...args: unknown[]) => unknown;
  const max = tail.variadic ? Number.POSITIVE_INFINITY : names.length;
  const fn = function (this: unknown) {
    // biome-ignore lint/complexity/noArguments: the common positional call must not allocate
    const args = arguments;
    if (!needsResolving(args, max)) {
      // Direct calls for the common counts: cheaper than apply on a hot path.
      switch (args.length) {
        case 1:
          return call(args[0]);
        case 2:
          return call(args[0], args[1]);
        case 3:
          return call(args[0], args[1], args[2]);
      }
      return call.apply(undefined, args as unknown as unknown[]);
    }
    return call(...resolveArgs(name, names, tail, args));
  };
  const sig: Signature = { name, names, impl, ...tail };
  Object.defineProperty(fn, SIGNATURE, { value: sig });
  Object.defineProperty(fn, 'name', { value: name });
  return fn as unknown as Keyworded<F, N, O>;
}

/** The definition of a function made by `keywords`, or undefined. */
export function signatureOf(f: unknown): Signature | undefined {
  return typeof f === 'function' ? (f as { [SIGNATURE]?: Signature })[SIGNATURE] : undefined;
}

/** The Tensor method `x.name(...)` of `f` (made by `keywords`): `f(x, ...)`, checked the same way. */
export function methodOf(f: unknown, name: string): (this: Tensor, ...args: unknown[]) => unknown {
  const sig = signatureOf(f);
  if (sig === undefined) throw new Error(`methodOf: ${name} was not made by keywords()`);
  const impl = sig.impl as unknown as (...args: unknown[]) => unknown;
  const names = sig.names.slice(1);
  const call = `Tensor.${name}`;
  const max = sig.variadic ? Number.POSITIVE_INFINITY : names.length;
  return function (this: Tensor) {
    // biome-ignore lint/complexity/noArguments: the common positional call must not allocate
    const args = arguments;
    if (!needsResolving(args, max)) {
      switch (args.length) {
        case 0:
          return impl(this);
        case 1:
          return impl(this, args[0]);
        case 2:
          return impl(this, args[0], args[1]);
        case 3:
          return impl(this, args[0], args[1], args[2]);
      }
      return impl(this, ...(Array.prototype.slice.call(args) as unknown[]));
    }
    return impl(this, ...resolveArgs(call, names, sig, args));
  };
}

/**
 * `impl` refusing more than `names.length` arguments (a trailing undefined is "not given"), for
 * functions whose parameters are not PyTorch keywords (callbacks, option bags of their own,
 * devices): `manualSeed(0, 1)` is an error naming the function instead of a silently dropped 1.
 */
export function counted<F extends Fn>(name: string, impl: F, names: ParamNames): F {
  const call = impl as unknown as (...args: unknown[]) => unknown;
  const max = names.length;
  const fn = function (this: unknown) {
    // biome-ignore lint/complexity/noArguments: counting without allocating a rest array
    const args = arguments;
    let n = args.length;
    while (n > max && args[n - 1] === undefined) n--;
    if (n > max) {
      throw new TypeError(`${name}: ${takes(names)} but got ${n}. Accepted form: ${name}(${names.join(', ')})`);
    }
    return call.apply(undefined, args as unknown as unknown[]);
  };
  Object.defineProperty(fn, 'name', { value: name });
  return fn as unknown as F;
}
