/**
 * `toBeAllclose`: numbers, arrays, nested arrays or anything with `data` and `shape`
 * (a Tensor) compared entry by entry with |actual − expected| ≤ atol + rtol·|expected|.
 * The failure message names the shape, the worst index and both values.
 *
 * The function here is plain; `vitest-setup.ts` registers it with `expect.extend`.
 */

import { compareArrays, describeComparison, type Tolerances } from './compare.ts';

/** What `toBeAllclose` accepts on either side. */
export type Numeric = number | ArrayLike<number> | NestedNumbers | ShapedData;
export type NestedNumbers = readonly (number | NestedNumbers)[];
export interface ShapedData {
  readonly data: ArrayLike<number>;
  readonly shape: readonly number[];
}

/** numpy.allclose's defaults. */
export const ALLCLOSE_ATOL = 1e-8;
export const ALLCLOSE_RTOL = 1e-5;

/** Flattens any accepted value to its entries and shape. */
export function flatten(x: Numeric): { values: number[]; shape: number[] } {
  if (typeof x === 'number') return { values: [x], shape: [] };
  if (isShaped(x)) return { values: Array.from(x.data), shape: [...x.shape] };
  const values: number[] = [];
  const shape: number[] = [];
  const walk = (node: unknown, depth: number) => {
    if (typeof node === 'number') {
      values.push(node);
      return;
    }
    if (typeof node !== 'object' || node === null || !('length' in node)) {
      // Most often a gradient that never arrived: expect(x.grad).toBeAllclose(…) with grad null.
      const got = node === null ? 'null' : typeof node;
      throw new TypeError(
        `toBeAllclose: expected a number, an array of numbers or { data, shape }, got ${got}${depth > 0 ? ` at depth ${depth}` : ''}`,
      );
    }
    const items = node as ArrayLike<unknown>;
    if (shape.length === depth) shape.push(items.length);
    else if (shape[depth] !== items.length) {
      throw new TypeError(
        `ragged nested array: length ${items.length} at depth ${depth}, expected ${shape[depth]}`,
      );
    }
    for (let i = 0; i < items.length; i++) walk(items[i], depth + 1);
  };
  walk(x, 0);
  return { values, shape };
}

function isShaped(x: unknown): x is ShapedData {
  return typeof x === 'object' && x !== null && 'data' in x && 'shape' in x;
}

export interface MatcherResult {
  pass: boolean;
  message: () => string;
}

export function allclose(
  received: Numeric,
  expected: Numeric,
  tolerances: Tolerances = {},
): MatcherResult {
  const atol = tolerances.atol ?? ALLCLOSE_ATOL;
  const rtol = tolerances.rtol ?? ALLCLOSE_RTOL;
  const actual = flatten(received);
  const reference = flatten(expected);
  const sameShape =
    actual.shape.length === reference.shape.length &&
    actual.shape.every((d, i) => d === reference.shape[i]);
  // A flat side (a number, or a 1-D array such as a tensor's data) is compared entry by
  // entry with anything of as many entries; two shaped sides must agree: [2, 3] is not [3, 2].
  const flatSide = actual.shape.length <= 1 || reference.shape.length <= 1;
  const comparable = sameShape || (flatSide && actual.values.length === reference.values.length);
  if (!comparable) {
    return {
      pass: false,
      message: () =>
        `expected shape [${reference.shape.join(', ')}] but received shape [${actual.shape.join(', ')}]`,
    };
  }
  const c = compareArrays(actual.values, reference.values, { atol, rtol });
  return {
    pass: c.ok,
    message: () =>
      describeComparison(c, {
        names: ['received', 'expected'],
        shape: sameShape ? reference.shape : [reference.values.length],
        what: c.ok ? 'allclose (expected a mismatch)' : 'allclose',
      }),
  };
}
