/**
 * Making tensors: from nested arrays, from a Float64Array, filled, ranges, identity,
 * and random draws from an explicit generator (never a hidden global one).
 */

import { checkShape, formatShape, ShapeError, sizeOf } from './errors.ts';
import { checkRng, type Rng } from './random.ts';
import { type NestedArray, Tensor, type TensorOptions } from './tensor.ts';

export type { TensorOptions };

/** Nested arrays of numbers (ragged arrays are an error), a number, or a flat Float64Array. */
export type TensorValues = NestedArray | Float64Array;

/** A new leaf from nested arrays (copied); a number makes a scalar, shape []. */
export function tensor(values: TensorValues, options: TensorOptions = {}): Tensor {
  if (values instanceof Float64Array) {
    return new Tensor(values.slice(), [values.length], options.requiresGrad ?? false);
  }
  const shape: number[] = [];
  for (let level: NestedArray = values; Array.isArray(level); level = level[0]!) {
    shape.push(level.length);
    if (level.length === 0) break;
  }
  const data = new Float64Array(sizeOf(shape));
  let next = 0;
  // Depth-first, checking that every array has its level's length and every entry is a
  // number. The recursion goes as deep as the rank, never as deep as the data is long.
  const position: number[] = []; // where we are, for the messages: values[1][0]
  const path = () => `values${position.map((i) => `[${i}]`).join('')}`;
  const fill = (value: unknown): void => {
    const depth = position.length;
    if (depth === shape.length) {
      if (Array.isArray(value)) {
        throw new ShapeError(
          `tensor: ragged nested array: ${path()} is an array where the shape ${formatShape(shape)} needs a number`,
        );
      }
      if (typeof value !== 'number') {
        throw new TypeError(`tensor: ${path()} is a ${typeof value}; entries must be numbers`);
      }
      data[next++] = value;
      return;
    }
    if (!Array.isArray(value) || value.length !== shape[depth]) {
      const got = Array.isArray(value) ? `length ${value.length}` : `a ${typeof value}`;
      throw new ShapeError(
        `tensor: ragged nested array: ${path()} has ${got}, expected length ${shape[depth]} (shape ${formatShape(shape)})`,
      );
    }
    for (let i = 0; i < value.length; i++) {
      position.push(i);
      fill(value[i]);
      position.pop();
    }
  };
  fill(values);
  return new Tensor(data, shape, options.requiresGrad ?? false);
}

/**
 * A leaf over `data` as given (not copied): the caller hands it over. Only a
 * Float64Array is taken: a Float32Array (or any other typed array) would be stored as
 * it is and round every result to its own precision — an SGD step of 1e-9 on a weight
 * of 1 would vanish. Convert explicitly with `Float64Array.from(data)`, which is exact
 * for float32 and every integer array.
 */
export function fromData(
  data: Float64Array,
  shape: readonly number[],
  options: TensorOptions = {},
): Tensor {
  if (!(data instanceof Float64Array)) {
    const kind = (data as object)?.constructor?.name ?? typeof data;
    const article = /^[AEIO]/.test(kind) ? 'an' : 'a'; // "a Uint8Array": a "you" sound
    const hint = ArrayBuffer.isView(data)
      ? ` (convert explicitly with Float64Array.from(data): every ${kind === 'Float32Array' ? 'float32' : 'entry'} is exactly a float64)`
      : '';
    throw new TypeError(`fromData: data is ${article} ${kind}; expected a Float64Array${hint}`);
  }
  checkShape('fromData', shape);
  if (data.length !== sizeOf(shape)) {
    throw new ShapeError(
      `fromData: data has ${data.length} entries but shape ${formatShape(shape)} needs ${sizeOf(shape)}`,
    );
  }
  return new Tensor(data, shape.slice(), options.requiresGrad ?? false);
}

export function full(shape: readonly number[], value: number, options: TensorOptions = {}): Tensor {
  checkShape('full', shape);
  const data = new Float64Array(sizeOf(shape));
  if (value !== 0) data.fill(value);
  return new Tensor(data, shape.slice(), options.requiresGrad ?? false);
}

export function zeros(shape: readonly number[], options: TensorOptions = {}): Tensor {
  return full(shape, 0, options);
}

export function ones(shape: readonly number[], options: TensorOptions = {}): Tensor {
  return full(shape, 1, options);
}

export function zerosLike(t: Tensor, options: TensorOptions = {}): Tensor {
  return full(t.shape, 0, options);
}

export function onesLike(t: Tensor, options: TensorOptions = {}): Tensor {
  return full(t.shape, 1, options);
}

/** start, start + step, … up to but excluding end; `arange(n)` is 0, 1, …, n − 1. */
export function arange(start: number, end?: number, step = 1): Tensor {
  if (end === undefined) {
    end = start;
    start = 0;
  }
  if (!Number.isFinite(start) || !Number.isFinite(end) || !Number.isFinite(step) || step === 0) {
    throw new RangeError(
      `arange: start, end and step must be finite and step nonzero, got start ${start}, end ${end}, step ${step}`,
    );
  }
  const length = Math.max(0, Math.ceil((end - start) / step));
  const data = new Float64Array(length);
  for (let i = 0; i < length; i++) data[i] = start + i * step;
  return new Tensor(data, [length]);
}

/** The n×n identity matrix. */
export function eye(n: number, options: TensorOptions = {}): Tensor {
  if (!Number.isInteger(n) || n < 0) {
    throw new RangeError(`eye: n must be a non-negative integer, got ${n}`);
  }
  const data = new Float64Array(n * n);
  for (let i = 0; i < n; i++) data[i * n + i] = 1;
  return new Tensor(data, [n, n], options.requiresGrad ?? false);
}

/** Standard normal entries drawn from `rng`, in row-major order. */
export function randn(shape: readonly number[], rng: Rng, options: TensorOptions = {}): Tensor {
  checkShape('randn', shape);
  checkRng('randn', rng, 'normal');
  const data = new Float64Array(sizeOf(shape));
  for (let i = 0; i < data.length; i++) data[i] = rng.normal();
  return new Tensor(data, shape.slice(), options.requiresGrad ?? false);
}

/** Entries uniform in [0, 1) drawn from `rng`. */
export function rand(shape: readonly number[], rng: Rng, options: TensorOptions = {}): Tensor {
  checkRng('rand', rng, 'uniform');
  return uniform(shape, 0, 1, rng, options);
}

/** Entries uniform in [low, high) drawn from `rng`. */
export function uniform(
  shape: readonly number[],
  low: number,
  high: number,
  rng: Rng,
  options: TensorOptions = {},
): Tensor {
  checkShape('uniform', shape);
  checkRng('uniform', rng, 'uniform');
  if (!Number.isFinite(low) || !Number.isFinite(high) || !(low <= high)) {
    throw new RangeError(`uniform: need finite low ≤ high, got low ${low}, high ${high}`);
  }
  const data = new Float64Array(sizeOf(shape));
  const width = high - low;
  for (let i = 0; i < data.length; i++) data[i] = low + width * rng.uniform();
  return new Tensor(data, shape.slice(), options.requiresGrad ?? false);
}
