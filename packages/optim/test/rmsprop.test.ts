/**
 * RMSprop: every combination of momentum, centered, weight decay and maximize against
 * the reference implementation, its first step worked by hand, and the messages of
 * its option checks.
 */

import { tensor } from '@unroll/tensor';
import { describe, expect, it } from 'vitest';
import { RMSprop } from '../src/index.ts';
import { describeAgainstReference } from './against-reference.ts';
import { type ErrorCase, expectError, param } from './expect-error.ts';
import { leaves } from './subjects.ts';

describeAgainstReference('RMSprop');

describe('first steps that can be worked out by hand', () => {
  it('RMSprop divides the first gradient by √(1 − α)|g| + ε', () => {
    const [theta] = leaves([[0, 0]]);
    theta!.grad = tensor([3, -2]);
    new RMSprop([theta!], { lr: 0.01, alpha: 0.75 }).step();
    // v = (1 − 0.75)g², √v = |g|/2: the step is −0.01·g/(|g|/2) = ∓0.02.
    expect(theta!.data).toBeAllclose([-0.02, 0.02], { atol: 1e-9, rtol: 0 });
  });
});

const optionCases: ErrorCase[] = [
  [
    'negative lr in RMSprop',
    () => new RMSprop([param()], { lr: -1 }),
    RangeError,
    'RMSprop: lr must be a number in [0, ∞), got -1',
  ],
  [
    'eps = 0 in RMSprop',
    () => new RMSprop([param()], { eps: 0 }),
    RangeError,
    'RMSprop: eps must be a number in (0, ∞), got 0',
  ],
  [
    'negative momentum in RMSprop',
    () => new RMSprop([param()], { momentum: -0.9 }),
    RangeError,
    'RMSprop: momentum must be a number in [0, ∞), got -0.9',
  ],
  [
    'alpha = 1',
    () => new RMSprop([param()], { alpha: 1 }),
    RangeError,
    'RMSprop: alpha must be a number in [0, 1), got 1',
  ],
  [
    'centered as a string',
    () => new RMSprop([param()], { centered: 'yes' as never }),
    TypeError,
    'RMSprop: centered must be true or false, got "yes" (a string)',
  ],
];

describe('options', () => {
  it.each(optionCases)('%s', (_what, f, kind, message) => {
    expectError(f, kind, message);
  });
});
