// `nabla doctor`'s line on where the wasm backend's tensors live: in its memory within the
// budget, or ordinary arrays and why.
import { describe, expect, it } from 'vitest';
import { residentLine } from '../../cli/commands/doctor.js';

describe('nabla doctor: wasm tensors', () => {
  it('reports the resident bytes against the budget', () => {
    expect(residentLine({ bytes: 3 * 2 ** 20, peak: 4 * 2 ** 20, limit: 256 * 2 ** 20, tensors: 5, overBudget: 0 })).toBe(
      'float32 ≥ 64 KiB in the WebAssembly memory: 3.0 MiB of the 256.0 MiB budget (NABLA_WASM_RESIDENT_LIMIT or useWasmBackend({ residentLimit }))',
    );
  });
  it('says why tensors are ordinary arrays', () => {
    expect(residentLine({ bytes: 0, peak: 0, limit: 0, tensors: 0, overBudget: 7 })).toBe(
      'ordinary arrays, copied per call (residentLimit 0)',
    );
    expect(residentLine({ bytes: 0, peak: 0, limit: 2 ** 28, tensors: 0, overBudget: 0, reason: 'a plain memory' })).toBe(
      'ordinary arrays, copied per call (a plain memory)',
    );
  });
});
