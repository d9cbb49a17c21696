// Shared set-up of the WebGPU kernel tests: one device per test file, from Dawn (npm `webgpu`)
// in Node. Without a GPU, SwiftShader's Vulkan driver (Debian's chromium package) gives a
// software adapter. Tests skip, saying why, only when no adapter can be had, and fail instead
// when NABLA_REQUIRE_WEBGPU=1 (CI installs what the adapter needs).
import { existsSync } from 'node:fs';
import { WebGpuContext } from '../../../src/backend/webgpu/context.js';
import { nodeGpu, nodeNoAdapterHint, SWIFTSHADER_ICD } from '../../../src/backend/webgpu/node-gpu.js';
import { requestDevice } from '../../../src/backend/webgpu/runtime.js';

export interface GpuSetup {
  ctx: WebGpuContext | null;
  /** Why there is no context (when ctx is null). */
  reason: string;
}

export async function openGpu(): Promise<GpuSetup> {
  if (!process.env.VK_ICD_FILENAMES && existsSync(SWIFTSHADER_ICD)) process.env.VK_ICD_FILENAMES = SWIFTSHADER_ICD;
  try {
    const gpu = await nodeGpu();
    const { device, report } = await requestDevice(gpu, {}, nodeNoAdapterHint());
    return { ctx: new WebGpuContext(device, report), reason: '' };
  } catch (e) {
    const reason = (e as Error).message;
    if (process.env.NABLA_REQUIRE_WEBGPU === '1') throw new Error(`NABLA_REQUIRE_WEBGPU=1 but no WebGPU device: ${reason}`);
    return { ctx: null, reason };
  }
}
