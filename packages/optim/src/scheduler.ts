/**
 * Learning-rate schedules: StepLR, ExponentialLR, CosineAnnealingLR and LinearLR.
 *
 * A schedule writes `group.lr` of each parameter group of any optimizer (it needs
 * nothing else), once at construction for epoch 0 and then once per `step()`. Call
 * `optimizer.step()` first and `scheduler.step()` after it, as in PyTorch.
 *
 * The forms. Each schedule has a closed form, the lr at epoch t from the base lr η₀:
 *   StepLR         η₀ γ^⌊t/stepSize⌋
 *   ExponentialLR  η₀ γ^t
 *   CosineAnnealingLR  ηmin + (η₀ − ηmin)(1 + cos(πt/tMax))/2
 *   LinearLR       η₀ (s + (e − s) min(t, totalIters)/totalIters)
 * We compute them instead as PyTorch's `step()` does, in the chainable (recursive)
 * form: each step turns the current `group.lr` into the next one, ηₜ = ηₜ₋₁ · r(t).
 * Two reasons: the numbers are PyTorch's own (the same bits, but for the last bit
 * of a cosine, where JavaScript's Math.cos and C's cos may differ), and schedules compose
 * (a warm-up and a decay on one optimizer multiply; a change made by hand or by
 * ReduceLROnPlateau carries on). The price: rounding accumulates, a few ulps per
 * step (tests hold the recursion within 1e-12·η₀ of the closed form).
 */

import type { HasParamGroups } from './optimizer.ts';
import {
  checkKnownOptions,
  checkNumber,
  checkOptionsObject,
  describeValue,
  type Interval,
  interval,
  NON_NEGATIVE,
  NON_NEGATIVE_INTEGER,
  POSITIVE,
  POSITIVE_INTEGER,
  UNIT_CLOSED,
} from './validate.ts';

/** A schedule's snapshot: its clock, the base rates, the last rates set, and its options. */
export interface SchedulerStateDict<O = Record<string, number>> {
  lastEpoch: number;
  baseLrs: number[];
  lastLr: number[];
  options: O;
}

/** Checks that `optimizer` has parameter groups with numeric learning rates. */
export function checkOptimizer(owner: string, optimizer: unknown): HasParamGroups {
  const groups = (optimizer as HasParamGroups | null)?.paramGroups;
  if (!Array.isArray(groups) || groups.some((g) => typeof g?.lr !== 'number')) {
    throw new TypeError(
      `${owner}: optimizer must be an optimizer with paramGroups (such as new SGD(...)), got ${describeValue(optimizer)}`,
    );
  }
  return optimizer as HasParamGroups;
}

type Rules<O> = { [K in keyof O]: Interval };

/** What the four epoch-driven schedules share: the clock, the base rates, state dicts. */
export abstract class LRScheduler<O extends object = object> {
  readonly optimizer: HasParamGroups;
  /** η₀ of each group: its lr before any schedule touched it (group.initialLr). */
  baseLrs: number[];
  /** How many times step() has run: 0 after construction. PyTorch's last_epoch. */
  lastEpoch = 0;
  /** The options, validated; loadStateDict may replace them. */
  options: O;
  private lastLrs: number[];

  protected constructor(
    protected readonly name: string,
    optimizer: HasParamGroups,
    options: O,
    private readonly rules: Rules<O>,
  ) {
    this.optimizer = checkOptimizer(name, optimizer);
    checkOptionsObject(name, options);
    checkKnownOptions(name, options, Object.keys(rules));
    this.options = this.checkOptions(options, name);
    // The first schedule attached records each group's starting lr; later ones reuse it.
    for (const group of this.optimizer.paramGroups) group.initialLr ??= group.lr;
    this.baseLrs = this.optimizer.paramGroups.map((g) => g.initialLr!);
    this.lastLrs = this.apply(this.initialLrs());
  }

