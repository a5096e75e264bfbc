/**
 * Every optimizer, in every combination of its switches, against the independent
 * implementation of its documented algorithm in reference.ts: random parameters,
 * several steps of gradients that change (in scale too) and are sometimes missing,
 * and the parameters compared after every step.
 */

import { tensor } from '@unroll/tensor';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { Adagrad, Adam, AdamW, RMSprop, SGD } from '../src/index.ts';
import {
  combinations,
  leaves,
  problems,
  referenceTrajectory,
  setGrads,
  subjects,
} from './subjects.ts';

/** The two implementations round differently; a few steps keep them within this. */
const AGREE = { atol: 1e-12, rtol: 1e-9 };

describe.each(subjects)('$name against its documented algorithm', (subject) => {
  it.each(combinations(subject).map((on) => [[...on].join(' + ') || 'defaults', on] as const))(
    'with %s',
    (_label, on) => {
      fc.assert(
        fc.property(problems, subject.hyper(on), (problem, hyper) => {
          const params = leaves(problem.initial);
          const opt = subject.make(params, hyper);
          const expected = referenceTrajectory(
            subject,
            params.map(() => hyper),
            problem,
          );
          problem.grads.forEach((stepGrads, step) => {
            setGrads(params, stepGrads);
            opt.step();
            params.forEach((p, i) => {
              expect(p.data, `step ${step}, parameter ${i}`).toBeAllclose(
                expected[step]![i]!,
                AGREE,
              );
            });
          });
        }),
        { numRuns: 12 },
      );
    },
  );

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

describe('first steps that can be worked out by hand', () => {
  it('Adam and AdamW move every entry by lr·g/(|g| + ε) at the first step, whatever the scale', () => {
    fc.assert(
      fc.property(
        fc.array(fc.double({ min: -1e3, max: 1e3, noNaN: true }), { minLength: 1, maxLength: 6 }),
        (g) => {
          for (const Optimizer of [Adam, AdamW]) {
            const [theta] = leaves([g.map(() => 0)]);
            theta!.grad = tensor(g);
            new Optimizer([theta!], { lr: 0.01, weightDecay: 0 }).step();
            // m̂ = g and v̂ = g² at t = 1: the step is −lr·g/(|g| + ε).
            expect(theta!.data).toBeAllclose(
              g.map((x) => (-0.01 * x) / (Math.abs(x) + 1e-8)),
              { atol: 1e-15, rtol: 1e-12 },
            );
          }
        },
      ),
    );
  });

  it('Adagrad from a zero accumulator also takes a first step of lr·g/(|g| + ε)', () => {
    const [theta] = leaves([[0, 0, 0]]);
    theta!.grad = tensor([4, -0.25, 0]);
    new Adagrad([theta!], { lr: 0.1 }).step();
    expect(theta!.data).toBeAllclose([-0.1, 0.1, 0], { atol: 1e-9, rtol: 0 });
  });

  it('RMSprop divides the first gradient by √(1 − α)|g| + ε', () => {
    const [theta] = leaves([[0, 0]]);
    theta!.grad = tensor([3, -2]);
    new RMSprop([theta!], { lr: 0.01, alpha: 0.75 }).step();
    // v = (1 − 0.75)g², √v = |g|/2: the step is −0.01·g/(|g|/2) = ∓0.02.
    expect(theta!.data).toBeAllclose([-0.02, 0.02], { atol: 1e-9, rtol: 0 });
  });

  it('SGD with momentum 0.9 and a constant gradient of 1 takes steps lr·(1, 1.9, 2.71, ...)', () => {
    const [theta] = leaves([[0]]);
    const opt = new SGD([theta!], { lr: 0.1, momentum: 0.9 });
    const positions: number[] = [];
    for (let t = 0; t < 4; t++) {
      theta!.grad = tensor([1]);
      opt.step();
      positions.push(theta!.data[0]!);
    }
    // b₁ = 1, b₂ = 1.9, b₃ = 2.71, b₄ = 3.439: the sums of the geometric series.
    expect(positions).toBeAllclose([-0.1, -0.29, -0.561, -0.9049], { atol: 1e-12, rtol: 0 });
  });

  it('AdamW shrinks θ by (1 − lr·λ) even where the gradient is zero; Adam with L2 does not quite', () => {
    const [a, b] = leaves([[2], [2]]);
    a!.grad = tensor([0]);
    b!.grad = tensor([0]);
    new AdamW([a!], { lr: 0.1, weightDecay: 0.5 }).step();
    new Adam([b!], { lr: 0.1, weightDecay: 0.5 }).step();
    expect(a!.data[0]).toBeCloseTo(2 * (1 - 0.1 * 0.5), 14);
    // Adam turns the decay into a gradient λθ = 1, which its normalisation makes a full lr step.
    expect(b!.data[0]).toBeCloseTo(2 - 0.1, 6);
  });
});
