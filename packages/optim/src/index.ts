/**
 * @unroll/optim — optimizers, gradient clipping and learning-rate schedules that
 * compute what torch.optim computes. Read in this order:
 *   validate.ts   hyperparameter checks and their messages
 *   optimizer.ts  parameter groups, the step loop, zeroGrad, state dicts
 *   sgd.ts        gradient descent, momentum (the heavy ball), Nesterov, weight decay
 *   adagrad.ts    per-entry steps from the sum of squared gradients
 *   rmsprop.ts    ... from their moving average; centered; momentum
 *   adam.ts       Adam and AdamW: both moments, bias correction, AMSGrad, decoupled decay
 *   clip.ts       clipGradNorm and clipGradValue: taming exploding gradients
 *   scheduler.ts  StepLR, ExponentialLR, CosineAnnealingLR, LinearLR
 *   plateau.ts    ReduceLROnPlateau
 */

import type { Adagrad } from './adagrad.ts';
import type { Adam, AdamW } from './adam.ts';
import type { RMSprop } from './rmsprop.ts';
import type { SGD } from './sgd.ts';

export { ADAGRAD_DEFAULTS, Adagrad, type AdagradOptions, type AdagradState } from './adagrad.ts';
export {
  ADAM_DEFAULTS,
  ADAMW_DEFAULTS,
  Adam,
  type AdamOptions,
  type AdamState,
  AdamW,
} from './adam.ts';
export { type ClipGradNormOptions, clipGradNorm, clipGradValue } from './clip.ts';
export {
  type BaseOptions,
  type HasParamGroups,
  Optimizer,
  type OptimizerStateDict,
  type OptimizerStateDictInput,
  type ParamGroup,
  type ParamGroupSpec,
  type ParamState,
} from './optimizer.ts';
export {
  ReduceLROnPlateau,
  type ReduceLROnPlateauOptions,
  type ReduceLROnPlateauStateDict,
} from './plateau.ts';
export { RMSPROP_DEFAULTS, RMSprop, type RMSpropOptions, type RMSpropState } from './rmsprop.ts';
export {
  CosineAnnealingLR,
  type CosineAnnealingLROptions,
  ExponentialLR,
  type ExponentialLROptions,
  LinearLR,
  type LinearLROptions,
  LRScheduler,
  type SchedulerStateDict,
  StepLR,
  type StepLROptions,
} from './scheduler.ts';
export { SGD, SGD_DEFAULTS, type SGDOptions, type SGDState } from './sgd.ts';

/** Any of the five optimizers, for code that picks one at run time. */
export type AnyOptimizer = SGD | Adagrad | RMSprop | Adam | AdamW;
