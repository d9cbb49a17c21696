/**
 * The table of backward rules, keyed by PyTorch's grad_fn name (as PyTorch's derivatives.yaml is
 * keyed by op): one file per op family. An op records its output with `record(out, name, inputs,
 * ctx)` (autograd/record.ts), where `ctx` is typed by the rule of that name; the engine looks the
 * rule up here when it runs backward. Rules are written with ops, so higher-order gradients work.
 *
 * This table sits at the top of the op tree: it imports the forward ops, and no forward op
 * imports it (they see only its types), so forward ops never import each other for a gradient.
 */
import { activationRules } from './activation.js';
import { batchNormRules } from './batchnorm.js';
import { binaryRules } from './binary.js';
import { convRules } from './conv.js';
import { convertRules } from './convert.js';
import { indexingRules } from './indexing.js';
import { inplaceRules } from './inplace.js';
import { joinRules } from './join.js';
import { linalgRules } from './linalg.js';
import { lossRules } from './loss.js';
import { normRules } from './norm.js';
import { poolRules } from './pool.js';
import { reduceRules } from './reduce.js';
import { softmaxRules } from './softmax.js';
import { unaryRules } from './unary.js';
import { viewRules } from './views.js';

/** Each family's rules (a test checks that no two families use the same name). */
export const families = {
  activation: activationRules,
  batchNorm: batchNormRules,
  binary: binaryRules,
  conv: convRules,
  convert: convertRules,
  indexing: indexingRules,
  inplace: inplaceRules,
  join: joinRules,
  linalg: linalgRules,
  loss: lossRules,
  norm: normRules,
  pool: poolRules,
  reduce: reduceRules,
  softmax: softmaxRules,
  unary: unaryRules,
  views: viewRules,
};

export const derivatives = {
  ...activationRules,
  ...batchNormRules,
  ...binaryRules,
  ...convRules,
  ...convertRules,
  ...indexingRules,
  ...inplaceRules,
  ...joinRules,
  ...linalgRules,
  ...lossRules,
  ...normRules,
  ...poolRules,
  ...reduceRules,
  ...softmaxRules,
  ...unaryRules,
  ...viewRules,
};

export type Derivatives = typeof derivatives;
/** The name of a rule in the table (PyTorch's grad_fn name). */
export type RuleName = keyof Derivatives;
/** What the rule `K` reads: the context an op passes to `record` with that name. */
export type RuleContext<K extends RuleName> = Parameters<Derivatives[K]>[1];
