/**
 * Automatic differentiation, like `torch.autograd`: `autograd.grad(outputs, inputs, opts)`
 * returns gradients without touching `.grad`; `autograd.backward(tensors, grads, opts)`
 * accumulates into `.grad`; `gradcheck` compares with central differences.
 */
export { backward, enableGrad, grad, gradcheck, isGradEnabled, noGrad, setGradEnabled } from '../functions.js';
export type { BackwardOptions } from './backward.js';
export type { GradOptions } from './engine.js';
export type { GradcheckOptions, GradcheckResult } from './gradcheck.js';
