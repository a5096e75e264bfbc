/**
 * sequenceCrossEntropy's targets: `ignoreIndex` as PyTorch's cross_entropy has it
 * (default −100: a step whose target is −100 adds no loss and is not counted in the
 * mean), and nested target rows that must each have T entries.
 */

import { crossEntropy, fromData } from '@unroll/tensor';
import { describe, expect, it } from 'vitest';
import { sequenceCrossEntropy } from '../src/index.ts';

// logits [1, 3, 2]: −log softmax of each row by hand, z = (0, 0) gives log 2 for either class.
const logits = () => fromData(Float64Array.of(0, 0, 1, 0, 0, 2), [1, 3, 2]);
const nll = (z: number[], y: number) => Math.log(Math.exp(z[0]!) + Math.exp(z[1]!)) - z[y]!;

describe('sequenceCrossEntropy targets', () => {
  it('ignores steps whose target is ignoreIndex (default −100, as PyTorch)', () => {
    const expected = (nll([0, 0], 1) + nll([0, 2], 1)) / 2;
    expect(sequenceCrossEntropy(logits(), [1, -100, 1]).item()).toBeCloseTo(expected, 12);
    expect(sequenceCrossEntropy(logits(), [1, 7, 1], { ignoreIndex: 7 }).item()).toBeCloseTo(
      expected,
      12,
    );
  });

  it('refuses −1 as a target unless it is the ignoreIndex', () => {
    expect(() => sequenceCrossEntropy(logits(), [1, -1, 1])).toThrow(
      'is not a class in [0, 1] nor ignoreIndex (-100)',
    );
    expect(sequenceCrossEntropy(logits(), [1, -1, 1], { ignoreIndex: -1 }).item()).toBeCloseTo(
      (nll([0, 0], 1) + nll([0, 2], 1)) / 2,
      12,
    );
  });

  it('with lengths, pads with the ignoreIndex it was given', () => {
    // Padding must be ignored whatever ignoreIndex is; the step past the length adds nothing.
    const loss = sequenceCrossEntropy(logits(), [1, 0, 1], { lengths: [2], ignoreIndex: 5 });
    expect(loss.item()).toBeCloseTo((nll([0, 0], 1) + nll([1, 0], 0)) / 2, 12);
    const direct = crossEntropy(fromData(Float64Array.of(0, 0, 1, 0), [2, 2]), [1, 0]);
    expect(loss.item()).toBeCloseTo(direct.item(), 12);
  });

  it('refuses ragged nested target rows, naming the row', () => {
    const z = fromData(new Float64Array(2 * 3 * 2), [2, 3, 2]);
    expect(() =>
      sequenceCrossEntropy(z, [
        [0, 1],
        [1, 0, 1, 1],
      ]),
    ).toThrow('sequenceCrossEntropy: targets[0] has 2 entries, expected T = 3 (logits [2,3,2])');
    expect(() =>
      sequenceCrossEntropy(z, [
        [0, 1, 0],
        [1, 0],
      ]),
    ).toThrow('sequenceCrossEntropy: targets[1] has 2 entries, expected T = 3 (logits [2,3,2])');
  });
});
