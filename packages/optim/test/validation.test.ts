/**
 * Bad input: every check throws a RangeError (a number out of range, a list of the
 * wrong length) or a TypeError (a value of the wrong kind), and its message names
 * the owner, the option, the value received and what is allowed. Each message is
 * tested word for word.
 */

import { ShapeError, type Tensor, tensor } from '@unroll/tensor';
import { describe, expect, it } from 'vitest';
import {
  Adagrad,
  Adam,
  AdamW,
  CosineAnnealingLR,
  clipGradNorm,
  clipGradValue,
  ExponentialLR,
  LinearLR,
  ReduceLROnPlateau,
  RMSprop,
  SGD,
  StepLR,
} from '../src/index.ts';

const param = (values: number[] = [1, 2]) => tensor(values, { requiresGrad: true });

/** Calls `f` and checks the class and the exact message of what it throws. */
function expectError(
  f: () => unknown,
  kind: typeof RangeError | typeof TypeError,
  message: string,
) {
  let caught: unknown = null;
  try {
    f();
  } catch (error) {
    caught = error;
  }
  expect(caught, `expected "${message}"`).toBeInstanceOf(kind);
  expect((caught as Error).message).toBe(message);
}

type Case = [string, () => unknown, typeof RangeError | typeof TypeError, string];

