/**
 * Kernels that do the work of two Backend kernels in one call, sharing what the two would
 * each repeat: the native backend's convolution backward reorders the output gradient into
 * oneDNN's layout once for both gradients. Optional and registered per backend name (as
 * autocast's bf16 kernels are); an op uses one when the backend serving its device has it and it
 * accepts the call, and otherwise runs the two kernels.
 */
import type { TypedArray } from '../tensor/dtype.js';
import type { Conv2dParams } from './backend.js';
import type { Device } from './device.js';

export interface FusedKernels {
  /**
   * conv2dBackwardData and conv2dBackwardWeights (with a weight gradient) in one call, the same
   * results as the two; returns false without writing anything when it declines the call.
   */
  conv2dBackward?(
    x: TypedArray,
    gradOut: TypedArray,
    weight: TypedArray,
    gradInput: TypedArray,
    gradWeight: TypedArray,
    gradBias: TypedArray | null,
    p: Conv2dParams,
  ): boolean;
}

const registered = new Map<string, FusedKernels>();

/** @internal Registers (or with null removes) the fused kernels of the backend named `backendName`. */
export function registerFusedKernels(backendName: string, kernels: FusedKernels | null): void {
  if (kernels === null) registered.delete(backendName);
  else registered.set(backendName, kernels);
}

/** @internal The fused kernels of the backend serving `dev`, or null. */
export function fusedKernels(dev: Device): FusedKernels | null {
  return registered.get(dev.kernels.name) ?? null;
}
