/**
 * Node-only: loads the oneDNN addon and installs the native backend. Imported by nabla's Node
 * entry point; the browser core never sees this file.
 */
import { jsBackend } from '../js/index.js';
import { backend, setBackend } from '../registry.js';
import { loadAddon, type NativeAddon } from './addon.js';
import { nativeBackend } from './backend.js';

/** What runs nabla's kernels, for `nabla doctor` and bug reports. */
export interface BackendInfo {
  /** The active backend's name: 'native' or 'js'. */
  active: string;
  nativeAvailable: boolean;
  /** oneDNN version, CPU ISA and thread count when the addon is loaded. */
  onednn?: string;
  isa?: string;
  threads?: number;
  /** Why the native backend is unavailable, when it is. */
  reason?: string;
}

let addon: NativeAddon | string | undefined;

function getAddon(): NativeAddon | string {
  addon ??= loadAddon();
  return addon;
}

/** Switches to the native backend if the addon loads; returns whether it is active. */
export function useNativeBackend(): boolean {
  const a = getAddon();
  if (typeof a === 'string') return false;
  if (backend().name !== 'native') setBackend(nativeBackend(a));
  return true;
}

/** Switches back to the TypeScript reference kernels. */
export function useJsBackend(): void {
  setBackend(jsBackend);
}

/** Sets the number of threads native kernels use (default: all cores). */
export function setNumThreads(n: number): void {
  if (!Number.isInteger(n) || n < 1) throw new RangeError(`setNumThreads: n must be a positive integer (got ${n})`);
  const a = getAddon();
  if (typeof a !== 'string') a.setNumThreads(n);
}

export function backendInfo(): BackendInfo {
  const a = getAddon();
  if (typeof a === 'string') return { active: backend().name, nativeAvailable: false, reason: a };
  return { active: backend().name, nativeAvailable: true, ...a.info() };
}
