/**
 * One argument parser for every public function that takes PyTorch's positional arguments as
 * well as an options object (`x.sum(1, true)`, `x.sum({ dim: 1, keepdim: true })`,
 * `new Conv2d(1, 4, 3, 2)`, `new Conv2d(1, 4, 3, { stride: 2 })`). Anything it does not
 * understand (an unknown option, a surplus argument, a value of the wrong type, the same argument
 * given twice) is an error naming the function and its accepted forms: a silently misread
 * argument is the worst surprise a PyTorch user can meet.
 */

/** What a parameter accepts: a description for errors and a test. `undefined` always means "not given". */
export interface Kind {
  readonly desc: string;
  readonly ok: (v: unknown) => boolean;
}

const isInt = (v: unknown): v is number => typeof v === 'number' && Number.isInteger(v);
const isIntPair = (v: unknown): boolean => Array.isArray(v) && v.length === 2 && v.every(isInt);

/** The kinds the public API uses. */
export const kinds = {
  number: { desc: 'a number', ok: (v: unknown) => typeof v === 'number' },
  int: { desc: 'an integer', ok: isInt },
  bool: { desc: 'a boolean', ok: (v: unknown) => typeof v === 'boolean' },
  string: { desc: 'a string', ok: (v: unknown) => typeof v === 'string' },
  /** A dim, a list of dims, or null (all dims). */
  dims: {
    desc: 'an integer, an array of integers or null',
    ok: (v: unknown) => v === null || isInt(v) || (Array.isArray(v) && v.every(isInt)),
  },
  /** An int for both spatial dims or an [h, w] pair. */
  size2: { desc: 'an integer or an [h, w] pair', ok: (v: unknown) => isInt(v) || isIntPair(v) },
  size2OrNull: { desc: 'an integer, an [h, w] pair or null', ok: (v: unknown) => v === null || isInt(v) || isIntPair(v) },
  numberOrNull: { desc: 'a number or null', ok: (v: unknown) => v === null || typeof v === 'number' },
  intOrNull: { desc: 'an integer or null', ok: (v: unknown) => v === null || isInt(v) },
  /** Anything; the function checks it itself. */
  any: { desc: 'a value', ok: () => true },
} satisfies Record<string, Kind>;

/** A kind accepting exactly the given values (`oneOf('eval', 'train')`). */
export function oneOf(...values: readonly unknown[]): Kind {
  return { desc: values.map((v) => (typeof v === 'string' ? `'${v}'` : String(v))).join(' or '), ok: (v) => values.includes(v) };
}

/** A parameter: its name and what it accepts. */
export type ParamSpec = readonly [name: string, kind: Kind];

/** The parameters of one function. */
export interface ArgSpec {
  /** The parameters PyTorch takes positionally, in PyTorch's order. */
  readonly positional: readonly ParamSpec[];
  /** Parameters accepted only in the options object. */
  readonly keywords?: readonly ParamSpec[];
  /** The accepted forms, shown in errors, e.g. `sum(dim?, keepdim?) or sum({ dim, keepdim })`. */
  readonly usage: string;
}

/** Whether `v` is a plain object literal (an options object), not a tensor, array or class instance. */
export function isOptionsObject(v: unknown): v is Record<string, unknown> {
  if (v === null || typeof v !== 'object' || Array.isArray(v)) return false;
  const proto = Object.getPrototypeOf(v);
  return proto === Object.prototype || proto === null;
}

function describe(v: unknown): string {
  if (v === null) return 'null';
  if (Array.isArray(v)) return `an array [${v.map((x) => (typeof x === 'object' ? typeof x : String(x))).join(', ')}]`;
  if (typeof v === 'object') return isOptionsObject(v) ? 'an options object' : `a ${(v as object).constructor?.name ?? 'object'}`;
  if (typeof v === 'string') return `the string '${v}'`;
  return `${typeof v} ${String(v)}`;
}

function fail(fn: string, spec: ArgSpec, problem: string): never {
  throw new TypeError(`${fn}: ${problem}. Accepted forms: ${spec.usage}`);
}

function findParam(spec: ArgSpec, key: string): ParamSpec | undefined {
  for (const p of spec.positional) if (p[0] === key) return p;
  if (spec.keywords) for (const p of spec.keywords) if (p[0] === key) return p;
  return undefined;
}

/**
 * Reads `args` (positional values, optionally followed by one options object) against `spec` and
 * returns the values by name (missing ones are absent). Throws a TypeError naming `fn` and the
 * accepted forms for anything else.
 */
