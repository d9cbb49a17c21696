import { chartOptions } from '../../../experiments/memorize/chart-options.js';
import { checkConfig, type MemorizeConfig, PRESET_VALUES, type PresetName } from '../../../experiments/memorize/config.js';
import { type EpochMetrics, metricsCsv } from '../../../experiments/memorize/metrics.js';
import type { PixelMode } from '../../../experiments/memorize/pixels.js';
import { byId, drawChart, markReady, nav, numberInput, selectValue, showError } from '../common.js';
import { clearRun, getRun } from '../idb.js';
import type { FromWorker, ToWorker, WebGpuProbe } from '../memorize-protocol.js';

nav('06-memorize.html');

const NUMBER_FIELDS = [
  'trainSize',
  'heldOut',
  'corrupt',
  'width',
  'dropout',
  'epochs',
  'batchSize',
  'lr',
  'momentum',
  'weightDecay',
  'seed',
] as const;
const SELECT_FIELDS = ['model', 'optimizer'] as const;
type Device = NonNullable<MemorizeConfig['device']>;

let worker: Worker | null = null;
let running = false;
let metrics: EpochMetrics[] = [];
let storedConfig: MemorizeConfig | null = null;

/** Fills the form from a preset (pixels as they are) or a stored run's config. */
function fill(
  c: Pick<MemorizeConfig, (typeof NUMBER_FIELDS)[number] | (typeof SELECT_FIELDS)[number]> & { pixels?: PixelMode; device?: Device },
): void {
  for (const f of NUMBER_FIELDS) byId<HTMLInputElement>(f).value = String(c[f]);
  for (const f of SELECT_FIELDS) byId<HTMLSelectElement>(f).value = c[f];
  byId<HTMLSelectElement>('pixels').value = c.pixels ?? 'none';
  // A stored run keeps its device; a preset leaves the choice as it is.
  if (c.device !== undefined) byId<HTMLSelectElement>('device').value = c.device;
}

let backendName = '';
let adapterName = '';

/** Says where the worker trains: nabla's CPU backend, or the GPU adapter. */
function showRunningOn(device: Device): void {
  const el = byId('running-on');
  el.textContent =
    device === 'webgpu'
      ? `running on: webgpu (${adapterName}), in a Web Worker`
      : `running on: nabla's ${backendName === 'js' ? 'TypeScript' : backendName} backend, in a Web Worker`;
  el.dataset.device = device;
}

/** Enables the webgpu choice when the worker got an adapter, or disables it saying why not. */
function showWebGpu(probe: WebGpuProbe): void {
  const select = byId<HTMLSelectElement>('device');
  const option = select.querySelector<HTMLOptionElement>('option[value="webgpu"]') as HTMLOptionElement;
  const note = byId('device-note');
  option.disabled = !probe.available;
  select.dataset.webgpu = probe.available ? 'available' : 'unavailable';
  if (probe.available) {
    adapterName = probe.adapter;
    option.textContent = `webgpu: ${probe.adapter}${probe.fallback ? ' (software adapter: correct, slow)' : ''}`;
    note.textContent = '';
  } else {
    option.textContent = 'webgpu (unavailable here)';
    option.title = probe.reason;
    note.textContent = `webgpu unavailable: ${probe.reason}`;
    if (select.value === 'webgpu') select.value = 'cpu';
  }
}

/** The form as a run config, checked like `nabla memorize`'s options. */
function readConfig(): MemorizeConfig {
  const preset = selectValue('preset') as PresetName;
  const v = Object.fromEntries(NUMBER_FIELDS.map((f) => [f, numberInput(f)])) as Record<(typeof NUMBER_FIELDS)[number], number>;
  const optimizer = selectValue('optimizer') as MemorizeConfig['optimizer'];
  if (!(v.lr > 0)) throw new Error(`learning rate: must be positive, got ${v.lr}`);
  if (optimizer === 'adam' && v.momentum > 0) throw new Error('momentum applies to sgd and heavyball; Adam keeps its own moment estimates');
  if (v.trainSize + v.heldOut > 10000)
    throw new Error(`${v.trainSize} training + ${v.heldOut} held-out digits are more than the 10,000 embedded digits`);
  const config: MemorizeConfig = {
    version: 1,
    preset,
    data: null,
    fraction: null,
    threads: null,
    compare: false,
    saveEvery: 0,
    pixels: selectValue('pixels') as PixelMode,
    ...v,
    pixelSeed: v.seed,
    labels: v.corrupt === 1 ? 'random' : v.corrupt === 0 ? 'true' : 'corrupt',
    model: selectValue('model') as MemorizeConfig['model'],
    optimizer,
    device: selectValue('device') as Device,
  };
  return checkConfig(config, 'playground');
}

function setRunning(on: boolean): void {
  running = on;
  byId<HTMLButtonElement>('start').disabled = on;
  byId<HTMLButtonElement>('stop').disabled = !on;
  byId<HTMLButtonElement>('resume').disabled = on || storedConfig === null;
  byId('form')
    .querySelectorAll<HTMLInputElement>('fieldset input, fieldset select')
    .forEach((el) => {
      el.disabled = on;
    });
}