const optimizerCases: Case[] = [
  [
    'negative lr',
    () => new SGD([param()], { lr: -0.1 }),
    RangeError,
    'SGD: lr must be a number in [0, ∞), got -0.1',
  ],
  [
    'NaN lr',
    () => new Adam([param()], { lr: Number.NaN }),
    RangeError,
    'Adam: lr must be a number in [0, ∞), got NaN',
  ],
  [
    'lr as a string',
    () => new Adagrad([param()], { lr: '0.1' as never }),
    TypeError,
    'Adagrad: lr must be a number in [0, ∞), got "0.1" (a string)',
  ],
  [
    'negative lr in RMSprop',
    () => new RMSprop([param()], { lr: -1 }),
    RangeError,
    'RMSprop: lr must be a number in [0, ∞), got -1',
  ],
  [
    'negative lr in AdamW',
    () => new AdamW([param()], { lr: -1e-3 }),
    RangeError,
    'AdamW: lr must be a number in [0, ∞), got -0.001',
  ],
  [
    'beta1 = 1',
    () => new Adam([param()], { betas: [1, 0.999] }),
    RangeError,
    'Adam: betas[0] must be a number in [0, 1), got 1',
  ],
  [
    'beta2 < 0',
    () => new AdamW([param()], { betas: [0.9, -0.1] }),
    RangeError,
    'AdamW: betas[1] must be a number in [0, 1), got -0.1',
  ],
  [
    'betas not a pair',
    () => new Adam([param()], { betas: [0.9] as never }),
    TypeError,
    'Adam: betas must be a pair [beta1, beta2] of numbers in [0, 1), got [0.9] (an array)',
  ],
  [
    'eps = 0 in Adam',
    () => new Adam([param()], { eps: 0 }),
    RangeError,
    'Adam: eps must be a number in (0, ∞), got 0',
  ],
  [
    'eps < 0 in Adagrad',
    () => new Adagrad([param()], { eps: -1e-10 }),
    RangeError,
    'Adagrad: eps must be a number in (0, ∞), got -1e-10',
  ],
  [
    'eps = 0 in RMSprop',
    () => new RMSprop([param()], { eps: 0 }),
    RangeError,
    'RMSprop: eps must be a number in (0, ∞), got 0',
  ],
  [
    'negative momentum in SGD',
    () => new SGD([param()], { momentum: -0.5 }),
    RangeError,
    'SGD: momentum must be a number in [0, ∞), got -0.5',
  ],
  [
    'negative momentum in RMSprop',
    () => new RMSprop([param()], { momentum: -0.9 }),
    RangeError,
    'RMSprop: momentum must be a number in [0, ∞), got -0.9',
  ],
  [
    'dampening > 1',
    () => new SGD([param()], { momentum: 0.9, dampening: 2 }),
    RangeError,
    'SGD: dampening must be a number in [0, 1], got 2',
  ],
  [
    'negative weight decay',
    () => new SGD([param()], { weightDecay: -1 }),
    RangeError,
    'SGD: weightDecay must be a number in [0, ∞), got -1',
  ],
  [
    'negative weight decay in AdamW',
    () => new AdamW([param()], { weightDecay: -0.01 }),
    RangeError,
    'AdamW: weightDecay must be a number in [0, ∞), got -0.01',
  ],
  [
    'alpha = 1',
    () => new RMSprop([param()], { alpha: 1 }),
    RangeError,
    'RMSprop: alpha must be a number in [0, 1), got 1',
  ],
  [
    'negative lrDecay',
    () => new Adagrad([param()], { lrDecay: -0.1 }),
    RangeError,
    'Adagrad: lrDecay must be a number in [0, ∞), got -0.1',
  ],
  [
    'negative initial accumulator',
    () => new Adagrad([param()], { initialAccumulatorValue: -1 }),
    RangeError,
    'Adagrad: initialAccumulatorValue must be a number in [0, ∞), got -1',
  ],
  [
    'nesterov without momentum',
    () => new SGD([param()], { nesterov: true }),
    RangeError,
    'SGD: nesterov needs momentum > 0 and dampening = 0, got momentum 0 and dampening 0',
  ],
  [
    'nesterov with dampening',
    () => new SGD([param()], { nesterov: true, momentum: 0.9, dampening: 0.1 }),
    RangeError,
    'SGD: nesterov needs momentum > 0 and dampening = 0, got momentum 0.9 and dampening 0.1',
  ],
  [
    'a boolean given as a number',
    () => new Adam([param()], { amsgrad: 1 as never }),
    TypeError,
    'Adam: amsgrad must be true or false, got 1 (a number)',
  ],
  [
    'centered as a string',
    () => new RMSprop([param()], { centered: 'yes' as never }),
    TypeError,
    'RMSprop: centered must be true or false, got "yes" (a string)',
  ],
  [
    'a PyTorch spelling',
    () => new Adam([param()], { weight_decay: 0.1 } as never),
    TypeError,
    "Adam: unknown option 'weight_decay' (did you mean 'weightDecay'?); the options are lr, betas, eps, weightDecay, amsgrad, maximize",
  ],
  [
    'an unknown option',
    () => new SGD([param()], { speed: 2 } as never),
    TypeError,
    "SGD: unknown option 'speed'; the options are lr, momentum, dampening, weightDecay, nesterov, maximize",
  ],
  [
    'options that are not an object',
    () => new SGD([param()], 0.1 as never),
    TypeError,
    'SGD: options must be an object such as { lr: 0.01 }, got 0.1',
  ],
  [
    'an empty parameter list',
    () => new Adam([]),
    RangeError,
    'Adam: params must hold at least one tensor, got an empty list',
  ],
  [
    'only empty groups',
    () => new Adam([{ params: [] }]),
    RangeError,
    'Adam: params must hold at least one tensor, got only empty groups',
  ],
  [
    'params that are not a list',
    () => new SGD(param() as never),
    TypeError,
    'SGD: params must be an array of Tensors or of parameter groups { params, ...options }, got a Tensor of shape [2]',
  ],
  [
    'a parameter that does not require grad',
    () => new SGD([param(), tensor([[1, 2]])]),
    TypeError,
    'SGD: params[1] (shape [1,2]) does not require grad, so it never gets one; create it with { requiresGrad: true } or leave it out',
  ],
  [
    'something that is not a tensor',
    () => new RMSprop([param(), [1, 2] as never]),
    TypeError,
    'RMSprop: params[1] must be a Tensor, got [1, 2] (an array)',
  ],
  [
    'a computed tensor',
    () => new SGD([param().mul(2)]),
    TypeError,
    "SGD: params[0] (shape [2]) was computed by 'mul', not created: only leaf tensors can be optimized",
  ],
  [
    'the same tensor twice',
    () => {
      const p = param();
      return new SGD([p, param(), p]);
    },
    RangeError,
    'SGD: params[2] is the same tensor as params[0]; a parameter may appear only once',
  ],
  [
    'the same tensor in two groups',
    () => {
      const p = param();
      return new SGD([{ params: [p] }, { params: [param(), p] }]);
    },
    RangeError,
    'SGD: param group 1 params[1] is the same tensor as param group 0 params[0]; a parameter may appear only once',
  ],
  [
    'a bad option in one group',
    () => new SGD([{ params: [param()] }, { params: [param()], lr: -1 }]),
    RangeError,
    'SGD param group 1: lr must be a number in [0, ∞), got -1',
  ],
  [
    'an unknown option in one group',
    () => new Adam([{ params: [param()], beta1: 0.5 } as never]),
    TypeError,
    "Adam param group 0: unknown option 'beta1'; the options are lr, betas, eps, weightDecay, amsgrad, maximize, initialLr",
  ],
];

