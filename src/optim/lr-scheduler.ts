/**
 * Learning-rate schedulers, as in `torch.optim.lr_scheduler` (PyTorch 1.13): each `step()`
 * advances `lastEpoch` and writes new learning rates into the optimizer's parameter groups, with
 * PyTorch's (mostly recursive, "chainable") formulas in the same floating-point order.
 *
 * Call `optimizer.step()` before `scheduler.step()`. Constructing a scheduler already takes the
 * first step (epoch 0), as in PyTorch.
 *
 * Required arguments may be passed positionally, PyTorch-style (`new StepLR(opt, 30, { gamma: 0.1 })`),
 * or inside the options object (`new StepLR(opt, { stepSize: 30, gamma: 0.1 })`).
 */
import { kinds, type ParamSpec, parseArgs } from '../tensor/args.js';
import type { Optimizer } from './optimizer.js';

/** The optimizer as schedulers see it: parameter groups with options. */
// biome-ignore lint/suspicious/noExplicitAny: schedulers work with every optimizer's option type.
type AnyOptimizer = Optimizer<any, any>;
type Group = Record<string, unknown> & { lr: number };

/** A scheduler's state: plain data (numbers, arrays, objects), JSON-friendly. */
export type SchedulerStateDict = Record<string, unknown>;

export interface SchedulerOptions {
  /**
   * The index of the last epoch, to resume a schedule (default −1: start fresh). When resuming,
   * the parameter groups must already hold `initialLr`.
   */
  lastEpoch?: number;
}

let warnedOrder = false;

const anyKind = kinds.any;
/** Reads a scheduler's arguments after the optimizer: PyTorch's positional order, or options. */
function schedulerArgs(
  name: string,
  args: readonly unknown[],
  positional: readonly ParamSpec[],
  keywords: readonly ParamSpec[] = [],
): Record<string, unknown> {
  const all = [...positional, ...keywords].map((p) => p[0]);
  return parseArgs(name, args, {
    positional,
    keywords,
    usage: `${name}(optimizer, ${positional.map((p) => p[0]).join(', ')}), ${name}(optimizer, ${positional[0][0]}, { ${all.slice(1).join(', ')} }) or ${name}(optimizer, { ${all.join(', ')} })`,
  });
}

const isOptions = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/** The base class of the schedulers (PyTorch's `_LRScheduler`). */
export abstract class LRScheduler {
  readonly optimizer: AnyOptimizer;
  /** Each group's initial learning rate. */
  baseLrs: number[];
  /** The index of the last step taken (0 right after construction). */
  lastEpoch: number;
  protected _stepCount = 0;
  protected _lastLr: number[] = [];

  protected constructor(optimizer: AnyOptimizer, lastEpoch = -1) {
    if (optimizer === null || typeof optimizer !== 'object' || !Array.isArray(optimizer.paramGroups)) {
      throw new TypeError(`${new.target.name}: expected an Optimizer, got ${optimizer === null ? 'null' : typeof optimizer}`);
    }
    this.optimizer = optimizer;
    if (!Number.isInteger(lastEpoch) || lastEpoch < -1) {
      throw new RangeError(`${new.target.name}: lastEpoch must be an integer ≥ −1 (got ${lastEpoch})`);
    }
    const groups = this.groups();
    if (lastEpoch === -1) {
      for (const g of groups) if (g.initialLr === undefined) g.initialLr = g.lr;
    } else {
      groups.forEach((g, i) => {
        if (g.initialLr === undefined) {
          throw new Error(
            `${new.target.name}: param 'initialLr' is not specified in paramGroups[${i}] when resuming an optimizer (lastEpoch ${lastEpoch})`,
          );
        }
      });
    }
    this.baseLrs = groups.map((g) => g.initialLr as number);
    this.lastEpoch = lastEpoch;
  }

  /** Subclasses call this at the end of their constructor: resets the counters and steps once. */
  protected _initialStep(): void {
    this.optimizer._stepCount = 0;
    this._stepCount = 0;
    this.step();
  }

  protected groups(): Group[] {
    return this.optimizer.paramGroups as unknown as Group[];
  }

  /** The learning rates for epoch `lastEpoch`, computed from the current ones. */
  protected abstract getLr(): number[];

