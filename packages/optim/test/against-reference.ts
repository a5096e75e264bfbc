/**
 * An optimizer, in every combination of its switches, against the independent
 * implementation of its documented algorithm in reference.ts: random parameters,
 * several steps of gradients that change (in scale too) and are sometimes missing,
 * and the parameters compared after every step. Each optimizer's test file runs it.
 */

import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  combinations,
  leaves,
  type OptimizerName,
  problems,
  referenceTrajectory,
  setGrads,
  subjectNamed,
} from './subjects.ts';

/** The two implementations round differently; a few steps keep them within this. */
export const AGREE = { atol: 1e-12, rtol: 1e-9 };

export function describeAgainstReference(name: OptimizerName): void {
  const subject = subjectNamed(name);
  describe(`${name} against its documented algorithm`, () => {
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
  });
}
