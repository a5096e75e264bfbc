/**
 * a / b with the divisor broadcast, differentiated in both operands. The backward of
 * b divides −dout·out by b in place, run by run; a divisor read along the runs ([N])
 * or across them ([M,1]) exercises both walks of that in-place division.
 * d(a/b)/db = −(a/b)/b, summed over the broadcast dims.
 */
import { arbitraries } from '@unroll/gradcheck';
import fc from 'fast-check';
import { describe, it } from 'vitest';
import { div } from '../src/index.ts';
import { checkGradients } from './check.ts';

const values = (n: number) => arbitraries.float64Array(n, { min: -2, max: 2 });
const divisors = (n: number) =>
  arbitraries.float64Array(n, { min: -2, max: 2, avoid: [0], margin: 0.5 });

describe('div with a broadcast divisor', () => {
  it('matches central differences for b of shape [4] and [3,1] against a [3,4]', () => {
    fc.assert(
      fc.property(values(12), divisors(4), divisors(3), (a, row, column) => {
        checkGradients(div, [
          { shape: [3, 4], values: a },
          { shape: [4], values: row },
        ]);
        checkGradients(div, [
          { shape: [3, 4], values: a },
          { shape: [3, 1], values: column },
        ]);
      }),
      { numRuns: 10 },
    );
  });
});