  /** The learning rates the last `step()` set, one per group. */
  getLastLr(): number[] {
    return [...this._lastLr];
  }

  /** Advances the schedule by one epoch (or iteration) and sets the groups' learning rates. */
  step(): void {
    if (this._stepCount === 1 && this.optimizer._stepCount < 1 && !warnedOrder) {
      warnedOrder = true;
      console.warn(
        'Detected call of lrScheduler.step() before optimizer.step(): call optimizer.step() first, ' +
          'or the first value of the learning rate schedule is skipped.',
      );
    }
    this._stepCount++;
    this.lastEpoch++;
    const values = this.getLr();
    this.groups().forEach((g, i) => {
      g.lr = values[i];
    });
    this._lastLr = this.groups().map((g) => g.lr);
  }

  /** The scheduler's state (every field but the optimizer and functions), as plain data. */
  stateDict(): SchedulerStateDict {
    const out: SchedulerStateDict = {};
    for (const [k, v] of Object.entries(this)) {
      if (k === 'optimizer' || typeof v === 'function' || (Array.isArray(v) && v.some((x) => typeof x === 'function'))) continue;
      out[k] = structuredClone(v);
    }
    return out;
  }

  /** Restores a state from `stateDict()`. */
  loadStateDict(state: SchedulerStateDict): void {
    if (!isOptions(state)) throw new TypeError(`${this.constructor.name}.loadStateDict: expected an object as stateDict() returns`);
    for (const [k, v] of Object.entries(state)) {
      if (k === 'optimizer') continue;
      (this as Record<string, unknown>)[k] = structuredClone(v);
    }
  }
}

/** Multiplies the initial learning rate by `lrLambda(epoch)` (one function, or one per group). */
export class LambdaLR extends LRScheduler {
  lrLambdas: Array<(epoch: number) => number>;

  constructor(
    optimizer: AnyOptimizer,
    lrLambda:
      | ((epoch: number) => number)
      | Array<(epoch: number) => number>
      | ({ lrLambda: ((epoch: number) => number) | Array<(epoch: number) => number> } & SchedulerOptions),
    opts?: SchedulerOptions,
  ) {
    const o = schedulerArgs(
      'LambdaLR',
      [lrLambda, opts],
      [
        ['lrLambda', anyKind],
        ['lastEpoch', kinds.int],
      ],
    ) as { lrLambda: unknown; lastEpoch?: number };
    super(optimizer, o.lastEpoch);
    const n = this.groups().length;
    if (Array.isArray(o.lrLambda)) {
      if (o.lrLambda.length !== n)
        throw new RangeError(`LambdaLR: expected ${n} lrLambdas (one per parameter group), but got ${o.lrLambda.length}`);
      this.lrLambdas = [...o.lrLambda];
    } else {
      if (typeof o.lrLambda !== 'function') throw new TypeError('LambdaLR: lrLambda must be a function of the epoch or a list of them');
      this.lrLambdas = new Array(n).fill(o.lrLambda);
    }
    this._initialStep();
  }

  protected getLr(): number[] {
    return this.baseLrs.map((base, i) => base * this.lrLambdas[i](this.lastEpoch));
  }
}

export interface StepLROptions extends SchedulerOptions {
  /** Multiplicative factor of the decay (default 0.1). */
  gamma?: number;
}

/** Multiplies the learning rate by `gamma` every `stepSize` epochs. */
export class StepLR extends LRScheduler {
  stepSize: number;
  gamma: number;

  constructor(optimizer: AnyOptimizer, stepSize: number | ({ stepSize: number } & StepLROptions), opts?: StepLROptions);
  constructor(optimizer: AnyOptimizer, stepSize: number, gamma?: number, lastEpoch?: number);
  constructor(optimizer: AnyOptimizer, ...args: unknown[]) {
    const o = schedulerArgs('StepLR', args, [
      ['stepSize', kinds.int],
      ['gamma', kinds.number],
      ['lastEpoch', kinds.int],
    ]) as { stepSize: number; gamma?: number; lastEpoch?: number };
    super(optimizer, o.lastEpoch);
    if (!Number.isInteger(o.stepSize) || o.stepSize <= 0)
      throw new RangeError(`StepLR: stepSize must be a positive integer (got ${o.stepSize})`);
    this.stepSize = o.stepSize;
    this.gamma = o.gamma ?? 0.1;
    this._initialStep();
  }

