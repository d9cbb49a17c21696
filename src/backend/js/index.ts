import type { Backend } from '../backend.js';
import { binary, clamp, copy, unary, where } from './elementwise.js';
import { gather, scatterAdd } from './indexing.js';
import { matmul } from './matmul.js';
import { argReduce, reduce } from './reduce.js';

/** The TypeScript reference backend: plain loops over TypedArrays, runs anywhere. */
export const jsBackend: Backend = {
  name: 'js',
  copy,
  unary,
  clamp,
  binary,
  where,
  reduce,
  argReduce,
  matmul,
  gather,
  scatterAdd,
};
