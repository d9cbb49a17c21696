import { analysis, manualSeed, nn, randn } from '../../../src/index.js';
import { byId, drawChart, markReady, nav, numberInput, selectValue, showError } from '../common.js';

nav('02-vanishing-gradients.html');

const WIDTH = 32;

/** Initialisations of the weights and biases (the exercise's three, and Xavier). */
const INITS: Record<string, { label: string; weight: (w: nn.Parameter) => void; bias: (b: nn.Parameter) => void }> = {
  small: { label: 'small: A ~ N(0, 0.1²), b = 0', weight: (w) => nn.init.normal_(w, 0, 0.1), bias: (b) => nn.init.zeros_(b) },
  largez: {
    label: 'large pre-activations: A ~ N(0, 1/32), b ~ N(0, 6²)',
    weight: (w) => nn.init.normal_(w, 0, 1 / Math.sqrt(WIDTH)),
    bias: (b) => nn.init.normal_(b, 0, 6),
  },
  kaiming: {
    label: 'Kaiming normal (ReLU), b = 0',
    weight: (w) => nn.init.kaimingNormal_(w, { nonlinearity: 'relu' }),
    bias: (b) => nn.init.zeros_(b),
  },
  xavier: { label: 'Xavier normal, b = 0', weight: (w) => nn.init.xavierNormal_(w), bias: (b) => nn.init.zeros_(b) },
  default: { label: "PyTorch's default (Kaiming uniform, a = √5)", weight: () => {}, bias: () => {} },
};

for (const [id, chosen] of [
  ['init-a', 'small'],
  ['init-b', 'kaiming'],
] as const) {
  const sel = byId<HTMLSelectElement>(id);
  for (const [key, v] of Object.entries(INITS)) sel.add(new Option(v.label, key, false, key === chosen));
}

interface Measured {
  name: string;
  norms: number[];
}

function measure(name: string, depth: number, batch: number, seed: number, act: string, init: string): Measured {
  manualSeed(seed);
  const x = randn([batch, WIDTH]);
  const target = randn([batch, 1]);
  const layers: Record<string, nn.AnyModule> = {};
  const how = INITS[init];
  for (let l = 1; l <= depth; l++) {
    const linear = new nn.Linear(WIDTH, l < depth ? WIDTH : 1);
    how.weight(linear.weight);
    how.bias(linear.bias as nn.Parameter);
    layers[`fc${l}`] = linear;
    if (l < depth) layers[`act${l}`] = act === 'sigmoid' ? new nn.Sigmoid() : act === 'tanh' ? new nn.Tanh() : new nn.ReLU();
  }
  const net = new nn.Sequential(layers);
  const flow = analysis.gradFlow(net);
  nn.F.mseLoss(net.call(x), target).backward();
  const step = flow.step();
  flow.remove();
  return { name, norms: step.layers.filter((l) => l.type === 'Linear').map((l) => l.weightGrad as number) };
}

async function run(): Promise<void> {
  showError(null);
  try {
    const depth = numberInput('depth');
    const batch = numberInput('batch');
    const seed = numberInput('seed');
    const results = (['a', 'b'] as const).map((k) => {
      const act = selectValue(`act-${k}`);
      const init = selectValue(`init-${k}`);
      return measure(`${k.toUpperCase()}: ${act}, ${init}`, depth, batch, seed, act, init);
    });
    await drawChart(byId('chart'), {
      title: `Gradient norm vs depth (${depth}-layer MLPs, width ${WIDTH})`,
      xLabel: 'layer l',
      yLabel: '‖∂L/∂A_l‖',
      yScale: 'log',
      // A gradient of exactly 0 has no place on a log scale: left out (a gap).
      series: results.map((r) => ({ name: r.name, x: r.norms.map((_, l) => l + 1), y: r.norms.map((g) => (g > 0 ? g : Number.NaN)) })),
    });
    const table = byId<HTMLTableElement>('table');
    table.replaceChildren();
    const head = table.createTHead().insertRow();
    for (const h of ['layer', ...results.map((r) => r.name)]) head.append(Object.assign(document.createElement('th'), { textContent: h }));
    const body = table.createTBody();
    for (let l = 0; l < depth; l++) {
      const row = body.insertRow();
      row.insertCell().textContent = String(l + 1);
      for (const r of results) row.insertCell().textContent = r.norms[l] === 0 ? '0' : r.norms[l].toExponential(2);
    }
  } catch (e) {
    showError(e);
  }
}

byId('form').addEventListener('submit', (ev) => {
  ev.preventDefault();
  void run();
});
void run().then(markReady);
