import { allocate, type DType, type TypedArray } from '../../tensor/dtype.js';
import { type DeviceMemory, hostMemory } from '../device.js';
import type { BackendDefinition } from '../kernels.js';
import type { WasmRuntime } from './runtime.js';

/**
 * The 'cpu' device's allocator while the wasm backend serves it, on a shared memory: float32
 * storages of 64 KiB and up (`RESIDENT_MIN_BYTES`) live in the module's memory, where kernels use
 * them in place, while the resident budget lasts; everything else is an ordinary array. Reads,
 * writes and windows are the host memory's (a resident view's subarrays keep its block alive).
 */
export function residentMemory(rt: WasmRuntime): DeviceMemory<TypedArray> {
  const alloc = (dtype: DType, length: number): TypedArray =>
    (dtype === 'float32' ? rt.heap.resident(length) : null) ?? allocate(dtype, length);
  return {
    ...hostMemory,
    alloc,
    upload: (data, dtype) => {
      const out = alloc(dtype, data.length);
      out.set(data);
      return out;
    },
  };
}

/**
 * `def` with the resident allocator where the memory is shared; on a plain memory (a browser page
 * that is not cross-origin isolated) growth would detach long-lived views, so tensors stay
 * ordinary arrays there and every call copies.
 */
export function withResidentMemory(def: BackendDefinition, rt: WasmRuntime): BackendDefinition {
  return rt.heap.shared ? { ...def, memory: residentMemory(rt) } : def;
}
