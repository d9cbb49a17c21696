import { makeData, maxRelDiff, momentumFormsExample, train } from '../../../examples/03-momentum-forms.js';
import type { Tensor } from '../../../src/index.js';
import { byId, drawChart, markReady, nav, numberInput, showError } from '../common.js';

nav('03-momentum-forms.html');

/** max relative parameter difference between the two forms before each step. */
function divergence(lrs: number[], momentum: number): number[] {
  const data = makeData();
  const snapshots: Tensor[][] = [];
  train('I', data, lrs, momentum, (_k, params) => snapshots.push(params.map((p) => p.detach().clone())));
  const out: number[] = [];
  train('II', data, lrs, momentum, (k, params) => out.push(maxRelDiff(snapshots[k], params)));
  return out;
}

async function run(): Promise<void> {
  showError(null);
  try {
    const steps = numberInput('steps');
    const lr = numberInput('lr');
    const momentum = numberInput('momentum');
    const changeAt = numberInput('change-at');
    const newLr = numberInput('new-lr');
    if (changeAt >= steps) throw new Error(`α changes at step ${changeAt}, but there are only ${steps} steps`);
    const r = momentumFormsExample({ steps, lr, momentum, changeAt, newLr });
    byId('momentum-text').textContent = r.text;
    const constant = divergence(new Array(steps).fill(lr), momentum);
    const changed = divergence(
      Array.from({ length: steps }, (_, k) => (k < changeAt ? lr : newLr)),
      momentum,
    );
    const x = constant.map((_, k) => k);
    // Equal iterates (difference 0) have no place on a log scale: gaps.
    const pos = (v: number) => (v > 0 ? v : Number.NaN);
    await drawChart(byId('diff-chart'), {
      title: 'max relative parameter difference, Form I vs Form II',
      xLabel: 'step k',
      yLabel: 'max |θ_I − θ_II| / max |θ_II|',
      yScale: 'log',
      points: false,
      series: [
        { name: `constant α = ${lr}`, x, y: constant.map(pos) },
        { name: `α → ${newLr} at step ${changeAt}`, x, y: changed.map(pos) },
      ],
    });
    await drawChart(byId('loss-chart'), {
      title: `loss per step, α → ${newLr} at step ${changeAt}`,
      xLabel: 'step k',
      yLabel: 'MSE loss',
      yScale: 'log',
      points: false,
      series: [
        { name: 'Form I (HeavyBall)', x, y: r.changed.lossesI },
        { name: 'Form II (SGD momentum)', x, y: r.changed.lossesII },
      ],
    });
  } catch (e) {
    showError(e);
  }
}

byId('form').addEventListener('submit', (ev) => {
  ev.preventDefault();
  void run();
});
void run().then(markReady);
