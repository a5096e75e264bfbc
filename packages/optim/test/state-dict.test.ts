/**
 * Stopping and resuming: a run that saves its optimizer (and schedule) after k
 * steps, and is rebuilt from that snapshot in a fresh optimizer over fresh tensors,
 * must continue bit for bit like the run that never stopped. The snapshot is
 * copied by structuredClone (as a binary checkpoint keeps every bit), or sent
 * through JSON, which keeps every number except the sign of zero.
 */

import { type Tensor, tensor } from '@unroll/tensor';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  Adam,
  type AnyOptimizer,
  CosineAnnealingLR,
  type OptimizerStateDictInput,
  ReduceLROnPlateau,
  SGD,
  StepLR,
} from '../src/index.ts';
import {
  combinations,
  type Hyper,
  leaves,
  type Problem,
  problems,
  type Stepper,
  setGrads,
  subjects,
} from './subjects.ts';

/** Through JSON as a text checkpoint would go: Float64Arrays become plain arrays. */
function throughJson<T>(value: T): T {
  const text = JSON.stringify(value, (_key, v) => (v instanceof Float64Array ? Array.from(v) : v));
  return JSON.parse(text);
}

/** A binary copy, as a checkpoint that stores raw float64 bytes makes. */
const throughBytes = <T>(value: T): T => structuredClone(value);

/** The bits of every parameter: equal arrays of bits, not just close numbers. */
const bits = (params: Tensor[]) =>
  params.map((p) => Array.from(new BigUint64Array(p.data.slice().buffer)));

describe.each(subjects)('$name state dict', (subject) => {
  const cases = fc
    .constantFrom(...combinations(subject))
    .chain((on) => fc.tuple(problems, subject.hyper(on), fc.nat()));

  /** Runs straight through, and again stopped before step k and rebuilt from a copy. */
  function stopAndResume(
    [problem, hyper, k]: [Problem, Hyper, number],
    copy: <T>(value: T) => T,
  ): { straight: Tensor[]; resumed: Tensor[] } {
    const stopAt = k % problem.grads.length;
    const straight = leaves(problem.initial);
    const straightOpt = subject.make(straight, hyper);
    let resumed: Tensor[] = [];
    let resumedOpt: Stepper | null = null;
    problem.grads.forEach((stepGrads, step) => {
      if (step === stopAt) {
        // Save, then rebuild everything from the saved numbers alone.
        const saved = copy({
          params: straight.map((p) => Array.from(p.data)),
          opt: straightOpt.stateDict(),
        });
        resumed = leaves(saved.params);
        resumedOpt = subject.make(resumed, {});
        resumedOpt.loadStateDict(saved.opt);
      }
      setGrads(straight, stepGrads);
      straightOpt.step();
      if (resumedOpt !== null) {
        setGrads(resumed, stepGrads);
        resumedOpt.step();
      }
    });
    return { straight, resumed };
  }

  it('resumes bit for bit, in every combination of options', () => {
    fc.assert(
      fc.property(cases, (c) => {
        const { straight, resumed } = stopAndResume(c, throughBytes);
        expect(bits(resumed)).toEqual(bits(straight));
      }),
      { numRuns: 60 },
    );
  });

  it('resumes from JSON with exactly the same numbers (JSON cannot tell −0 from 0)', () => {
    fc.assert(
      fc.property(cases, (c) => {
        const { straight, resumed } = stopAndResume(c, throughJson);
        resumed.forEach((p, i) => {
          expect(p.data).toBeAllclose(straight[i]!.data, { atol: 0, rtol: 0 });
        });
      }),
      { numRuns: 30 },
    );
  });

  it('snapshots are copies: stepping after stateDict() does not change the snapshot', () => {
    const params = leaves([[1, 2, 3]]);
    const opt = subject.make(params, {});
    setGrads(params, [[0.1, 0.2, 0.3]]);
    opt.step();
    const before = throughJson(opt.stateDict());
    const snapshot = opt.stateDict();
    opt.step();
    expect(throughJson(snapshot)).toEqual(before);
  });
});

