/**
 * Errors that name the problem: which op, which argument, which shapes — and the
 * small shape helpers every op shares (sizes, strides, the view around an axis).
 *
 * A shape mismatch throws `ShapeError`; a bad scalar argument (an axis out of range,
 * a probability above 1) throws the built-in `RangeError`. Both messages start with
 * the op's name, so `matmul: inner dimensions differ: a is [3,4], b is [5,2]` says
 * where to look without a stack trace.
 */

export class ShapeError extends Error {
  override name = 'ShapeError';
}

/** `[3,4]` — shapes print the way they are written in the messages. */
export function formatShape(shape: readonly number[]): string {
  return `[${shape.join(',')}]`;
}

/** Number of entries of a shape (1 for a scalar, whose shape is []). */
export function sizeOf(shape: readonly number[]): number {
  let size = 1;
  for (let d = 0; d < shape.length; d++) size *= shape[d]!;
  return size;
}

/** Row-major strides: how far apart in the data neighbours along each dim are. [2,3,4] → [12,4,1]. */
export function rowMajorStrides(shape: readonly number[]): number[] {
  const strides = new Array<number>(shape.length);
  let stride = 1;
  for (let d = shape.length - 1; d >= 0; d--) {
    strides[d] = stride;
    stride *= shape[d]!;
  }
  return strides;
}

/**
 * A shape seen around one axis as [outer, n, inner]: the dims before the axis, the
 * axis, the dims after it. Entry (o, r, i) sits at (o·n + r)·inner + i, so one line
 * along the axis starts at o·n·inner + i and steps by inner.
 */
export function aroundAxis(
  shape: readonly number[],
  axis: number,
): { outer: number; n: number; inner: number } {
  return {
    outer: sizeOf(shape.slice(0, axis)),
    n: shape[axis]!,
    inner: sizeOf(shape.slice(axis + 1)),
  };
}

export function sameShape(a: readonly number[], b: readonly number[]): boolean {
  if (a.length !== b.length) return false;
  for (let d = 0; d < a.length; d++) if (a[d] !== b[d]) return false;
  return true;
}

/** Checks that every dim is a non-negative integer. */
export function checkShape(op: string, shape: readonly number[], name = 'shape'): void {
  for (const d of shape) {
    if (!Number.isInteger(d) || d < 0) {
      throw new RangeError(
        `${op}: ${name} must hold non-negative integers, got ${formatShape(shape)}`,
      );
    }
  }
}

/**
 * An axis in [−rank, rank), negative counting from the end, as an index in [0, rank).
 */
export function normalizeAxis(op: string, axis: number, rank: number, name = 'axis'): number {
  if (!Number.isInteger(axis) || axis < -rank || axis >= rank) {
    const range = rank === 0 ? 'none (the tensor is a scalar)' : `[${-rank}, ${rank - 1}]`;
    throw new RangeError(
      `${op}: ${name} ${axis} is out of range for rank ${rank}; allowed ${range}`,
    );
  }
  return axis < 0 ? axis + rank : axis;
}

/** Axes for a reduction: undefined means all; duplicates are an error. Sorted ascending. */
export function normalizeAxes(
  op: string,
  axis: number | readonly number[] | undefined,
  rank: number,
): number[] {
  if (axis === undefined) return Array.from({ length: rank }, (_, d) => d);
  const list = typeof axis === 'number' ? [axis] : axis;
  const axes = list.map((a) => normalizeAxis(op, a, rank));
  const sorted = [...axes].sort((x, y) => x - y);
  for (let i = 1; i < sorted.length; i++) {
    if (sorted[i] === sorted[i - 1]) {
      throw new RangeError(`${op}: axis ${sorted[i]} appears twice in [${list.join(',')}]`);
    }
  }
  return sorted;
}