  /** Every rule checked, then any cross-option condition of the subclass. */
  protected checkOptions(options: O, owner: string): O {
    for (const key of Object.keys(this.rules) as (keyof O & string)[]) {
      checkNumber(owner, key, options[key], this.rules[key]);
    }
    return { ...options };
  }

  /** The lrs at epoch 0, set by the constructor (LinearLR's warm-up starts lower). */
  protected initialLrs(): number[] {
    return this.currentLrs();
  }

  /** The lrs at epoch `lastEpoch`, from the current ones (the chainable form). */
  protected abstract nextLrs(): number[];

  protected currentLrs(): number[] {
    return this.optimizer.paramGroups.map((g) => g.lr);
  }

  private apply(lrs: number[]): number[] {
    this.optimizer.paramGroups.forEach((g, i) => {
      g.lr = lrs[i]!;
    });
    return lrs;
  }

  /** Advances one epoch (or one batch: whatever unit you step in) and sets the new lrs. */
  step(): void {
    this.lastEpoch++;
    this.lastLrs = this.apply(this.nextLrs());
  }

  /** The lrs set by the last step (or by the constructor). */
  getLastLr(): number[] {
    return [...this.lastLrs];
  }

  stateDict(): SchedulerStateDict<O> {
    return {
      lastEpoch: this.lastEpoch,
      baseLrs: [...this.baseLrs],
      lastLr: [...this.lastLrs],
      options: { ...this.options },
    };
  }

  /** Restores a snapshot; load the optimizer's own state dict too (it holds the lrs). */
  loadStateDict(dict: SchedulerStateDict<O>): void {
    const owner = `${this.name}.loadStateDict`;
    if (typeof dict !== 'object' || dict === null) {
      throw new TypeError(
        `${owner}: expected { lastEpoch, baseLrs, lastLr, options }, got ${describeValue(dict)}`,
      );
    }
    checkNumber(owner, 'lastEpoch', dict.lastEpoch, NON_NEGATIVE_INTEGER);
    const groups = this.optimizer.paramGroups.length;
    for (const key of ['baseLrs', 'lastLr'] as const) {
      const lrs = dict[key];
      if (!Array.isArray(lrs) || lrs.length !== groups) {
        throw new RangeError(
          `${owner}: ${key} must hold one lr per parameter group (${groups}), got ${describeValue(lrs)}`,
        );
      }
      lrs.forEach((lr, i) => {
        checkNumber(owner, `${key}[${i}]`, lr, NON_NEGATIVE);
      });
    }
    checkOptionsObject(owner, dict.options);
    checkKnownOptions(owner, dict.options, Object.keys(this.rules));
    this.options = this.checkOptions({ ...this.options, ...dict.options }, owner);
    this.lastEpoch = dict.lastEpoch;
    this.baseLrs = [...dict.baseLrs];
    this.lastLrs = [...dict.lastLr];
  }
}

export interface StepLROptions {
  /** Decay every this many epochs. */
  stepSize: number;
  /** γ: the factor applied at each decay. Default 0.1. */
  gamma: number;
}

/** η₀ γ^⌊t/stepSize⌋: multiply by γ every stepSize epochs. */
export class StepLR extends LRScheduler<StepLROptions> {
  constructor(optimizer: HasParamGroups, options: Partial<StepLROptions> & { stepSize: number }) {
    super(
      'StepLR',
      optimizer,
      { gamma: 0.1, ...options },
      {
        stepSize: POSITIVE_INTEGER,
        gamma: POSITIVE,
      },
    );
  }

  protected nextLrs(): number[] {
    const { stepSize, gamma } = this.options;
    const decays = this.lastEpoch % stepSize === 0;
    return this.currentLrs().map((lr) => (decays ? lr * gamma : lr));
  }
}

export interface ExponentialLROptions {
  /** γ: the factor applied every epoch. */
  gamma: number;
}

