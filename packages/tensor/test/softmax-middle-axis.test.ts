/**
 * softmax and logSoftmax along an axis with axes on both sides (outer ≥ 2 and inner ≥ 2
 * in the [outer, n, inner] view), where each line's entries are `inner` apart and the
 * lines start at o·n·inner + i: the case a random shape with dims of 1 seldom draws.
 */
import { arbitraries } from '@unroll/gradcheck';
import fc from 'fast-check';
import { describe, it } from 'vitest';
import { logSoftmax, softmax } from '../src/index.ts';
import { checkGradients } from './check.ts';

const middleAxis = arbitraries.shapedValues(
  { minRank: 3, maxRank: 3, minDim: 2, maxDim: 3 },
  { min: -3, max: 3 },
);

describe.each([
  ['softmax', softmax],
  ['logSoftmax', logSoftmax],
])('%s along the middle axis of a rank-3 tensor', (name, op) => {
  it('has a backward that matches central differences', () => {
    fc.assert(
      fc.property(middleAxis, ({ shape, values }) => {
        checkGradients((x) => op(x, 1), [{ shape, values }], { what: `${name}(axis 1)` });
      }),
      { numRuns: 10 },
    );
  });
});
