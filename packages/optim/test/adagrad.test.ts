/**
 * Adagrad: every combination of its switches against the reference implementation,
 * its first step worked by hand, and the messages of its option checks.
 */

import { tensor } from '@unroll/tensor';
import { describe, expect, it } from 'vitest';
import { Adagrad } from '../src/index.ts';
import { describeAgainstReference } from './against-reference.ts';
import { type ErrorCase, expectError, param } from './expect-error.ts';
import { leaves } from './subjects.ts';

describeAgainstReference('Adagrad');

describe('first steps that can be worked out by hand', () => {
  it('Adagrad from a zero accumulator also takes a first step of lr·g/(|g| + ε)', () => {
    const [theta] = leaves([[0, 0, 0]]);
    theta!.grad = tensor([4, -0.25, 0]);
    new Adagrad([theta!], { lr: 0.1 }).step();
    expect(theta!.data).toBeAllclose([-0.1, 0.1, 0], { atol: 1e-9, rtol: 0 });
  });
});

const optionCases: ErrorCase[] = [
  [
    'lr as a string',
    () => new Adagrad([param()], { lr: '0.1' as never }),
    TypeError,
    'Adagrad: lr must be a number in [0, ∞), got "0.1" (a string)',
  ],
  [
    'eps < 0 in Adagrad',
    () => new Adagrad([param()], { eps: -1e-10 }),
    RangeError,
    'Adagrad: eps must be a number in (0, ∞), got -1e-10',
  ],
  [
    'negative lrDecay',
    () => new Adagrad([param()], { lrDecay: -0.1 }),
    RangeError,
    'Adagrad: lrDecay must be a number in [0, ∞), got -0.1',
  ],
  [
    'negative initial accumulator',
    () => new Adagrad([param()], { initialAccumulatorValue: -1 }),
    RangeError,
    'Adagrad: initialAccumulatorValue must be a number in [0, ∞), got -1',
  ],
];

describe('options', () => {
  it.each(optionCases)('%s', (_what, f, kind, message) => {
    expectError(f, kind, message);
  });
});
