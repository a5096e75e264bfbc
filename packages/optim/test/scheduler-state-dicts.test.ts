/**
 * The checks every epoch-driven schedule shares: what it accepts as an optimizer, and
 * its state dict — the options it holds, the lrs it restores, and a malformed dict
 * refused with a message naming the schedule, the field and the value.
 */

import { describe, expect, it } from 'vitest';
import { CosineAnnealingLR, LinearLR, StepLR } from '../src/index.ts';
import { type ErrorCase, expectError } from './expect-error.ts';
import { optimizerWith } from './subjects.ts';

const notAnOptimizer = (got: string) =>
  `StepLR: optimizer must be an optimizer with paramGroups (such as new SGD(...)), got ${got}`;

const step = () => new StepLR(optimizerWith([1]), { stepSize: 2 });
const good = () => JSON.parse(JSON.stringify(step().stateDict()));
const owner = 'StepLR.loadStateDict';

const cases: ErrorCase[] = [
  [
    'no optimizer',
    () => new StepLR(null as never, { stepSize: 1 }),
    TypeError,
    notAnOptimizer('null'),
  ],
  [
    'a group list holding null',
    () => new StepLR({ paramGroups: [null] } as never, { stepSize: 1 }),
    TypeError,
    notAnOptimizer('[object Object] (an object)'),
  ],
  [
    'one group of two without a numeric lr',
    () => new StepLR({ paramGroups: [{ lr: 0.1 }, { lr: '0.1' }] } as never, { stepSize: 1 }),
    TypeError,
    notAnOptimizer('[object Object] (an object)'),
  ],
  [
    'a state dict that is null',
    () => step().loadStateDict(null as never),
    TypeError,
    `${owner}: expected { lastEpoch, baseLrs, lastLr, options }, got null`,
  ],
  [
    'a state dict that is a string',
    () => step().loadStateDict('{}' as never),
    TypeError,
    `${owner}: expected { lastEpoch, baseLrs, lastLr, options }, got "{}" (a string)`,
  ],
  [
    'a negative base lr',
    () => step().loadStateDict({ ...good(), baseLrs: [-0.1] }),
    RangeError,
    `${owner}: baseLrs[0] must be a number in [0, ∞), got -0.1`,
  ],
  [
    'a last lr that is not a number',
    () => step().loadStateDict({ ...good(), lastLr: [null] }),
    TypeError,
    `${owner}: lastLr[0] must be a number in [0, ∞), got null`,
  ],
];

describe('what a schedule refuses', () => {
  it.each(cases)('%s', (_what, f, kind, message) => {
    expectError(f, kind, message);
  });
});

describe('state dicts', () => {
  it('hold every option, the defaults included', () => {
    const opt = optimizerWith([1]);
    expect(new StepLR(opt, { stepSize: 3 }).stateDict().options).toEqual({
      gamma: 0.1,
      stepSize: 3,
    });
    expect(new CosineAnnealingLR(optimizerWith([1]), { tMax: 4 }).stateDict().options).toEqual({
      etaMin: 0,
      tMax: 4,
    });
    expect(new LinearLR(optimizerWith([1])).stateDict().options).toEqual({
      startFactor: 1 / 3,
      endFactor: 1,
      totalIters: 5,
    });
  });

  it('restore the base and last lrs, which a later step and getLastLr then use', () => {
    // CosineAnnealingLR reads its base lrs at the step just after a minimum (t = T + 1),
    // where it adds (η₀ − ηmin)(1 − cos(π/T))/2; with T = 1 that is the whole of η₀.
    const first = new CosineAnnealingLR(optimizerWith([0.8]), { tMax: 1 });
    first.step(); // t = 1: the minimum, ηmin = 0
    const saved = JSON.parse(JSON.stringify(first.stateDict()));
    expect(saved.baseLrs).toEqual([0.8]);
    const opt = optimizerWith([0]);
    const resumed = new CosineAnnealingLR(opt, { tMax: 1 });
    resumed.loadStateDict(saved);
    expect(resumed.getLastLr()).toEqual(saved.lastLr);
    expect(resumed.baseLrs).toEqual([0.8]);
    resumed.step(); // t = 2 = T + 1: back up to η₀
    expect(opt.paramGroups[0]!.lr).toBeCloseTo(0.8, 15);
  });
});
