/// <reference types="@webgpu/types" />
// Acquiring a WebGPU adapter and device, in a browser (navigator.gpu) or from any `GPU` object
// (Node gets one from Dawn in ./node-gpu.ts). Browser-safe: no node: imports here.

/** Why no WebGPU device could be had, with what the user can do about it. */
export class WebGpuUnavailableError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'WebGpuUnavailableError';
  }
}

/** What `nabla doctor` and error messages say about an adapter. */
export interface AdapterReport {
  vendor: string;
  architecture: string;
  device: string;
  description: string;
  /** A software (CPU) adapter such as SwiftShader: correct, never fast. */
  isFallbackAdapter: boolean;
  features: string[];
  limits: Record<string, number>;
}

/** Describes an adapter: vendor, architecture, fallback or not, features and limits. */
export function describeAdapter(adapter: GPUAdapter): AdapterReport {
  const info = adapter.info as GPUAdapterInfo & { isFallbackAdapter?: boolean };
  const limits: Record<string, number> = {};
  // GPUSupportedLimits' members are prototype getters: walk the prototype, not own keys.
  for (let proto = adapter.limits as object; proto && proto !== Object.prototype; proto = Object.getPrototypeOf(proto)) {
    for (const key of Object.getOwnPropertyNames(proto)) {
      const v = (adapter.limits as unknown as Record<string, unknown>)[key];
      if (typeof v === 'number' && !(key in limits)) limits[key] = v;
    }
  }
  const legacyFallback = (adapter as GPUAdapter & { isFallbackAdapter?: boolean }).isFallbackAdapter;
  return {
    vendor: info?.vendor ?? '',
    architecture: info?.architecture ?? '',
    device: info?.device ?? '',
    description: info?.description ?? '',
    isFallbackAdapter: Boolean(info?.isFallbackAdapter ?? legacyFallback ?? false),
    features: [...adapter.features].map(String).sort(),
    limits,
  };
}

/** Options for {@link requestDevice}. */
export interface RequestDeviceOptions {
  /** 'high-performance' (default) or 'low-power', passed to requestAdapter. */
  powerPreference?: GPUPowerPreference;
  /** Accept a software adapter such as SwiftShader (default true: tests and CI rely on it). */
  allowFallback?: boolean;
}

/** A device with the adapter it came from. */
export interface AcquiredDevice {
  adapter: GPUAdapter;
  device: GPUDevice;
  report: AdapterReport;
}

/** The limits nabla raises from WebGPU's defaults to the adapter's maxima (bigger tensors, more bindings). */
const RAISED_LIMITS = [
  'maxStorageBufferBindingSize',
  'maxBufferSize',
  'maxComputeWorkgroupStorageSize',
  'maxStorageBuffersPerShaderStage',
  'maxComputeInvocationsPerWorkgroup',
  'maxComputeWorkgroupSizeX',
  'maxComputeWorkgroupSizeY',
] as const;

/**
 * Gets an adapter and a device from `gpu` (default `navigator.gpu`). Throws
 * {@link WebGpuUnavailableError} saying why when there is none: no WebGPU in this environment,
 * no adapter (no driver, or a blocklisted/fallback adapter refused), or device creation failing.
 * `noAdapterHint` is appended to the no-adapter message (Node names the Vulkan driver to install).
 */
export async function requestDevice(gpu?: GPU, options: RequestDeviceOptions = {}, noAdapterHint = ''): Promise<AcquiredDevice> {
  const g = gpu ?? (globalThis as { navigator?: { gpu?: GPU } }).navigator?.gpu;
  if (!g) {
    throw new WebGpuUnavailableError(
      "webgpu: this environment has no WebGPU (navigator.gpu is undefined): use a browser with WebGPU enabled (Chrome/Edge 113+, or Chromium with --enable-unsafe-webgpu), or in Node the 'webgpu' npm package",
    );
  }
  const allowFallback = options.allowFallback ?? true;
  let adapter = await g.requestAdapter({ powerPreference: options.powerPreference ?? 'high-performance' });
  if (!adapter && allowFallback) adapter = await g.requestAdapter({ forceFallbackAdapter: true });
  if (!adapter) {
    throw new WebGpuUnavailableError(
      `webgpu: no adapter: the WebGPU implementation found no usable GPU driver (or blocklisted the only one)${
        allowFallback ? '' : ' and software adapters were refused (allowFallback: false)'
      }${noAdapterHint ? `; ${noAdapterHint}` : ''}`,
    );
  }
  const report = describeAdapter(adapter);
  if (report.isFallbackAdapter && !allowFallback) {
    throw new WebGpuUnavailableError(
      `webgpu: the only adapter is a software fallback (${report.vendor || 'unknown vendor'} ${report.architecture}) and allowFallback is false`,
    );
  }
  const requiredLimits: Record<string, number> = {};
  for (const key of RAISED_LIMITS) {
    const v = report.limits[key];
    if (typeof v === 'number') requiredLimits[key] = v;
  }
  let device: GPUDevice;
  try {
    device = await adapter.requestDevice({ requiredLimits });
  } catch (e) {
    throw new WebGpuUnavailableError(
      `webgpu: the adapter (${report.vendor} ${report.architecture}) refused to create a device: ${(e as Error).message}`,
    );
  }
  return { adapter, device, report };
}
