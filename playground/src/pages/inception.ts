import { analysis, Generator, nn } from '../../../src/index.js';
import { afterPaint, byId, markReady, nav, numberInput, showError } from '../common.js';

nav('05-inception.html');

/** conv (k×k, "same" padding, bias) then ReLU. */
function convRelu(cin: number, cout: number, k: number, generator: Generator): nn.Sequential {
  return new nn.Sequential(new nn.Conv2d(cin, cout, k, { padding: (k - 1) / 2, generator }), new nn.ReLU());
}

async function run(): Promise<void> {
  showError(null);
  const busy = byId('busy');
  busy.textContent = 'counting (one forward pass of each module)…';
  await afterPaint(() => {
    try {
      const v = (id: string) => numberInput(id);
      const [cin, h, w, c1, c3, c5, r3, r5, pp] = ['cin', 'h', 'w', 'c1', 'c3', 'c5', 'r3', 'r5', 'pp'].map(v);
      const g = new Generator(0);
      const naive = new analysis.Inception({ b1: convRelu(cin, c1, 1, g), b3: convRelu(cin, c3, 3, g), b5: convRelu(cin, c5, 5, g) });
      const bottleneck = new analysis.Inception({
        b1: convRelu(cin, c1, 1, g),
        b3: new nn.Sequential(convRelu(cin, r3, 1, g), convRelu(r3, c3, 3, g)),
        b5: new nn.Sequential(convRelu(cin, r5, 1, g), convRelu(r5, c5, 5, g)),
        pool: new nn.Sequential(new nn.MaxPool2d(3, { stride: 1, padding: 1 }), convRelu(cin, pp, 1, g)),
      });
      const input = [1, cin, h, w];
      const a = analysis.summary(naive, input);
      const b = analysis.summary(bottleneck, input);
      const rows: [string, string, (s: analysis.ModelSummary) => number][] = [
        ['params', 'trainable parameters', (s) => s.params.trainable],
        ['mul', 'multiplications', (s) => s.total.mul],
        ['add', 'additions', (s) => s.total.add],
        ['act', 'activation evaluations', (s) => s.total.act],
        ['cmp', 'comparisons (max-pool)', (s) => s.total.cmp],
      ];
      const table = byId<HTMLTableElement>('counts');
      table.replaceChildren();
      const head = table.createTHead().insertRow();
      for (const t of ['', 'naive', 'bottleneck', 'naive / bottleneck'])
        head.append(Object.assign(document.createElement('th'), { textContent: t }));
      const body = table.createTBody();
      for (const [key, label, get] of rows) {
        const row = body.insertRow();
        row.insertCell().textContent = label;
        const [x, y] = [get(a), get(b)];
        const cx = row.insertCell();
        cx.textContent = analysis.formatInt(x);
        cx.id = `naive-${key}`;
        const cy = row.insertCell();
        cy.textContent = analysis.formatInt(y);
        cy.id = `bottleneck-${key}`;
        row.insertCell().textContent = x === 0 || y === 0 ? '—' : `${(x / y).toFixed(2)}×`;
      }
      byId('naive-summary').textContent = analysis.formatSummary(a);
      byId('bottleneck-summary').textContent = analysis.formatSummary(b);
      busy.textContent = `output channels: naive ${a.outputShapes[0][1]}, bottleneck ${b.outputShapes[0][1]}`;
    } catch (e) {
      busy.textContent = '';
      showError(e);
    }
  });
}

byId('form').addEventListener('submit', (ev) => {
  ev.preventDefault();
  void run();
});
void run().then(markReady);
