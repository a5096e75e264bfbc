/**
 * Lines that hold an infinity. No finite shift exists for them, and PyTorch returns NaN
 * for the whole line: `torch.softmax(torch.tensor([[inf, 1.], [-inf, -inf]]), 1)` and
 * `torch.log_softmax` of the same are NaN in all four places (torch 1.13, float64). A
 * −∞ beside finite entries is an ordinary masked entry: probability 0, log −∞.
 */
import { describe, expect, it } from 'vitest';
import { logSoftmax, softmax, tensor } from '../src/index.ts';

describe.each([
  ['softmax', softmax],
  ['logSoftmax', logSoftmax],
])('%s of lines holding an infinity', (_name, op) => {
  it('is NaN throughout a line holding +∞, as in PyTorch', () => {
    const y = op(tensor([[Number.POSITIVE_INFINITY, 1, 2]]));
    expect(Array.from(y.data).every(Number.isNaN)).toBe(true);
  });

  it('is NaN throughout a line of −∞ only, as in PyTorch', () => {
    const y = op(tensor([[Number.NEGATIVE_INFINITY, Number.NEGATIVE_INFINITY]]));
    expect(Array.from(y.data).every(Number.isNaN)).toBe(true);
  });

  it('leaves the other lines alone, along either axis', () => {
    // Column 0 holds +∞; column 1 is [ln 1, ln 3]: softmax 1/4, 3/4.
    const x = tensor([
      [Number.POSITIVE_INFINITY, 0],
      [1, Math.log(3)],
    ]);
    const y = op(x, 0).data;
    expect(Number.isNaN(y[0]!) && Number.isNaN(y[2]!)).toBe(true);
    const expected = op === softmax ? [0.25, 0.75] : [Math.log(0.25), Math.log(0.75)];
    expect(y[1]).toBeCloseTo(expected[0]!, 15);
    expect(y[3]).toBeCloseTo(expected[1]!, 15);
  });
});

describe('a −∞ beside finite entries', () => {
  it('gets probability exactly 0 and log-probability −∞', () => {
    const x = tensor([Number.NEGATIVE_INFINITY, 0, 0]);
    expect(Array.from(softmax(x).data)).toEqual([0, 0.5, 0.5]);
    expect(Array.from(logSoftmax(x).data)).toEqual([
      Number.NEGATIVE_INFINITY,
      -Math.LN2,
      -Math.LN2,
    ]);
  });
});
