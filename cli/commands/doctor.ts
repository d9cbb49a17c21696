import { parseArgs } from 'node:util';
import { backendInfo } from '../../src/backend/select-node.js';
import type { WasmInfo } from '../../src/backend/wasm/index.js';
import { SHOWN_LIMITS, webgpuInfo } from '../../src/backend/webgpu/node-info.js';
import { type Command, UsageError } from '../command.js';
import { bf16Line, cpuBf16Flags } from './doctor-bf16.js';

/** `nabla doctor`: which backend runs the kernels, and why native is unavailable when it is. */
export const doctor: Command = {
  name: 'doctor',
  summary: 'show the active backend, oneDNN version, CPU ISA and threads, and the WebGPU adapters',
  usage:
    'nabla doctor [--json]\n\nPrints which kernels nabla uses here and, when the native oneDNN backend is unavailable, why;\nthen the WebGPU adapters Dawn finds (vendor, architecture, fallback or not, features, limits), or why none.',
  async run(args) {
    let json: boolean;
    try {
      json = parseArgs({ args, options: { json: { type: 'boolean' } }, strict: true, allowPositionals: false }).values.json ?? false;
    } catch (e) {
      throw new UsageError(`${String((e as Error).message).split('\n')[0]} (usage: nabla doctor [--json])`);
    }
    const info = backendInfo();
    const webgpu = await webgpuInfo();
    if (json) {
      console.log(JSON.stringify({ ...info, cpuBf16: cpuBf16Flags(), webgpu }));
      return 0;
    }
    console.log(`node           ${process.version} (${process.platform}-${process.arch})`);
    console.log(`active backend ${info.active}`);
    if (info.nativeAvailable) {
      console.log(`oneDNN         ${info.onednn}`);
      console.log(`CPU ISA        ${info.isa}`);
      if (info.active === 'native') console.log(`threads        ${info.threads}`);
    } else {
      console.log(`native         unavailable: ${info.reason}`);
    }
    console.log(`bf16 autocast  ${bf16Line(info)}`);
    const w = info.wasm;
    if (w.unavailable !== null) console.log(`wasm           unavailable: ${w.unavailable}`);
    else {
      const simd = w.features.relaxedSimd
        ? 'SIMD128 + relaxed SIMD (FMA)'
        : 'SIMD128 (no relaxed SIMD: Node 20 needs --experimental-wasm-relaxed-simd)';
      console.log(`wasm           ${simd}, shared memory ${w.features.sharedMemory ? 'yes' : `no (${w.features.sharedReason})`}`);
      if (info.active === 'wasm')
        console.log(
          `threads        ${w.threads} (${w.singleThreadReason ?? 'worker_threads over a shared WebAssembly memory; setNumThreads or --threads to change'})`,
        );
      if (info.active === 'wasm' && w.resident !== undefined) console.log(`wasm tensors   ${residentLine(w.resident)}`);
    }
    if (!webgpu.available) console.log(`webgpu         unavailable: ${webgpu.reason}`);
    for (const a of webgpu.adapters) {
      const name = [a.vendor, a.architecture, a.device, a.description].filter(Boolean).join(' ') || 'unnamed adapter';
      console.log(`webgpu adapter ${name}${a.isFallbackAdapter ? ' (fallback: software, slow)' : ''}`);
      console.log(`  features     ${a.features.join(', ') || 'none'}`);
      console.log(`  limits       ${SHOWN_LIMITS.map((k) => `${k} ${a.limits[k]}`).join(', ')}`);
    }
    return 0;
  },
};

const MiB = (bytes: number) => `${(bytes / 2 ** 20).toFixed(1)} MiB`;

/** Where the wasm backend's tensors live: in its memory up to the budget, or why not at all. */
export function residentLine(r: NonNullable<WasmInfo['resident']>): string {
  if (r.reason !== undefined) return `ordinary arrays, copied per call (${r.reason})`;
  if (r.limit === 0) return 'ordinary arrays, copied per call (residentLimit 0)';
  return `float32 ≥ 64 KiB in the WebAssembly memory: ${MiB(r.bytes)} of the ${MiB(r.limit)} budget (NABLA_WASM_RESIDENT_LIMIT or useWasmBackend({ residentLimit }))`;
}
