/**
 * The checks behind every message in the package, called directly: intervals and how
 * they print, how a received value is shown, and which checks throw a TypeError (a
 * value of the wrong kind) and which a RangeError (a number outside its range).
 */

import { tensor } from '@unroll/tensor';
import { describe, expect, it } from 'vitest';
import {
  checkBoolean,
  checkChoice,
  checkKnownOptions,
  checkNumber,
  checkOptionsObject,
  checkParameter,
  describeValue,
  formatInterval,
  interval,
  NON_NEGATIVE,
  NON_NEGATIVE_INTEGER,
  POSITIVE,
  POSITIVE_INTEGER,
  UNIT_CLOSED,
  UNIT_HALF_OPEN,
} from '../src/validate.ts';
import { expectError } from './expect-error.ts';

describe('intervals', () => {
  it('interval() reads its brackets: [ and ] closed, ( and ) open', () => {
    expect(interval('[', 0, 1, ')')).toEqual({
      low: 0,
      high: 1,
      lowClosed: true,
      highClosed: false,
      integer: false,
    });
    expect(interval('(', -1, 2, ']', true)).toEqual({
      low: -1,
      high: 2,
      lowClosed: false,
      highClosed: true,
      integer: true,
    });
  });

  it('formatInterval writes the brackets, ∞ for infinite ends, and whether whole numbers are asked', () => {
    expect(formatInterval(NON_NEGATIVE)).toBe('a number in [0, ∞)');
    expect(formatInterval(POSITIVE)).toBe('a number in (0, ∞)');
    expect(formatInterval(UNIT_HALF_OPEN)).toBe('a number in [0, 1)');
    expect(formatInterval(UNIT_CLOSED)).toBe('a number in [0, 1]');
    expect(formatInterval(POSITIVE_INTEGER)).toBe('an integer in [1, ∞)');
    expect(formatInterval(NON_NEGATIVE_INTEGER)).toBe('an integer in [0, ∞)');
    expect(formatInterval(interval('(', -Infinity, 0.5, ']'))).toBe('a number in (-∞, 0.5]');
  });
});

describe('describeValue', () => {
  it('shows numbers as numbers, keeping the sign of −0', () => {
    expect(describeValue(0.25)).toBe('0.25');
    expect(describeValue(-0)).toBe('-0');
    expect(describeValue(0)).toBe('0');
    expect(describeValue(Number.NaN)).toBe('NaN');
    expect(describeValue(-Infinity)).toBe('-Infinity');
  });

  it('names the kind of everything else', () => {
    expect(describeValue('0.1')).toBe('"0.1" (a string)');
    expect(describeValue(null)).toBe('null');
    expect(describeValue(undefined)).toBe('undefined');
    expect(describeValue([1, 'a', [2]])).toBe('[1, "a" (a string), [2] (an array)] (an array)');
    expect(describeValue(tensor([[1, 2, 3]]))).toBe('a Tensor of shape [1,3]');
    expect(describeValue(true)).toBe('true (a boolean)');
    expect(describeValue({ lr: 1 })).toBe('[object Object] (an object)');
    expect(describeValue(3n)).toBe('3 (a bigint)');
  });
});

describe('checkNumber', () => {
  it('returns a number inside the interval, ends included only where closed', () => {
    expect(checkNumber('Adam', 'lr', 0, NON_NEGATIVE)).toBe(0);
    expect(checkNumber('Adam', 'lr', 1e9, NON_NEGATIVE)).toBe(1e9);
    expect(checkNumber('SGD', 'dampening', 1, UNIT_CLOSED)).toBe(1);
    expect(checkNumber('clip', 'normType', Infinity, interval('(', 0, Infinity, ']'))).toBe(
      Infinity,
    );
    expectError(
      () => checkNumber('Adam', 'eps', 0, POSITIVE),
      RangeError,
      'Adam: eps must be a number in (0, ∞), got 0',
    );
    expectError(
      () => checkNumber('RMSprop', 'alpha', 1, UNIT_HALF_OPEN),
      RangeError,
      'RMSprop: alpha must be a number in [0, 1), got 1',
    );
    expectError(
      () => checkNumber('Adam', 'lr', Infinity, NON_NEGATIVE),
      RangeError,
      'Adam: lr must be a number in [0, ∞), got Infinity',
    );
  });

  it('refuses NaN, which is inside no interval, and fractions where integers are asked', () => {
    expectError(
      () => checkNumber('Adam', 'lr', Number.NaN, NON_NEGATIVE),
      RangeError,
      'Adam: lr must be a number in [0, ∞), got NaN',
    );
    expectError(
      () => checkNumber('StepLR', 'stepSize', 1.5, POSITIVE_INTEGER),
      RangeError,
      'StepLR: stepSize must be an integer in [1, ∞), got 1.5',
    );
    expect(checkNumber('StepLR', 'stepSize', 3, POSITIVE_INTEGER)).toBe(3);
  });

  it('throws a TypeError, not a RangeError, for a value that is not a number', () => {
    expectError(
      () => checkNumber('Adam', 'lr', '0.1', NON_NEGATIVE),
      TypeError,
      'Adam: lr must be a number in [0, ∞), got "0.1" (a string)',
    );
    expectError(
      () => checkNumber('Adam', 'lr', undefined, NON_NEGATIVE),
      TypeError,
      'Adam: lr must be a number in [0, ∞), got undefined',
    );
  });
});

