/**
 * `summary(model, input)`: a per-layer and total account of a model's parameters and of the
 * operations one forward pass executes, counted op by op from an instrumented run.
 */
import type { AnyModule } from '../../nn/module.js';
import type { Parameter } from '../../nn/parameter.js';
import { checkOptions, kinds, noMoreArgs, oneOf, type ParamSpec } from '../../tensor/args.js';
import {
  type ForwardTrace,
  type ModelInput,
  type ModuleCall,
  TRACE_OPTION_KEYS,
  type TraceOptions,
  tensorsIn,
  traceForward,
} from '../forward-trace.js';
import {
  addCounts,
  type CountConventions,
  countRule,
  defaultConventions,
  describeConventions,
  flopsOf,
  type OpCounts,
  zeroCounts,
} from './counts.js';

export interface SummaryOptions extends TraceOptions {
  /** Counting conventions (defaults: docs/exercises.md exercise 5's, see `defaultConventions`). */
  conventions?: Partial<CountConventions>;
  /** Report FLOPs: `true` for the `'all'` convention, or the convention to use. */
  flops?: boolean | Exclude<CountConventions['flops'], 'none'>;
}

/** One row: a module call, or the ops a module with submodules runs itself (`kind: 'ops'`). */
export interface SummaryRow {
  /** Dotted module path (`''` for the model itself). */
  name: string;
  /** Module class, or the op names of an 'ops' row (`cat`, `relu ×2`). */
  type: string;
  kind: 'module' | 'ops';
  depth: number;
  /** 1 for a module's first call; shared modules have a row per call. */
  callNumber: number;
  /** The module is called more than once (its parameters count on its first row only). */
  shared: boolean;
  outputShapes: number[][];
  /** Parameters of this module and its submodules, counted at the module's first call only. */
  params: number;
  trainable: number;
  frozen: number;
  /** Operations of this call including its submodules' (an 'ops' row: its own ops). */
  counts: OpCounts;
  /** Present when FLOPs were asked for. */
  flops?: number;
  /** How often each op ran in this row (inclusive). */
  opCalls: Record<string, number>;
}

/** What `summary` returns; plain data (JSON.stringify it for the machine-readable form). */
export interface ModelSummary {
  model: string;
  inputShapes: number[][];
  outputShapes: number[][];
  rows: SummaryRow[];
  params: { total: number; trainable: number; frozen: number };
  total: OpCounts;
  flops?: number;
  conventions: CountConventions;
  /** The conventions in words (printed under the table). */
  notes: string[];
  /** Ops that ran but have no counting rule (their operations are not in the totals), with call counts. */
  uncounted: Record<string, number>;
  /** Problems worth a look: uncounted ops, modules never called. */
  warnings: string[];
  /** Every op that ran, with call counts. */
  opCalls: Record<string, number>;
}

const CONVENTION_KEYS: readonly ParamSpec[] = [
  ['dotAdditions', oneOf('exact', 'per-mac')],
  ['pooling', oneOf('exact', 'window')],
  ['relu', oneOf('activation', 'comparison')],
  ['flops', oneOf('none', 'mul+add', 'all', '2*macs')],
];

function resolveConventions(opts: SummaryOptions): CountConventions {
  const c = { ...defaultConventions, ...opts.conventions };
  if (opts.flops === true) c.flops = c.flops === 'none' ? 'all' : c.flops;
  else if (typeof opts.flops === 'string') c.flops = opts.flops;
  return c;
}

function paramSplit(params: Iterable<Parameter>): { params: number; trainable: number; frozen: number } {
  let trainable = 0;
  let frozen = 0;
  for (const p of params) {
    if (p.requiresGrad) trainable += p.numel;
    else frozen += p.numel;
  }
  return { params: trainable + frozen, trainable, frozen };
}

function opNames(calls: Record<string, number>): string {
  return Object.entries(calls)
    .map(([op, n]) => (n > 1 ? `${op} ×${n}` : op))
    .join(', ');
}

/**
 * Runs `model` once on `input` (a shape, filled with seeded noise, or example tensors) with every
 * module call and op recorded, and accounts per layer and in total for parameters (trainable and
 * frozen; shared modules and parameters once) and operations (every op that ran, functional ones
 * and those inside custom modules included; shared modules per call).
 *
 * Runs in eval mode unless `mode: 'train'`. Throws if the parameter total disagrees with
 * `model.numParameters()`.
 * @example analysis.summary(model, [1, 1, 28, 28])
 */
export function summary(model: AnyModule, input: ModelInput, opts: SummaryOptions = {}, ...rest: never[]): ModelSummary {
  const usage = 'summary(model, input, { mode, dtype, seed, conventions, flops }?)';
  noMoreArgs('summary', rest, usage);
  checkOptions(
    'summary',
    opts,
    [...TRACE_OPTION_KEYS, ['conventions', kinds.any], ['flops', oneOf(true, false, 'mul+add', 'all', '2*macs')]],
    usage,
  );
  checkOptions('summary', opts.conventions, CONVENTION_KEYS, `${usage}, conventions { ${CONVENTION_KEYS.map((k) => k[0]).join(', ')} }`);
  const conventions = resolveConventions(opts);
  const trace = traceForward(model, input, { mode: opts.mode, dtype: opts.dtype, seed: opts.seed });
  return summarizeTrace(trace, conventions);
}

