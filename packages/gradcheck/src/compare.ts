/**
 * Comparing two arrays of numbers the way PyTorch's gradcheck does, and reporting
 * the worst entry so that a failure can be read, not just seen.
 *
 *   pass  ⇔  |a − n| ≤ atol + rtol·|n|   for every entry
 *
 * where a is the value under test (the analytic gradient) and n the reference (the
 * numerical one). The relative error reported alongside is CS231n's symmetric one,
 * |a − n| / max(|a|, |n|), defined as 0 when both are 0.
 */

export interface Tolerances {
  /** Absolute tolerance. */
  atol?: number;
  /** Relative tolerance, scaled by the reference value. */
  rtol?: number;
}

/** PyTorch's gradcheck tolerances, used throughout unroll's property tests. */
export const GRADCHECK_ATOL = 1e-5;
export const GRADCHECK_RTOL = 1e-3;

export interface Comparison {
  /** True when every entry is within atol + rtol·|reference|; an infinity agrees only with itself. */
  ok: boolean;
  /** Number of entries compared. */
  size: number;
  /** Largest |actual − reference|. */
  maxAbsError: number;
  /** Largest |actual − reference| / max(|actual|, |reference|). */
  maxRelError: number;
  /** Flat index of the entry that most exceeds (or comes closest to) its tolerance; −1 if empty. */
  worstIndex: number;
  worstActual: number;
  worstReference: number;
  /** How many entries fail the criterion. */
  failures: number;
  atol: number;
  rtol: number;
}

/** Symmetric relative error, guarded so that two zeros agree perfectly. */
export function relativeError(a: number, b: number): number {
  const scale = Math.max(Math.abs(a), Math.abs(b));
  return scale === 0 ? 0 : Math.abs(a - b) / scale;
}

/** Compares `actual` with `reference` entry by entry. */
export function compareArrays(
  actual: ArrayLike<number>,
  reference: ArrayLike<number>,
  { atol = GRADCHECK_ATOL, rtol = GRADCHECK_RTOL }: Tolerances = {},
): Comparison {
  if (actual.length !== reference.length) {
    throw new RangeError(
      `compareArrays: lengths differ: actual has ${actual.length} entries, reference has ${reference.length}`,
    );
  }
  let maxAbsError = 0;
  let maxRelError = 0;
  let worstIndex = actual.length > 0 ? 0 : -1;
  let worstExcess = Number.NEGATIVE_INFINITY;
  let failures = 0;
  for (let i = 0; i < actual.length; i++) {
    const a = actual[i]!;
    const n = reference[i]!;
    const diff = Math.abs(a - n);
    // eq. 1.4 — |a − n| ≤ atol + rtol·|n|
    const allowed = atol + rtol * Math.abs(n);
    // Two equal infinities agree; any NaN, or one infinite side, is a failure. An infinite
    // reference makes `allowed` infinite too, so the difference must also be finite: a
    // finite value is not close to ∞ (as torch.isclose: ∞ is close only to itself).
    const bothSame = a === n;
    const pass = bothSame || (Number.isFinite(diff) && diff <= allowed);
    // Excess as a ratio, so a NaN or an infinite error always ranks worst (∞/∞ would be NaN).
    const excess = bothSame ? 0 : Number.isFinite(diff) ? diff / allowed : Number.POSITIVE_INFINITY;
    if (!pass) failures++;
    if (!bothSame) {
      if (!(diff <= maxAbsError)) maxAbsError = diff;
      const rel = relativeError(a, n);
      if (!(rel <= maxRelError)) maxRelError = rel;
    }
    if (excess > worstExcess) {
      worstExcess = excess;
      worstIndex = i;
    }
  }
  return {
    ok: failures === 0,
    size: actual.length,
    maxAbsError,
    maxRelError,
    worstIndex,
    worstActual: worstIndex >= 0 ? actual[worstIndex]! : Number.NaN,
    worstReference: worstIndex >= 0 ? reference[worstIndex]! : Number.NaN,
    failures,
    atol,
    rtol,
  };
}

/** Row-major flat index → multi-index, e.g. 5 in [2, 3] → [1, 2]. */
export function unravelIndex(index: number, shape: readonly number[]): number[] {
  const position = new Array<number>(shape.length).fill(0);
  let rest = index;
  for (let axis = shape.length - 1; axis >= 0; axis--) {
    const dim = shape[axis]!;
    position[axis] = rest % dim;
    rest = Math.floor(rest / dim);
  }
  return position;
}

export interface DescribeOptions {
  /** Label for the two sides, e.g. ['analytic', 'numerical']. */
  names?: [string, string];
  /** Shape of the compared arrays, to print the worst entry as [i, j, …]. */
  shape?: readonly number[];
  /** What was compared, e.g. 'gradient of x in matmul'. */
  what?: string;
}

/** A readable account of a comparison: its verdict, its errors and its worst entry. */
export function describeComparison(c: Comparison, options: DescribeOptions = {}): string {
  const [actualName, referenceName] = options.names ?? ['actual', 'expected'];
  const shape = options.shape ?? [c.size];
  const where =
    shape.length === 0 ? '(scalar)' : `[${unravelIndex(c.worstIndex, shape).join(', ')}]`;
  const head = `${options.what ?? 'comparison'} ${c.ok ? 'passed' : 'FAILED'}`;
  if (c.size === 0) return `${head}: nothing to compare (shape [${shape.join(', ')}])`;
  const diff = Math.abs(c.worstActual - c.worstReference);
  const allowed = c.atol + c.rtol * Math.abs(c.worstReference);
  return [
    `${head}: ${c.failures} of ${c.size} entries outside atol + rtol·|${referenceName}| (atol ${c.atol}, rtol ${c.rtol})`,
    `  shape [${shape.join(', ')}], worst entry ${where}: ${actualName} ${c.worstActual}, ${referenceName} ${c.worstReference}, |diff| ${diff} vs allowed ${allowed}`,
    `  max abs error ${c.maxAbsError}, max rel error ${c.maxRelError}`,
  ].join('\n');
}