describe('loadStateDict', () => {
  const make = () => {
    const params = [tensor([1, 2], { requiresGrad: true }), tensor([3], { requiresGrad: true })];
    const opt = new Adam(params, { lr: 0.1, amsgrad: true });
    params.forEach((p) => {
      p.grad = tensor(Array.from(p.data, (x) => x / 10));
    });
    opt.step();
    return { params, opt };
  };

  it('restores group options as well as state', () => {
    const { opt } = make();
    const other = make().opt;
    other.paramGroups[0]!.lr = 0.5;
    other.paramGroups[0]!.betas = [0.5, 0.6];
    opt.loadStateDict(other.stateDict());
    expect(opt.paramGroups[0]!.lr).toBe(0.5);
    expect(opt.paramGroups[0]!.betas).toEqual([0.5, 0.6]);
  });

  it('rejects a snapshot that does not fit, and changes nothing then', () => {
    const { opt } = make();
    // Edited copies of a good snapshot, loosely typed so that they can be broken.
    // biome-ignore lint/suspicious/noExplicitAny: the point is to build invalid input.
    const bad = (edit: (d: any) => void): OptimizerStateDictInput => {
      const d = throughJson(opt.stateDict());
      edit(d);
      return d;
    };
    const cases: [OptimizerStateDictInput, RegExp][] = [
      [
        bad((d) => d.paramGroups.push({ ...d.paramGroups[0] })),
        /Adam.loadStateDict: the state dict has 2 parameter groups, this optimizer has 1/,
      ],
      [
        bad((d) => d.paramGroups[0].params.pop()),
        /parameter group 0 has 2 parameters but the state dict's has \[0\] \(an array\)/,
      ],
      [
        bad((d) => {
          d.paramGroups[0].lr = -1;
        }),
        /Adam.loadStateDict param group 0: lr must be a number in \[0, ∞\), got -1/,
      ],
      [
        bad((d) => {
          d.paramGroups[0].weight_decay = 0;
        }),
        /unknown option 'weight_decay' \(did you mean 'weightDecay'\?\)/,
      ],
      [
        bad((d) => {
          d.state[1].expAvg = [1, 2];
        }),
        /state\[1\]\.expAvg has 2 entries but the parameter has shape \[1\] \(1 entries\)/,
      ],
      [
        bad((d) => {
          d.state[0].step = 'one';
        }),
        /state\[0\]\.step must be a finite number, got "one" \(a string\)/,
      ],
      [
        bad((d) => {
          d.state[0].expAvg = null;
        }),
        /state\[0\]\.expAvg must be an array of numbers, got null/,
      ],
      [
        bad((d) => {
          d.state[0].momentum = [1, 2];
        }),
        /state\[0\] has an unknown entry 'momentum'; expected step, expAvg, expAvgSq, maxExpAvgSq/,
      ],
      [
        bad((d) => {
          d.state[7] = d.state[0];
        }),
        /state has an entry for parameter 7, but there are only 2 parameters \(0 to 1\)/,
      ],
    ];
    const before = throughJson(opt.stateDict());
    for (const [dict, message] of cases) {
      expect(() => opt.loadStateDict(dict)).toThrow(message);
      expect(throughJson(opt.stateDict())).toEqual(before);
    }
  });

  it('copies buffers in, so later changes to the snapshot do not reach the optimizer', () => {
    const { opt } = make();
    const snapshot = opt.stateDict();
    opt.loadStateDict(snapshot);
    const before = throughJson(opt.stateDict());
    (snapshot.state[0]!.expAvg as Float64Array).fill(99);
    expect(throughJson(opt.stateDict())).toEqual(before);
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

describe('AnyOptimizer', () => {
  it('lets code choose an optimizer at run time and still schedule, save and load it', () => {
    const choose = (name: string, params: Tensor[]): AnyOptimizer =>
      name === 'sgd' ? new SGD(params, { lr: 0.1 }) : new Adam(params, { lr: 0.1 });
    for (const name of ['sgd', 'adam']) {
      const [p] = leaves([[1, 2]]);
      const opt = choose(name, [p!]);
      const schedule = new StepLR(opt, { stepSize: 1, gamma: 0.5 });
      p!.grad = tensor([1, 1]);
      opt.step();
      schedule.step();
      const copy = choose(name, leaves([[1, 2]]));
      copy.loadStateDict(throughJson(opt.stateDict()));
      expect(copy.paramGroups[0]!.lr).toBe(0.05);
      expect(throughJson(copy.stateDict())).toEqual(throughJson(opt.stateDict()));
    }
  });
});
