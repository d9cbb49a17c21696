import type { Backend } from './backend.js';
import { addDevice, cpuDevice, type Device, type DeviceMemory, hostMemory } from './device.js';
import { jsBackend } from './js/index.js';
import { type BackendDefinition, resolveBackend } from './kernels.js';

export type { Device, DeviceLike, DeviceMemory } from './device.js';
export { getDefaultDevice, getDevice, hostMemory, listDevices, removeDevice, setDefaultDevice } from './device.js';
export type {
  BackendDefinition,
  FallbackListener,
  FallbackReason,
  FallbackRecord,
  KernelEntry,
  KernelName,
  KernelRegistrations,
} from './kernels.js';
export { defineBackend, fallbacks, onFallback, resetFallbacks } from './kernels.js';

/** The kernels of the 'cpu' device now: the active backend's dispatch table, with fallbacks to the reference kernels. */
export function backend(): Backend {
  return cpuDevice.kernels;
}

/** The TypeScript reference backend, the one every fallback runs on. */
export function referenceBackend(): Backend {
  return jsBackend;
}

/**
 * Installs the backend that serves the 'cpu' device and returns the previous one. A
 * {@link BackendDefinition} (from `defineBackend`) may register any subset of the kernels, the
 * rest falling back to the TypeScript reference on the same arrays; a complete `Backend` object
 * is used as is. A definition with `memory` (host memory only) also becomes the 'cpu' device's
 * allocator for tensors created from then on; tensors made earlier keep their arrays, so its
 * kernels must accept (or decline through a predicate) any TypedArray.
 */
export function setBackend(b: Backend | BackendDefinition): Backend {
  const prev = cpuDevice.kernels;
  if ('kernels' in b) {
    if (b.memory !== undefined && !b.memory.hostMemory) {
      throw new Error(`setBackend: backend '${b.name}' keeps its buffers outside host memory; register it as a device with registerDevice`);
    }
    cpuDevice.kernels = resolveBackend(b, jsBackend, 'cpu', b.memory ?? hostMemory);
    cpuDevice.memory = b.memory ?? hostMemory;
  } else {
    cpuDevice.kernels = b;
    cpuDevice.memory = hostMemory;
  }
  return prev;
}

/**
 * Registers a device (PyTorch-shaped: tensors move there with `x.to(name)`, factories take
 * `{ device: name }`) with its memory and the kernels it has. Kernels it does not register, or
 * whose predicate declines a call, run the TypeScript reference: on host memory on the same
 * arrays, otherwise on host copies through counted transfers where `memory.readSync` exists,
 * and else the call throws naming the kernel and the device. Registering a name again replaces
 * the device for tensors created from then on. Returns the device.
 */
export function registerDevice<B>(name: string, memory: DeviceMemory<B>, def: BackendDefinition<B>): Device<B> {
  const device: Device<B> = { type: name, memory, kernels: resolveBackend(def, jsBackend, name, memory) };
  addDevice(device as unknown as Device);
  return device;
}