describe('optimizer options and parameters', () => {
  it.each(optimizerCases)('%s', (_what, f, kind, message) => {
    expectError(f, kind, message);
  });

  it('checks options again at each step, after a change by hand, before touching anything', () => {
    const [p, q] = [param([1, 2]), param([3, 4])];
    const opt = new SGD([{ params: [p] }, { params: [q] }], { lr: 0.1 });
    opt.paramGroups[1]!.lr = -0.1;
    p.grad = tensor([1, 1]);
    q.grad = tensor([1, 1]);
    expectError(
      () => opt.step(),
      RangeError,
      'SGD param group 1: lr must be a number in [0, ∞), got -0.1',
    );
    expect(Array.from(p.data)).toEqual([1, 2]);
  });

  it('refuses a gradient whose shape differs from its parameter', () => {
    const p = param();
    const opt = new Adam([p]);
    p.grad = tensor([1, 2, 3]);
    expect(() => opt.step()).toThrow(ShapeError);
    expect(() => opt.step()).toThrow('Adam.step: a parameter of shape [2] has a grad of shape [3]');
  });
});

const withGrad = (grad: number[]): Tensor => {
  const p = param(grad.map(() => 0));
  p.grad = tensor(grad);
  return p;
};

const clippingCases: Case[] = [
  [
    'negative maxNorm',
    () => clipGradNorm([withGrad([1])], -1),
    RangeError,
    'clipGradNorm: maxNorm must be a number in [0, ∞), got -1',
  ],
  [
    'normType 0',
    () => clipGradNorm([withGrad([1])], 1, { normType: 0 }),
    RangeError,
    'clipGradNorm: normType must be a number in (0, ∞], got 0',
  ],
  [
    'normType NaN',
    () => clipGradNorm([withGrad([1])], 1, { normType: Number.NaN }),
    RangeError,
    'clipGradNorm: normType must be a number in (0, ∞], got NaN',
  ],
  [
    'normType as a string',
    () => clipGradNorm([withGrad([1])], 1, { normType: 'inf' as never }),
    TypeError,
    'clipGradNorm: normType must be a number in (0, ∞], got "inf" (a string)',
  ],
  [
    'errorIfNonfinite not boolean',
    () => clipGradNorm([withGrad([1])], 1, { errorIfNonfinite: 1 as never }),
    TypeError,
    'clipGradNorm: errorIfNonfinite must be true or false, got 1 (a number)',
  ],
  [
    'a PyTorch spelling',
    () => clipGradNorm([withGrad([1])], 1, { norm_type: 2 } as never),
    TypeError,
    "clipGradNorm: unknown option 'norm_type' (did you mean 'normType'?); the options are normType, errorIfNonfinite",
  ],
  [
    'something that is not a tensor',
    () => clipGradNorm([withGrad([1]), 3 as never], 1),
    TypeError,
    'clipGradNorm: params[1] must be a Tensor, got 3',
  ],
  [
    'a NaN gradient with errorIfNonfinite',
    () => clipGradNorm([withGrad([1]), withGrad([Number.NaN])], 1, { errorIfNonfinite: true }),
    RangeError,
    'clipGradNorm: the total norm of order 2 of the gradients is non-finite (NaN), so they cannot be clipped; some gradient holds NaN or Infinity (set errorIfNonfinite: false to scale by it anyway)',
  ],
  [
    'an infinite gradient with errorIfNonfinite',
    () =>
      clipGradNorm([withGrad([Number.NEGATIVE_INFINITY])], 1, {
        normType: Infinity,
        errorIfNonfinite: true,
      }),
    RangeError,
    'clipGradNorm: the total norm of order Infinity of the gradients is non-finite (Infinity), so they cannot be clipped; some gradient holds NaN or Infinity (set errorIfNonfinite: false to scale by it anyway)',
  ],
  [
    'negative clipValue',
    () => clipGradValue([withGrad([1])], -5),
    RangeError,
    'clipGradValue: clipValue must be a number in [0, ∞), got -5',
  ],
  [
    'clipValue as a string',
    () => clipGradValue([withGrad([1])], '5' as never),
    TypeError,
    'clipGradValue: clipValue must be a number in [0, ∞), got "5" (a string)',
  ],
];

