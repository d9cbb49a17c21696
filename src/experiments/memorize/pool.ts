/** Where a run's digits come from, in Node: the embedded sample or an IDX folder. */
import { UsageError } from '../../cli/command.js';
import type { MnistLike } from '../../data/mnist.js';
import { loadIdxDataset } from '../../node/idx.js';
import { loadMnist } from '../../node/mnist.js';

/** Loads the pool of digits: the embedded sample or an IDX folder's training files. */
export function loadPool(data: string | null): MnistLike {
  if (data === null) return loadMnist();
  try {
    return loadIdxDataset(data, { train: true });
  } catch (e) {
    throw new UsageError(`--data: ${(e as Error).message}`);
  }
}
