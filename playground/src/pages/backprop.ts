import { backpropExample } from '../../../examples/01-backprop.js';
import { noGrad } from '../../../src/index.js';
import { byId, markReady, nav, numberInput, showError } from '../common.js';

nav('01-backprop.html');

function run(): void {
  showError(null);
  try {
    const r = backpropExample(numberInput('seed'));
    byId('backprop-text').textContent = r.text;
    const diff = noGrad(() => r.autograd.sub(r.manual));
    const maxAbs = noGrad(() => diff.abs().max().item());
    byId('backprop-diff').textContent = `${diff}\nmax |difference| = ${maxAbs === 0 ? '0 (identical)' : maxAbs.toExponential(3)}\n`;
  } catch (e) {
    showError(e);
  }
}

byId('form').addEventListener('submit', (ev) => {
  ev.preventDefault();
  run();
});
run();
markReady();
