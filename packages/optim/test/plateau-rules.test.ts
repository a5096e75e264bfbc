/**
 * ReduceLROnPlateau's rules, each case chosen so that only the documented rule gives
 * the result (PyTorch's `is_better`, `_reduce_lr` and state dict):
 *   'min', 'rel': a < best·(1 − threshold)    'min', 'abs': a < best − threshold
 *   'max', 'rel': a > best·(1 + threshold)    'max', 'abs': a > best + threshold
 * "Better" is strict, a cut smaller than or equal to eps is skipped, and the state dict
 * round-trips (and is refused, by name, when it is malformed).
 */

import { describe, expect, it } from 'vitest';
import { ReduceLROnPlateau, type ReduceLROnPlateauOptions } from '../src/index.ts';
import { type ErrorCase, expectError } from './expect-error.ts';
import { optimizerWith } from './subjects.ts';

/** Whether the second metric counts as an improvement on the first. */
function improves(options: Partial<ReduceLROnPlateauOptions>, first: number, second: number) {
  const plateau = new ReduceLROnPlateau(optimizerWith([1]), { patience: 5, ...options });
  plateau.step(first);
  plateau.step(second);
  return plateau.numBadEpochs === 0 && plateau.best === second;
}

describe('what counts as better', () => {
  // Threshold 0.5 and best 10: 'rel' needs below 5 ('min') or above 15 ('max'),
  // 'abs' below 9.5 or above 10.5. Each metric below is better by one rule only.
  it("'min': relative asks for a < 10·(1 − 0.5) = 5, absolute for a < 10 − 0.5", () => {
    const rel = { threshold: 0.5 };
    const abs = { threshold: 0.5, thresholdMode: 'abs' as const };
    expect(improves(rel, 10, 6)).toBe(false);
    expect(improves(abs, 10, 6)).toBe(true);
    expect(improves(rel, 10, 4.9)).toBe(true);
    expect(improves(abs, 10, 9.6)).toBe(false);
    expect(improves(abs, 10, 9.4)).toBe(true);
  });

  it("'max': relative asks for a > 10·(1 + 0.5) = 15, absolute for a > 10 + 0.5", () => {
    const rel = { mode: 'max' as const, threshold: 0.5 };
    const abs = { mode: 'max' as const, threshold: 0.5, thresholdMode: 'abs' as const };
    expect(improves(rel, 10, 14)).toBe(false);
    expect(improves(abs, 10, 14)).toBe(true);
    expect(improves(rel, 10, 15.1)).toBe(true);
    expect(improves(abs, 10, 10.4)).toBe(false);
    expect(improves(abs, 10, 10.6)).toBe(true);
    // A lower metric is never better in 'max' mode.
    expect(improves(abs, 10, 9)).toBe(false);
  });

  it('is strict: exactly at the threshold is not better (numbers exact in binary)', () => {
    expect(improves({ threshold: 0.5 }, 10, 5)).toBe(false);
    expect(improves({ threshold: 0.5, thresholdMode: 'abs' }, 10, 9.5)).toBe(false);
    expect(improves({ mode: 'max', threshold: 0.5 }, 10, 15)).toBe(false);
    expect(improves({ mode: 'max', threshold: 0.5, thresholdMode: 'abs' }, 10, 10.5)).toBe(false);
  });
});

describe('cuts and the lrs it reports', () => {
  it('skips a cut of exactly eps: the lr must change by more than eps', () => {
    // lr 1, factor 0.5: the cut is 0.5; with eps 0.5 it is skipped, with eps 0.25 made.
    for (const [eps, lr] of [
      [0.5, 1],
      [0.25, 0.5],
    ] as const) {
      const opt = optimizerWith([1]);
      const plateau = new ReduceLROnPlateau(opt, { patience: 0, factor: 0.5, eps });
      plateau.step(1);
      plateau.step(1);
      expect(opt.paramGroups[0]!.lr).toBe(lr);
    }
  });

  it('getLastLr gives every group’s lr at construction and after each step', () => {
    const opt = optimizerWith([1, 0.25]);
    const plateau = new ReduceLROnPlateau(opt, { patience: 0, factor: 0.5 });
    expect(plateau.getLastLr()).toEqual([1, 0.25]);
    plateau.step(1);
    plateau.step(2);
    expect(plateau.getLastLr()).toEqual([0.5, 0.125]);
  });
});

