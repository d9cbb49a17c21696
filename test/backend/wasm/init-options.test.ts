// initWasmBackend's options are checked before anything is compiled: an unknown option or a bad
// thread count is an error naming the function and what is valid, thrown at once (not a rejection).
import { describe, expect, it } from 'vitest';
import { initWasmBackend } from '../../../src/index.js';

describe('initWasmBackend options', () => {
  it('refuses an unknown option, naming the valid ones', () => {
    expect(() => initWasmBackend({ thread: 2 } as never)).toThrow(
      "initWasmBackend: unknown option 'thread' (valid: threads, residentLimit)",
    );
  });
  it.each([0, 1.5, -1, 2000, Number.NaN])('refuses threads %s', (threads) => {
    expect(() => initWasmBackend({ threads })).toThrow(/^initWasmBackend: threads must be an integer from 1 to 1024/);
  });
  it.each([-1, 1.5, 2 ** 33, Number.NaN, '1'])('refuses residentLimit %s', (residentLimit) => {
    expect(() => initWasmBackend({ residentLimit } as never)).toThrow(
      /^initWasmBackend: residentLimit must be a whole number of bytes from 0 to 2\*\*32, got/,
    );
  });
  it('refuses a non-object', () => {
    expect(() => initWasmBackend(2 as never)).toThrow(/initWasmBackend: options must be an object/);
  });
});
