/**
 * `gradFlow(model)`: a recorder of how gradients flow through a model's layers, built on forward
 * hooks. Per layer and per step: the norms of the weight and bias gradients, the norm of the
 * gradient arriving at the layer's output (the back-propagated signal), and the fraction of
 * saturated activations (σ' below a threshold, or dead ReLUs). Layers whose gradient has
 * vanished are flagged.
 */
import { isGradEnabled, noGrad } from '../autograd/grad-mode.js';
import { record } from '../autograd/record.js';
import { GELU, LeakyReLU, ReLU, Sigmoid, Tanh } from '../nn/activation.js';
import type { AnyModule, RemovableHandle } from '../nn/module.js';
import { detach } from '../ops/convert.js';
import { checkOptions, kinds, noMoreArgs } from '../tensor/args.js';
import { Tensor } from '../tensor/tensor.js';

export interface GradFlowOptions {
  /** Which modules to watch (default: those with parameters of their own, and activation modules). */
  filter?: (module: AnyModule, name: string) => boolean;
  /** A layer's gradient has vanished below this fraction of the step's largest (default 1e-3). */
  vanishedBelow?: number;
  /** An activation is saturated when its derivative is below this (default 0.01); a ReLU when it is 0. */
  saturation?: number;
}

/** One watched layer in one step. */
export interface GradFlowLayer {
  name: string;
  type: string;
  /** ‖∂L/∂weight‖ (all own parameters but the bias when the module has no `weight`); null without parameters. */
  weightGrad: number | null;
  /** ‖∂L/∂bias‖, null without a bias. */
  biasGrad: number | null;
  /** ‖∂L/∂output‖, the gradient arriving at the layer's output (over all its calls in the step); null if none arrived. */
  signal: number | null;
  /** Fraction of saturated activations (σ' < threshold, tanh' < threshold, ReLU dead); activation modules only. */
  saturated: number | null;
  /** Its gradient (weight gradient, or signal for parameter-free layers) is below `vanishedBelow` × the step's largest. */
  vanished: boolean;
}

export interface GradFlowStep {
  step: number;
  layers: GradFlowLayer[];
  /** ‖∇W‖ of the first layer with parameters over that of the last (null with fewer than two, or a zero last). */
  ratio: number | null;
  /** Names of the layers flagged as vanished. */
  vanished: string[];
}

/** What the activation derivative is, from the activation's output. */
type Derivative = (y: number) => number;

function derivativeOf(m: AnyModule): Derivative | null {
  if (m instanceof Sigmoid) return (y) => y * (1 - y);
  if (m instanceof Tanh) return (y) => 1 - y * y;
  if (m instanceof ReLU) return (y) => (y > 0 ? 1 : 0);
  return null;
}

const isActivation = (m: AnyModule) =>
  m instanceof Sigmoid || m instanceof Tanh || m instanceof ReLU || m instanceof LeakyReLU || m instanceof GELU;

function sumSquares(t: Tensor | null): number {
  if (t === null) return 0;
  const d = t.data;
  let s = 0;
  for (let i = 0; i < d.length; i++) s += d[i] * d[i];
  return s;
}

interface Watched {
  name: string;
  module: AnyModule;
  signal2: number;
  signalSeen: boolean;
  saturatedCount: number;
  elementCount: number;
}

/** Records gradient flow per step; see `gradFlow`. */
export class GradFlow {
  /** One entry per `step()` call. */
  readonly steps: GradFlowStep[] = [];
  private readonly watched: Watched[];
  private readonly handles: RemovableHandle[] = [];
  private readonly vanishedBelow: number;
  private readonly threshold: number;

  constructor(model: AnyModule, opts: GradFlowOptions = {}) {
    this.vanishedBelow = opts.vanishedBelow ?? 1e-3;
    this.threshold = opts.saturation ?? 0.01;
    const filter = opts.filter ?? ((m: AnyModule) => m._ownParameters().length > 0 || isActivation(m));
    this.watched = [];
    for (const [name, module] of model.namedModules()) {
      if (!filter(module, name)) continue;
      const w: Watched = { name, module, signal2: 0, signalSeen: false, saturatedCount: 0, elementCount: 0 };
      this.watched.push(w);
      const derivative = derivativeOf(module);
      this.handles.push(
        module.registerForwardHook((_m, _args, output) => {
          if (!(output instanceof Tensor)) return undefined;
          if (derivative !== null) {
            const d = output.data;
            let n = 0;
            for (let i = 0; i < d.length; i++) if (derivative(d[i]) < this.threshold) n++;
            w.saturatedCount += n;
            w.elementCount += d.length;
          }
          if (!output.requiresGrad || !isGradEnabled()) return undefined;
          // An identity node after the output that sees the gradient flowing back through it.
          return record(detach(output), 'GradFlowProbeBackward', [output], (g) => {
            w.signal2 += noGrad(() => sumSquares(g));
            w.signalSeen = true;
            return [g];
          });
        }),
      );
    }
  }

