/**
 * Node-only: loads the oneDNN addon and installs the native backend. Imported by nabla's Node
 * entry point; the browser core never sees this file.
 */
import { registerBf16Kernels } from '../../autocast/bf16.js';
import { registerFusedKernels } from '../fused.js';
import { jsBackend } from '../js/index.js';
import { backend, setBackend } from '../registry.js';
import { checkThreadCount } from '../threads.js';
import { loadAddon, type NativeAddon, requestedBackend } from './addon.js';
import { nativeBackend, nativeFusedKernels } from './backend.js';
import { nativeBf16Kernels } from './bf16.js';

export { checkThreadCount, MAX_THREADS } from '../threads.js';

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
  /** The ISA oneDNN runs autocast's bf16 kernels with ('avx512_core_amx', 'avx512_core_bf16'), or '' when the CPU lacks bf16 instructions. */
  bf16Isa?: string;
}

let addon: NativeAddon | string | undefined;

function getAddon(): NativeAddon | string {
  addon ??= loadAddon();
  return addon;
}

/**
 * Switches to the native backend if the addon loads; returns whether it is active. Throws when
 * NABLA_BACKEND names an unknown backend, or asks for native and the addon is unavailable.
 */
export function useNativeBackend(): boolean {
  const wanted = requestedBackend();
  const a = getAddon();
  if (typeof a === 'string') {
    if (wanted === 'native') throw new Error(`NABLA_BACKEND=native: the native addon is unavailable (${a})`);
    return false;
  }
  if (backend().name !== 'native') setBackend(nativeBackend(a));
  registerBf16Kernels('native', nativeBf16Kernels(a));
  registerFusedKernels('native', nativeFusedKernels(a));
  return true;
}

/** Switches back to the TypeScript reference kernels. */
export function useJsBackend(): void {
  setBackend(jsBackend);
}

/** Sets the number of threads native kernels use (default: all cores); 1 to {@link MAX_THREADS}. */
export function setNumThreads(n: number): void {
  const bad = checkThreadCount(n);
  if (bad !== null) throw new RangeError(`setNumThreads: n ${bad}`);
  const a = getAddon();
  if (typeof a !== 'string') a.setNumThreads(n);
}

export function backendInfo(): BackendInfo {
  const a = getAddon();
  if (typeof a === 'string') return { active: backend().name, nativeAvailable: false, reason: a };
  return { active: backend().name, nativeAvailable: true, ...a.info(), bf16Isa: a.bf16Support() };
}
