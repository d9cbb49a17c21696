/**
 * What the optim tests use of nabla, imported from the modules that define it rather than from
 * src/index.ts, so these tests don't depend on unrelated parts of the library (nn, data, io).
 */
import '../../src/tensor/methods.js';

export { isGradEnabled, noGrad } from '../../src/autograd/grad-mode.js';
export { tensor, zeros } from '../../src/ops/creation.js';
export { rand, randn } from '../../src/ops/random.js';
export * as optim from '../../src/optim/index.js';
export { manualSeed } from '../../src/random/generator.js';
export type { DType } from '../../src/tensor/dtype.js';
export { Tensor } from '../../src/tensor/tensor.js';
