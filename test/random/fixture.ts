// Shared loader and comparison helpers for test/fixtures/random.json
// (written by tools/gen_random_fixtures.py from real PyTorch).
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { Generator } from '../../src/random/index.js';

export interface StateDigest {
  seed: string;
  left: number;
  next: number;
  words_sha256: string;
  nextDoubleNormal: number | null;
  nextFloatNormal: number | null;
}

export interface Step {
  op: 'rand' | 'randn' | 'uniform' | 'normal' | 'normal_strided' | 'randint' | 'randperm' | 'bernoulli_p' | 'bernoulli_tensor';
  dtype?: 'float32' | 'float64' | 'int64';
  n?: number;
  from?: number;
  to?: number;
  mean?: number;
  std?: number;
  low?: number;
  high?: number;
  p?: number;
  probs?: number[];
  values: number[];
  state: StateDigest;
}

export interface Case {
  name: string;
  seed: string | null;
  steps: Step[];
}

export interface Fixture {
  command: string;
  torch_version: string;
  cpu_capability: string | null;
  mkl: boolean;
  torch_state: { bytes_base64: string; then_randn_float64_4: number[]; digest_after: StateDigest };
  cases: Case[];
}

const path = fileURLToPath(new URL('../fixtures/random.json', import.meta.url));
export const fixture = JSON.parse(readFileSync(path, 'utf8')) as Fixture;

/** sha256 of the 624 state words as little-endian uint32, like the generator script. */
export function wordsSha256(gen: Generator): string {
  const words = Uint32Array.from(gen.getState().mt.state);
  const bytes = new Uint8Array(words.length * 4);
  const dv = new DataView(bytes.buffer);
  for (let i = 0; i < words.length; i++) dv.setUint32(4 * i, words[i] as number, true);
  return createHash('sha256').update(bytes).digest('hex');
}

const dbuf = new Float64Array(2);
const ibuf = new BigInt64Array(dbuf.buffer);

/** Distance in units in the last place between two doubles (0 when Object.is-equal). */
export function ulpDistance(a: number, b: number): number {
  if (Object.is(a, b)) return 0;
  dbuf[0] = a;
  dbuf[1] = b;
  const key = (v: bigint): bigint => (v < 0n ? -(v & 0x7fffffffffffffffn) : v);
  const d = key(ibuf[0] as bigint) - key(ibuf[1] as bigint);
  return Number(d < 0n ? -d : d);
}