export function parseArgs<T extends object = Record<string, unknown>>(fn: string, args: readonly unknown[], spec: ArgSpec): T {
  const out: Record<string, unknown> = {};
  let n = args.length;
  while (n > 0 && args[n - 1] === undefined) n--; // trailing undefined = not given
  if (n === 0) return out as T; // the common no-argument call stays cheap
  let opts: Record<string, unknown> | null = null;
  if (isOptionsObject(args[n - 1])) {
    opts = args[n - 1] as Record<string, unknown>;
    n--;
  }
  const { positional } = spec;
  if (n > positional.length) {
    fail(
      fn,
      spec,
      positional.length === 0
        ? `takes no positional arguments but got ${n}`
        : `takes at most ${positional.length} positional argument${positional.length === 1 ? '' : 's'} (${positional.map((p) => p[0]).join(', ')}) but got ${n}`,
    );
  }
  for (let i = 0; i < n; i++) {
    const [name, kind] = positional[i];
    const v = args[i];
    if (v === undefined) continue;
    if (isOptionsObject(v)) fail(fn, spec, `an options object must be the last argument (got one as ${name})`);
    if (!kind.ok(v)) fail(fn, spec, `${name} must be ${kind.desc} (got ${describe(v)})`);
    out[name] = v;
  }
  if (opts !== null) {
    for (const key in opts) {
      const v = opts[key];
      const param = findParam(spec, key);
      if (param === undefined) {
        const names = [...positional, ...(spec.keywords ?? [])].map((p) => p[0]);
        fail(fn, spec, `unknown option '${key}' (valid options: ${names.join(', ') || 'none'})`);
      }
      if (v === undefined) continue;
      if (key in out) fail(fn, spec, `${key} given both positionally and as an option`);
      if (!param[1].ok(v)) fail(fn, spec, `${key} must be ${param[1].desc} (got ${describe(v)})`);
      out[key] = v;
    }
  }
  return out as T;
}

/** Rejects any argument to a function that takes none beyond its required ones. */
export function noMoreArgs(fn: string, args: readonly unknown[], usage: string): void {
  let n = args.length;
  while (n > 0 && args[n - 1] === undefined) n--; // trailing undefined = not given
  if (n > 0) throw new TypeError(`${fn}: got ${n} more argument${n === 1 ? '' : 's'} than it takes. Accepted forms: ${usage}`);
}

/** `f(2, 3)`, `f([2, 3])`, each optionally followed by an options object, as PyTorch's `*size`. */
export type SizeArgs<O> = [...size: number[]] | [...size: number[], opts: O] | [size: readonly number[], opts?: O];

/**
 * Splits `SizeArgs` into the shape and the options object, checking the options' keys against
 * `keys`. Errors name `fn` and the accepted forms.
 */
export function sizeArgs<O extends object>(fn: string, args: readonly unknown[], keys: readonly ParamSpec[]): { shape: number[]; opts: O } {
  const usage = `${fn}(2, 3), ${fn}([2, 3]) or either with a last options object { ${keys.map((k) => k[0]).join(', ')} }`;
  let n = args.length;
  while (n > 0 && args[n - 1] === undefined) n--;
  let rawOpts: unknown;
  if (n > 0 && isOptionsObject(args[n - 1])) rawOpts = args[--n];
  let shape: number[];
  if (n === 1 && Array.isArray(args[0])) shape = [...(args[0] as number[])];
  else {
    shape = args.slice(0, n) as number[];
    if (shape.some((v) => Array.isArray(v)))
      throw new TypeError(`${fn}: give the size as numbers or as one array, not both. Accepted forms: ${usage}`);
  }
  for (const v of shape) {
    if (!Number.isInteger(v) || (v as number) < 0) {
      const shown = shape.map((x) => (typeof x === 'number' ? String(x) : describe(x))).join(', ');
      throw new RangeError(`${fn}: invalid shape [${shown}] (sizes must be non-negative integers). Accepted forms: ${usage}`);
    }
  }
  const opts = rawOpts === undefined ? {} : parseArgs(fn, [rawOpts], { positional: [], keywords: keys, usage });
  return { shape, opts: opts as O };
}

/** Rejects an options object with keys outside `keys` (undefined is fine), naming `fn` and `usage`. */
export function checkOptions(fn: string, opts: unknown, keys: readonly ParamSpec[], usage: string): void {
  if (opts === undefined) return;
  if (!isOptionsObject(opts)) throw new TypeError(`${fn}: expected an options object, got ${describe(opts)}. Accepted forms: ${usage}`);
  parseArgs(fn, [opts], { positional: [], keywords: keys, usage });
}
