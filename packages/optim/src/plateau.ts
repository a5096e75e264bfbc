/**
 * ReduceLROnPlateau: cut the learning rate when a watched number (a validation
 * loss, say) stops improving. Unlike the epoch-driven schedules it is fed the
 * number at each step, and it multiplies `group.lr` in place, so it composes with
 * any optimizer and with changes made by other schedules. As PyTorch's:
 *
 *   better(a, best):  mode 'min', 'rel': a < best·(1 − threshold)   'abs': a < best − threshold
 *                     mode 'max', 'rel': a > best·(1 + threshold)   'abs': a > best + threshold
 *   step(metric):
 *     if better(metric, best): best ← metric, bad ← 0   else bad ← bad + 1
 *     if cooling down: cooldown counter − 1, bad ← 0   (bad epochs do not count then)
 *     if bad > patience:
 *       every group: lr ← max(lr·factor, minLr), unless that changes lr by ≤ eps
 *       start a cooldown of `cooldown` steps, bad ← 0
 *
 * NOTE: 'rel' compares with best·(1 ∓ threshold), which for a negative metric asks
 * for less improvement, not more; PyTorch does the same, and so do we.
 */

import type { HasParamGroups } from './optimizer.ts';
import { checkOptimizer } from './scheduler.ts';
import {
  checkChoice,
  checkKnownOptions,
  checkNumber,
  checkOptionsObject,
  describeValue,
  NON_NEGATIVE,
  NON_NEGATIVE_INTEGER,
  UNIT_HALF_OPEN,
} from './validate.ts';

export interface ReduceLROnPlateauOptions {
  /** 'min': lower is better (a loss); 'max': higher is better (an accuracy). */
  mode: 'min' | 'max';
  /** lr ← lr·factor at each reduction, in [0, 1). Default 0.1. */
  factor: number;
  /** How many steps without improvement are tolerated before a reduction. Default 10. */
  patience: number;
  /** How much better counts as better. Default 1e-4. */
  threshold: number;
  /** 'rel': threshold is relative to best; 'abs': absolute. Default 'rel'. */
  thresholdMode: 'rel' | 'abs';
  /** Steps to wait after a reduction before counting bad steps again. Default 0. */
  cooldown: number;
  /** A floor for the lr: one number, or one per parameter group. Default 0. */
  minLr: number | number[];
  /** A reduction smaller than this is skipped. Default 1e-8. */
  eps: number;
}

export interface ReduceLROnPlateauStateDict {
  lastEpoch: number;
  /**
   * The best metric so far; ±Infinity before the first step. JSON writes Infinity as
   * null, so loadStateDict reads null as "nothing seen yet".
   */
  best: number | null;
  numBadEpochs: number;
  cooldownCounter: number;
  lastLr: number[];
  options: ReduceLROnPlateauOptions;
}

const DEFAULTS: ReduceLROnPlateauOptions = {
  mode: 'min',
  factor: 0.1,
  patience: 10,
  threshold: 1e-4,
  thresholdMode: 'rel',
  cooldown: 0,
  minLr: 0,
  eps: 1e-8,
};

export class ReduceLROnPlateau {
  readonly optimizer: HasParamGroups;
  options: ReduceLROnPlateauOptions;
  /** Number of step() calls so far. */
  lastEpoch = 0;
  /** The best metric seen: +∞ ('min') or −∞ ('max') before the first step. */
  best: number;
  /** Consecutive steps without improvement (outside cooldowns). */
  numBadEpochs = 0;
  /** Steps left in the current cooldown. */
  cooldownCounter = 0;
  private lastLrs: number[];

  constructor(optimizer: HasParamGroups, options: Partial<ReduceLROnPlateauOptions> = {}) {
    this.optimizer = checkOptimizer('ReduceLROnPlateau', optimizer);
    checkOptionsObject('ReduceLROnPlateau', options);
    checkKnownOptions('ReduceLROnPlateau', options, Object.keys(DEFAULTS));
    this.options = this.checkOptions({ ...DEFAULTS, ...options }, 'ReduceLROnPlateau');
    this.best = this.options.mode === 'min' ? Infinity : -Infinity;
    this.lastLrs = this.optimizer.paramGroups.map((g) => g.lr);
  }

