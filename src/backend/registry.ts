import type { Backend } from './backend.js';
import { jsBackend } from './js/index.js';

let active: Backend = jsBackend;

/** The backend that runs kernels now. */
export function backend(): Backend {
  return active;
}

/** Installs a backend (the native addon's loader calls this); returns the previous one. */
export function setBackend(b: Backend): Backend {
  const prev = active;
  active = b;
  return prev;
}
