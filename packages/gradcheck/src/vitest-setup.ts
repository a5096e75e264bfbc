/**
 * Test setup shared by every package (vitest `setupFiles`): a fixed fast-check seed,
 * so that every property test sees the same cases on every machine, and the
 * `toBeAllclose` matcher.
 */

import fc from 'fast-check';
import { expect } from 'vitest';
import type { Tolerances } from './compare.ts';
import { allclose, type Numeric } from './matchers.ts';

/** The seed of every property test; a failure message repeats it with its path. */
export const PROPERTY_SEED = 20_240_601;

fc.configureGlobal({ seed: PROPERTY_SEED, numRuns: 100, endOnFailure: false });

expect.extend({
  toBeAllclose(received: Numeric, expected: Numeric, tolerances?: Tolerances) {
    return allclose(received, expected, tolerances);
  },
});

interface AllcloseMatchers<R = unknown> {
  /** |received − expected| ≤ atol + rtol·|expected| for every entry (defaults 1e-8, 1e-5). */
  toBeAllclose: (expected: Numeric, tolerances?: Tolerances) => R;
}

declare module 'vitest' {
  // biome-ignore lint/suspicious/noExplicitAny: must repeat vitest's own declaration exactly.
  interface Matchers<T = any> extends AllcloseMatchers<T> {}
}
