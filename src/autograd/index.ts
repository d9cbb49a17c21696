/**
 * Automatic differentiation, like `torch.autograd`: `autograd.grad(outputs, inputs, opts)`
 * returns gradients without touching `.grad`; `autograd.backward(tensors, grads, opts)`
 * accumulates into `.grad`; `gradcheck` compares with central differences.
 */
export { type BackwardOptions, backward } from './backward.js';
export { type GradOptions, grad } from './engine.js';
export { enableGrad, isGradEnabled, noGrad, setGradEnabled } from './grad-mode.js';
export { type GradcheckOptions, type GradcheckResult, gradcheck } from './gradcheck.js';
