// Seeded damage for the fuzz tests: the same seed gives the same damaged files on every machine,
// so a failure names a case that can be replayed.

/** mulberry32: a small, fast, seeded PRNG (uniform in [0, 1)). */
export function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** One damaged copy of `bytes`, and how it was damaged. */
export function damage(bytes: Uint8Array, rand: () => number): { bytes: Uint8Array; how: string } {
  const int = (n: number) => Math.floor(rand() * n);
  const out = bytes.slice();
  const at = int(Math.max(bytes.length, 1));
  switch (int(6)) {
    case 0: {
      const bit = int(8);
      out[at] ^= 1 << bit;
      return { bytes: out, how: `bit ${bit} of byte ${at} flipped` };
    }
    case 1: {
      const v = int(256);
      out[at] = v;
      return { bytes: out, how: `byte ${at} set to ${v}` };
    }
    case 2:
      return { bytes: bytes.slice(0, at), how: `truncated to ${at} bytes` };
    case 3: {
      const extra = Uint8Array.from({ length: 1 + int(64) }, () => int(256));
      const grown = new Uint8Array(bytes.length + extra.length);
      grown.set(bytes);
      grown.set(extra, bytes.length);
      return { bytes: grown, how: `${extra.length} random bytes appended` };
    }
    case 4: {
      // A run of bytes overwritten: damages structure more than one flip does.
      const n = 1 + int(16);
      for (let i = at; i < Math.min(at + n, out.length); i++) out[i] = int(256);
      return { bytes: out, how: `${n} bytes from ${at} randomized` };
    }
    default: {
      // A digit changed (sizes, offsets, shapes in text headers), or any byte when there is none.
      const digits = [...out.keys()].filter((i) => out[i] >= 0x30 && out[i] <= 0x39);
      const i = digits.length > 0 ? digits[int(digits.length)] : at;
      const v = 0x30 + int(10);
      out[i] = v;
      return { bytes: out, how: `digit at ${i} set to ${String.fromCharCode(v)}` };
    }
  }
}

/** Messages of JavaScript's own failures, which a reader must never let escape. */
export const ENGINE_ERROR =
  /Cannot read propert|is not a function|is not iterable|undefined is not|Invalid typed array length|Invalid array length|Maximum call stack|out of memory|Array buffer allocation failed|Offset is outside the bounds/;
