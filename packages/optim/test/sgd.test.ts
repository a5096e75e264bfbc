/**
 * SGD: every combination of momentum, dampening, Nesterov, weight decay and maximize
 * against the reference implementation, momentum's geometric series worked by hand,
 * and the messages of its option checks.
 */

import { tensor } from '@unroll/tensor';
import { describe, expect, it } from 'vitest';
import { SGD } from '../src/index.ts';
import { describeAgainstReference } from './against-reference.ts';
import { type ErrorCase, expectError, param } from './expect-error.ts';
import { leaves } from './subjects.ts';

describeAgainstReference('SGD');

describe('first steps that can be worked out by hand', () => {
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
});

const optionCases: ErrorCase[] = [
  [
    'negative lr',
    () => new SGD([param()], { lr: -0.1 }),
    RangeError,
    'SGD: lr must be a number in [0, ∞), got -0.1',
  ],
  [
    'negative momentum in SGD',
    () => new SGD([param()], { momentum: -0.5 }),
    RangeError,
    'SGD: momentum must be a number in [0, ∞), got -0.5',
  ],
  [
    'dampening > 1',
    () => new SGD([param()], { momentum: 0.9, dampening: 2 }),
    RangeError,
    'SGD: dampening must be a number in [0, 1], got 2',
  ],
  [
    'negative weight decay',
    () => new SGD([param()], { weightDecay: -1 }),
    RangeError,
    'SGD: weightDecay must be a number in [0, ∞), got -1',
  ],
  [
    'nesterov given as a number',
    () => new SGD([param()], { nesterov: 1 as never }),
    TypeError,
    'SGD: nesterov must be true or false, got 1 (a number)',
  ],
  [
    'maximize given as a string',
    () => new SGD([param()], { maximize: 'false' as never }),
    TypeError,
    'SGD: maximize must be true or false, got "false" (a string)',
  ],
  [
    'nesterov without momentum',
    () => new SGD([param()], { nesterov: true }),
    RangeError,
    'SGD: nesterov needs momentum > 0 and dampening = 0, got momentum 0 and dampening 0',
  ],
  [
    'nesterov with dampening',
    () => new SGD([param()], { nesterov: true, momentum: 0.9, dampening: 0.1 }),
    RangeError,
    'SGD: nesterov needs momentum > 0 and dampening = 0, got momentum 0.9 and dampening 0.1',
  ],
];

describe('options', () => {
  it.each(optionCases)('%s', (_what, f, kind, message) => {
    expectError(f, kind, message);
  });
});
