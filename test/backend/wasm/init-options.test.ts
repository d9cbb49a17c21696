// initWasmBackend's options are checked before anything is compiled: an unknown option or a bad
// thread count is an error naming the function and what is valid, thrown at once (not a rejection).
import { describe, expect, it } from 'vitest';
import { initWasmBackend } from '../../../src/index.js';

describe('initWasmBackend options', () => {
  it('refuses an unknown option, naming the valid ones', () => {
    expect(() => initWasmBackend({ thread: 2 } as never)).toThrow("initWasmBackend: unknown option 'thread' (valid: threads)");
  });
  it.each([0, 1.5, -1, 2000, Number.NaN])('refuses threads %s', (threads) => {
    expect(() => initWasmBackend({ threads })).toThrow(/^initWasmBackend: threads must be an integer from 1 to 1024/);
  });
  it('refuses a non-object', () => {
    expect(() => initWasmBackend(2 as never)).toThrow(/initWasmBackend: options must be an object/);
  });
});