/** The summary of an already recorded forward run. */
export function summarizeTrace(trace: ForwardTrace, conventions: CountConventions = defaultConventions): ModelSummary {
  const uncounted: Record<string, number> = {};
  const allOps: Record<string, number> = {};
  const withFlops = conventions.flops !== 'none';

  // Direct counts of every call, then inclusive ones (children finish before their parents end,
  // and calls are in start order, so walking backwards sees children first).
  const direct = new Map<ModuleCall, { counts: OpCounts; ops: Record<string, number> }>();
  for (const call of trace.calls) {
    const counts = zeroCounts();
    const ops: Record<string, number> = {};
    for (const op of call.ops) {
      const name = op.event.op;
      ops[name] = (ops[name] ?? 0) + 1;
      allOps[name] = (allOps[name] ?? 0) + 1;
      const rule = countRule(name);
      if (rule === undefined) uncounted[name] = (uncounted[name] ?? 0) + 1;
      else addCounts(counts, rule(op.event, conventions));
    }
    direct.set(call, { counts, ops });
  }
  const inclusive = new Map<ModuleCall, { counts: OpCounts; ops: Record<string, number> }>();
  for (let i = trace.calls.length - 1; i >= 0; i--) {
    const call = trace.calls[i];
    const own = direct.get(call) as { counts: OpCounts; ops: Record<string, number> };
    const counts = addCounts(zeroCounts(), own.counts);
    const ops = { ...own.ops };
    for (const child of call.children) {
      const c = inclusive.get(child) as { counts: OpCounts; ops: Record<string, number> };
      addCounts(counts, c.counts);
      for (const [k, n] of Object.entries(c.ops)) ops[k] = (ops[k] ?? 0) + n;
    }
    inclusive.set(call, { counts, ops });
  }

  // Parameters: each module's subtree on its first call; each parameter object once overall.
  const seen = new Set<Parameter>();
  const callCount = new Map<AnyModule, number>();
  for (const call of trace.calls) callCount.set(call.module, (callCount.get(call.module) ?? 0) + 1);
  const rows: SummaryRow[] = [];
  const shapes = (v: unknown) => tensorsIn(v).map((t) => [...t.shape]);
  const visit = (call: ModuleCall) => {
    const fresh = call.callNumber === 1 ? call.module.parameters().filter((p) => !seen.has(p)) : [];
    const split = paramSplit(fresh);
    const inc = inclusive.get(call) as { counts: OpCounts; ops: Record<string, number> };
    rows.push({
      name: call.name,
      type: call.type,
      kind: 'module',
      depth: call.depth,
      callNumber: call.callNumber,
      shared: (callCount.get(call.module) ?? 0) > 1,
      outputShapes: shapes(call.output),
      ...split,
      counts: inc.counts,
      ...(withFlops ? { flops: flopsOf(inc.counts, conventions) } : {}),
      opCalls: inc.ops,
    });
    // Mark only this module's own parameters as seen here; submodules' rows claim theirs.
    if (call.callNumber === 1) for (const [, p] of call.module.namedParameters({ recurse: false })) seen.add(p);
    for (const child of call.children) visit(child);
    const own = direct.get(call) as { counts: OpCounts; ops: Record<string, number> };
    if (call.children.length > 0 && call.ops.length > 0) {
      const last = call.ops[call.ops.length - 1].event.outputs;
      rows.push({
        name: call.name,
        type: opNames(own.ops),
        kind: 'ops',
        depth: call.depth + 1,
        callNumber: call.callNumber,
        shared: false,
        outputShapes: last.map((t) => [...t.shape]),
        params: 0,
        trainable: 0,
        frozen: 0,
        counts: own.counts,
        ...(withFlops ? { flops: flopsOf(own.counts, conventions) } : {}),
        opCalls: own.ops,
      });
    }
  };
  visit(trace.root);
  // A module row claims its subtree's parameters for display, but each parameter is counted
  // once: recount the totals from the modules that ran plus those that never did.
  const ran = new Set<Parameter>();
  for (const call of trace.calls) for (const [, p] of call.module.namedParameters({ recurse: false })) ran.add(p);
  const idle: string[] = [];
  const called = new Set(trace.calls.map((c) => c.module));
  for (const [name, m] of trace.model.namedModules()) {
    if (called.has(m)) continue;
    const own = m.parameters({ recurse: false }).filter((p) => !ran.has(p));
    for (const p of own) ran.add(p);
    idle.push(`${name} (${m._getName()}, ${own.reduce((n, p) => n + p.numel, 0)} parameters)`);
  }
  const params = paramSplit(ran);
  const real = trace.model.numParameters();
  if (params.params !== real) {
    throw new Error(`summary: counted ${params.params} parameters but the model has ${real} (an analysis bug; please report it)`);
  }
  const total = (inclusive.get(trace.root) as { counts: OpCounts }).counts;
  const warnings: string[] = [];
  const missing = Object.keys(uncounted);
  if (missing.length > 0) {
    warnings.push(
      `no counting rule for ${missing.map((op) => `${op} (${uncounted[op]} call${uncounted[op] > 1 ? 's' : ''})`).join(', ')}: ` +
        'their operations are NOT in the counts (add one with analysis.registerCountRule)',
    );
  }
  if (idle.length > 0) warnings.push(`modules never called in this forward pass: ${idle.join(', ')}`);
  return {
    model: trace.root.type,
    inputShapes: trace.inputs.map((t) => [...t.shape]),
    outputShapes: shapes(trace.output),
    rows,
    params: { total: params.params, trainable: params.trainable, frozen: params.frozen },
    total,
    ...(withFlops ? { flops: flopsOf(total, conventions) } : {}),
    conventions,
    notes: describeConventions(conventions),
    uncounted,
    warnings,
    opCalls: allOps,
  };
}
