// The parts of nabla the data and io tests use, imported module by module so these tests do not
// depend on unrelated parts of src/index.ts (exports.test.ts checks the public entry points).
import '../../src/tensor/methods.js';

export * as data from '../../src/data/index.js';
export * as io from '../../src/io/index.js';
export { arange, fromTypedArray, tensor, zeros } from '../../src/ops/creation.js';
export { rand, randn } from '../../src/ops/random.js';
export { defaultGenerator, Generator, manualSeed } from '../../src/random/generator.js';
export { Tensor } from '../../src/tensor/tensor.js';
