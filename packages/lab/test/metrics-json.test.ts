/**
 * metrics-json.ts: a metrics line survives a round trip with every number it holds,
 * Infinity, −Infinity and NaN included, and a line of finite numbers is written exactly
 * as JSON.stringify writes it.
 */

import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { decodeMetricsLine, encodeMetricsLine } from '../src/metrics-json.ts';

const anyNumber = fc.oneof(
  fc.double(),
  fc.constantFrom(Number.POSITIVE_INFINITY, Number.NEGATIVE_INFINITY, Number.NaN),
);

describe('metrics lines', () => {
  it('read back every number written, non-finite ones too', () => {
    fc.assert(
      fc.property(fc.dictionary(fc.string(), anyNumber), fc.integer({ min: 0 }), (values, step) => {
        const line = { step, ...values };
        expect(decodeMetricsLine(encodeMetricsLine(line))).toEqual(line);
      }),
      { numRuns: 200, seed: 11 },
    );
  });

  it('are plain JSON when every number is finite', () => {
    fc.assert(
      fc.property(
        fc.dictionary(fc.string(), fc.double({ noNaN: true, noDefaultInfinity: true })),
        (line) => {
          expect(encodeMetricsLine(line)).toBe(JSON.stringify(line));
        },
      ),
      { numRuns: 200, seed: 12 },
    );
  });

  it('say "Infinity" where JSON.stringify would say null', () => {
    expect(JSON.stringify({ loss: Number.POSITIVE_INFINITY })).toBe('{"loss":null}');
    expect(encodeMetricsLine({ loss: Number.POSITIVE_INFINITY })).toBe('{"loss":"Infinity"}');
  });
});
