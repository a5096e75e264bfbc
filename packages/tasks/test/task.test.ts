/**
 * task.ts: the classification evaluation every classification task reports, and the
 * argument checks every task shares (integers, numbers, shapes) with their messages.
 */

import { ShapeError, tensor } from '@unroll/tensor';
import { describe, expect, it } from 'vitest';
import { checkInteger, checkNumber, checkShape, evaluateClassification } from '../src/task.ts';

describe('evaluateClassification', () => {
  it('reports mean cross-entropy and accuracy beside chance ln C, worked by hand', () => {
    // Row 0: logits (1, 0), class 0: p = e/(e + 1), right.  Row 1: logits (0, ln 3),
    // class 0: p = 1/4, wrong. Cross-entropy (ln(1 + e⁻¹) + ln 4)/2, accuracy 1/2.
    const logits = tensor([
      [1, 0],
      [0, Math.log(3)],
    ]);
    const targets = tensor([0, 0]);
    const result = evaluateClassification('Parity.evaluate', logits, targets, 2, 0.5);
    const crossEntropy = (Math.log(1 + Math.exp(-1)) + Math.log(4)) / 2;
    expect(result.crossEntropy).toBeAllclose(crossEntropy, { rtol: 1e-14, atol: 0 });
    expect(result.loss).toBe(result.crossEntropy);
    expect(result.accuracy).toBe(0.5);
    expect(result.baseline).toBe(Math.log(2));
    expect(result.relativeLoss).toBeAllclose(crossEntropy / Math.log(2), { rtol: 1e-14, atol: 0 });
    expect(result.solved).toBe(true); // accuracy 0.5 ≥ 0.5
    expect(evaluateClassification('Parity.evaluate', logits, targets, 2, 0.51).solved).toBe(false);
  });

  it('refuses logits that are not [B, C], naming the owner', () => {
    expect(() =>
      evaluateClassification('TemporalOrder.evaluate', tensor([[0, 0, 0]]), tensor([1]), 4, 0.9),
    ).toThrow('TemporalOrder.evaluate: logits must have shape [1, 4], got [1, 3]');
  });
});

describe('checkInteger', () => {
  it('accepts integers inside [min, max], ends included', () => {
    expect(() => checkInteger('Adding', 'length', 2, 2)).not.toThrow();
    expect(() => checkInteger('Adding', 'length', 1e6, 2)).not.toThrow();
    expect(() => checkInteger('Parity', 'minLength', 5, 1, 5)).not.toThrow();
  });

  it('refuses fractions, NaN and values outside, saying the range', () => {
    expect(() => checkInteger('Adding', 'length', 1, 2)).toThrow(
      'Adding: length must be an integer >= 2, got 1',
    );
    expect(() => checkInteger('Adding', 'length', 2.5, 2)).toThrow(
      'Adding: length must be an integer >= 2, got 2.5',
    );
    expect(() => checkInteger('Parity', 'minLength', 6, 1, 5)).toThrow(
      'Parity: minLength must be an integer in [1, 5], got 6',
    );
    expect(() => checkInteger('Parity', 'minLength', Number.NaN, 1, 5)).toThrow(
      'Parity: minLength must be an integer in [1, 5], got NaN',
    );
  });
});

describe('checkNumber', () => {
  it('accepts finite numbers in [min, max] and refuses the rest, infinities included', () => {
    expect(() => checkNumber('sineSeries', 'noise', 0, 0, 1)).not.toThrow();
    expect(() => checkNumber('sineSeries', 'noise', 1, 0, 1)).not.toThrow();
    expect(() => checkNumber('sineSeries', 'noise', 1.5, 0, 1)).toThrow(
      'sineSeries: noise must be a number in [0, 1], got 1.5',
    );
    expect(() => checkNumber('sineSeries', 'noise', Number.NaN, 0, 1)).toThrow(
      'sineSeries: noise must be a number in [0, 1], got NaN',
    );
    expect(() => checkNumber('sineSeries', 'dt', Infinity, 0, Infinity)).toThrow(
      'sineSeries: dt must be a number in [0, Infinity], got Infinity',
    );
  });
});

describe('checkShape', () => {
  it('matches sizes exactly, −1 matching any size', () => {
    const t = tensor([[[1], [2], [3]]]); // [1, 3, 1]
    expect(() => checkShape('Adding.evaluate', 'predictions', t, [1, 3, 1])).not.toThrow();
    expect(() => checkShape('Adding.evaluate', 'predictions', t, [-1, -1, 1])).not.toThrow();
  });

  it('throws a ShapeError writing −1 as *, and a rank mismatch too', () => {
    const t = tensor([[1, 2]]);
    expect(() => checkShape('Adding.evaluate', 'predictions', t, [-1, 1])).toThrow(ShapeError);
    expect(() => checkShape('Adding.evaluate', 'predictions', t, [-1, 1])).toThrow(
      'Adding.evaluate: predictions must have shape [*, 1], got [1, 2]',
    );
    expect(() => checkShape('Adding.evaluate', 'predictions', t, [1, 2, 1])).toThrow(
      'Adding.evaluate: predictions must have shape [1, 2, 1], got [1, 2]',
    );
  });
});