/** η₀ γ^t: multiply by γ every epoch. */
export class ExponentialLR extends LRScheduler<ExponentialLROptions> {
  constructor(optimizer: HasParamGroups, options: ExponentialLROptions) {
    super('ExponentialLR', optimizer, { ...options }, { gamma: POSITIVE });
  }

  protected nextLrs(): number[] {
    return this.currentLrs().map((lr) => lr * this.options.gamma);
  }
}

export interface CosineAnnealingLROptions {
  /** Half a period: the lr reaches etaMin at epoch tMax (and comes back at 2·tMax). */
  tMax: number;
  /** ηmin, the lowest lr. Default 0. */
  etaMin: number;
}

/**
 * ηmin + (η₀ − ηmin)(1 + cos(πt/tMax))/2 (Loshchilov & Hutter's SGDR without
 * restarts), stepped by the ratio of consecutive cosines:
 *   ηₜ = ηmin + (ηₜ₋₁ − ηmin) · (1 + cos(πt/T)) / (1 + cos(π(t−1)/T))
 * except where that ratio is 0/0 — the step just after a minimum, t = T + 1 + 2kT —
 * which adds the closed form's difference (η₀ − ηmin)(1 − cos(π/T))/2 instead.
 */
export class CosineAnnealingLR extends LRScheduler<CosineAnnealingLROptions> {
  constructor(
    optimizer: HasParamGroups,
    options: Partial<CosineAnnealingLROptions> & { tMax: number },
  ) {
    super(
      'CosineAnnealingLR',
      optimizer,
      { etaMin: 0, ...options },
      {
        tMax: POSITIVE_INTEGER,
        etaMin: NON_NEGATIVE,
      },
    );
  }

  protected nextLrs(): number[] {
    const { tMax: T, etaMin } = this.options;
    const t = this.lastEpoch;
    if ((t - 1 - T) % (2 * T) === 0) {
      const rise = 1 - Math.cos(Math.PI / T);
      return this.currentLrs().map((lr, i) => lr + ((this.baseLrs[i]! - etaMin) * rise) / 2);
    }
    const ratio = (1 + Math.cos((Math.PI * t) / T)) / (1 + Math.cos((Math.PI * (t - 1)) / T));
    return this.currentLrs().map((lr) => ratio * (lr - etaMin) + etaMin);
  }
}

export interface LinearLROptions {
  /** s: the factor at epoch 0, in (0, 1]. Default 1/3. */
  startFactor: number;
  /** e: the factor from epoch totalIters on, in [0, 1]. Default 1. */
  endFactor: number;
  /** How many epochs the factor takes to go from s to e. Default 5. */
  totalIters: number;
}

/**
 * η₀ (s + (e − s) min(t, totalIters)/totalIters): a linear warm-up (s < e) or
 * decay. Chainable form: ηₜ = ηₜ₋₁ (1 + (e − s) / (totalIters·s + (t − 1)(e − s))),
 * the ratio of the factors at t and t − 1.
 */
export class LinearLR extends LRScheduler<LinearLROptions> {
  constructor(optimizer: HasParamGroups, options: Partial<LinearLROptions> = {}) {
    super(
      'LinearLR',
      optimizer,
      { startFactor: 1 / 3, endFactor: 1, totalIters: 5, ...options },
      {
        startFactor: interval('(', 0, 1, ']'),
        endFactor: UNIT_CLOSED,
        totalIters: POSITIVE_INTEGER,
      },
    );
  }

  protected override initialLrs(): number[] {
    return this.currentLrs().map((lr) => lr * this.options.startFactor);
  }

  protected nextLrs(): number[] {
    const { startFactor: s, endFactor: e, totalIters } = this.options;
    const t = this.lastEpoch;
    if (t > totalIters) return this.currentLrs();
    const ratio = 1 + (e - s) / (totalIters * s + (t - 1) * (e - s));
    return this.currentLrs().map((lr) => lr * ratio);
  }
}
