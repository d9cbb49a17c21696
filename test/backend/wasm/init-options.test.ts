// initWasmBackend's options are checked before anything is compiled: an unknown option or a bad
// thread count is an error naming the function and what is valid.
import { describe, expect, it } from 'vitest';
import { initWasmBackend } from '../../../src/index.js';

describe('initWasmBackend options', () => {
  it('refuses an unknown option, naming the valid ones', async () => {
    await expect(initWasmBackend({ thread: 2 } as never)).rejects.toThrow("initWasmBackend: unknown option 'thread' (valid: threads)");
  });
  it.each([0, 1.5, -1, 2000, Number.NaN])('refuses threads %s', async (threads) => {
    await expect(initWasmBackend({ threads })).rejects.toThrow(/^initWasmBackend: threads must be an integer from 1 to 1024/);
  });
  it('refuses a non-object', async () => {
    await expect(initWasmBackend(2 as never)).rejects.toThrow(/initWasmBackend: options must be an object/);
  });
});
