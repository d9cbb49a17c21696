/**
 * The package's functions that are not tensor ops (devices, backends, grad mode, seeding,
 * printing), with the ops' argument checks: a surplus argument is an error naming the function
 * (`manualSeed(0, 1)`), and so is an unknown option (`setPrintOptions({ precison: 2 })`).
 * PyTorch's keyword names become a last options object where PyTorch has them
 * (`gradcheck(fn, inputs, { eps })`, `backward(tensors, { gradTensors })`).
 */
import * as Bw from './autograd/backward.js';
import * as E from './autograd/engine.js';
import * as GM from './autograd/grad-mode.js';
import * as GC from './autograd/gradcheck.js';
import * as Rg from './backend/registry.js';
import * as W from './backend/wasm/index.js';
import * as WG from './backend/webgpu/device.js';
import type { RequestDeviceOptions } from './backend/webgpu/runtime.js';
import * as A from './ops/adjoint.js';
import * as G from './random/generator.js';
import * as D from './tensor/dtype.js';
import * as Fmt from './tensor/format.js';
import { counted, keywords } from './tensor/keywords.js';

export const backward = keywords('backward', Bw.backward, ['tensors', 'gradTensors?'], {
  options: ['retainGraph', 'createGraph', 'inputs'],
});
export const grad = keywords('grad', E.grad, ['outputs', 'inputs'], {
  options: ['gradOutputs', 'retainGraph', 'createGraph', 'allowUnused'],
});
export const gradcheck = keywords('gradcheck', GC.gradcheck, ['func', 'inputs'], { options: ['eps', 'atol', 'rtol', 'raiseException'] });
export const noGrad = counted('noGrad', GM.noGrad, ['fn']);
export const enableGrad = counted('enableGrad', GM.enableGrad, ['fn']);
export const isGradEnabled = counted('isGradEnabled', GM.isGradEnabled, []);
export const setGradEnabled = keywords('setGradEnabled', GM.setGradEnabled, ['mode']);

export const backend = counted('backend', Rg.backend, []);
export const referenceBackend = counted('referenceBackend', Rg.referenceBackend, []);
export const setBackend = counted('setBackend', Rg.setBackend, ['backend']);
export const defineBackend = counted('defineBackend', Rg.defineBackend, ['name', 'kernels', 'memory?']);
export const registerDevice = counted('registerDevice', Rg.registerDevice, ['name', 'memory', 'definition']);
/** Without `getDevice`'s internal second parameter (the calling function's name for errors). */
const getDevice1: (device: Rg.DeviceLike) => Rg.Device = Rg.getDevice;
export const getDevice = counted('getDevice', getDevice1, ['device']);
export const listDevices = counted('listDevices', Rg.listDevices, []);
export const getDefaultDevice = counted('getDefaultDevice', Rg.getDefaultDevice, []);
export const setDefaultDevice = counted('setDefaultDevice', Rg.setDefaultDevice, ['device']);
export const fallbacks = counted('fallbacks', Rg.fallbacks, []);
export const resetFallbacks = counted('resetFallbacks', Rg.resetFallbacks, []);
export const onFallback = counted('onFallback', Rg.onFallback, ['listener']);
export const initWasmBackend = counted('initWasmBackend', W.initWasmBackend, ['options?']);
export const wasmInfo = counted('wasmInfo', W.wasmInfo, []);
export const useWebGpu = counted('useWebGpu', WG.useWebGpu, ['context']);
/** Without the browser `initWebGpu`'s internal third parameter (the hint when there is no adapter). */
const initWebGpu2: (gpu?: GPU, options?: RequestDeviceOptions) => Promise<WG.WebGpuDevice> = WG.initWebGpu;
export const initWebGpu = counted('initWebGpu', initWebGpu2, ['gpu?', 'options?']);

export const manualSeed = keywords('manualSeed', G.manualSeed, ['seed']);
export const promoteTypes = keywords('promoteTypes', D.promoteTypes, ['type1', 'type2']);
/** `torch.result_type(tensor1, tensor2)`: the dtype an op on the two gives (each a tensor or a number). */
const resultType2: (tensor1: D.PromotionOperand, tensor2: D.PromotionOperand) => D.DType = D.resultType;
export const resultType = keywords('resultType', resultType2, ['tensor1', 'tensor2']);
export const formatTensor = counted('formatTensor', Fmt.formatTensor, ['tensor']);
export const getPrintOptions = counted('getPrintOptions', Fmt.getPrintOptions, []);
export const setPrintOptions = keywords('setPrintOptions', Fmt.setPrintOptions, [], {
  options: ['precision', 'threshold', 'edgeitems', 'linewidth', 'sciMode', 'profile'],
});
export const sumTo = keywords('sumTo', A.sumTo, ['input', 'shape']);