describe('checkBoolean and checkChoice', () => {
  it('checkBoolean returns true and false, and refuses 0 and strings as a TypeError', () => {
    expect(checkBoolean('SGD', 'nesterov', true)).toBe(true);
    expect(checkBoolean('SGD', 'nesterov', false)).toBe(false);
    expectError(
      () => checkBoolean('SGD', 'nesterov', 0),
      TypeError,
      'SGD: nesterov must be true or false, got 0 (a number)',
    );
    expectError(
      () => checkBoolean('SGD', 'nesterov', 'false'),
      TypeError,
      'SGD: nesterov must be true or false, got "false" (a string)',
    );
  });

  it('checkChoice: a string not listed is a RangeError, anything else a TypeError', () => {
    const modes = ['min', 'max'] as const;
    expect(checkChoice('Plateau', 'mode', 'max', modes)).toBe('max');
    expectError(
      () => checkChoice('Plateau', 'mode', 'MAX', modes),
      RangeError,
      "Plateau: mode must be 'min' or 'max', got \"MAX\" (a string)",
    );
    expectError(
      () => checkChoice('Plateau', 'mode', 1, modes),
      TypeError,
      "Plateau: mode must be 'min' or 'max', got 1",
    );
  });
});

describe('checkKnownOptions and checkOptionsObject', () => {
  const known = ['lr', 'weightDecay', 'maximize'];

  it('passes known names, and suggests the camelCase spelling of a snake_case one only when it exists', () => {
    expect(() => checkKnownOptions('SGD', { lr: 1, maximize: true }, known)).not.toThrow();
    expectError(
      () => checkKnownOptions('SGD', { weight_decay: 0 }, known),
      TypeError,
      "SGD: unknown option 'weight_decay' (did you mean 'weightDecay'?); the options are lr, weightDecay, maximize",
    );
    expectError(
      () => checkKnownOptions('SGD', { learning_rate: 0.1 }, known),
      TypeError,
      "SGD: unknown option 'learning_rate'; the options are lr, weightDecay, maximize",
    );
    expectError(
      () => checkKnownOptions('SGD', { momentum: 0.9 }, known),
      TypeError,
      "SGD: unknown option 'momentum'; the options are lr, weightDecay, maximize",
    );
  });

  it('checkOptionsObject accepts a plain object and refuses null, arrays and numbers', () => {
    expect(() => checkOptionsObject('Adam', {})).not.toThrow();
    expectError(
      () => checkOptionsObject('Adam', null),
      TypeError,
      'Adam: options must be an object such as { lr: 0.01 }, got null',
    );
    expectError(
      () => checkOptionsObject('Adam', [0.1]),
      TypeError,
      'Adam: options must be an object such as { lr: 0.01 }, got [0.1] (an array)',
    );
    expectError(
      () => checkOptionsObject('Adam', 0.1),
      TypeError,
      'Adam: options must be an object such as { lr: 0.01 }, got 0.1',
    );
  });
});

describe('checkParameter', () => {
  it('returns a leaf tensor that requires grad, the same object', () => {
    const p = tensor([1, 2], { requiresGrad: true });
    expect(checkParameter('SGD', 'params[0]', p)).toBe(p);
  });

  it('refuses a non-tensor, a tensor without requiresGrad, and a computed tensor, naming where', () => {
    expectError(
      () => checkParameter('SGD', 'params[3]', { data: [1] }),
      TypeError,
      'SGD: params[3] must be a Tensor, got [object Object] (an object)',
    );
    expectError(
      () => checkParameter('SGD', 'params[0]', tensor([[1], [2]])),
      TypeError,
      'SGD: params[0] (shape [2,1]) does not require grad, so it never gets one; create it with { requiresGrad: true } or leave it out',
    );
    const leaf = tensor([1, 2], { requiresGrad: true });
    expectError(
      () => checkParameter('clipGradNorm', 'params[1]', leaf.add(leaf)),
      TypeError,
      "clipGradNorm: params[1] (shape [2]) was computed by 'add', not created: only leaf tensors can be optimized",
    );
  });
});
