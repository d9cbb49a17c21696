/**
 * The memorize page's run in IndexedDB (database "nabla-playground", store "memorize"): one value
 * per key, written by the worker as it trains and read by the page to show and resume a run.
 * The checkpoint is the same safetensors bytes that `nabla memorize` writes to checkpoint.safetensors.
 */
import type { MemorizeConfig } from '../../experiments/memorize/config.js';
import type { RunStatusUpdate } from '../../experiments/memorize/loop.js';
import type { EpochMetrics } from '../../experiments/memorize/metrics.js';

export interface StoredRun {
  config: MemorizeConfig;
  metrics: EpochMetrics[];
  status: RunStatusUpdate;
  /** safetensors bytes of the latest checkpoint (model, optimizer, run state). */
  checkpoint: Uint8Array;
  /** safetensors bytes of the trained model, once the run finished. */
  model: Uint8Array;
}

export type RunKey = keyof StoredRun;

const DB = 'nabla-playground';
const STORE = 'memorize';

function request<T>(r: IDBRequest<T>): Promise<T> {
  return new Promise((resolve, reject) => {
    r.onsuccess = () => resolve(r.result);
    r.onerror = () => reject(new Error(`IndexedDB ${DB}/${STORE}: ${r.error?.message ?? 'request failed'}`));
  });
}

let opening: Promise<IDBDatabase> | null = null;

function open(): Promise<IDBDatabase> {
  opening ??= new Promise((resolve, reject) => {
    const r = indexedDB.open(DB, 1);
    r.onupgradeneeded = () => r.result.createObjectStore(STORE);
    r.onsuccess = () => resolve(r.result);
    r.onerror = () => reject(new Error(`IndexedDB ${DB}: ${r.error?.message ?? 'cannot open'} (is storage disabled in this browser?)`));
  });
  return opening;
}

async function tx(mode: IDBTransactionMode): Promise<IDBObjectStore> {
  return (await open()).transaction(STORE, mode).objectStore(STORE);
}

export async function getRun<K extends RunKey>(key: K): Promise<StoredRun[K] | undefined> {
  return (await request((await tx('readonly')).get(key))) as StoredRun[K] | undefined;
}

export async function putRun<K extends RunKey>(key: K, value: StoredRun[K]): Promise<void> {
  await request((await tx('readwrite')).put(value, key));
}

/** Forgets the stored run. */
export async function clearRun(): Promise<void> {
  await request((await tx('readwrite')).clear());
}
