// Shared imports of the fluency tests, and a float64 gradcheck shorthand.
import { gradcheck, type Tensor } from '../../src/index.js';

export * from '../../src/index.js';

/** gradcheck in float64 (the inputs must be float64 leaves requiring grad); true when it passes. */
export function float64Check(fn: (...xs: Tensor[]) => Tensor, xs: Tensor[]): boolean {
  for (const x of xs) if (x.dtype !== 'float64') throw new Error('float64Check: inputs must be float64');
  return gradcheck(fn, xs).ok;
}
