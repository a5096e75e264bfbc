/**
 * Plain dense matrices for the weight analyses: row-major Float64Arrays with their
 * sizes, and the three products power iteration needs. Anything with `data` and a
 * 2-D `shape` — a Tensor, a parameter — is read as a matrix without copying.
 */

import { Rng } from '@unroll/tensor';

export interface Matrix {
  data: ArrayLike<number>;
  rows: number;
  cols: number;
}

/** What the analyses accept: a Matrix, a Tensor-like { data, shape }, or nested rows. */
export type MatrixInput =
  | Matrix
  | { data: ArrayLike<number>; shape: readonly number[] }
  | readonly (readonly number[])[];

export function toMatrix(input: MatrixInput, what: string): Matrix {
  if ('rows' in input && 'cols' in input) return input;
  // Stryker disable next-line LogicalOperator: every accepted input has both fields or neither (a nested array has neither)
  if ('shape' in input && 'data' in input) {
    const shape = input.shape;
    if (shape.length !== 2) {
      throw new RangeError(`${what}: expected a 2-D matrix, got shape [${shape.join(', ')}]`);
    }
    const [rows, cols] = shape as [number, number];
    if (input.data.length !== rows * cols) {
      throw new RangeError(
        `${what}: data has ${input.data.length} entries for shape [${rows}, ${cols}]`,
      );
    }
    return { data: input.data, rows, cols };
  }
  const nested = input as readonly (readonly number[])[];
  const rows = nested.length;
  const cols = rows === 0 ? 0 : nested[0]!.length;
  const data = new Float64Array(rows * cols);
  nested.forEach((row, i) => {
    if (row.length !== cols) {
      throw new RangeError(`${what}: row ${i} has ${row.length} entries, row 0 has ${cols}`);
    }
    data.set(row, i * cols);
  });
  return { data, rows, cols };
}

/** out = A x. */
export function matVec(A: Matrix, x: ArrayLike<number>, out: Float64Array): Float64Array {
  const { data, rows, cols } = A;
  for (let i = 0; i < rows; i++) {
    let s = 0;
    const base = i * cols;
    for (let j = 0; j < cols; j++) s += data[base + j]! * x[j]!;
    out[i] = s;
  }
  return out;
}

/** out = Aᵀ x. */
export function matTVec(A: Matrix, x: ArrayLike<number>, out: Float64Array): Float64Array {
  const { data, rows, cols } = A;
  out.fill(0);
  for (let i = 0; i < rows; i++) {
    const xi = x[i]!;
    const base = i * cols;
    for (let j = 0; j < cols; j++) out[j]! += data[base + j]! * xi;
  }
  return out;
}

export function dot(a: ArrayLike<number>, b: ArrayLike<number>): number {
  let s = 0;
  for (let i = 0; i < a.length; i++) s += a[i]! * b[i]!;
  return s;
}

export function norm(a: ArrayLike<number>): number {
  return Math.sqrt(dot(a, a));
}

/** A unit vector with standard-normal direction, from a seeded generator. */
export function randomUnitVector(n: number, seed: number): Float64Array {
  const rng = new Rng(seed);
  const v = new Float64Array(n);
  for (let i = 0; i < n; i++) v[i] = rng.normal();
  const length = norm(v);
  for (let i = 0; i < n; i++) v[i]! /= length;
  return v;
}

/** Rows [start, start + count) of A, as a matrix sharing A's storage. */
export function rowBlock(A: Matrix, start: number, count: number): Matrix {
  const data = A.data;
  const from = start * A.cols;
  const to = from + count * A.cols;
  const view =
    data instanceof Float64Array
      ? data.subarray(from, to)
      : Float64Array.from(Array.prototype.slice.call(data, from, to));
  return { data: view, rows: count, cols: A.cols };
}