  protected getLr(): number[] {
    const lrs = this.groups().map((g) => g.lr);
    if (this.lastEpoch === 0 || this.lastEpoch % this.stepSize !== 0) return lrs;
    return lrs.map((lr) => lr * this.gamma);
  }
}

/** Multiplies the learning rate by `gamma` at each milestone epoch (twice if it is listed twice). */
export class MultiStepLR extends LRScheduler {
  /** The milestones, sorted; repeats count (PyTorch keeps a Counter). */
  milestones: number[];
  gamma: number;

  constructor(
    optimizer: AnyOptimizer,
    milestones: readonly number[] | ({ milestones: readonly number[] } & StepLROptions),
    gammaOrOpts?: number | StepLROptions,
    lastEpoch?: number,
  ) {
    const o = schedulerArgs(
      'MultiStepLR',
      [milestones, gammaOrOpts, lastEpoch],
      [
        ['milestones', anyKind],
        ['gamma', kinds.number],
        ['lastEpoch', kinds.int],
      ],
    ) as { milestones: readonly number[]; gamma?: number; lastEpoch?: number };
    super(optimizer, o.lastEpoch);
    if (!Array.isArray(o.milestones) || o.milestones.some((m) => !Number.isInteger(m))) {
      throw new TypeError('MultiStepLR: milestones must be a list of integer epochs');
    }
    this.milestones = [...o.milestones].sort((a, b) => a - b);
    this.gamma = o.gamma ?? 0.1;
    this._initialStep();
  }

  protected getLr(): number[] {
    const count = this.milestones.filter((m) => m === this.lastEpoch).length;
    const lrs = this.groups().map((g) => g.lr);
    if (count === 0) return lrs;
    return lrs.map((lr) => lr * this.gamma ** count);
  }
}

export interface LinearLROptions extends SchedulerOptions {
  /** The factor applied at epoch 0 (default 1/3). */
  startFactor?: number;
  /** The factor reached at `totalIters` (default 1). */
  endFactor?: number;
  /** How many epochs the factor takes to go from start to end (default 5). */
  totalIters?: number;
}

/** Scales the learning rate by a factor that goes linearly from `startFactor` to `endFactor`. */
export class LinearLR extends LRScheduler {
  startFactor: number;
  endFactor: number;
  totalIters: number;

  constructor(optimizer: AnyOptimizer, opts?: LinearLROptions);
  constructor(optimizer: AnyOptimizer, startFactor?: number, endFactor?: number, totalIters?: number, lastEpoch?: number);
  constructor(optimizer: AnyOptimizer, ...args: unknown[]) {
    const opts = schedulerArgs('LinearLR', args, [
      ['startFactor', kinds.number],
      ['endFactor', kinds.number],
      ['totalIters', kinds.int],
      ['lastEpoch', kinds.int],
    ]) as LinearLROptions;
    super(optimizer, opts.lastEpoch);
    const startFactor = opts.startFactor ?? 1.0 / 3;
    const endFactor = opts.endFactor ?? 1.0;
    if (startFactor > 1.0 || startFactor < 0) throw new RangeError(`LinearLR: startFactor must be between 0 and 1 (got ${startFactor})`);
    if (endFactor > 1.0 || endFactor < 0) throw new RangeError(`LinearLR: endFactor must be between 0 and 1 (got ${endFactor})`);
    this.startFactor = startFactor;
    this.endFactor = endFactor;
    this.totalIters = opts.totalIters ?? 5;
    this._initialStep();
  }

  protected getLr(): number[] {
    const lrs = this.groups().map((g) => g.lr);
    if (this.lastEpoch === 0) return lrs.map((lr) => lr * this.startFactor);
    if (this.lastEpoch > this.totalIters) return lrs;
    const d = this.endFactor - this.startFactor;
    return lrs.map((lr) => lr * (1.0 + d / (this.totalIters * this.startFactor + (this.lastEpoch - 1) * d)));
  }
}

/** Multiplies the learning rate by `gamma` every epoch. */
export class ExponentialLR extends LRScheduler {
  gamma: number;

