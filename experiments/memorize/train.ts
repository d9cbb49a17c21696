/**
 * The training loop of one memorization run in a run folder: loop.ts's {@link trainLoop} with a
 * store that writes the folder's files (checkpoint atomically, metrics, status, the final model).
 * See loop.ts for what a run guarantees (checkpoints, bit-identical resume, divergence stop).
 *
 * What the folder adds: checkpoints are checked against the run (digest, identity, position), a
 * run that has recorded epochs but lost its checkpoint is an error (never a silent restart), and
 * every way out that can still write leaves a final status: 'failed' with the error when one
 * escapes, 'interrupted' when the process exits mid-run.
 */
import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Module } from '../../src/nn/module.js';
import { writeFileAtomic } from '../../src/nodejs/atomic.js';
import { save } from '../../src/nodejs/checkpoint.js';
import type { Optimizer } from '../../src/optim/optimizer.js';
import { type CheckpointExpect, type CheckpointState, loadCheckpoint, runIdentity, saveCheckpoint } from './checkpoint.js';
import type { MemorizeConfig } from './config.js';
import type { RunData } from './data.js';
import { initModel, type RunStore, type TrainLoopOptions, type TrainOutcome, trainLoop } from './loop.js';
import { FILES, readMetrics, readStatus, writeMetrics, writeStatus } from './run-dir.js';

export { initModel, makeOptimizer, type RunStore, type StopSignal, type TrainOutcome } from './loop.js';

export interface TrainOptions extends Omit<TrainLoopOptions, 'store'> {
  /** The run folder. */
  dir: string;
}

/** checkpoints/epoch-NNN.safetensors, the --save-every copy of epoch `epoch`. */
function epochCopy(dir: string, epoch: number): string {
  return join(dir, FILES.checkpoints, `epoch-${String(epoch).padStart(3, '0')}.safetensors`);
}

/**
 * Restores the folder's checkpoint into `model` and `optimizer`, checking it against the run;
 * null for a run that has not finished an epoch yet. Writes nothing.
 */
function readRunCheckpoint(dir: string, expect: CheckpointExpect, model: Module, optimizer: Optimizer): CheckpointState | null {
  const ckptPath = join(dir, FILES.checkpoint);
  if (existsSync(ckptPath)) return loadCheckpoint(ckptPath, model, optimizer, expect);
  const status = readStatus(dir);
  const recorded = Math.max(readMetrics(dir).length, status?.epoch ?? 0);
  if (recorded > 0 || (status?.step ?? 0) > 0 || existsSync(join(dir, FILES.model))) {
    throw new Error(
      `${ckptPath} is missing, but this run has already trained (${recorded} epoch${recorded === 1 ? '' : 's'} recorded); restore the checkpoint (or a copy from ${FILES.checkpoints}/) to continue, or start a new run. Nothing was changed.`,
    );
  }
  return null;
}

function expectation(config: MemorizeConfig, data: RunData): CheckpointExpect {
  return { identity: runIdentity(config, data), steps: Math.ceil(data.train.length / config.batchSize), samples: data.train.length };
}

/** Checks that the run in `dir` can continue (its checkpoint, if any, is sound and its own). Writes nothing. */
export function openRun(dir: string, config: MemorizeConfig, data: RunData): void {
  const { model, optimizer } = initModel(config, data);
  readRunCheckpoint(dir, expectation(config, data), model, optimizer);
}

/** A {@link RunStore} writing the files of run folder `dir` (run-dir.ts names them). */
export function runDirStore(dir: string, config: MemorizeConfig, data: RunData): RunStore {
  const ckptPath = join(dir, FILES.checkpoint);
  const expect = expectation(config, data);
  return {
    where: ckptPath,
    loadCheckpoint(model, optimizer) {
      const state = readRunCheckpoint(dir, expect, model, optimizer);
      // A kill between the checkpoint and its --save-every copy lost the copy; the checkpoint is it.
      const epoch = state?.position.epoch ?? 0;
      if (state !== null && config.saveEvery > 0 && state.position.step === 0 && epoch > 0 && epoch % config.saveEvery === 0) {
        const copy = epochCopy(dir, epoch);
        if (!existsSync(copy)) {
          mkdirSync(join(dir, FILES.checkpoints), { recursive: true });
          writeFileAtomic(copy, readFileSync(ckptPath));
        }
      }
      return state;
    },
    saveCheckpoint(model, optimizer, state, keepEpoch) {
      saveCheckpoint(ckptPath, model, optimizer, state, expect.identity);
      if (keepEpoch !== undefined) {
        mkdirSync(join(dir, FILES.checkpoints), { recursive: true });
        saveCheckpoint(epochCopy(dir, keepEpoch), model, optimizer, state, expect.identity);
      }
    },
    writeMetrics: (rows) => writeMetrics(dir, rows),
    writeStatus: (s) => writeStatus(dir, s),
    hasModel: () => existsSync(join(dir, FILES.model)),
    saveModel: (model, metadata) => save(model.stateDict(), join(dir, FILES.model), metadata),
  };
}

/**
 * Trains (or continues) the run in `dir` to `config.epochs`. Continues from the folder's
 * checkpoint when there is one. Resolves with how it ended; writes checkpoint, metrics and
 * status as it goes, and a final status on every way out that can still write.
 */
export async function train(opts: TrainOptions): Promise<TrainOutcome> {
  const { dir, ...rest } = opts;
  const files = runDirStore(dir, opts.config, opts.data);
  let final = false;
  // Until the checkpoint is accepted nothing was trained: a refused resume leaves the status alone.
  let started = false;
  let last = { epoch: 0, step: 0 };
  const store: RunStore = {
    ...files,
    loadCheckpoint(model, optimizer) {
      const state = files.loadCheckpoint(model, optimizer) as CheckpointState | null;
      last = { epoch: state?.position.epoch ?? 0, step: state?.position.step ?? 0 };
      started = true;
      return state;
    },
    writeStatus(s) {
      last = { epoch: s.epoch, step: s.step };
      return files.writeStatus(s);
    },
  };
  const onExit = () => {
    if (started && !final)
      bestEffort(() => writeStatus(dir, { ...last, status: 'interrupted', message: 'interrupted: the process exited mid-run' }));
  };
  process.on('exit', onExit);
  try {
    const outcome = await trainLoop({ ...rest, store });
    final = true;
    return outcome;
  } catch (e) {
    final = true;
    if (started) bestEffort(() => writeStatus(dir, { ...last, status: 'failed', message: `failed: ${(e as Error).message}` }));
    throw e;
  } finally {
    process.off('exit', onExit);
  }
}

function bestEffort(write: () => void): void {
  try {
    write();
  } catch {
    // the disk may be full or gone; the error that ended the run is what gets reported
  }
}
