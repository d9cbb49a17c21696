/**
 * `nabla memorize` end to end: creates (or reopens) the run folder, loads the data, trains, and
 * writes plots and the HTML report; with `--compare`, the same for a run with true labels and
 * the slowdown table.
 */
import { existsSync, mkdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { backend } from '../../src/backend/registry.js';
import { backendInfo, setNumThreads } from '../../src/backend/select-node.js';
import type { WebGpuDevice } from '../../src/backend/webgpu/device.js';
import { initWebGpu } from '../../src/backend/webgpu/node-gpu.js';
import type { MnistLike } from '../../src/data/mnist.js';
import { writeFileAtomic } from '../../src/nodejs/atomic.js';
import { UsageError } from '../usage-error.js';
import { type LabelRecord, prepareData, resolveTrainSize, sameRecord } from './data.js';
import { describeReached, type EpochMetrics, slowdown } from './metrics.js';
import { parameterCount } from './models.js';
import { defaultRunName, type MemorizeConfig, type ParsedMemorize } from './options.js';
import { writePlots } from './plots.js';
import { loadPool } from './pool.js';
import type { ProgressSink } from './progress.js';
import { reportHtml } from './report.js';
import {
  COMPARE_RUNS,
  type ConfigFile,
  FILES,
  isRunDir,
  type RunInfo,
  readConfig,
  readLabels,
  readMetrics,
  readStatus,
  runLabel,
  writeJson,
} from './run-dir.js';
import { claimNewRunDir, isAbandonedStart, lockRunDir } from './run-lock.js';
import { openRun, type StopSignal, type TrainOutcome, train } from './train.js';

export interface RunContext {
  out: ProgressSink;
  signal: StopSignal;
  logEvery: number | null;
  argv: string[];
  /** Seconds between plot redraws during training (default 60; they are always drawn at the end). */
  plotEvery?: number;
  /** `--resume` may take over a lock held by a process on another host (a sweep queue's retry). */
  takeOverLock?: boolean;
}

export interface RunResult {
  dir: string;
  status: TrainOutcome['status'];
  message: string;
}

const VERSION = '0.1.0';

function runInfo(name: string, config: MemorizeConfig, argv: string[]): RunInfo {
  const info = backendInfo();
  return {
    name,
    createdAt: new Date().toISOString(),
    backend: backend().name,
    threads: info.threads ?? config.threads,
    node: process.version,
    nabla: VERSION,
    argv,
  };
}

function say(ctx: RunContext, line: string): void {
  ctx.out.write(`${line}\n`);
}

/** Writes a single run's plots and report from its folder's files. */
export async function redrawRun(dir: string): Promise<void> {
  const config = readConfig(dir);
  const metrics = readMetrics(dir);
  const status = readStatus(dir);
  const label = runLabel(dir, config);
  const charts = await writePlots(dir, [{ label, metrics }]);
  writeFileAtomic(
    join(dir, FILES.report),
    reportHtml({
      title: `nabla memorize: ${config.run?.name ?? label}`,
      runs: [{ label, config: config as unknown as Record<string, unknown>, metrics, status: status?.message ?? 'unknown' }],
      charts,
    }),
  );
}

/** Writes a compare run's overlaid plots, compare.json and report from its sub-runs' files. */
export async function redrawCompare(dir: string): Promise<void> {
  const config = readConfig(dir);
  const subs = COMPARE_RUNS.map((s) => join(dir, s)).filter(isRunDir);
  const runs = subs.map((d) => {
    const c = readConfig(d);
    return {
      label: runLabel(d, c),
      config: c as unknown as Record<string, unknown>,
      metrics: readMetrics(d),
      status: readStatus(d)?.message ?? 'not started',
    };
  });
  const byName = (s: string) => runs[subs.indexOf(join(dir, s))]?.metrics ?? [];
  const table = slowdown(byName('random'), byName('true'));
  writeJson(join(dir, FILES.compare), { epochs: config.epochs, thresholds: table });
  const charts = await writePlots(dir, runs);
  writeFileAtomic(
    join(dir, FILES.report),
    reportHtml({
      title: `nabla memorize --compare: ${config.run?.name ?? dir}`,
      runs,
      charts,
      compare: table,
      compareEpochs: config.epochs,
    }),
  );
}

function subConfig(parent: MemorizeConfig, which: (typeof COMPARE_RUNS)[number]): MemorizeConfig {
  return which === 'random' ? { ...parent, compare: false } : { ...parent, compare: false, labels: 'true', corrupt: 0 };
}

/** Trains one run folder to its end (or to a stop), redrawing plots as it goes. */
async function trainDir(dir: string, config: MemorizeConfig, pool: MnistLike, ctx: RunContext, label?: string): Promise<TrainOutcome> {
  const data = prepareData(config, pool);
  if (!checkLabels(dir, data.record)) writeJson(join(dir, FILES.labels), data.record);
  let lastPlot = performance.now();
  const plotEvery = (ctx.plotEvery ?? 60) * 1000;
  const outcome = await train({
    dir,
    config,
    data,
    out: ctx.out,
    label,
    logEvery: ctx.logEvery,
    signal: ctx.signal,
    onEpoch: async () => {
      if (performance.now() - lastPlot < plotEvery) return;
      await redrawRun(dir);
      lastPlot = performance.now();
    },
  });
  await redrawRun(dir);
  return outcome;
}

/** Whether the folder has labels.json; throws when they are not what the data gives now. */
function checkLabels(dir: string, record: LabelRecord): boolean {
  const saved = readLabels(dir);
  if (saved === null) return false;
  if (!sameRecord(saved, record)) {
    throw new Error(`${dir}: the data no longer gives the samples and labels saved in ${FILES.labels} (was --data changed?)`);
  }
  return true;
}

/**
 * The most parameters a memorize model may have: 100 M (400 MB of float32 weights, about 2 GB
 * with gradients and Adam's moments) is eleven times exercise 6's AlexNet.
 */
export const MAX_PARAMETERS = 100_000_000;

/** Refuses a model too large to train (a huge --width) before anything is allocated or written. */
function checkModelSize(config: MemorizeConfig, pool: MnistLike): void {
  const n = parameterCount({ model: config.model, width: config.width, dropout: 0, height: pool.height, imageWidth: pool.width });
  if (!(n <= MAX_PARAMETERS)) {
    throw new UsageError(
      `--width ${config.width}: the ${config.model} would have ${n.toLocaleString('en-US')} parameters, more than the ${MAX_PARAMETERS.toLocaleString('en-US')} nabla memorize allows; use a smaller --width`,
    );
  }
}

function checkThreads(config: MemorizeConfig): void {
  if (config.threads !== null) setNumThreads(config.threads);
}

let webGpu: Promise<WebGpuDevice> | null = null;

/**
 * Acquires the run's device before anything is written: `--device webgpu` initializes WebGPU
 * (Dawn) once per process. Returns words for the start line ("" on the CPU). No adapter is an
 * error saying why (the CLI prints it as one line and exits 1).
 */
async function openDevice(config: MemorizeConfig): Promise<string> {
  if ((config.device ?? 'cpu') === 'cpu') return '';
  webGpu ??= initWebGpu();
  try {
    const report = (await webGpu).context.adapter;
    const name = report.description || [report.vendor, report.architecture, report.device].filter((s) => s).join(' ') || 'unknown adapter';
    return `webgpu device: ${name}${report.isFallbackAdapter ? ', a software fallback adapter' : ''}`;
  } catch (e) {
    webGpu = null;
    throw new Error(`memorize --device webgpu: ${(e as Error).message}`);
  }
}

function resumeHint(dir: string): string {
  return `resume with: nabla memorize --resume ${dir}`;
}

/** Runs every part of a (possibly compare) run folder that is not finished yet. */
async function execute(dir: string, config: ConfigFile, pool: MnistLike, ctx: RunContext): Promise<RunResult> {
  if (!config.compare) {
    const o = await trainDir(dir, config, pool, ctx);
    if (o.status === 'finished') {
      say(ctx, o.message);
      say(ctx, `results in ${dir}/ (${FILES.report}, loss.png, accuracy.png, ${FILES.metricsCsv})`);
    } else if (o.status === 'stopped') say(ctx, `${o.message}; ${resumeHint(dir)}`);
    return { dir, status: o.status, message: o.message };
  }
  for (const which of COMPARE_RUNS) {
    const sub = join(dir, which);
    const c = readConfig(sub);
    if (readStatus(sub)?.status === 'finished' && (readMetrics(sub).at(-1)?.epoch ?? 0) >= c.epochs && existsSync(join(sub, FILES.model)))
      continue;
    say(ctx, `--- ${runLabel(sub, c)} (${sub}/) ---`);
    const o = await trainDir(sub, c, pool, ctx, `[${which}]`);
    if (o.status !== 'finished') {
      await redrawCompare(dir);
      if (o.status === 'stopped') say(ctx, `[${which}] ${o.message}; ${resumeHint(dir)}`);
      return { dir, status: o.status, message: o.message };
    }
    say(ctx, `[${which}] ${o.message}`);
  }
  await redrawCompare(dir);
  const table = slowdown(readMetrics(join(dir, 'random')), readMetrics(join(dir, 'true')));
  for (const s of table) {
    say(
      ctx,
      `train accuracy ${Math.round(s.threshold * 100)}%: random labels ${describeReached(s.random, config.epochs)}, true labels ${describeReached(
        s.true,
        config.epochs,
      )}${s.ratio === null ? '' : `: ${s.ratio.toFixed(1)}× the steps`}`,
    );
  }
  say(ctx, `results in ${dir}/ (${FILES.report}, loss.png, accuracy.png, ${FILES.compare}; each run in random/ and true/)`);
  return { dir, status: 'finished', message: 'finished' };
}

/** Writes the sub-runs' config.json files of a compare run that lack one. */
function writeSubConfigs(dir: string, file: ConfigFile): void {
  for (const which of COMPARE_RUNS) {
    const sub = join(dir, which);
    if (isRunDir(sub)) continue;
    mkdirSync(sub, { recursive: true });
    writeJson(join(sub, FILES.config), { ...subConfig(file, which), run: { ...file.run, name: `${file.run.name}/${which}` } });
  }
}

/** A fresh run from parsed options: creates runs/<name>/ (locked while it trains) and trains. */
export async function startRun(parsed: ParsedMemorize, ctx: RunContext): Promise<RunResult> {
  const config = { ...parsed.config };
  const name = parsed.name ?? defaultRunName(config.preset);
  const dir = join(parsed.runsDir, name);
  if (isRunDir(dir)) {
    throw new UsageError(`${dir} already exists; continue it with --resume ${dir}, or choose another --name`);
  }
  checkThreads(config);
  const pool = loadPool(config.data);
  config.trainSize = resolveTrainSize(config, pool.length);
  checkModelSize(config, pool);
  prepareData(config, pool); // checks sizes and labels before anything is written
  const device = await openDevice(config);
  const lock = claimNewRunDir(parsed.runsDir, name, isRunDir);
  try {
    const file: ConfigFile = { ...config, run: runInfo(name, config, ctx.argv) };
    if (config.data !== null) file.data = resolve(config.data);
    writeJson(join(dir, FILES.config), file);
    if (config.compare) writeSubConfigs(dir, file);
    say(
      ctx,
      `nabla memorize: ${describe(file)} → ${dir}/ (${device || `${file.run.backend} backend`}${
        file.run.threads && !device ? `, ${file.run.threads} threads` : ''
      })`,
    );
    return await execute(dir, file, pool, ctx);
  } finally {
    lock.release();
  }
}

/** Continues the run in `dir` (`--resume`), optionally with more epochs or other threads. */
export async function resumeRun(dir: string, overrides: ParsedMemorize['overrides'], ctx: RunContext): Promise<RunResult> {
  if (!isRunDir(dir)) {
    if (isAbandonedStart(dir)) {
      throw new UsageError(
        `--resume: ${dir} has no ${FILES.config}: its run was interrupted while starting, before anything was trained; start it again with the same --name and --runs-dir (the folder is reused)`,
      );
    }
    throw new UsageError(`--resume: ${dir} is not a nabla memorize run folder (no ${FILES.config})`);
  }
  let config: ConfigFile;
  try {
    config = readConfig(dir);
  } catch (e) {
    throw new UsageError(`--resume: ${(e as Error).message}`);
  }
  if (overrides.threads !== undefined) config.threads = overrides.threads;
  const device = config.device ?? 'cpu';
  if (overrides.device !== undefined && overrides.device !== device) {
    throw new UsageError(
      `--device ${overrides.device}: ${dir} trains on ${device} (its config.json); it resumes there (omit --device), or start a new run on ${overrides.device}`,
    );
  }
  const precision = config.precision ?? 'fp32';
  if (overrides.precision !== undefined && overrides.precision !== precision) {
    throw new UsageError(
      `--precision ${overrides.precision}: ${dir} trains in ${precision} (its config.json); it resumes so (omit --precision), or start a new run in ${overrides.precision}`,
    );
  }
  checkThreads(config);
  const deviceWords = await openDevice(config);
  const lock = lockRunDir(dir, config.compare ? COMPARE_RUNS : [], { takeOverForeign: ctx.takeOverLock });
  try {
    const pool = loadPool(config.data);
    checkModelSize(config, pool);
    if (config.compare) writeSubConfigs(dir, config);
    const newEpochs = overrides.epochs !== undefined && overrides.epochs !== config.epochs ? overrides.epochs : null;
    if (newEpochs !== null) {
      // Check every part's data and checkpoint first: a resume that fails changes nothing.
      for (const d of config.compare ? COMPARE_RUNS.map((w) => join(dir, w)) : [dir]) {
        const c = readConfig(d);
        const data = prepareData(c, pool);
        checkLabels(d, data.record);
        openRun(d, c, data);
      }
      config.epochs = newEpochs;
      writeJson(join(dir, FILES.config), { ...config, threads: readConfig(dir).threads });
      if (config.compare) {
        for (const which of COMPARE_RUNS) {
          const sub = join(dir, which);
          writeJson(join(sub, FILES.config), { ...readConfig(sub), epochs: newEpochs });
        }
      }
    }
    const now = backend().name;
    if (config.run?.backend && config.run.backend !== now) {
      say(
        ctx,
        `note: this run started on the ${config.run.backend} backend and continues on ${now}; it will not be bit-identical to an uninterrupted run`,
      );
    }
    say(ctx, `nabla memorize: resuming ${dir}/ (${describe(config)}${deviceWords ? `; ${deviceWords}` : ''})`);
    return await execute(dir, config, pool, ctx);
  } finally {
    lock.release();
  }
}

/** One line describing a config. */
export function describe(c: MemorizeConfig): string {
  const labels = c.labels === 'corrupt' ? `${c.corrupt * 100}% random labels` : `${c.labels} labels`;
  const data = c.data === null ? 'embedded MNIST' : c.data;
  const opt = `${c.optimizer} lr ${c.lr}${c.optimizer !== 'adam' && c.momentum > 0 ? ` momentum ${c.momentum}` : ''}`;
  const pixels = c.pixels === 'none' || c.pixels === undefined ? '' : `, ${c.pixels} pixels (pixel seed ${c.pixelSeed})`;
  return `preset ${c.preset}: ${c.trainSize} digits of ${data} with ${labels}${pixels} (+${c.heldOut} held-out), ${c.model}${
    c.width !== 1 ? ` ×${c.width}` : ''
  }${c.dropout > 0 ? ` dropout ${c.dropout}` : ''}, ${opt}, batch ${c.batchSize}, ${c.epochs} epochs, seed ${c.seed}${c.compare ? ', compare with true labels' : ''}${
    c.device !== undefined && c.device !== 'cpu' ? `, on ${c.device}` : ''
  }${c.precision === 'bf16' ? ', bf16 autocast' : ''}`;
}

export type { EpochMetrics };
