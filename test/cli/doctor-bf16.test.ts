// `nabla doctor`'s bf16 autocast line: oneDNN's bf16 kernels and their ISA where the native
// backend has them, otherwise the rounding around float32 kernels and why.
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { bf16Line, cpuBf16Flags } from '../../cli/commands/doctor-bf16.js';

const root = fileURLToPath(new URL('../..', import.meta.url));
const wasm = { unavailable: null } as never;

function doctor(env: Record<string, string>): string {
  const r = spawnSync(process.execPath, ['--import', 'tsx', 'cli/main.ts', 'doctor'], {
    cwd: root,
    env: { ...process.env, FORCE_COLOR: '0', ...env },
    encoding: 'utf8',
  });
  expect(r.status, r.stderr).toBe(0);
  return r.stdout.split('\n').find((l) => l.startsWith('bf16 autocast')) ?? '';
}

describe('nabla doctor: bf16 autocast', () => {
  it('names the kernels, the ISA and the reason', () => {
    expect(bf16Line({ active: 'native', nativeAvailable: true, bf16Isa: 'avx512_core_amx', wasm })).toMatch(
      /^oneDNN bf16 kernels \(ISA avx512_core_amx; CPU /,
    );
    expect(bf16Line({ active: 'native', nativeAvailable: true, bf16Isa: '', wasm })).toMatch(
      /^bf16 rounding around the float32 kernels \(same values, no speed-up: oneDNN finds no bf16 instructions/,
    );
    expect(bf16Line({ active: 'wasm', nativeAvailable: true, bf16Isa: 'avx512_core_bf16', wasm })).toMatch(
      /no speed-up: the wasm backend has no bf16 kernels/,
    );
  });

  it('reports this machine: the js backend rounds; native uses oneDNN bf16 where the CPU has it', { timeout: 120_000 }, () => {
    expect(doctor({ NABLA_BACKEND: 'js' })).toMatch(
      /^bf16 autocast {2}bf16 rounding around the float32 kernels .*the js backend has no bf16 kernels/,
    );
    // NABLA_BACKEND empty: the default choice, native when its addon loads.
    const json = spawnSync(process.execPath, ['--import', 'tsx', 'cli/main.ts', 'doctor', '--json'], {
      cwd: root,
      env: { ...process.env, NABLA_BACKEND: '' },
      encoding: 'utf8',
    });
    expect(json.status, json.stderr).toBe(0);
    const info = JSON.parse(json.stdout) as { active: string; bf16Isa?: string; cpuBf16: unknown };
    expect(info.cpuBf16).toEqual(cpuBf16Flags());
    const line = doctor({ NABLA_BACKEND: '' });
    if (info.active !== 'native') {
      console.warn(`native part skipped: the default backend is ${info.active} (addon unavailable)`);
      expect(line).toMatch(/bf16 rounding around the float32 kernels/);
    } else if (info.bf16Isa === '') expect(line).toMatch(/oneDNN finds no bf16 instructions/);
    else expect(line).toBe(`bf16 autocast  oneDNN bf16 kernels (ISA ${info.bf16Isa}; CPU ${cpuFlagsWords()})`);
  });
});

function cpuFlagsWords(): string {
  const f = cpuBf16Flags();
  if (f === null) return 'flags unknown';
  return `${f.avx512bf16 ? 'AVX512-BF16' : 'no AVX512-BF16'}, ${f.amxbf16 ? 'AMX-BF16' : 'no AMX-BF16'}`;
}