async function redraw(): Promise<void> {
  const opts = chartOptions([{ label: 'run', metrics }]);
  byId<HTMLButtonElement>('download-csv').disabled = metrics.length === 0;
  if (metrics.length === 0) {
    byId('loss-chart').replaceChildren();
    byId('accuracy-chart').replaceChildren();
    return;
  }
  // The CLI's charts, a little smaller so that both fit side by side on a laptop screen.
  const size = { width: 430, height: 260 };
  await drawChart(byId('loss-chart'), { ...opts.loss, ...size });
  await drawChart(byId('accuracy-chart'), { ...opts.accuracy, ...size });
}

function log(text: string): void {
  const el = byId('log');
  el.textContent += `${text}\n`;
}

async function refreshDownloads(): Promise<void> {
  byId<HTMLButtonElement>('download-model').disabled = !(await getRun('model'));
  byId<HTMLButtonElement>('download-checkpoint').disabled = !(await getRun('checkpoint'));
}

function ensureWorker(): Worker {
  if (worker) return worker;
  const w = new Worker(new URL('../memorize-worker.ts', import.meta.url), { type: 'module' });
  w.onmessage = (ev: MessageEvent<FromWorker>) => {
    const m = ev.data;
    switch (m.type) {
      case 'ready':
        backendName = m.backend;
        byId('running-on').dataset.backend = m.backend;
        showWebGpu(m.webgpu);
        showRunningOn('cpu');
        break;
      case 'line':
        log(m.text);
        break;
      case 'step': {
        const p = byId<HTMLProgressElement>('progress');
        p.max = m.info.steps;
        p.value = m.info.step;
        byId('step').textContent =
          `epoch ${m.info.epoch}/${m.info.epochs}, step ${m.info.step}/${m.info.steps}: loss ${m.info.loss.toFixed(4)}, accuracy ${m.info.acc.toFixed(4)}, ${Math.round(m.info.samplesPerSec)} samples/s`;
        break;
      }
      case 'metrics':
        metrics = m.rows;
        void redraw();
        break;
      case 'status':
        byId('status').textContent =
          `${m.status.status}: ${m.status.message} (epoch ${m.status.epoch}${m.status.step > 0 ? `, step ${m.status.step}` : ''})`;
        byId('status').dataset.status = m.status.status;
        break;
      case 'done':
        log(m.outcome.message);
        byId('status').textContent = m.outcome.message;
        byId('status').dataset.status = m.outcome.status;
        setRunning(false);
        void refreshDownloads();
        break;
      case 'error':
        showError(m.message);
        setRunning(false);
        break;
    }
  };
  w.onerror = (ev) => {
    showError(`memorize worker: ${ev.message}`);
    setRunning(false);
  };
  worker = w;
  return w;
}

function send(m: ToWorker): void {
  ensureWorker().postMessage(m);
}

const dataUrl = new URL('./data/', location.href).href;

byId('preset').addEventListener('change', () => fill(PRESET_VALUES[selectValue('preset') as PresetName]));

byId('form').addEventListener('submit', async (ev) => {
  ev.preventDefault();
  showError(null);
  try {
    const config = readConfig();
    await clearRun();
    storedConfig = config;
    metrics = [];
    byId('log').textContent = '';
    await redraw();
    await refreshDownloads();
    setRunning(true);
    showRunningOn(config.device ?? 'cpu');
    send({ type: 'start', config, dataUrl });
  } catch (e) {
    showError(e);
  }
});

byId('stop').addEventListener('click', () => send({ type: 'stop' }));

byId('resume').addEventListener('click', () => {
  if (!storedConfig || running) return;
  showError(null);
  const epochs = numberInput('epochs');
  setRunning(true);
  showRunningOn(storedConfig.device ?? 'cpu');
  // Like `nabla memorize --resume DIR --epochs N`: only the number of epochs may change.
  send({ type: 'start', config: { ...storedConfig, epochs }, dataUrl });
});

function download(name: string, bytes: BlobPart, type: string): void {
  const url = URL.createObjectURL(new Blob([bytes], { type }));
  const a = Object.assign(document.createElement('a'), { href: url, download: name });
  a.click();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}

byId('download-csv').addEventListener('click', () => download('metrics.csv', metricsCsv(metrics), 'text/csv'));
byId('download-model').addEventListener('click', async () => {
  const bytes = await getRun('model');
  if (bytes) download('model.safetensors', bytes as Uint8Array<ArrayBuffer>, 'application/octet-stream');
});
byId('download-checkpoint').addEventListener('click', async () => {
  const bytes = await getRun('checkpoint');
  if (bytes) download('checkpoint.safetensors', bytes as Uint8Array<ArrayBuffer>, 'application/octet-stream');
});

/** Shows the run stored in this browser, if any, ready to resume. */
async function restore(): Promise<void> {
  fill(PRESET_VALUES.default);
  const config = await getRun('config');
  if (!config) return;
  storedConfig = config;
  byId<HTMLSelectElement>('preset').value = config.preset;
  fill(config);
  metrics = (await getRun('metrics')) ?? [];
  const status = await getRun('status');
  if (status) {
    byId('status').textContent =
      `stored run: ${status.status}: ${status.message} (epoch ${status.epoch}${status.step > 0 ? `, step ${status.step}` : ''})`;
    byId('status').dataset.status = status.status;
  }
  await redraw();
  await refreshDownloads();
  setRunning(false);
}

ensureWorker();
restore().catch(showError).finally(markReady);
