/**
 * The option checks behind every constructor: each returns the value or its default,
 * and each refusal names the owner, the option, the value and what is allowed.
 */

import { describe, expect, it } from 'vitest';
import {
  booleanOption,
  checkKeys,
  choiceOption,
  integerOption,
  rangeOption,
} from '../src/options.ts';

describe('checkKeys', () => {
  it('accepts an object whose keys are all allowed, including none', () => {
    expect(() => checkKeys('Linear', { inFeatures: 1 }, ['inFeatures', 'bias'])).not.toThrow();
    expect(() => checkKeys('Linear', {}, ['inFeatures'])).not.toThrow();
  });

  it('refuses an unknown key, listing the allowed ones', () => {
    expect(() => checkKeys('Linear', { in_features: 1 }, ['inFeatures', 'bias'])).toThrow(
      "Linear: unknown option 'in_features' (allowed: inFeatures, bias)",
    );
  });

  it('refuses anything but one plain options object, saying what it got', () => {
    expect(() => checkKeys('GRU', undefined, [])).toThrow(
      'GRU: expected one options object, got undefined',
    );
    expect(() => checkKeys('GRU', null, [])).toThrow('GRU: expected one options object, got null');
    expect(() => checkKeys('GRU', [3, 4], [])).toThrow(
      'GRU: expected one options object, got an array',
    );
    expect(() => checkKeys('GRU', 'big', [])).toThrow(
      "GRU: expected one options object, got 'big'",
    );
    expect(() => checkKeys('GRU', 4, [])).toThrow('GRU: expected one options object, got 4');
  });
});

describe('integerOption', () => {
  it('returns a safe integer at or above the minimum (1 unless given)', () => {
    expect(integerOption('RNN', 'numLayers', 1)).toBe(1);
    expect(integerOption('RNN', 'numLayers', 7)).toBe(7);
    expect(integerOption('RNN', 'skip', 0, 0)).toBe(0);
  });

  it('refuses fractions, values below the minimum, unsafe integers and non-numbers', () => {
    expect(() => integerOption('RNN', 'hiddenSize', 2.5)).toThrow(
      'RNN: hiddenSize must be an integer ≥ 1, got 2.5',
    );
    expect(() => integerOption('RNN', 'hiddenSize', 0)).toThrow(
      'RNN: hiddenSize must be an integer ≥ 1, got 0',
    );
    expect(() => integerOption('RNN', 'skip', -1, 0)).toThrow(
      'RNN: skip must be an integer ≥ 0, got -1',
    );
    expect(() => integerOption('RNN', 'hiddenSize', 2 ** 53)).toThrow(
      `RNN: hiddenSize must be an integer ≥ 1, got ${2 ** 53}`,
    );
    expect(() => integerOption('RNN', 'hiddenSize', '4')).toThrow(
      "RNN: hiddenSize must be an integer ≥ 1, got '4'",
    );
    expect(() => integerOption('RNN', 'hiddenSize', undefined)).toThrow(
      'RNN: hiddenSize must be an integer ≥ 1, got undefined',
    );
  });
});

describe('booleanOption', () => {
  it('returns the value, or the fallback when left out', () => {
    expect(booleanOption('Linear', 'bias', false, true)).toBe(false);
    expect(booleanOption('Linear', 'bias', true, false)).toBe(true);
    expect(booleanOption('Linear', 'bias', undefined, true)).toBe(true);
    expect(booleanOption('Linear', 'bias', undefined, false)).toBe(false);
  });

  it('refuses truthy and falsy stand-ins for true and false', () => {
    expect(() => booleanOption('Linear', 'bias', 0, true)).toThrow(
      'Linear: bias must be true or false, got 0',
    );
    expect(() => booleanOption('Linear', 'bias', 'true', true)).toThrow(
      "Linear: bias must be true or false, got 'true'",
    );
    expect(() => booleanOption('Linear', 'bias', null, true)).toThrow(
      'Linear: bias must be true or false, got null',
    );
  });
});

describe('choiceOption', () => {
  const allowed = ['tanh', 'relu'] as const;

  it('returns an allowed value, or the fallback when left out', () => {
    expect(choiceOption('RNN', 'nonlinearity', 'relu', allowed, 'tanh')).toBe('relu');
    expect(choiceOption('RNN', 'nonlinearity', undefined, allowed, 'tanh')).toBe('tanh');
  });

  it('refuses anything else, quoting every allowed value', () => {
    expect(() => choiceOption('RNN', 'nonlinearity', 'Tanh', allowed, 'tanh')).toThrow(
      "RNN: nonlinearity must be one of 'tanh', 'relu', got 'Tanh'",
    );
    expect(() => choiceOption('RNN', 'nonlinearity', { name: 'tanh' }, allowed, 'tanh')).toThrow(
      "RNN: nonlinearity must be one of 'tanh', 'relu', got an object",
    );
  });
});

describe('rangeOption', () => {
  it('[min, max): min is in, max is out; the fallback when left out', () => {
    expect(rangeOption('LSTM', 'dropout', 0, [0, 1], 0.5)).toBe(0);
    expect(rangeOption('LSTM', 'dropout', 0.999, [0, 1], 0.5)).toBe(0.999);
    expect(rangeOption('LSTM', 'dropout', undefined, [0, 1], 0.5)).toBe(0.5);
    expect(() => rangeOption('LSTM', 'dropout', 1, [0, 1], 0)).toThrow(
      'LSTM: dropout must be in [0, 1), got 1',
    );
    expect(() => rangeOption('LSTM', 'dropout', -0.1, [0, 1], 0)).toThrow(
      'LSTM: dropout must be in [0, 1), got -0.1',
    );
  });

  it('[min, max] when closed: max is in too', () => {
    expect(rangeOption('LSTMCell', 'forgetBias', 100, [-100, 100], 0, true)).toBe(100);
    expect(() => rangeOption('LSTMCell', 'forgetBias', 100.5, [-100, 100], 0, true)).toThrow(
      'LSTMCell: forgetBias must be in [-100, 100], got 100.5',
    );
  });

  it('refuses NaN and non-numbers, which compare false with both ends', () => {
    expect(() => rangeOption('LSTM', 'dropout', Number.NaN, [0, 1], 0)).toThrow(
      'LSTM: dropout must be in [0, 1), got NaN',
    );
    expect(() => rangeOption('LSTM', 'dropout', '0.5', [0, 1], 0)).toThrow(
      "LSTM: dropout must be in [0, 1), got '0.5'",
    );
    expect(() => rangeOption('LSTM', 'dropout', [0.5], [0, 1], 0)).toThrow(
      'LSTM: dropout must be in [0, 1), got an array',
    );
  });
});
