/**
 * Optimizers and learning-rate schedulers (`torch.optim`, `torch.optim.lr_scheduler`), one
 * optimizer per file. Their updates follow PyTorch 1.13's single-tensor implementations operation
 * for operation; see test/optim for the measured agreement.
 */

export { Adadelta, type AdadeltaDefaults, type AdadeltaOptions, type AdadeltaState } from './adadelta.js';
export { Adagrad, type AdagradDefaults, type AdagradOptions, type AdagradState } from './adagrad.js';
export { Adam, type AdamDefaults, type AdamOptions, type AdamState } from './adam.js';
export { AdamW, type AdamWDefaults, type AdamWOptions, type AdamWState } from './adamw.js';
export { HeavyBall, type HeavyBallDefaults, type HeavyBallOptions, type HeavyBallState } from './heavy-ball.js';
export {
  CosineAnnealingLR,
  type CosineAnnealingLROptions,
  ExponentialLR,
  LambdaLR,
  LinearLR,
  type LinearLROptions,
  LRScheduler,
  MultiStepLR,
  OneCycleLR,
  type OneCycleLROptions,
  type SchedulerOptions,
  type SchedulerStateDict,
  StepLR,
  type StepLROptions,
} from './lr-scheduler.js';
export {
  type Closure,
  Optimizer,
  type OptimizerStateDict,
  type ParamGroup,
  type ParamGroupInput,
  type ParamState,
  type Params,
  type StateValue,
} from './optimizer.js';
export { RMSprop, type RMSpropDefaults, type RMSpropOptions, type RMSpropState } from './rmsprop.js';
export { SGD, type SGDDefaults, type SGDOptions, type SGDState } from './sgd.js';
