import type { Bf16Kernels } from '../../autocast/bf16.js';
import { conv2dParamArray, type NativeAddon } from './addon.js';

/**
 * The addon's bf16 kernels for autocast, or null when the CPU has no bf16 instructions
 * (AVX512-BF16 or AMX): autocast then rounds around the float32 kernels instead (same values,
 * slower), rather than have oneDNN emulate bf16.
 */
export function nativeBf16Kernels(addon: NativeAddon): Bf16Kernels | null {
  const isa = addon.bf16Support();
  if (isa === '') return null;
  return {
    isa,
    matmul: (a, aStride, transA, b, bStride, transB, out, batch, m, k, n, roundOut) =>
      addon.gemmBf16(transA, transB, batch, m, n, k, a, aStride, b, bStride, out, roundOut),
    conv2d: (x, w, bias, out, p) => addon.conv2dForwardBf16(conv2dParamArray(p), x, w, bias, out),
    conv2dBackwardData: (g, w, gradInput, p) => addon.conv2dBackwardDataBf16(conv2dParamArray(p), g, w, gradInput),
    conv2dBackwardWeights: (x, g, gw, gb, p) => {
      if (gw === null) throw new Error('conv2dBackwardWeights (bf16): the native kernel needs the weight gradient');
      addon.conv2dBackwardWeightsBf16(conv2dParamArray(p), x, g, gw, gb);
    },
    conv2dBackward: (x, g, w, gradInput, gw, gb, p) => addon.conv2dBackwardBf16(conv2dParamArray(p), x, g, w, gradInput, gw, gb),
  };
}
