/** Where a run's digits come from, in Node: the embedded sample or an IDX folder. */

import type { MnistLike } from '../../src/data/mnist.js';
import { loadIdxDataset } from '../../src/nodejs/idx.js';
import { loadMnist } from '../../src/nodejs/mnist.js';
import { UsageError } from '../usage-error.js';

/**
 * The largest IDX images file a run loads: 1 GiB of uint8 pixels holds 1.3 M 28×28 images (MNIST
 * has 60,000; EMNIST's largest split 0.7 M). A file declaring more is refused before inflating.
 */
export const MAX_POOL_BYTES = 2 ** 30;

/** Loads the pool of digits: the embedded sample or an IDX folder's training files. */
export function loadPool(data: string | null): MnistLike {
  if (data === null) return loadMnist();
  try {
    return loadIdxDataset(data, { train: true, maxBytes: MAX_POOL_BYTES });
  } catch (e) {
    throw new UsageError(`--data: ${(e as Error).message}`);
  }
}
