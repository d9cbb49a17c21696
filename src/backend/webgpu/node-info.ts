/// <reference types="@webgpu/types" />
// What `nabla doctor` reports about WebGPU in this Node process: the adapters Dawn finds (the
// preferred one and the software fallback), or why there are none.
import { nodeGpu, nodeNoAdapterHint } from './node-gpu.js';
import { type AdapterReport, describeAdapter } from './runtime.js';

export interface WebGpuInfo {
  available: boolean;
  /** Adapters found: the high-performance one, then a fallback adapter if it differs. */
  adapters: AdapterReport[];
  /** Why no adapter was found (and what to do), when none was. */
  reason?: string;
}

export async function webgpuInfo(): Promise<WebGpuInfo> {
  let gpu: GPU;
  try {
    gpu = await nodeGpu();
  } catch (e) {
    return { available: false, adapters: [], reason: (e as Error).message };
  }
  const adapters: AdapterReport[] = [];
  const seen = new Set<string>();
  for (const opts of [{ powerPreference: 'high-performance' }, { forceFallbackAdapter: true }] as GPURequestAdapterOptions[]) {
    const a = await gpu.requestAdapter(opts).catch(() => null);
    if (!a) continue;
    const r = describeAdapter(a);
    const key = `${r.vendor}|${r.architecture}|${r.device}|${r.description}`;
    if (seen.has(key)) continue;
    seen.add(key);
    adapters.push(r);
  }
  if (adapters.length === 0) return { available: false, adapters, reason: `no adapter; ${nodeNoAdapterHint()}` };
  return { available: true, adapters };
}

/** The limits worth a line in `nabla doctor`'s text output. */
export const SHOWN_LIMITS = [
  'maxBufferSize',
  'maxStorageBufferBindingSize',
  'maxComputeWorkgroupStorageSize',
  'maxComputeInvocationsPerWorkgroup',
];
