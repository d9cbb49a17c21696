import type { Rule } from '../grad-fn.js';

/**
 * A family's table of backward rules: by PyTorch's grad_fn name, a formula from the output's
 * gradient and the op's context (the values it reads, typed per rule) to one gradient per input,
 * written with ops so that higher-order gradients work wherever the formula is differentiable.
 */
export type Rules = Readonly<Record<string, Rule<never>>>;