  constructor(optimizer: AnyOptimizer, gamma: number | ({ gamma: number } & SchedulerOptions), opts?: SchedulerOptions);
  constructor(optimizer: AnyOptimizer, gamma: number, lastEpoch?: number);
  constructor(optimizer: AnyOptimizer, ...args: unknown[]) {
    const o = schedulerArgs('ExponentialLR', args, [
      ['gamma', kinds.number],
      ['lastEpoch', kinds.int],
    ]) as { gamma: number; lastEpoch?: number };
    super(optimizer, o.lastEpoch);
    if (typeof o.gamma !== 'number') throw new TypeError('ExponentialLR: gamma must be a number');
    this.gamma = o.gamma;
    this._initialStep();
  }

  protected getLr(): number[] {
    const lrs = this.groups().map((g) => g.lr);
    if (this.lastEpoch === 0) return lrs;
    return lrs.map((lr) => lr * this.gamma);
  }
}

export interface CosineAnnealingLROptions extends SchedulerOptions {
  /** The minimum learning rate η_min (default 0). */
  etaMin?: number;
}

/**
 * Cosine annealing from the initial learning rate down to `etaMin` over `tMax` epochs (SGDR
 * without restarts), in PyTorch's recursive form: each step rescales the current learning rate,
 * so changes made to it from outside carry on; past `tMax` it rises again (period 2·tMax).
 */
export class CosineAnnealingLR extends LRScheduler {
  tMax: number;
  etaMin: number;

  constructor(optimizer: AnyOptimizer, tMax: number | ({ tMax: number } & CosineAnnealingLROptions), opts?: CosineAnnealingLROptions);
  constructor(optimizer: AnyOptimizer, tMax: number, etaMin?: number, lastEpoch?: number);
  constructor(optimizer: AnyOptimizer, ...args: unknown[]) {
    const o = schedulerArgs('CosineAnnealingLR', args, [
      ['tMax', kinds.number],
      ['etaMin', kinds.number],
      ['lastEpoch', kinds.int],
    ]) as { tMax: number; etaMin?: number; lastEpoch?: number };
    super(optimizer, o.lastEpoch);
    if (typeof o.tMax !== 'number' || !(o.tMax > 0))
      throw new RangeError(`CosineAnnealingLR: tMax must be a positive number (got ${o.tMax})`);
    this.tMax = o.tMax;
    this.etaMin = o.etaMin ?? 0;
    this._initialStep();
  }

  protected getLr(): number[] {
    const { tMax, etaMin, lastEpoch } = this;
    const groups = this.groups();
    if (lastEpoch === 0) return groups.map((g) => g.lr);
    if (this._stepCount === 1 && lastEpoch > 0) {
      return this.baseLrs.map((base) => etaMin + ((base - etaMin) * (1 + Math.cos((lastEpoch * Math.PI) / tMax))) / 2);
    }
    if ((lastEpoch - 1 - tMax) % (2 * tMax) === 0) {
      return groups.map((g, i) => g.lr + ((this.baseLrs[i] - etaMin) * (1 - Math.cos(Math.PI / tMax))) / 2);
    }
    return groups.map(
      (g) => ((1 + Math.cos((Math.PI * lastEpoch) / tMax)) / (1 + Math.cos((Math.PI * (lastEpoch - 1)) / tMax))) * (g.lr - etaMin) + etaMin,
    );
  }
}

export interface OneCycleLROptions extends SchedulerOptions {
  /** The total number of steps in the cycle (or give `epochs` and `stepsPerEpoch`). */
  totalSteps?: number;
  epochs?: number;
  stepsPerEpoch?: number;
  /** Fraction of the cycle spent increasing the learning rate (default 0.3). */
  pctStart?: number;
  /** 'cos' (default) or 'linear' annealing. */
  annealStrategy?: 'cos' | 'linear';
  /** Cycle momentum (or Adam's β1) inversely to the learning rate (default true). */
  cycleMomentum?: boolean;
  /** Lowest momentum, reached at the peak learning rate (default 0.85; one per group allowed). */
  baseMomentum?: number | number[];
  /** Highest momentum, at the start and end (default 0.95; one per group allowed). */
  maxMomentum?: number | number[];
  /** The initial learning rate is maxLr / divFactor (default 25). */
  divFactor?: number;
  /** The final learning rate is initialLr / finalDivFactor (default 1e4). */
  finalDivFactor?: number;
  /** Three phases (up, down to the initial lr, then annihilation) instead of two (default false). */
  threePhase?: boolean;
}

