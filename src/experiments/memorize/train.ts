/**
 * The training loop of one memorization run in a run folder: loop.ts's {@link trainLoop} with a
 * store that writes the folder's files (checkpoint atomically, metrics, status, the final model).
 * See loop.ts for what a run guarantees (checkpoints, bit-identical resume, divergence stop).
 */
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { save } from '../../node/checkpoint.js';
import { loadCheckpoint, saveCheckpoint } from './checkpoint.js';
import { type RunStore, type TrainLoopOptions, type TrainOutcome, trainLoop } from './loop.js';
import { FILES, writeMetrics, writeStatus } from './run-dir.js';

export { initModel, makeOptimizer, type RunStore, type StopSignal, type TrainOutcome } from './loop.js';

export interface TrainOptions extends Omit<TrainLoopOptions, 'store'> {
  /** The run folder. */
  dir: string;
}

/** A {@link RunStore} writing the files of run folder `dir` (run-dir.ts names them). */
export function runDirStore(dir: string): RunStore {
  const ckptPath = join(dir, FILES.checkpoint);
  return {
    where: ckptPath,
    loadCheckpoint(model, optimizer) {
      try {
        return loadCheckpoint(ckptPath, model, optimizer);
      } catch (e) {
        if (/no checkpoint/.test((e as Error).message)) return null;
        throw e;
      }
    },
    saveCheckpoint(model, optimizer, state, keepEpoch) {
      saveCheckpoint(ckptPath, model, optimizer, state);
      if (keepEpoch !== undefined) {
        mkdirSync(join(dir, FILES.checkpoints), { recursive: true });
        saveCheckpoint(join(dir, FILES.checkpoints, `epoch-${String(keepEpoch).padStart(3, '0')}.safetensors`), model, optimizer, state);
      }
    },
    writeMetrics: (rows) => writeMetrics(dir, rows),
    writeStatus: (s) => writeStatus(dir, s),
    saveModel: (model, metadata) => save(model.stateDict(), join(dir, FILES.model), metadata),
  };
}

/**
 * Trains (or continues) the run in `dir` to `config.epochs`. Continues from the folder's
 * checkpoint when there is one. Resolves with how it ended; writes checkpoint, metrics and
 * status as it goes.
 */
export function train(opts: TrainOptions): Promise<TrainOutcome> {
  const { dir, ...rest } = opts;
  return trainLoop({ ...rest, store: runDirStore(dir) });
}
