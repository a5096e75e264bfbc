/**
 * ReduceLROnPlateau walked through by hand: patience, threshold (relative and
 * absolute), 'max' mode, cooldown, minLr and eps; a snapshot taken before any step;
 * and the messages of its option checks.
 */

import { describe, expect, it } from 'vitest';
import { ReduceLROnPlateau, SGD } from '../src/index.ts';
import { type ErrorCase, expectError, param } from './expect-error.ts';
import { optimizerWith } from './subjects.ts';

describe('ReduceLROnPlateau', () => {
  /** The lr after each metric, one group starting at 1. */
  function walk(
    options: ConstructorParameters<typeof ReduceLROnPlateau>[1],
    metrics: number[],
  ): number[] {
    const opt = optimizerWith([1]);
    const plateau = new ReduceLROnPlateau(opt, options);
    return metrics.map((m) => {
      plateau.step(m);
      return opt.paramGroups[0]!.lr;
    });
  }

  it('cuts the lr after more than `patience` steps without improvement', () => {
    // Best 1 at step 1; steps 2, 3, 4 are bad; the third bad one exceeds patience 2.
    expect(walk({ patience: 2, factor: 0.5 }, [1, 1, 1, 1, 1, 1, 1, 1])).toEqual([
      1, 1, 1, 0.5, 0.5, 0.5, 0.25, 0.25,
    ]);
  });

  it('counts a step as better only by more than the threshold, relative or absolute', () => {
    // rel: 0.99995 is not below 1·(1 − 1e-4), so it is a bad step.
    expect(walk({ patience: 0, factor: 0.5 }, [1, 0.99995])).toEqual([1, 0.5]);
    expect(walk({ patience: 0, factor: 0.5 }, [1, 0.9998])).toEqual([1, 1]);
    // abs: 0.95 is not below 1 − 0.1.
    expect(
      walk({ patience: 0, factor: 0.5, thresholdMode: 'abs', threshold: 0.1 }, [1, 0.95, 0.85]),
    ).toEqual([1, 0.5, 0.5]);
  });

  it("in 'max' mode, higher is better", () => {
    expect(walk({ mode: 'max', patience: 0, factor: 0.5 }, [0.5, 0.6, 0.6, 0.7, 0.65])).toEqual([
      1, 1, 0.5, 0.5, 0.25,
    ]);
  });

  it('waits `cooldown` steps after a cut before counting bad steps again', () => {
    expect(walk({ patience: 0, cooldown: 2, factor: 0.5 }, [1, 2, 2, 2, 2, 2])).toEqual([
      1, 0.5, 0.5, 0.5, 0.25, 0.25,
    ]);
  });

  it('never goes below minLr, and skips cuts smaller than eps', () => {
    expect(walk({ patience: 0, factor: 0.1, minLr: 0.05 }, [1, 2, 2, 2])).toEqual([
      1, 0.1, 0.05, 0.05,
    ]);
    expect(walk({ patience: 0, factor: 0.5, eps: 0.6 }, [1, 2, 2])).toEqual([1, 1, 1]);
  });

  it('restores a snapshot taken before any step, whose best JSON wrote as null', () => {
    const opt = optimizerWith([1]);
    const plateau = new ReduceLROnPlateau(opt, { mode: 'max' });
    const saved = JSON.parse(JSON.stringify(plateau.stateDict()));
    expect(saved.best).toBeNull();
    plateau.step(3);
    plateau.loadStateDict(saved);
    expect(plateau.best).toBe(-Infinity);
  });
});

const sgd = () => new SGD([param()], { lr: 0.1 });

const plateauCases: ErrorCase[] = [
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
];

describe('ReduceLROnPlateau options', () => {
  it.each(plateauCases)('%s', (_what, f, kind, message) => {
    expectError(f, kind, message);
  });
});