  /** Names of the watched layers, in module order. */
  get layerNames(): string[] {
    return this.watched.map((w) => w.name);
  }

  /**
   * Takes this step's measurements: parameter gradients as they are now (call it after
   * `backward()` and before `zeroGrad()`), signals and saturation since the last step.
   */
  step(): GradFlowStep {
    const layers: GradFlowLayer[] = this.watched.map((w) => {
      const own = w.module._ownParameters();
      const bias = own.find(([n]) => n === 'bias')?.[1] ?? null;
      const weights = own.filter(([n]) => n !== 'bias').map(([, p]) => p);
      return {
        name: w.name,
        type: w.module._getName(),
        weightGrad: weights.length === 0 ? null : Math.sqrt(weights.reduce((s, p) => s + sumSquares(p.grad), 0)),
        biasGrad: bias === null ? null : Math.sqrt(sumSquares(bias.grad)),
        signal: w.signalSeen ? Math.sqrt(w.signal2) : null,
        saturated: w.elementCount === 0 ? null : w.saturatedCount / w.elementCount,
        vanished: false,
      };
    });
    const flag = (value: (l: GradFlowLayer) => number | null, among: GradFlowLayer[]) => {
      const max = Math.max(0, ...among.map((l) => value(l) ?? 0));
      if (max === 0) return;
      for (const l of among) {
        const v = value(l);
        if (v !== null && v < this.vanishedBelow * max) l.vanished = true;
      }
    };
    const withParams = layers.filter((l) => l.weightGrad !== null);
    flag((l) => l.weightGrad, withParams);
    flag(
      (l) => l.signal,
      layers.filter((l) => l.weightGrad === null),
    );
    const first = withParams[0]?.weightGrad ?? null;
    const last = withParams[withParams.length - 1]?.weightGrad ?? null;
    const step: GradFlowStep = {
      step: this.steps.length,
      layers,
      ratio: withParams.length >= 2 && first !== null && last !== null && last !== 0 ? first / last : null,
      vanished: layers.filter((l) => l.vanished).map((l) => l.name),
    };
    for (const w of this.watched) {
      w.signal2 = 0;
      w.signalSeen = false;
      w.saturatedCount = 0;
      w.elementCount = 0;
    }
    this.steps.push(step);
    return step;
  }

  /** Removes the hooks. */
  remove(): void {
    for (const h of this.handles) h.remove();
    this.handles.length = 0;
  }

  /** A table of one step (default: the last). */
  table(step = this.steps.length - 1): string {
    const s = this.steps[step];
    if (s === undefined) throw new RangeError(`gradFlow.table: no step ${step} (recorded ${this.steps.length})`);
    const num = (v: number | null) => (v === null ? '—' : v === 0 ? '0' : v.toExponential(3));
    const head = ['Layer (type)', '‖∇W‖', '‖∇b‖', '‖∂L/∂out‖', 'saturated', ''];
    const rows = s.layers.map((l) => [
      `${l.name} (${l.type})`,
      num(l.weightGrad),
      num(l.biasGrad),
      num(l.signal),
      l.saturated === null ? '—' : `${(100 * l.saturated).toFixed(1)}%`,
      l.vanished ? 'VANISHED' : '',
    ]);
    const widths = head.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)));
    const line = (cells: string[]) =>
      cells
        .map((c, i) => (i === 0 ? c.padEnd(widths[i]) : c.padStart(widths[i])))
        .join('  ')
        .trimEnd();
    const out = [line(head), ...rows.map(line)];
    out.push(`step ${s.step}: ‖∇W‖ first/last layer = ${s.ratio === null ? '—' : s.ratio.toExponential(3)}`);
    if (s.vanished.length > 0) out.push(`vanished (below ${this.vanishedBelow} × the largest): ${s.vanished.join(', ')}`);
    return out.join('\n');
  }
}

/**
 * Starts recording gradient flow through `model`: call `step()` after each `backward()`.
 * @example
 * const flow = analysis.gradFlow(net);
 * loss.backward(); const s = flow.step(); console.log(flow.table());
 */
export function gradFlow(model: AnyModule, opts: GradFlowOptions = {}, ...rest: never[]): GradFlow {
  const usage = 'gradFlow(model, { filter, vanishedBelow, saturation }?)';
  noMoreArgs('gradFlow', rest, usage);
  checkOptions(
    'gradFlow',
    opts,
    [
      ['filter', { desc: 'a function (module, name) => boolean', ok: (v) => typeof v === 'function' }],
      ['vanishedBelow', kinds.number],
      ['saturation', kinds.number],
    ],
    usage,
  );
  return new GradFlow(model, opts);
}
