/**
 * docs/exercises.md exercise 2: vanishing gradients, measured.
 *
 * ∂y_L/∂b_i and ∂y_L/∂A_i are products of diag(σ'(·))·A factors, and σ' ≤ 1/4, so the gradients of
 * early layers shrink when the weights are small or the pre-activations are large. Three 10-layer
 * MLPs (width 32, last layer linear) on the same batch, one backward pass each, recorded with
 * `analysis.gradFlow`:
 * - sigmoid with small weights, A ~ N(0, 0.1²), b = 0;
 * - sigmoid with large pre-activations: A ~ N(0, 1/32) (std 1/√fan_in), b ~ N(0, 6²), so many
 *   units sit far out on the flat tails where σ' ≈ 0;
 * - ReLU with Kaiming (He) normal init, b = 0, which keeps the back-propagated signal level.
 * Prints per-layer gradient norms and plots ‖∂L/∂A_l‖ against depth on a log scale.
 *
 * Run: npx tsx examples/02-vanishing-gradients.ts [plot.svg|plot.png]
 * (default: both, under the system temp folder in nabla-runs/)
 */
import { mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { analysis, manualSeed, nn, randn } from '../src/index.js';
import { savePlot } from '../src/nodejs/index.js';

export const DEPTH = 10;
export const WIDTH = 32;
export const BATCH = 64;

export interface Variant {
  name: string;
  /** Column title. */
  short: string;
  activation: 'sigmoid' | 'relu';
  init: (w: nn.Parameter) => void;
  initBias: (b: nn.Parameter) => void;
}

export const variants: Variant[] = [
  {
    name: 'sigmoid, small weights',
    short: 'sigmoid, small A',
    activation: 'sigmoid',
    init: (w) => nn.init.normal_(w, 0, 0.1),
    initBias: (b) => nn.init.zeros_(b),
  },
  {
    name: 'sigmoid, large pre-activations',
    short: 'sigmoid, large z',
    activation: 'sigmoid',
    init: (w) => nn.init.normal_(w, 0, 1 / Math.sqrt(WIDTH)),
    initBias: (b) => nn.init.normal_(b, 0, 6),
  },
  {
    name: 'ReLU, Kaiming normal',
    short: 'ReLU, Kaiming',
    activation: 'relu',
    init: (w) => nn.init.kaimingNormal_(w, { nonlinearity: 'relu' }),
    initBias: (b) => nn.init.zeros_(b),
  },
];

export interface VariantResult {
  name: string;
  short: string;
  /** ‖∂L/∂A_l‖ for l = 1 … DEPTH. */
  weightGrads: number[];
  /** ‖∂L/∂b_l‖. */
  biasGrads: number[];
  /** Fraction of saturated activations after layer l (σ' < 0.01, or dead ReLU), l = 1 … DEPTH − 1. */
  saturated: number[];
  /** ‖∂L/∂A_1‖ / ‖∂L/∂A_L‖. */
  ratio: number;
  /** Linear layers flagged as vanished (below 1e-3 × the largest). */
  vanished: string[];
  table: string;
}

export interface VanishingResult {
  variants: VariantResult[];
  plots: string[];
  text: string;
}

/** The MLP: DEPTH linear layers of width WIDTH, an activation after each but the last. */
export function mlp(v: Variant): nn.Sequential {
  const layers: Record<string, nn.AnyModule> = {};
  for (let l = 1; l <= DEPTH; l++) {
    const linear = new nn.Linear(WIDTH, l < DEPTH ? WIDTH : 1);
    v.init(linear.weight);
    v.initBias(linear.bias as nn.Parameter);
    layers[`fc${l}`] = linear;
    if (l < DEPTH) layers[`act${l}`] = v.activation === 'sigmoid' ? new nn.Sigmoid() : new nn.ReLU();
  }
  return new nn.Sequential(layers);
}

function measure(v: Variant): VariantResult {
  manualSeed(0);
  const x = randn([BATCH, WIDTH]);
  const target = randn([BATCH, 1]);
  const net = mlp(v);
  const flow = analysis.gradFlow(net);
  const loss = nn.F.mseLoss(net.call(x), target);
  loss.backward();
  const step = flow.step();
  flow.remove();
  const linears = step.layers.filter((l) => l.type === 'Linear');
  const activations = step.layers.filter((l) => l.type !== 'Linear');
  return {
    name: v.name,
    short: v.short,
    weightGrads: linears.map((l) => l.weightGrad as number),
    biasGrads: linears.map((l) => l.biasGrad as number),
    saturated: activations.map((l) => l.saturated as number),
    ratio: step.ratio as number,
    vanished: step.vanished.filter((n) => linears.some((l) => l.name === n)),
    table: flow.table(),
  };
}

export async function vanishingGradientsExample(opts: { plotPath?: string } = {}): Promise<VanishingResult> {
  const results = variants.map(measure);
  const exp = (v: number) => (v === 0 ? '0' : v.toExponential(2));
  const col = 20;
  const lines = [
    `Exercise 2: ‖∂L/∂A_l‖ per layer of ${DEPTH}-layer MLPs (width ${WIDTH}, batch ${BATCH}, MSE loss)`,
    '',
    `${'layer'.padEnd(7)}${results.map((r) => r.short.padStart(col)).join('')}`,
  ];
  for (let l = 0; l < DEPTH; l++) {
    lines.push(`${String(l + 1).padEnd(7)}${results.map((r) => exp(r.weightGrads[l]).padStart(col)).join('')}`);
  }
  lines.push('');
  for (const r of results) {
    const sat = r.saturated.reduce((a, b) => a + b, 0) / r.saturated.length;
    lines.push(
      `${r.name}: ‖∂L/∂A_1‖ / ‖∂L/∂A_${DEPTH}‖ = ${exp(r.ratio)}; ` +
        `saturated (σ' < 0.01, or ReLU at 0): ${(100 * sat).toFixed(1)}%; vanished layers: ${r.vanished.length === 0 ? 'none' : r.vanished.join(', ')}`,
    );
  }
  for (const r of results) lines.push('', `${r.name} (analysis.gradFlow table):`, r.table);

  const plots = opts.plotPath
    ? [opts.plotPath]
    : ['svg', 'png'].map((ext) => join(tmpdir(), 'nabla-runs', `02-vanishing-gradients.${ext}`));
  const chart = {
    title: `Gradient norm vs depth (${DEPTH}-layer MLPs)`,
    xLabel: 'layer l',
    yLabel: '‖∂L/∂A_l‖',
    yScale: 'log' as const,
    // A gradient of exactly 0 has no place on a log scale: left out (a gap).
    series: results.map((r) => ({
      name: r.short,
      x: r.weightGrads.map((_, l) => l + 1),
      y: r.weightGrads.map((g) => (g > 0 ? g : Number.NaN)),
    })),
  };
  for (const path of plots) {
    mkdirSync(dirname(path), { recursive: true });
    await savePlot(chart, path);
  }
  lines.push('', `Plot: ${plots.join(', ')}`);
  return { variants: results, plots, text: `${lines.join('\n')}\n` };
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const result = await vanishingGradientsExample({ plotPath: process.argv[2] });
  process.stdout.write(result.text);
}
