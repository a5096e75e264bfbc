/**
 * Schedules step in the chainable form (as PyTorch's step() does); here they are
 * held to the closed forms of their definitions, over several periods, and to the
 * ways they compose. ReduceLROnPlateau is walked through by hand.
 */

import { tensor } from '@unroll/tensor';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  Adam,
  CosineAnnealingLR,
  ExponentialLR,
  LinearLR,
  ReduceLROnPlateau,
  SGD,
  StepLR,
} from '../src/index.ts';

/** An optimizer with one group per base lr. */
const optimizerWith = (lrs: number[]) =>
  new SGD(lrs.map((lr) => ({ params: [tensor([0], { requiresGrad: true })], lr })));

/** The lrs of every group after construction and after each of `steps` steps. */
function lrsOver(opt: SGD, schedule: { step(): void }, steps: number): number[][] {
  const out = [opt.paramGroups.map((g) => g.lr)];
  for (let t = 1; t <= steps; t++) {
    schedule.step();
    out.push(opt.paramGroups.map((g) => g.lr));
  }
  return out;
}

const baseLrs = fc.array(fc.double({ min: 1e-4, max: 1, noNaN: true }), {
  minLength: 1,
  maxLength: 3,
});

/** Every lr within 1e-12 of its closed form, relative to the group's base lr. */
function expectClosedForm(
  lrs: number[][],
  base: number[],
  closed: (eta0: number, t: number) => number,
) {
  lrs.forEach((row, t) => {
    row.forEach((lr, i) => {
      expect(Math.abs(lr - closed(base[i]!, t)), `epoch ${t}, group ${i}`).toBeLessThanOrEqual(
        1e-12 * base[i]!,
      );
    });
  });
}

describe('closed forms', () => {
  it('StepLR: η₀ γ^⌊t/stepSize⌋', () => {
    fc.assert(
      fc.property(
        baseLrs,
        fc.integer({ min: 1, max: 7 }),
        fc.double({ min: 0.05, max: 1.5, noNaN: true }),
        (base, stepSize, gamma) => {
          const opt = optimizerWith(base);
          const lrs = lrsOver(opt, new StepLR(opt, { stepSize, gamma }), 5 * stepSize);
          expectClosedForm(lrs, base, (eta0, t) => eta0 * gamma ** Math.floor(t / stepSize));
        },
      ),
    );
  });

  it('ExponentialLR: η₀ γ^t', () => {
    fc.assert(
      fc.property(baseLrs, fc.double({ min: 0.5, max: 1, noNaN: true }), (base, gamma) => {
        const opt = optimizerWith(base);
        const lrs = lrsOver(opt, new ExponentialLR(opt, { gamma }), 60);
        expectClosedForm(lrs, base, (eta0, t) => eta0 * gamma ** t);
      }),
    );
  });

  it('CosineAnnealingLR: ηmin + (η₀ − ηmin)(1 + cos(πt/tMax))/2, down and back up over two periods', () => {
    fc.assert(
      fc.property(
        baseLrs,
        fc.integer({ min: 1, max: 60 }),
        fc.double({ min: 0, max: 1, noNaN: true }),
        (base, tMax, minFraction) => {
          const opt = optimizerWith(base);
          const etaMin = minFraction * Math.min(...base);
          const lrs = lrsOver(opt, new CosineAnnealingLR(opt, { tMax, etaMin }), 4 * tMax);
          expectClosedForm(
            lrs,
            base,
            (eta0, t) => etaMin + ((eta0 - etaMin) * (1 + Math.cos((Math.PI * t) / tMax))) / 2,
          );
          // The minimum is reached at tMax and the start again at 2·tMax.
          expect(lrs[tMax]![0]).toBeCloseTo(etaMin, 12);
          expect(lrs[2 * tMax]![0]).toBeCloseTo(base[0]!, 12);
        },
      ),
    );
  });

  it('LinearLR: η₀ (s + (e − s) min(t, T)/T), warming up or decaying', () => {
    fc.assert(
      fc.property(
        baseLrs,
        fc.double({ min: 0.01, max: 1, noNaN: true }),
        fc.double({ min: 0, max: 1, noNaN: true }),
        fc.integer({ min: 1, max: 20 }),
        (base, startFactor, endFactor, totalIters) => {
          // A factor that reaches 0 makes every later ratio 0/0; PyTorch has the same hole.
          fc.pre(endFactor > 1e-3);
          const opt = optimizerWith(base);
          const lrs = lrsOver(
            opt,
            new LinearLR(opt, { startFactor, endFactor, totalIters }),
            totalIters + 5,
          );
          expectClosedForm(
            lrs,
            base,
            (eta0, t) =>
              eta0 *
              (startFactor + ((endFactor - startFactor) * Math.min(t, totalIters)) / totalIters),
          );
        },
      ),
    );
  });
});

describe('composing', () => {
  it('a LinearLR warm-up and a CosineAnnealingLR on one optimizer multiply', () => {
    const opt = optimizerWith([0.1]);
    const warmUp = new LinearLR(opt, { startFactor: 0.1, totalIters: 5 });
    const cosine = new CosineAnnealingLR(opt, { tMax: 20 });
    const lrs = [opt.paramGroups[0]!.lr];
    for (let t = 1; t <= 20; t++) {
      warmUp.step();
      cosine.step();
      lrs.push(opt.paramGroups[0]!.lr);
    }
    const closed = lrs.map(
      (_, t) => 0.1 * (0.1 + (0.9 * Math.min(t, 5)) / 5) * ((1 + Math.cos((Math.PI * t) / 20)) / 2),
    );
    expect(lrs).toBeAllclose(closed, { atol: 1e-15, rtol: 1e-12 });
  });

  it('the first schedule records initialLr; a second one starts from it, not from the warmed-down lr', () => {
    const opt = optimizerWith([0.1]);
    new LinearLR(opt, { startFactor: 0.5 });
    expect(opt.paramGroups[0]!.lr).toBeCloseTo(0.05, 15);
    const cosine = new CosineAnnealingLR(opt, { tMax: 4 });
    expect(opt.paramGroups[0]!.initialLr).toBe(0.1);
    expect(cosine.baseLrs).toEqual([0.1]);
  });

  it('a change made by hand carries on in the chainable form', () => {
    const opt = optimizerWith([1]);
    const schedule = new ExponentialLR(opt, { gamma: 0.5 });
    schedule.step();
    opt.paramGroups[0]!.lr = 10;
    schedule.step();
    expect(schedule.getLastLr()).toEqual([5]);
    expect(schedule.lastEpoch).toBe(2);
  });

  it('works with any optimizer: Adam with two groups', () => {
    const opt = new Adam([
      { params: [tensor([1], { requiresGrad: true })], lr: 0.01 },
      { params: [tensor([1], { requiresGrad: true })], lr: 0.001 },
    ]);
    const schedule = new StepLR(opt, { stepSize: 2, gamma: 0.1 });
    schedule.step();
    schedule.step();
    expect(schedule.getLastLr()).toBeAllclose([0.001, 0.0001], { atol: 0, rtol: 1e-15 });
  });
});

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
