/**
 * The pieces every grader is built from: calling the student's function safely,
 * checking what it returned, comparing it with the expected values, and running a
 * check over many random cases, shrinking a failure to the smallest case that fails.
 */

import { compareArrays, unravelIndex } from '@unroll/gradcheck';
import { Failure, isNotDone } from './check.ts';

/** A small seeded generator (mulberry32): the grader's own, so it judges nothing it uses. */
export function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let z = state;
    z = Math.imul(z ^ (z >>> 15), z | 1);
    z ^= z + Math.imul(z ^ (z >>> 7), z | 61);
    return ((z ^ (z >>> 14)) >>> 0) / 4294967296;
  };
}

/** `length` values uniform in [−scale, scale). */
export function uniform(random: () => number, length: number, scale = 1): Float64Array {
  const out = new Float64Array(length);
  for (let i = 0; i < length; i++) out[i] = (2 * random() - 1) * scale;
  return out;
}

/**
 * Calls the student's code. An ExerciseNotDone passes through (the check reports "not
 * done yet"); any other exception becomes a Failure naming `what`.
 */
export function call<T>(what: string, body: () => T): T {
  try {
    return body();
  } catch (error) {
    if (isNotDone(error) || error instanceof Failure) throw error;
    const e = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
    throw new Failure(`${what} threw ${e}`);
  }
}

/**
 * Calls `body` and fails if it changed any of `inputs` (a function must not
 * overwrite its arguments: the caller may still need them, and the cache does).
 */
export function withoutMutation<T>(inputs: Record<string, Float64Array | null>, body: () => T): T {
  const before = Object.entries(inputs).map(([name, a]) => [name, a, a?.slice() ?? null] as const);
  const out = body();
  for (const [name, array, copy] of before) {
    if (array === null || copy === null) continue;
    for (let i = 0; i < copy.length; i++) {
      if (!Object.is(array[i], copy[i])) {
        throw new Failure(
          `your code changed its input ${name}[${i}] from ${copy[i]} to ${array[i]}; it must leave its inputs as they were`,
        );
      }
    }
  }
  return out;
}

export function formatShape(shape: readonly number[]): string {
  return `[${shape.join(', ')}]`;
}

/** `got` as a Float64Array of `shape`'s size with finite entries, or a Failure naming `what`. */
export function expectArray(what: string, got: unknown, shape: readonly number[]): Float64Array {
  const size = shape.reduce((a, b) => a * b, 1);
  if (got === null || got === undefined) {
    throw new Failure(`${what}: expected an array of shape ${formatShape(shape)}, got ${got}`);
  }
  const length = (got as { length?: unknown }).length;
  if (typeof length !== 'number' || typeof got === 'string') {
    throw new Failure(
      `${what}: expected an array of shape ${formatShape(shape)}, got ${typeof got}`,
    );
  }
  if (length !== size) {
    throw new Failure(
      `${what}: expected shape ${formatShape(shape)} (${size} entries), got ${length} entries`,
    );
  }
  const values = Float64Array.from(got as ArrayLike<number>);
  for (let i = 0; i < values.length; i++) {
    if (!Number.isFinite(values[i]!)) {
      throw new Failure(
        `${what}: entry ${formatShape(unravelIndex(i, shape))} is ${values[i]} (every entry must be a finite number)`,
      );
    }
  }
  return values;
}

export interface CloseOptions {
  /** How the expected value was obtained: 'central difference', 'reference'. */
  expectedFrom: string;
  atol?: number;
  rtol?: number;
}

/** Fails, naming the worst entry (expected vs yours), unless |got − expected| ≤ atol + rtol·|expected|. */
export function expectClose(
  what: string,
  expected: ArrayLike<number>,
  got: unknown,
  shape: readonly number[],
  { expectedFrom, atol = 1e-5, rtol = 1e-3 }: CloseOptions,
): void {
  const values = expectArray(what, got, shape);
  const c = compareArrays(values, Float64Array.from(expected), { atol, rtol });
  if (c.ok) return;
  const at = formatShape(unravelIndex(c.worstIndex, shape));
  throw new Failure(
    `${what} ${formatShape(shape)}: ${c.failures} of ${values.length} entries off; worst at ${at}: expected ${c.worstReference} (${expectedFrom}), got ${c.worstActual} (yours)`,
  );
}

export type Dims = Record<string, number>;

export interface CaseOptions {
  /** Cases tried first, in order (the edge cases: all sizes 1, …). */
  edges?: Dims[];
  /** Random cases after the edges. */
  runs?: number;
  /** A random case's sizes. */
  draw: (random: () => number) => Dims;
}

const describeDims = (dims: Dims) =>
  Object.entries(dims)
    .map(([k, v]) => `${k}=${v}`)
    .join(', ');

/**
 * Runs `test(dims, caseSeed)` on the edge cases and on `runs` random cases. On the
 * first failure it shrinks: it keeps lowering one size at a time (to 1, to half, by
 * one) while the test still fails with the same case seed, and reports the smallest
 * failing case alongside the failure.
 */
export function forCases(
  seed: number,
  { edges = [], runs = 4, draw }: CaseOptions,
  test: (dims: Dims, caseSeed: number) => void,
): void {
  const random = seededRandom(seed);
  const cases: [Dims, number][] = edges.map((dims, n) => [dims, seed + 1000 * (n + 1)]);
  for (let n = 0; n < runs; n++) cases.push([draw(random), Math.floor(random() * 2 ** 31)]);
  for (const [dims, caseSeed] of cases) {
    const failure = failureOf(() => test(dims, caseSeed));
    if (failure === null) continue;
    let smallest = dims;
    let last = failure;
    for (let shrunk = true; shrunk; ) {
      shrunk = false;
      for (const key of Object.keys(smallest)) {
        const size = smallest[key]!;
        for (const candidate of new Set([1, Math.floor(size / 2), size - 1])) {
          if (candidate < 1 || candidate >= size) continue;
          const smaller = { ...smallest, [key]: candidate };
          const again = failureOf(() => test(smaller, caseSeed));
          if (again !== null) {
            smallest = smaller;
            last = again;
            shrunk = true;
            break;
          }
        }
      }
    }
    const shrunkNote = smallest === dims ? '' : ` (shrunk from ${describeDims(dims)})`;
    last.message = `${last.message}\non ${describeDims(smallest)}, case seed ${caseSeed}${shrunkNote}`;
    throw last;
  }
}

/** The Failure `body` throws, or null; other exceptions pass through. */
function failureOf(body: () => void): Failure | null {
  try {
    body();
    return null;
  } catch (error) {
    if (error instanceof Failure) return error;
    throw error;
  }
}

/** A random integer in [min, max]. */
export function between(random: () => number, min: number, max: number): number {
  return min + Math.floor(random() * (max - min + 1));
}

/** Central differences of a scalar function of `x`, probing x in place and restoring it. */
export function centralDifference(f: () => number, x: Float64Array, eps = 1e-6): Float64Array {
  const gradient = new Float64Array(x.length);
  for (let i = 0; i < x.length; i++) {
    const original = x[i]!;
    x[i] = original + eps;
    const plus = f();
    x[i] = original - eps;
    const minus = f();
    x[i] = original;
    gradient[i] = (plus - minus) / (2 * eps);
  }
  return gradient;
}

export function dot(a: ArrayLike<number>, b: ArrayLike<number>): number {
  let sum = 0;
  for (let i = 0; i < a.length; i++) sum += a[i]! * b[i]!;
  return sum;
}
