/**
 * The package's functions that are not tensor ops (devices, backends, grad mode, seeding,
 * printing), with the ops' argument checks: a surplus argument is an error naming the function
 * (`manualSeed(0, 1)`), and so is an unknown option (`setPrintOptions({ precison: 2 })`).
 * PyTorch's keyword names become a last options object where PyTorch has them
 * (`gradcheck(fn, inputs, { eps })`, `backward(tensors, { gradTensors })`).
 */
import * as Ac from './autocast/autocast.js';
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

/**
 * Computes gradients of `tensors` (seeded with `grads`, or 1 for scalars) with respect to the
 * graph leaves, accumulating them into `.grad` (like `torch.autograd.backward`).
 */
export const backward = keywords('backward', Bw.backward, ['tensors', 'gradTensors?'], {
  options: ['retainGraph', 'createGraph', 'inputs'],
});
/**
 * The gradients of `outputs` with respect to `inputs`, returned rather than accumulated into
 * `.grad` (no `.grad` anywhere changes), like `torch.autograd.grad`. With `createGraph` the
 * results are differentiable, e.g. for a gradient penalty.
 * @example const [dx] = autograd.grad(y, [x], { createGraph: true });
 */
export const grad = keywords('grad', E.grad, ['outputs', 'inputs'], {
  options: ['gradOutputs', 'retainGraph', 'createGraph', 'allowUnused'],
});
/**
 * Compares the gradients autograd computes for `fn` at `inputs` with central differences, entry by
 * entry of the Jacobian, in float64. Checks every input that requires grad.
 * @example gradcheck((a, b) => a.mul(b).sum(), [x, y])
 */
export const gradcheck = keywords('gradcheck', GC.gradcheck, ['func', 'inputs'], { options: ['eps', 'atol', 'rtol', 'raiseException'] });
/** Runs `fn` without recording gradients (like `with torch.no_grad():`). */
export const noGrad = counted('noGrad', GM.noGrad, ['fn']);
/** Runs `fn` with gradient recording on, even inside `noGrad` (like `torch.enable_grad()`). */
export const enableGrad = counted('enableGrad', GM.enableGrad, ['fn']);
/** Whether operations record the autograd graph now. */
export const isGradEnabled = counted('isGradEnabled', GM.isGradEnabled, []);
/** Whether autocast is on for `deviceType` now (torch.is_autocast_cpu_enabled); only 'cpu' has autocast. */
export const isAutocastEnabled = keywords('isAutocastEnabled', Ac.isAutocastEnabled, ['deviceType?']);
/** Turns graph recording on or off globally; returns the previous setting. */
export const setGradEnabled = keywords('setGradEnabled', GM.setGradEnabled, ['mode']);

/** The kernels of the 'cpu' device now: the active backend's dispatch table, with fallbacks to the reference kernels. */
export const backend = counted('backend', Rg.backend, []);
/** The TypeScript reference backend, the one every fallback runs on. */
export const referenceBackend = counted('referenceBackend', Rg.referenceBackend, []);
/**
 * Installs the backend that serves the 'cpu' device and returns the previous one. A
 * {@link BackendDefinition} (from `defineBackend`) may register any subset of the kernels, the
 * rest falling back to the TypeScript reference on the same arrays; a complete `Backend` object
 * is used as is. A definition with `memory` (host memory only) also becomes the 'cpu' device's
 * allocator for tensors created from then on; tensors made earlier keep their arrays, so its
 * kernels must accept (or decline through a predicate) any TypedArray.
 */
export const setBackend = counted('setBackend', Rg.setBackend, ['backend']);
export const defineBackend = counted('defineBackend', Rg.defineBackend, ['name', 'kernels', 'memory?']);
/**
 * Registers a device (PyTorch-shaped: tensors move there with `x.to(name)`, factories take
 * `{ device: name }`) with its memory and the kernels it has. Kernels it does not register, or
 * whose predicate declines a call, run the TypeScript reference: on host memory on the same
 * arrays, otherwise on host copies through counted transfers where `memory.readSync` exists,
 * and else the call throws naming the kernel and the device. Registering a name again replaces
 * the device for tensors created from then on. Returns the device.
 */
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
/**
 * Compiles the kernels asynchronously (required on a browser's main thread) and switches to them;
 * in a browser, also starts the Web Workers that share the kernels' work. Bad options throw at
 * once, before anything starts.
 */
export const initWasmBackend = counted('initWasmBackend', W.initWasmBackend, ['options?']);
export const wasmInfo = counted('wasmInfo', W.wasmInfo, []);
/**
 * Registers `ctx` as nabla's 'webgpu' device (replacing an earlier one for tensors created from
 * then on): tensors and modules move there with `.to('webgpu')`, and its ops run the WGSL kernels.
 * float64 is refused there (WebGPU has no float64), and values are read with the async readers
 * (`await x.dataAsync()`).
 */
export const useWebGpu = counted('useWebGpu', WG.useWebGpu, ['context']);
/** Without the browser `initWebGpu`'s internal third parameter (the hint when there is no adapter). */
const initWebGpu2: (gpu?: GPU, options?: RequestDeviceOptions) => Promise<WG.WebGpuDevice> = WG.initWebGpu;
export const initWebGpu = counted('initWebGpu', initWebGpu2, ['gpu?', 'options?']);

/** `torch.manual_seed`: seeds {@link defaultGenerator} and returns it. */
export const manualSeed = keywords('manualSeed', G.manualSeed, ['seed']);
/** The result dtype of combining two tensors of these dtypes (both dimensioned). */
export const promoteTypes = keywords('promoteTypes', D.promoteTypes, ['type1', 'type2']);
/** `torch.result_type(tensor1, tensor2)`: the dtype an op on the two gives (each a tensor or a number). */
const resultType2: (tensor1: D.PromotionOperand, tensor2: D.PromotionOperand) => D.DType = D.resultType;
export const resultType = keywords('resultType', resultType2, ['tensor1', 'tensor2']);
/**
 * The PyTorch-style representation of a tensor, e.g. `tensor([1.0000, 2.5000])`,
 * `tensor([[1, 2]], dtype=torch.float64)` or `tensor(3., grad_fn=<SumBackward0>)`.
 * Uses the options set by {@link setPrintOptions}. `String(t)` and `util.inspect` on a tensor
 * should return this.
 */
export const formatTensor = counted('formatTensor', Fmt.formatTensor, ['tensor']);
/** A copy of the current printing options. */
export const getPrintOptions = counted('getPrintOptions', Fmt.getPrintOptions, []);
/**
 * Sets printing options globally, like `torch.set_printoptions`. A `profile` is applied first,
 * then the explicit fields. As in PyTorch, `sciMode` is always assigned, so a call that omits it
 * resets it to automatic (`null`).
 */
export const setPrintOptions = keywords('setPrintOptions', Fmt.setPrintOptions, [], {
  options: ['precision', 'threshold', 'edgeitems', 'linewidth', 'sciMode', 'profile'],
});
/** Sums `g` down to `shape`: the adjoint of broadcasting. */
export const sumTo = keywords('sumTo', A.sumTo, ['input', 'shape']);