interface Phase {
  endStep: number;
  startLr: string;
  endLr: string;
  startMomentum: string;
  endMomentum: string;
}

/**
 * The 1cycle policy (Smith & Topin 2018): the learning rate rises from maxLr/divFactor to maxLr,
 * then anneals to far below the start, while momentum does the opposite. Step it after every
 * batch; `totalSteps` steps are allowed.
 */
export class OneCycleLR extends LRScheduler {
  totalSteps: number;
  annealStrategy: 'cos' | 'linear';
  cycleMomentum: boolean;
  useBeta1: boolean;
  _schedulePhases: Phase[];

  constructor(
    optimizer: AnyOptimizer,
    maxLr: number | number[] | ({ maxLr: number | number[] } & OneCycleLROptions),
    opts?: OneCycleLROptions,
  );
  constructor(
    optimizer: AnyOptimizer,
    maxLr: number | number[],
    totalSteps?: number | null,
    epochs?: number | null,
    stepsPerEpoch?: number | null,
    pctStart?: number,
    annealStrategy?: 'cos' | 'linear',
    cycleMomentum?: boolean,
    baseMomentum?: number | number[],
    maxMomentum?: number | number[],
    divFactor?: number,
    finalDivFactor?: number,
    threePhase?: boolean,
    lastEpoch?: number,
  );
  constructor(optimizer: AnyOptimizer, ...args: unknown[]) {
    const names = [
      'maxLr',
      'totalSteps',
      'epochs',
      'stepsPerEpoch',
      'pctStart',
      'annealStrategy',
      'cycleMomentum',
      'baseMomentum',
      'maxMomentum',
      'divFactor',
      'finalDivFactor',
      'threePhase',
      'lastEpoch',
    ];
    const o = schedulerArgs(
      'OneCycleLR',
      args,
      names.map((n) => [n, anyKind] as const),
    ) as unknown as { maxLr: number | number[] } & OneCycleLROptions;
    const lastEpoch = o.lastEpoch ?? -1;
    // PyTorch sets the groups' initialLr before the base class reads it.
    const groups = optimizer.paramGroups as unknown as Group[];
    const fmt = (name: string, v: number | number[]): number[] => {
      if (Array.isArray(v)) {
        if (v.length !== groups.length) throw new RangeError(`OneCycleLR: expected ${groups.length} values for ${name}, got ${v.length}`);
        return v;
      }
      return new Array(groups.length).fill(v);
    };
    let totalSteps: number;
    if (o.totalSteps !== undefined && o.totalSteps !== null) {
      if (!Number.isInteger(o.totalSteps) || o.totalSteps <= 0)
        throw new RangeError(`OneCycleLR: expected a positive integer totalSteps, but got ${o.totalSteps}`);
      totalSteps = o.totalSteps;
    } else if (o.epochs !== undefined || o.stepsPerEpoch !== undefined) {
      if (!Number.isInteger(o.epochs) || (o.epochs as number) <= 0)
        throw new RangeError(`OneCycleLR: expected a positive integer epochs, but got ${o.epochs}`);
      if (!Number.isInteger(o.stepsPerEpoch) || (o.stepsPerEpoch as number) <= 0) {
        throw new RangeError(`OneCycleLR: expected a positive integer stepsPerEpoch, but got ${o.stepsPerEpoch}`);
      }
      totalSteps = (o.epochs as number) * (o.stepsPerEpoch as number);
    } else {
      throw new Error('OneCycleLR: you must define either totalSteps OR (epochs AND stepsPerEpoch)');
    }
    const pctStart = o.pctStart ?? 0.3;
    if (typeof pctStart !== 'number' || pctStart < 0 || pctStart > 1)
      throw new RangeError(`OneCycleLR: expected pctStart between 0 and 1, but got ${pctStart}`);
    const annealStrategy = o.annealStrategy ?? 'cos';
    if (annealStrategy !== 'cos' && annealStrategy !== 'linear') {
      throw new RangeError(`OneCycleLR: annealStrategy must be 'cos' or 'linear', instead got ${annealStrategy as string}`);
    }
    const divFactor = o.divFactor ?? 25.0;
    const finalDivFactor = o.finalDivFactor ?? 1e4;
    const maxLrs = fmt('maxLr', o.maxLr);
    if (lastEpoch === -1) {
      groups.forEach((g, i) => {
        g.initialLr = maxLrs[i] / divFactor;
        g.maxLr = maxLrs[i];
        g.minLr = (g.initialLr as number) / finalDivFactor;
      });
    }
    const cycleMomentum = o.cycleMomentum ?? true;
    let useBeta1 = false;
    if (cycleMomentum) {
      const defaults = optimizer.defaults as Record<string, unknown>;
      if (!('momentum' in defaults) && !('betas' in defaults)) {
        throw new Error('OneCycleLR: optimizer must support momentum (momentum or betas) with the cycleMomentum option enabled');
      }
      useBeta1 = 'betas' in defaults;
      const maxMomentums = fmt('maxMomentum', o.maxMomentum ?? 0.95);
      const baseMomentums = fmt('baseMomentum', o.baseMomentum ?? 0.85);
      if (lastEpoch === -1) {
        groups.forEach((g, i) => {
          if (useBeta1) g.betas = [maxMomentums[i], ...(g.betas as number[]).slice(1)];
          else g.momentum = maxMomentums[i];
          g.maxMomentum = maxMomentums[i];
          g.baseMomentum = baseMomentums[i];
        });
      }
    }
    super(optimizer, lastEpoch);
    this.totalSteps = totalSteps;
    this.annealStrategy = annealStrategy;
    this.cycleMomentum = cycleMomentum;
    this.useBeta1 = useBeta1;
    this._schedulePhases = o.threePhase
      ? [
          {
            endStep: pctStart * totalSteps - 1,
            startLr: 'initialLr',
            endLr: 'maxLr',
            startMomentum: 'maxMomentum',
            endMomentum: 'baseMomentum',
          },
          {
            endStep: 2 * pctStart * totalSteps - 2,
            startLr: 'maxLr',
            endLr: 'initialLr',
            startMomentum: 'baseMomentum',
            endMomentum: 'maxMomentum',
          },
          { endStep: totalSteps - 1, startLr: 'initialLr', endLr: 'minLr', startMomentum: 'maxMomentum', endMomentum: 'maxMomentum' },
        ]
      : [
          {
            endStep: pctStart * totalSteps - 1,
            startLr: 'initialLr',
            endLr: 'maxLr',
            startMomentum: 'maxMomentum',
            endMomentum: 'baseMomentum',
          },
          { endStep: totalSteps - 1, startLr: 'maxLr', endLr: 'minLr', startMomentum: 'baseMomentum', endMomentum: 'maxMomentum' },
        ];
    this._initialStep();
  }

