// Runs a test project on the native backend. Under CI (or NABLA_REQUIRE_NATIVE=1) a missing addon
// is an error, so the native half of the suite can never silently fall back to TypeScript, unless
// NABLA_NATIVE=off hides the addon on purpose (CI's second pass: the suite without oneDNN).
import { backendInfo, useNativeBackend } from '../src/backend/native/index.js';

if (!useNativeBackend()) {
  const why = backendInfo().reason;
  if (process.env.NABLA_NATIVE !== 'off' && (process.env.CI || process.env.NABLA_REQUIRE_NATIVE === '1'))
    throw new Error(`native backend unavailable: ${why}`);
  console.warn(`native backend unavailable (${why}); the native test project runs on TypeScript kernels`);
}
