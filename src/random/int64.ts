/**
 * 64-bit integer draws that PyTorch's data utilities make, as BigInts.
 */
import type { Generator } from './generator.js';

const TWO_POW_32 = 4294967296n;

/**
 * `torch.empty((), dtype=torch.int64).random_(generator=gen).item()` on CPU: one `random64()`
 * (two engine draws, the first is the high word) reduced modulo 2^63 (`uniform_int<int64_t>`),
 * so a non-negative int64 in [0, 2^63). `RandomSampler` seeds a fresh generator with it and
 * `DataLoader` draws one as its per-epoch base seed.
 */
export function randomInt64(gen: Generator): bigint {
  const [hi, lo] = gen.random64();
  return BigInt(hi & 0x7fffffff) * TWO_POW_32 + BigInt(lo);
}