describe('state dicts', () => {
  it('holds the options (a per-group minLr copied) and restores lastLr', () => {
    const opt = optimizerWith([1, 2]);
    const options = { patience: 0, factor: 0.5, minLr: [0.1, 0.2], cooldown: 1 };
    const plateau = new ReduceLROnPlateau(opt, options);
    plateau.step(3);
    plateau.step(4);
    const saved = plateau.stateDict();
    expect(saved.options).toEqual({
      mode: 'min',
      factor: 0.5,
      patience: 0,
      threshold: 1e-4,
      thresholdMode: 'rel',
      cooldown: 1,
      minLr: [0.1, 0.2],
      eps: 1e-8,
    });
    expect(saved.lastLr).toEqual([0.5, 1]);
    (saved.options.minLr as number[])[0] = 7; // the dict is a copy
    expect(plateau.options.minLr).toEqual([0.1, 0.2]);
    const other = new ReduceLROnPlateau(optimizerWith([1, 2]));
    other.loadStateDict(JSON.parse(JSON.stringify(plateau.stateDict())));
    expect(other.getLastLr()).toEqual([0.5, 1]);
    expect([other.best, other.numBadEpochs, other.cooldownCounter, other.lastEpoch]).toEqual([
      3, 0, 1, 2,
    ]);
  });

  it("reads a null best as 'nothing seen yet': +∞ in 'min' mode, −∞ in 'max'", () => {
    for (const [mode, best] of [
      ['min', Infinity],
      ['max', -Infinity],
    ] as const) {
      const plateau = new ReduceLROnPlateau(optimizerWith([1]), { mode });
      const saved = JSON.parse(JSON.stringify(plateau.stateDict()));
      plateau.step(3);
      plateau.loadStateDict(saved);
      expect(plateau.best).toBe(best);
    }
  });
});

const plateau = () => new ReduceLROnPlateau(optimizerWith([1]));
const good = () => JSON.parse(JSON.stringify(plateau().stateDict()));
const owner = 'ReduceLROnPlateau.loadStateDict';

const cases: ErrorCase[] = [
  [
    'no optimizer',
    () => new ReduceLROnPlateau(null as never),
    TypeError,
    'ReduceLROnPlateau: optimizer must be an optimizer with paramGroups (such as new SGD(...)), got null',
  ],
  [
    'options not an object',
    () => new ReduceLROnPlateau(optimizerWith([1]), 5 as never),
    TypeError,
    'ReduceLROnPlateau: options must be an object such as { lr: 0.01 }, got 5',
  ],
  [
    'an unknown option',
    () => new ReduceLROnPlateau(optimizerWith([1]), { min_lr: 0 } as never),
    TypeError,
    "ReduceLROnPlateau: unknown option 'min_lr' (did you mean 'minLr'?); the options are mode, factor, patience, threshold, thresholdMode, cooldown, minLr, eps",
  ],
  [
    'a negative eps',
    () => new ReduceLROnPlateau(optimizerWith([1]), { eps: -1 }),
    RangeError,
    'ReduceLROnPlateau: eps must be a number in [0, ∞), got -1',
  ],
  [
    'a negative minLr for one group',
    () => new ReduceLROnPlateau(optimizerWith([1, 1]), { minLr: [0, -1] }),
    RangeError,
    'ReduceLROnPlateau: minLr[1] must be a number in [0, ∞), got -1',
  ],
  [
    'a state dict that is null',
    () => plateau().loadStateDict(null as never),
    TypeError,
    `${owner}: expected a state dict object, got null`,
  ],
  [
    'a state dict that is a number',
    () => plateau().loadStateDict(3 as never),
    TypeError,
    `${owner}: expected a state dict object, got 3`,
  ],
  [
    'a fractional lastEpoch',
    () => plateau().loadStateDict({ ...good(), lastEpoch: 1.5 }),
    RangeError,
    `${owner}: lastEpoch must be an integer in [0, ∞), got 1.5`,
  ],
  [
    'a negative numBadEpochs',
    () => plateau().loadStateDict({ ...good(), numBadEpochs: -1 }),
    RangeError,
    `${owner}: numBadEpochs must be an integer in [0, ∞), got -1`,
  ],
  [
    'a cooldownCounter given as a string',
    () => plateau().loadStateDict({ ...good(), cooldownCounter: '2' }),
    TypeError,
    `${owner}: cooldownCounter must be an integer in [0, ∞), got "2" (a string)`,
  ],
  [
    'a best given as a string',
    () => plateau().loadStateDict({ ...good(), best: '0.5' }),
    TypeError,
    `${owner}: best must be a number (or null), got "0.5" (a string)`,
  ],
  [
    'a NaN best',
    () => plateau().loadStateDict({ ...good(), best: Number.NaN }),
    TypeError,
    `${owner}: best must be a number (or null), got NaN`,
  ],
  [
    'a lastLr with one lr too many',
    () => plateau().loadStateDict({ ...good(), lastLr: [1, 1] }),
    RangeError,
    `${owner}: lastLr must hold one lr per parameter group (1), got [1, 1] (an array)`,
  ],
  [
    'a lastLr that is not an array',
    () => plateau().loadStateDict({ ...good(), lastLr: 1 }),
    RangeError,
    `${owner}: lastLr must hold one lr per parameter group (1), got 1`,
  ],
];

describe('messages name the owner, the field and the value', () => {
  it.each(cases)('%s', (_what, f, kind, message) => {
    expectError(f, kind, message);
  });
});
