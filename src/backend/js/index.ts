import type { Backend } from '../backend.js';
import { batchNorm, batchNormBackward } from './batchnorm.js';
import { conv2d, conv2dBackwardData, conv2dBackwardWeights } from './conv.js';
import { binary, clamp, copy, fill, unary, where } from './elementwise.js';
import { gather, scatterAdd } from './indexing.js';
import { matmul } from './matmul.js';
import { adadeltaStep, adamStep, sgdStep } from './optim.js';
import { adaptiveAvgPool2d, adaptiveAvgPool2dBackward, avgPool2d, avgPool2dBackward, maxPool2d, maxPool2dBackward } from './pool.js';
import { argReduce, reduce } from './reduce.js';

/** The TypeScript reference backend: plain loops over TypedArrays, runs anywhere. */
export const jsBackend: Backend = {
  name: 'js',
  copy,
  fill,
  unary,
  clamp,
  binary,
  where,
  reduce,
  argReduce,
  matmul,
  gather,
  scatterAdd,
  conv2d,
  conv2dBackwardData,
  conv2dBackwardWeights,
  maxPool2d,
  maxPool2dBackward,
  avgPool2d,
  avgPool2dBackward,
  adaptiveAvgPool2d,
  adaptiveAvgPool2dBackward,
  batchNorm,
  batchNormBackward,
  sgdStep,
  adamStep,
  adadeltaStep,
};