  private checkOptions(o: ReduceLROnPlateauOptions, owner: string): ReduceLROnPlateauOptions {
    checkChoice(owner, 'mode', o.mode, ['min', 'max'] as const);
    checkNumber(owner, 'factor', o.factor, UNIT_HALF_OPEN);
    checkNumber(owner, 'patience', o.patience, NON_NEGATIVE_INTEGER);
    checkNumber(owner, 'threshold', o.threshold, NON_NEGATIVE);
    checkChoice(owner, 'thresholdMode', o.thresholdMode, ['rel', 'abs'] as const);
    checkNumber(owner, 'cooldown', o.cooldown, NON_NEGATIVE_INTEGER);
    checkNumber(owner, 'eps', o.eps, NON_NEGATIVE);
    const groups = this.optimizer.paramGroups.length;
    if (Array.isArray(o.minLr)) {
      if (o.minLr.length !== groups) {
        throw new RangeError(
          `${owner}: minLr must be one number or one per parameter group (${groups}), got ${describeValue(o.minLr)}`,
        );
      }
      o.minLr.forEach((m, i) => {
        checkNumber(owner, `minLr[${i}]`, m, NON_NEGATIVE);
      });
      return { ...o, minLr: [...o.minLr] };
    }
    checkNumber(owner, 'minLr', o.minLr, NON_NEGATIVE);
    return { ...o };
  }

  /** Whether `a` improves on `best` by more than the threshold. */
  private isBetter(a: number, best: number): boolean {
    const { mode, threshold, thresholdMode } = this.options;
    if (mode === 'min')
      return thresholdMode === 'rel' ? a < best * (1 - threshold) : a < best - threshold;
    return thresholdMode === 'rel' ? a > best * (threshold + 1) : a > best + threshold;
  }

  /** Feeds this step's metric; may lower every group's lr. */
  step(metric: number): void {
    if (typeof metric !== 'number') {
      throw new TypeError(
        `ReduceLROnPlateau.step: metric must be a number, got ${describeValue(metric)}`,
      );
    }
    this.lastEpoch++;
    if (this.isBetter(metric, this.best)) {
      this.best = metric;
      this.numBadEpochs = 0;
    } else {
      this.numBadEpochs++;
    }
    if (this.cooldownCounter > 0) {
      this.cooldownCounter--;
      this.numBadEpochs = 0;
    }
    if (this.numBadEpochs > this.options.patience) {
      this.reduceLr();
      this.cooldownCounter = this.options.cooldown;
      this.numBadEpochs = 0;
    }
    this.lastLrs = this.optimizer.paramGroups.map((g) => g.lr);
  }

  private reduceLr(): void {
    const { factor, minLr, eps } = this.options;
    this.optimizer.paramGroups.forEach((group, i) => {
      const floor = Array.isArray(minLr) ? minLr[i]! : minLr;
      const newLr = Math.max(group.lr * factor, floor);
      if (group.lr - newLr > eps) group.lr = newLr;
    });
  }

  getLastLr(): number[] {
    return [...this.lastLrs];
  }

  stateDict(): ReduceLROnPlateauStateDict {
    const { minLr } = this.options;
    return {
      lastEpoch: this.lastEpoch,
      best: this.best,
      numBadEpochs: this.numBadEpochs,
      cooldownCounter: this.cooldownCounter,
      lastLr: [...this.lastLrs],
      options: { ...this.options, minLr: Array.isArray(minLr) ? [...minLr] : minLr },
    };
  }

  loadStateDict(dict: ReduceLROnPlateauStateDict): void {
    const owner = 'ReduceLROnPlateau.loadStateDict';
    if (typeof dict !== 'object' || dict === null) {
      throw new TypeError(`${owner}: expected a state dict object, got ${describeValue(dict)}`);
    }
    checkNumber(owner, 'lastEpoch', dict.lastEpoch, NON_NEGATIVE_INTEGER);
    checkNumber(owner, 'numBadEpochs', dict.numBadEpochs, NON_NEGATIVE_INTEGER);
    checkNumber(owner, 'cooldownCounter', dict.cooldownCounter, NON_NEGATIVE_INTEGER);
    if (dict.best !== null && (typeof dict.best !== 'number' || Number.isNaN(dict.best))) {
      throw new TypeError(
        `${owner}: best must be a number (or null), got ${describeValue(dict.best)}`,
      );
    }
    const groups = this.optimizer.paramGroups.length;
    if (!Array.isArray(dict.lastLr) || dict.lastLr.length !== groups) {
      throw new RangeError(
        `${owner}: lastLr must hold one lr per parameter group (${groups}), got ${describeValue(dict.lastLr)}`,
      );
    }
    checkOptionsObject(owner, dict.options);
    checkKnownOptions(owner, dict.options, Object.keys(DEFAULTS));
    this.options = this.checkOptions({ ...this.options, ...dict.options }, owner);
    this.lastEpoch = dict.lastEpoch;
    this.best = dict.best ?? (this.options.mode === 'min' ? Infinity : -Infinity);
    this.numBadEpochs = dict.numBadEpochs;
    this.cooldownCounter = dict.cooldownCounter;
    this.lastLrs = [...dict.lastLr];
  }
}
