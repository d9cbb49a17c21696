/// <reference types="@webgpu/types" />
// Node's WebGPU: Google's Dawn through the npm package `webgpu` (an optional dependency that ships
// prebuilt binaries). Dawn uses Vulkan on Linux; without a GPU, SwiftShader's Vulkan driver
// (Debian's chromium package ships it) gives a software adapter.
import { existsSync } from 'node:fs';
import { initWebGpu as initWith, type WebGpuDevice } from './device.js';
import { type RequestDeviceOptions, WebGpuUnavailableError } from './runtime.js';

/** Where Debian's chromium package puts SwiftShader's Vulkan driver manifest. */
export const SWIFTSHADER_ICD = '/usr/lib/chromium/vk_swiftshader_icd.json';

let cached: Promise<GPU> | null = null;

/** What to tell a user whose Node process found no adapter. */
export function nodeNoAdapterHint(): string {
  const libvulkan = [
    '/usr/lib/x86_64-linux-gnu/libvulkan.so.1',
    '/usr/lib/aarch64-linux-gnu/libvulkan.so.1',
    '/usr/lib/libvulkan.so.1',
  ].some((p) => existsSync(p));
  const parts: string[] = [];
  if (process.platform === 'linux' && !libvulkan)
    parts.push('the Vulkan loader libvulkan.so.1 is missing (Debian/Ubuntu: apt-get install libvulkan1)');
  if (process.env.VK_ICD_FILENAMES) parts.push(`VK_ICD_FILENAMES=${process.env.VK_ICD_FILENAMES} named the only driver Vulkan could use`);
  else if (existsSync(SWIFTSHADER_ICD))
    parts.push(`without a GPU, set VK_ICD_FILENAMES=${SWIFTSHADER_ICD} for SwiftShader's CPU adapter (correct, slow)`);
  else parts.push("install your GPU vendor's Vulkan driver (or, for a CPU adapter, Debian's chromium package ships SwiftShader)");
  return parts.join('; ');
}

/**
 * The `GPU` object of Dawn's Node binding (loaded once). Throws naming the package when it is not
 * installed. Dawn's globals (GPUBufferUsage, GPUMapMode, …) are installed on globalThis when the
 * environment lacks them, as WebGPU code expects them there.
 */
export function nodeGpu(): Promise<GPU> {
  cached ??= (async () => {
    let mod: { create(options: string[]): GPU; globals: object };
    try {
      mod = (await import('webgpu')) as unknown as typeof mod;
    } catch (e) {
      throw new WebGpuUnavailableError(
        `webgpu: the npm package 'webgpu' (Dawn for Node) could not be loaded: ${(e as Error).message}; install it with npm install webgpu`,
      );
    }
    for (const [k, v] of Object.entries(mod.globals)) if (!(k in globalThis)) (globalThis as Record<string, unknown>)[k] = v;
    return mod.create([]);
  })();
  cached.catch(() => {
    cached = null;
  });
  return cached;
}

/**
 * Acquires a GPU through Dawn and registers it as nabla's 'webgpu' device (`x.to('webgpu')`).
 * Throws a `WebGpuUnavailableError` saying why when Dawn finds no adapter (no Vulkan loader, no
 * driver: see {@link nodeNoAdapterHint}).
 */
export async function initWebGpu(options: RequestDeviceOptions = {}): Promise<WebGpuDevice> {
  return initWith(await nodeGpu(), options, nodeNoAdapterHint());
}
