/**
 * The memorize page's worker: nabla's own training loop (experiments/memorize/loop.ts, the
 * one behind `nabla memorize`) with a store in IndexedDB, so a stopped run continues bit for bit
 * from its checkpoint, as `nabla memorize --resume` does.
 */

import { decodeCheckpoint, encodeCheckpoint } from '../../experiments/memorize/checkpoint-codec.js';
import { checkConfig } from '../../experiments/memorize/config.js';
import { prepareData } from '../../experiments/memorize/data.js';
import { type RunStore, type StopSignal, trainLoop } from '../../experiments/memorize/loop.js';
import { backend } from '../../src/backend/registry.js';
import { initWebGpu } from '../../src/backend/webgpu/device.js';
import { deserializeWithMetadata, serialize } from '../../src/io/safetensors.js';
import '../../src/tensor/methods.js';
import { loadDigits } from './digits.js';
import { getRun, putRun } from './idb.js';
import type { FromWorker, ToWorker, WebGpuProbe } from './memorize-protocol.js';

const post = (m: FromWorker) => (self as unknown as Worker).postMessage(m);
const WHERE = 'IndexedDB nabla-playground/memorize';

const store: RunStore = {
  where: WHERE,
  async loadCheckpoint(model, optimizer) {
    const bytes = await getRun('checkpoint');
    if (!bytes) return null;
    const { tensors, metadata } = deserializeWithMetadata(bytes);
    return decodeCheckpoint(tensors, metadata, model, optimizer, WHERE);
  },
  async saveCheckpoint(model, optimizer, state) {
    const { tensors, metadata } = encodeCheckpoint(model, optimizer, state);
    await putRun('checkpoint', serialize(tensors, metadata));
  },
  async writeMetrics(rows) {
    await putRun('metrics', [...rows]);
    post({ type: 'metrics', rows: [...rows] });
  },
  async writeStatus(status) {
    await putRun('status', status);
    post({ type: 'status', status });
  },
  async saveModel(model, metadata) {
    await putRun('model', serialize(model.stateDict(), metadata));
  },
};

let signal: StopSignal | null = null;

/**
 * Acquires this worker's GPU through navigator.gpu and registers it as the 'webgpu' device, once;
 * when there is none, says why (no navigator.gpu, no adapter, device refused).
 */
const webgpu: Promise<WebGpuProbe> = initWebGpu().then(
  ({ context }): WebGpuProbe => {
    const a = context.adapter;
    const name = [a.vendor, a.architecture, a.description].filter((s) => s !== '').join(' ') || 'unnamed adapter';
    return { available: true, adapter: name, fallback: a.isFallbackAdapter };
  },
  (e: unknown): WebGpuProbe => ({ available: false, reason: e instanceof Error ? e.message : String(e) }),
);

async function start(msg: Extract<ToWorker, { type: 'start' }>): Promise<void> {
  const config = checkConfig(msg.config, 'playground');
  if (config.device === 'webgpu') {
    const probe = await webgpu;
    if (!probe.available) throw new Error(`cannot train on webgpu in this browser: ${probe.reason}`);
  }
  signal = { stop: false };
  const pool = await loadDigits(msg.dataUrl);
  const data = prepareData(config, pool);
  await putRun('config', config);
  const outcome = await trainLoop({
    store,
    config,
    data,
    signal,
    logEvery: 0,
    out: { isTTY: false, write: (text) => post({ type: 'line', text: text.replace(/\n$/, '') }) },
    onStep: (info) => post({ type: 'step', info }),
  });
  const { metrics: _, ...rest } = outcome;
  post({ type: 'done', outcome: rest });
}

self.onmessage = (ev: MessageEvent<ToWorker>) => {
  const msg = ev.data;
  if (msg.type === 'stop') {
    if (signal) signal.stop = true;
    return;
  }
  if (msg.type === 'start') {
    start(msg).catch((e: unknown) => post({ type: 'error', message: e instanceof Error ? e.message : String(e) }));
    return;
  }
  post({ type: 'error', message: `memorize worker: unknown message ${JSON.stringify(msg)}` });
};

webgpu.then((probe) => post({ type: 'ready', backend: backend().name, webgpu: probe }));
