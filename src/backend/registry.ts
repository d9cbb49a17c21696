import type { Backend } from './backend.js';
import { jsBackend } from './js/index.js';
import { type BackendDefinition, resolveBackend } from './kernels.js';

export type {
  BackendDefinition,
  FallbackListener,
  FallbackReason,
  FallbackRecord,
  KernelEntry,
  KernelName,
  KernelRegistrations,
} from './kernels.js';
export { defineBackend, fallbacks, onFallback, resetFallbacks } from './kernels.js';

let active: Backend = jsBackend;

/** The backend that runs kernels now: its dispatch table, with fallbacks to the reference kernels. */
export function backend(): Backend {
  return active;
}

/** The TypeScript reference backend, the one every fallback runs on. */
export function referenceBackend(): Backend {
  return jsBackend;
}

/**
 * Installs a backend and returns the previous one. A {@link BackendDefinition} (from
 * `defineBackend`) may register any subset of the kernels, the rest falling back to the
 * TypeScript reference; a complete `Backend` object is used as is.
 */
export function setBackend(b: Backend | BackendDefinition): Backend {
  const prev = active;
  active = 'kernels' in b ? resolveBackend(b, jsBackend) : b;
  return prev;
}
