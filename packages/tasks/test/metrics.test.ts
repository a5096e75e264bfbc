import { describe, expect, it } from 'vitest';
import {
  accuracyOfLogits,
  bitsPerCharacter,
  crossEntropyOfLogits,
  meanSquaredError,
  perplexity,
  rootMeanSquaredError,
} from '../src/index.ts';

describe('metrics', () => {
  it('cross-entropy of logits is −log softmax at the target, stable for huge logits', () => {
    // Row 0: softmax of [0, ln 3] is [1/4, 3/4]; row 1: [1000, 1000] is [1/2, 1/2].
    const ce = crossEntropyOfLogits([0, Math.log(3), 1000, 1000], [1, 0], 2);
    expect(ce).toBeAllclose((-Math.log(3 / 4) + Math.log(2)) / 2, { atol: 1e-15 });
    expect(() => crossEntropyOfLogits([0, 1, 2], [0], 2)).toThrow(
      'crossEntropyOfLogits: logits hold 3 numbers, expected 1 rows × 2 classes',
    );
    expect(() => crossEntropyOfLogits([0, 1], [2], 2)).toThrow(
      'crossEntropyOfLogits: target 0 is 2, must be a class in [0, 1]',
    );
  });

  it('accuracy takes the first of tied maxima', () => {
    expect(accuracyOfLogits([1, 1, 0, 2, 5, 4], [0, 1, 1], 2)).toBeCloseTo(2 / 3, 15);
  });

  it('MSE and RMSE', () => {
    expect(meanSquaredError([1, 2, 3], [1, 0, 0])).toBe(13 / 3);
    expect(rootMeanSquaredError([3, 0], [0, 4])).toBe(Math.sqrt(12.5));
  });

  it('bits per character and perplexity of a uniform guess over V characters are log2 V and V', () => {
    expect(bitsPerCharacter(Math.log(64))).toBeAllclose(6, { atol: 1e-14 });
    expect(perplexity(Math.log(78))).toBeAllclose(78, { atol: 1e-12 });
  });
});
