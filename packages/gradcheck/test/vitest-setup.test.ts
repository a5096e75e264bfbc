/**
 * vitest-setup.ts, loaded by every package's vitest.config.ts: fast-check runs from
 * one fixed seed, so every property test sees the same cases on every machine, and
 * `toBeAllclose` is registered on `expect`, passing and failing through vitest.
 */

import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { PROPERTY_SEED } from '../src/vitest-setup.ts';

describe('the fixed fast-check seed', () => {
  it('is the global seed, with 100 runs and fast-check’s shrinking kept', () => {
    expect(PROPERTY_SEED).toBe(20_240_601);
    expect(fc.readConfigureGlobal()).toMatchObject({
      seed: PROPERTY_SEED,
      numRuns: 100,
      endOnFailure: false,
    });
  });

  it('makes every property start from the same cases, and reports that seed', () => {
    const draw = () => {
      const seen: number[] = [];
      const details = fc.check(
        fc.property(fc.integer(), (n) => {
          seen.push(n);
        }),
      );
      return { seen, seed: details.seed, runs: details.numRuns };
    };
    const first = draw();
    const second = draw();
    expect(first.seed).toBe(PROPERTY_SEED);
    expect(first.runs).toBe(100);
    expect(second.seen).toEqual(first.seen);
    expect(new Set(first.seen).size).toBeGreaterThan(50); // the cases differ from one another
  });
});

describe('toBeAllclose on expect', () => {
  it('passes within atol + rtol·|expected|, and .not passes outside it', () => {
    expect(0.1 + 0.2).toBeAllclose(0.3);
    expect([1, 2]).toBeAllclose([1.05, 2], { atol: 0.1, rtol: 0 });
    expect([1, 2]).not.toBeAllclose([1.05, 2], { atol: 0.01, rtol: 0 });
    expect(100).not.toBeAllclose(101); // default rtol 1e-5 allows 0.001
  });

  it('fails the test with the comparison as its message', () => {
    expect(() => expect([1, 2, 3]).toBeAllclose([1, 2, 4])).toThrow(
      /allclose FAILED: 1 of 3 entries outside atol \+ rtol·\|expected\| \(atol 1e-8, rtol 0\.00001\)\n {2}shape \[3\], worst entry \[2\]: received 3, expected 4/,
    );
    expect(() => expect(1).not.toBeAllclose(1)).toThrow(/allclose \(expected a mismatch\) passed/);
  });
});
