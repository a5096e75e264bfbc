/**
 * Schedules step in the chainable form (as PyTorch's step() does); here they are
 * held to the closed forms of their definitions, over several periods, and to the
 * ways they compose; a schedule saved with its optimizer resumes bit for bit; and
 * the messages of their option checks.
 */

import { type Tensor, tensor } from '@unroll/tensor';
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
import { type ErrorCase, expectError, param } from './expect-error.ts';
import { bits, throughJson } from './snapshots.ts';
import { leaves, optimizerWith } from './subjects.ts';

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

describe('resuming a schedule with its optimizer', () => {
  type Run = {
    opt: SGD | Adam;
    schedules: (StepLR | CosineAnnealingLR | ReduceLROnPlateau)[];
  };
  const builds: [string, (params: Tensor[]) => Run][] = [
    [
      'SGD + StepLR',
      (params) => {
        const opt = new SGD(params, { lr: 0.1, momentum: 0.9 });
        return { opt, schedules: [new StepLR(opt, { stepSize: 3, gamma: 0.5 })] };
      },
    ],
    [
      'Adam + CosineAnnealingLR + ReduceLROnPlateau',
      (params) => {
        const opt = new Adam(params, { lr: 0.05 });
        return {
          opt,
          schedules: [
            new CosineAnnealingLR(opt, { tMax: 7 }),
            new ReduceLROnPlateau(opt, { patience: 1 }),
          ],
        };
      },
    ],
  ];

  it.each(builds)('%s continue bit for bit', (_name, build) => {
    const gradient = (t: number) => [Math.sin(t), Math.cos(3 * t), 0.1 * t];
    const stepAll = (run: Run, params: Tensor[], t: number) => {
      params[0]!.grad = tensor(gradient(t));
      run.opt.step();
      for (const s of run.schedules) {
        if (s instanceof ReduceLROnPlateau) s.step(Math.abs(Math.sin(t)));
        else s.step();
      }
    };
    const straight = leaves([[1, -1, 0.5]]);
    const a = build(straight);
    let resumed: Tensor[] = [];
    let b: Run | null = null;
    for (let t = 0; t < 20; t++) {
      if (t === 9) {
        const saved = throughJson({
          params: Array.from(straight[0]!.data),
          opt: a.opt.stateDict(),
          schedules: a.schedules.map((s) => s.stateDict()),
        });
        resumed = leaves([saved.params]);
        b = build(resumed);
        b.opt.loadStateDict(saved.opt);
        b.schedules.forEach((s, i) => {
          s.loadStateDict(saved.schedules[i] as never);
        });
      }
      stepAll(a, straight, t);
      if (b !== null) stepAll(b, resumed, t);
    }
    expect(bits(resumed)).toEqual(bits(straight));
    expect(b!.opt.paramGroups[0]!.lr).toBe(a.opt.paramGroups[0]!.lr);
    expect(b!.schedules.map((s) => s.getLastLr())).toEqual(a.schedules.map((s) => s.getLastLr()));
  });
});

const sgd = () => new SGD([param()], { lr: 0.1 });

const scheduleCases: ErrorCase[] = [
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
