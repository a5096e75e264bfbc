/**
 * Bad input: every check throws a RangeError (a number out of range, a list of the
 * wrong length) or a TypeError (a value of the wrong kind), and its message names
 * the owner, the option, the value received and what is allowed. The tables of
 * cases in the test files hold each message word for word.
 */

import { tensor } from '@unroll/tensor';
import { expect } from 'vitest';

/** A parameter for the constructors under test. */
export const param = (values: number[] = [1, 2]) => tensor(values, { requiresGrad: true });

/** Calls `f` and checks the class and the exact message of what it throws. */
export function expectError(
  f: () => unknown,
  kind: typeof RangeError | typeof TypeError,
  message: string,
) {
  let caught: unknown = null;
  try {
    f();
  } catch (error) {
    caught = error;
  }
  expect(caught, `expected "${message}"`).toBeInstanceOf(kind);
  expect((caught as Error).message).toBe(message);
}

/** [what is wrong, the call, the error class, the exact message]. */
export type ErrorCase = [string, () => unknown, typeof RangeError | typeof TypeError, string];
