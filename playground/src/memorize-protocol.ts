/** Messages between the memorize page and its training worker. */
import type { MemorizeConfig } from '../../experiments/memorize/config.js';
import type { RunStatusUpdate, TrainOutcome } from '../../experiments/memorize/loop.js';
import type { EpochMetrics } from '../../experiments/memorize/metrics.js';
import type { StepInfo } from '../../experiments/memorize/progress.js';

export type ToWorker =
  /** Train `config` (fresh: the page cleared the stored run) or continue the stored run. */
  | { type: 'start'; config: MemorizeConfig; dataUrl: string }
  /** Stop after the current step, with a checkpoint. */
  | { type: 'stop' };

/** Whether the worker could acquire a WebGPU device (navigator.gpu and an adapter), and if not why. */
export type WebGpuProbe = { available: true; adapter: string; fallback: boolean } | { available: false; reason: string };

export type FromWorker =
  | { type: 'ready'; backend: string; webgpu: WebGpuProbe }
  | { type: 'line'; text: string }
  | { type: 'step'; info: StepInfo }
  | { type: 'metrics'; rows: EpochMetrics[] }
  | { type: 'status'; status: RunStatusUpdate }
  | { type: 'done'; outcome: Omit<TrainOutcome, 'metrics'> }
  | { type: 'error'; message: string };
