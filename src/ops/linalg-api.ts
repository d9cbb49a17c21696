/** `torch.linalg`'s functions that nabla has, exported as `linalg`: `linalg.vectorNorm(x, 2, 1)`. */
export { type VectorNormArgs, type VectorNormOptions, vectorNorm } from './norm.js';
