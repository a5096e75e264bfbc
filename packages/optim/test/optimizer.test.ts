/**
 * What every optimizer shares (optimizer.ts): parameter groups with their own options,
 * parameters without a gradient left alone, zeroGrad, addParamGroup, the checks on
 * options and parameter lists, and state dicts.
 *
 * Stopping and resuming: a run that saves its optimizer after k steps, and is rebuilt
 * from that snapshot in a fresh optimizer over fresh tensors, must continue bit for
 * bit like the run that never stopped.
 */

import { ShapeError, type Tensor, tensor } from '@unroll/tensor';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  Adam,
  type AnyOptimizer,
  type OptimizerStateDictInput,
  RMSprop,
  SGD,
  StepLR,
} from '../src/index.ts';
import { AGREE } from './against-reference.ts';
import { type ErrorCase, expectError, param } from './expect-error.ts';
import { bits, throughBytes, throughJson } from './snapshots.ts';
import {
  combinations,
  type Hyper,
  leaves,
  type Problem,
  problems,
  referenceTrajectory,
  type Stepper,
  setGrads,
  subjects,
} from './subjects.ts';

describe.each(subjects)('$name parameter groups and missing grads', (subject) => {
  it('gives each parameter group its own options', () => {
    const combos = combinations(subject);
    const groupHypers = fc.array(
      fc.constantFrom(...combos).chain((on) => subject.hyper(on)),
      {
        minLength: 3,
        maxLength: 3,
      },
    );
    fc.assert(
      fc.property(problems, groupHypers, (problem, hypers) => {
        const params = leaves(problem.initial);
        // One group per parameter, each with options of a different combination.
        const opt = subject.make(
          params.map((p, i) => ({ params: [p], ...hypers[i] })),
          {},
        );
        const expected = referenceTrajectory(subject, hypers, problem);
        problem.grads.forEach((stepGrads, step) => {
          setGrads(params, stepGrads);
          opt.step();
          params.forEach((p, i) => {
            expect(p.data, `step ${step}, group ${i}`).toBeAllclose(expected[step]![i]!, AGREE);
          });
        });
      }),
      { numRuns: 40 },
    );
  });

  it('leaves a parameter without a grad untouched, and gives it no state', () => {
    const [a, b] = leaves([[1, 2], [3]]);
    const opt = subject.make([a!, b!], {});
    a!.grad = tensor([0.5, -0.5]);
    opt.step();
    expect(Array.from(b!.data)).toEqual([3]);
    expect(Object.keys(opt.stateDict().state)).toEqual(['0']);
    expect(Array.from(a!.data)).not.toEqual([1, 2]);
  });
});

describe('zeroGrad and addParamGroup', () => {
  it('zeroGrad() forgets the grads; zeroGrad(false) keeps them as zeros, which still step the state', () => {
    const [a, b] = leaves([[1], [1]]);
    const opt = new SGD([a!, b!], { lr: 0.1, momentum: 0.5 });
    a!.grad = tensor([1]);
    b!.grad = tensor([1]);
    opt.step(); // both buffers b = 1, both θ = 0.9
    opt.zeroGrad(false);
    expect([Array.from(a!.grad!.data), Array.from(b!.grad!.data)]).toEqual([[0], [0]]);
    opt.step(); // a zero gradient is still a gradient: b = 0.5·1 + 0 = 0.5, θ = 0.9 − 0.05
    expect(Array.from(a!.data)).toBeAllclose([0.85], { atol: 1e-15, rtol: 0 });
    opt.zeroGrad();
    expect([a!.grad, b!.grad]).toEqual([null, null]);
    opt.step(); // null grads: skipped, nothing moves
    expect(Array.from(a!.data)).toBeAllclose([0.85], { atol: 1e-15, rtol: 0 });
  });

  it('addParamGroup adds tensors with their own options, and refuses one already held', () => {
    const [a, b] = leaves([[1], [1]]);
    const opt = new SGD([a!], { lr: 0.1 });
    opt.addParamGroup({ params: [b!], lr: 0.5 });
    expect(opt.paramGroups.map((g) => g.lr)).toEqual([0.1, 0.5]);
    a!.grad = tensor([1]);
    b!.grad = tensor([1]);
    opt.step();
    expect([a!.data[0], b!.data[0]]).toBeAllclose([0.9, 0.5], { atol: 1e-15, rtol: 0 });
    expect(() => opt.addParamGroup({ params: [a!] })).toThrow(
      'SGD: param group 2 params[0] is the same tensor as params[0]; a parameter may appear only once',
    );
  });
});

const optimizerCases: ErrorCase[] = [
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