  private anneal(start: number, end: number, pct: number): number {
    if (this.annealStrategy === 'linear') return (end - start) * pct + start;
    const cosOut = Math.cos(Math.PI * pct) + 1;
    return end + ((start - end) / 2.0) * cosOut;
  }

  protected getLr(): number[] {
    const stepNum = this.lastEpoch;
    if (stepNum > this.totalSteps) {
      throw new RangeError(`OneCycleLR: tried to step ${stepNum + 1} times; the specified number of total steps is ${this.totalSteps}`);
    }
    return this.groups().map((g) => {
      let startStep = 0;
      let lr = 0;
      let momentum = 0;
      const phases = this._schedulePhases;
      for (let i = 0; i < phases.length; i++) {
        const phase = phases[i];
        const endStep = phase.endStep;
        if (stepNum <= endStep || i === phases.length - 1) {
          const pct = (stepNum - startStep) / (endStep - startStep);
          lr = this.anneal(g[phase.startLr] as number, g[phase.endLr] as number, pct);
          if (this.cycleMomentum) momentum = this.anneal(g[phase.startMomentum] as number, g[phase.endMomentum] as number, pct);
          break;
        }
        startStep = phase.endStep;
      }
      if (this.cycleMomentum) {
        if (this.useBeta1) g.betas = [momentum, ...(g.betas as number[]).slice(1)];
        else g.momentum = momentum;
      }
      return lr;
    });
  }
}
