import { readFileSync } from 'node:fs';
import type { BackendInfo } from '../../src/backend/select-node.js';

/** The CPU's bf16 instruction sets from /proc/cpuinfo (Linux): AVX512-BF16 and AMX-BF16; null where it cannot be read. */
export function cpuBf16Flags(): { avx512bf16: boolean; amxbf16: boolean } | null {
  let text: string;
  try {
    text = readFileSync('/proc/cpuinfo', 'utf8');
  } catch {
    return null;
  }
  const flags = new Set((/^flags\s*:(.*)$/m.exec(text)?.[1] ?? '').trim().split(/\s+/));
  return { avx512bf16: flags.has('avx512_bf16'), amxbf16: flags.has('amx_bf16') };
}

/** `nabla doctor`'s bf16 line: how `autocast('cpu', 'bfloat16')` computes here, and why. */
export function bf16Line(info: BackendInfo): string {
  const f = cpuBf16Flags();
  const cpu =
    f === null
      ? 'CPU flags unknown'
      : `CPU ${[f.avx512bf16 ? 'AVX512-BF16' : 'no AVX512-BF16', f.amxbf16 ? 'AMX-BF16' : 'no AMX-BF16'].join(', ')}`;
  if (info.active === 'native' && info.bf16Isa) return `oneDNN bf16 kernels (ISA ${info.bf16Isa}; ${cpu})`;
  const why =
    info.active !== 'native'
      ? `the ${info.active} backend has no bf16 kernels`
      : 'oneDNN finds no bf16 instructions (AVX512-BF16 or AMX) on this CPU';
  return `bf16 rounding around the float32 kernels (same values, no speed-up: ${why}; ${cpu})`;
}