describe('clipping arguments', () => {
  it.each(clippingCases)('%s', (_what, f, kind, message) => {
    expectError(f, kind, message);
  });
});

const sgd = () => new SGD([param()], { lr: 0.1 });

const scheduleCases: Case[] = [
  [
    'StepLR stepSize 0',
    () => new StepLR(sgd(), { stepSize: 0 }),
    RangeError,
    'StepLR: stepSize must be an integer in [1, ∞), got 0',
  ],
  [
    'StepLR fractional stepSize',
    () => new StepLR(sgd(), { stepSize: 2.5 }),
    RangeError,
    'StepLR: stepSize must be an integer in [1, ∞), got 2.5',
  ],
  [
    'StepLR without stepSize',
    () => new StepLR(sgd(), {} as never),
    TypeError,
    'StepLR: stepSize must be an integer in [1, ∞), got undefined',
  ],
  [
    'StepLR gamma 0',
    () => new StepLR(sgd(), { stepSize: 2, gamma: 0 }),
    RangeError,
    'StepLR: gamma must be a number in (0, ∞), got 0',
  ],
  [
    'ExponentialLR without gamma',
    () => new ExponentialLR(sgd(), {} as never),
    TypeError,
    'ExponentialLR: gamma must be a number in (0, ∞), got undefined',
  ],
  [
    'ExponentialLR negative gamma',
    () => new ExponentialLR(sgd(), { gamma: -0.9 }),
    RangeError,
    'ExponentialLR: gamma must be a number in (0, ∞), got -0.9',
  ],
  [
    'CosineAnnealingLR tMax 0',
    () => new CosineAnnealingLR(sgd(), { tMax: 0 }),
    RangeError,
    'CosineAnnealingLR: tMax must be an integer in [1, ∞), got 0',
  ],
  [
    'CosineAnnealingLR negative etaMin',
    () => new CosineAnnealingLR(sgd(), { tMax: 10, etaMin: -1e-3 }),
    RangeError,
    'CosineAnnealingLR: etaMin must be a number in [0, ∞), got -0.001',
  ],
  [
    'CosineAnnealingLR PyTorch spelling',
    () => new CosineAnnealingLR(sgd(), { T_max: 10 } as never),
    TypeError,
    "CosineAnnealingLR: unknown option 'T_max'; the options are tMax, etaMin",
  ],
  [
    'LinearLR startFactor 0',
    () => new LinearLR(sgd(), { startFactor: 0 }),
    RangeError,
    'LinearLR: startFactor must be a number in (0, 1], got 0',
  ],
  [
    'LinearLR endFactor 2',
    () => new LinearLR(sgd(), { endFactor: 2 }),
    RangeError,
    'LinearLR: endFactor must be a number in [0, 1], got 2',
  ],
  [
    'LinearLR totalIters 0',
    () => new LinearLR(sgd(), { totalIters: 0 }),
    RangeError,
    'LinearLR: totalIters must be an integer in [1, ∞), got 0',
  ],
  [
    'a schedule without an optimizer',
    () => new StepLR({} as never, { stepSize: 1 }),
    TypeError,
    'StepLR: optimizer must be an optimizer with paramGroups (such as new SGD(...)), got [object Object] (an object)',
  ],
  [
    'ReduceLROnPlateau mode',
    () => new ReduceLROnPlateau(sgd(), { mode: 'minimum' as never }),
    RangeError,
    "ReduceLROnPlateau: mode must be 'min' or 'max', got \"minimum\" (a string)",
  ],
  [
    'ReduceLROnPlateau factor 1',
    () => new ReduceLROnPlateau(sgd(), { factor: 1 }),
    RangeError,
    'ReduceLROnPlateau: factor must be a number in [0, 1), got 1',
  ],
  [
    'ReduceLROnPlateau negative patience',
    () => new ReduceLROnPlateau(sgd(), { patience: -1 }),
    RangeError,
    'ReduceLROnPlateau: patience must be an integer in [0, ∞), got -1',
  ],
  [
    'ReduceLROnPlateau threshold mode',
    () => new ReduceLROnPlateau(sgd(), { thresholdMode: 'relative' as never }),
    RangeError,
    "ReduceLROnPlateau: thresholdMode must be 'rel' or 'abs', got \"relative\" (a string)",
  ],
  [
    'ReduceLROnPlateau negative threshold',
    () => new ReduceLROnPlateau(sgd(), { threshold: -1e-4 }),
    RangeError,
    'ReduceLROnPlateau: threshold must be a number in [0, ∞), got -0.0001',
  ],
  [
    'ReduceLROnPlateau fractional cooldown',
    () => new ReduceLROnPlateau(sgd(), { cooldown: 0.5 }),
    RangeError,
    'ReduceLROnPlateau: cooldown must be an integer in [0, ∞), got 0.5',
  ],
  [
    'ReduceLROnPlateau minLr per group',
    () => new ReduceLROnPlateau(sgd(), { minLr: [0, 0] }),
    RangeError,
    'ReduceLROnPlateau: minLr must be one number or one per parameter group (1), got [0, 0] (an array)',
  ],
  [
    'ReduceLROnPlateau negative minLr',
    () => new ReduceLROnPlateau(sgd(), { minLr: -1 }),
    RangeError,
    'ReduceLROnPlateau: minLr must be a number in [0, ∞), got -1',
  ],
  [
    'ReduceLROnPlateau metric',
    () => new ReduceLROnPlateau(sgd()).step('0.5' as never),
    TypeError,
    'ReduceLROnPlateau.step: metric must be a number, got "0.5" (a string)',
  ],
  [
    'a schedule snapshot with a bad clock',
    () => {
      const s = new StepLR(sgd(), { stepSize: 2 });
      s.loadStateDict({ ...s.stateDict(), lastEpoch: -1 });
    },
    RangeError,
    'StepLR.loadStateDict: lastEpoch must be an integer in [0, ∞), got -1',
  ],
  [
    'a schedule snapshot for another optimizer',
    () => {
      const s = new StepLR(sgd(), { stepSize: 2 });
      s.loadStateDict({ ...s.stateDict(), baseLrs: [0.1, 0.1] });
    },
    RangeError,
    'StepLR.loadStateDict: baseLrs must hold one lr per parameter group (1), got [0.1, 0.1] (an array)',
  ],
];

describe('schedule options', () => {
  it.each(scheduleCases)('%s', (_what, f, kind, message) => {
    expectError(f, kind, message);
  });
});
