/**
 * Shape ops: reshape, transpose, permute, concat, stack, split, chunk, narrow.
 *
 * Tensors are contiguous and row-major, so `reshape` only relabels the same array
 * (free, and its gradient passes through unchanged), while `permute` and
 * `transpose` move entries into a new array. The backward of a rearrangement is the
 * inverse rearrangement of the gradient: each entry goes back where it came from.
 */

import {
  aroundAxis,
  checkShape,
  formatShape,
  normalizeAxis,
  rowMajorStrides,
  ShapeError,
  sameShape,
  sizeOf,
} from './errors.ts';
import { checkTensor, record, type Tensor } from './tensor.ts';

/**
 * The same entries under a new shape (one dim may be −1: inferred). Shares the data.
 * d(reshape x) = reshape(dout) back — the same array, read with x's shape
 */
export function reshape(x: Tensor, shape: readonly number[]): Tensor {
  checkTensor('reshape', x, 'x');
  const inferred = shape.indexOf(-1);
  if (inferred !== shape.lastIndexOf(-1)) {
    throw new RangeError(`reshape: only one dim may be -1, got ${formatShape(shape)}`);
  }
  const known = shape.filter((_, i) => i !== inferred);
  checkShape('reshape', known);
  const knownSize = sizeOf(known);
  const target = shape.slice();
  if (inferred >= 0) {
    // Stryker disable next-line ConditionalExpression: x.size % 0 is NaN, so the second test throws the same error for a known size of 0
    if (knownSize === 0 || x.size % knownSize !== 0) {
      throw new ShapeError(
        `reshape: cannot infer the -1 in ${formatShape(shape)} for ${x.size} entries (shape ${formatShape(x.shape)})`,
      );
    }
    target[inferred] = x.size / knownSize;
  }
  if (sizeOf(target) !== x.size) {
    throw new ShapeError(
      `reshape: cannot reshape ${formatShape(x.shape)} (${x.size} entries) to ${formatShape(shape)} (${sizeOf(target)} entries)`,
    );
  }
  return record('reshape', x.data, target, [x], (dout) => [dout]);
}

/** out[i₀, …] = x[i at positions dims]: output dim d is input dim dims[d]. */
function permuteData(
  x: Float64Array,
  shape: readonly number[],
  dims: readonly number[],
): Float64Array {
  const out = new Float64Array(x.length);
  const rank = shape.length;
  // Stryker disable next-line ConditionalExpression: an empty tensor's loop below never runs, leaving the same empty copy
  if (rank === 0 || x.length === 0) {
    out.set(x);
    return out;
  }
  const inStrides = rowMajorStrides(shape);
  const outShape = dims.map((d) => shape[d]!);
  const step = dims.map((d) => inStrides[d]!); // input stride along each output dim
  const inner = outShape[rank - 1]!;
  const innerStep = step[rank - 1]!;
  const index = new Array<number>(rank).fill(0);
  let from = 0;
  for (let o = 0; o < out.length; o += inner) {
    for (let k = 0, i = from; k < inner; k++, i += innerStep) out[o + k] = x[i]!;
    // Advance the odometer over the outer output dims.
    for (let d = rank - 2; d >= 0; d--) {
      index[d]!++;
      from += step[d]!;
      if (index[d]! < outShape[d]!) break;
      from -= step[d]! * outShape[d]!;
      index[d] = 0;
    }
  }
  return out;
}

/**
 * Reorders the dims: output dim d is input dim dims[d].
 * d(permute x) = permute(dout, inverse of dims)
 */
export function permute(x: Tensor, dims: readonly number[]): Tensor {
  checkTensor('permute', x, 'x');
  if (dims.length !== x.rank) {
    throw new ShapeError(
      `permute: dims [${dims.join(',')}] must list each of the ${x.rank} dims of ${formatShape(x.shape)} once`,
    );
  }
  const order = dims.map((d) => normalizeAxis('permute', d, x.rank, 'dim'));
  if (new Set(order).size !== order.length) {
    throw new RangeError(`permute: dims [${dims.join(',')}] repeat a dim`);
  }
  // Stryker disable next-line ArrayDeclaration: every entry is assigned below, so an unsized array ends up the same
  const inverse = new Array<number>(order.length);
  order.forEach((d, i) => {
    inverse[d] = i;
  });
  const shape = order.map((d) => x.shape[d]!);
  const out = permuteData(x.data, x.shape, order);
  return record('permute', out, shape, [x], (dout) => [permuteData(dout, shape, inverse)]);
}

/** Swaps two dims (by default the last two: the matrix transpose). Copies. */
export function transpose(x: Tensor, dim0 = -2, dim1 = -1): Tensor {
  checkTensor('transpose', x, 'x');
  const d0 = normalizeAxis('transpose', dim0, x.rank, 'dim0');
  const d1 = normalizeAxis('transpose', dim1, x.rank, 'dim1');
  const dims = Array.from({ length: x.rank }, (_, d) => (d === d0 ? d1 : d === d1 ? d0 : d));
  return permute(x, dims);
}

/**
 * Joins tensors whose shapes (`shapes`, same data layout as the tensors) agree except
 * along `axis`. View the result as [outer, Σ sizeᵢ·inner]: each outer row is the
 * inputs' rows laid end to end. d(concat) = the matching slice of dout for each input
 */
function join(op: string, list: readonly Tensor[], shapes: number[][], axis: number): Tensor {
  // A copy: the caller may change its array afterwards, and the graph must not change with it.
  const tensors = list.slice();
  const first = shapes[0]!;
  const { outer, inner } = aroundAxis(first, axis);
  const widths = shapes.map((s) => s[axis]! * inner);
  const rowWidth = widths.reduce((a, b) => a + b, 0);
  const out = new Float64Array(outer * rowWidth);
  let offset = 0;
  tensors.forEach((t, i) => {
    const width = widths[i]!;
    for (let o = 0; o < outer; o++) {
      out.set(t.data.subarray(o * width, (o + 1) * width), o * rowWidth + offset);
    }
    offset += width;
  });
  // Stryker disable next-line MethodExpression: concat and stack hand in fresh shape arrays, so writing the axis into shapes[0] would harm nothing
  const shape = first.slice();
  shape[axis] = shapes.reduce((n, s) => n + s[axis]!, 0);
  return record(op, out, shape, tensors, (dout) => {
    let start = 0;
    return tensors.map((t, i) => {
      const width = widths[i]!;
      const from = start;
      start += width;
      if (!t.requiresGrad) return null;
      const dx = new Float64Array(t.size);
      for (let o = 0; o < outer; o++) {
        dx.set(dout.subarray(o * rowWidth + from, o * rowWidth + from + width), o * width);
      }
      return dx;
    });
  });
}

function checkList(op: string, tensors: readonly Tensor[]): void {
  if (!Array.isArray(tensors) || tensors.length === 0) {
    throw new RangeError(`${op}: tensors must be a non-empty array of tensors`);
  }
  tensors.forEach((t, i) => {
    checkTensor(op, t, `tensors[${i}]`);
  });
}

/** Joins tensors along an existing axis; all other dims must agree. */
export function concat(tensors: readonly Tensor[], axis = 0): Tensor {
  checkList('concat', tensors);
  const first = tensors[0]!;
  const a = normalizeAxis('concat', axis, first.rank);
  tensors.forEach((t, i) => {
    const agrees =
      t.rank === first.rank && t.shape.every((d, j) => j === a || d === first.shape[j]);
    if (!agrees) {
      throw new ShapeError(
        `concat: tensors[${i}] has shape ${formatShape(t.shape)}, which differs from tensors[0] ${formatShape(first.shape)} outside axis ${a}`,
      );
    }
  });
  return join(
    'concat',
    tensors,
    // Stryker disable next-line MethodExpression: the recorded shapes are never written to, so sharing them would do the same
    tensors.map((t) => t.shape.slice()),
    a,
  );
}

/** Joins same-shaped tensors along a new axis (in [−rank−1, rank]). */
export function stack(tensors: readonly Tensor[], axis = 0): Tensor {
  checkList('stack', tensors);
  const first = tensors[0]!;
  const a = normalizeAxis('stack', axis, first.rank + 1);
  tensors.forEach((t, i) => {
    if (!sameShape(t.shape, first.shape)) {
      throw new ShapeError(
        `stack: tensors[${i}] has shape ${formatShape(t.shape)}, but tensors[0] has ${formatShape(first.shape)}; stack needs equal shapes`,
      );
    }
  });
  const withAxis = [...first.shape.slice(0, a), 1, ...first.shape.slice(a)];
  return join(
    'stack',
    tensors,
    // Stryker disable next-line MethodExpression: the recorded shapes are never written to, so sharing one array would do the same
    tensors.map(() => withAxis.slice()),
    a,
  );
}

/**
 * The entries start … start + length − 1 along `axis` (a copy).
 * d(narrow x) = dout placed back at those positions, zeros elsewhere
 */
export function narrow(x: Tensor, axis: number, start: number, length: number): Tensor {
  checkTensor('narrow', x, 'x');
  const a = normalizeAxis('narrow', axis, x.rank);
  const size = x.shape[a]!;
  if (
    !Number.isInteger(start) ||
    !Number.isInteger(length) ||
    start < 0 ||
    length < 0 ||
    start + length > size
  ) {
    throw new RangeError(
      `narrow: start ${start} and length ${length} must select within [0, ${size}) along axis ${a} of ${formatShape(x.shape)}`,
    );
  }
  const { outer, inner } = aroundAxis(x.shape, a);
  const rowWidth = size * inner;
  const width = length * inner;
  const from = start * inner;
  const out = new Float64Array(outer * width);
  const xs = x.data;
  for (let o = 0; o < outer; o++)
    out.set(xs.subarray(o * rowWidth + from, o * rowWidth + from + width), o * width);
  const shape = x.shape.slice();
  shape[a] = length;
  return record('narrow', out, shape, [x], (dout) => {
    const dx = new Float64Array(x.size);
    for (let o = 0; o < outer; o++)
      dx.set(dout.subarray(o * width, (o + 1) * width), o * rowWidth + from);
    return [dx];
  });
}

/**
 * Cuts `axis` into pieces: of `sizeOrSizes` each (the last may be smaller), or of the
 * listed sizes, which must add up to the axis's length.
 */
export function split(x: Tensor, sizeOrSizes: number | readonly number[], axis = 0): Tensor[] {
  checkTensor('split', x, 'x');
  const a = normalizeAxis('split', axis, x.rank);
  const total = x.shape[a]!;
  let sizes: number[];
  if (typeof sizeOrSizes === 'number') {
    if (!Number.isInteger(sizeOrSizes) || sizeOrSizes < 1) {
      throw new RangeError(`split: size must be a positive integer, got ${sizeOrSizes}`);
    }
    sizes = [];
    for (let s = 0; s < total; s += sizeOrSizes) sizes.push(Math.min(sizeOrSizes, total - s));
  } else {
    sizes = [...sizeOrSizes];
    const listed = sizes.reduce((n, s) => n + s, 0);
    if (sizes.some((s) => !Number.isInteger(s) || s < 0) || listed !== total) {
      throw new ShapeError(
        `split: sizes [${sizes.join(',')}] must be non-negative integers adding up to ${total}, the size of axis ${a} of ${formatShape(x.shape)}`,
      );
    }
  }
  return pieces(x, a, sizes);
}

/**
 * The pieces of x along `axis`, with a backward pass that builds one x-sized gradient
 * in all rather than one per piece (as separate `narrow`s would: quadratic when a
 * sequence is cut into its T steps).
 *
 * The pieces do not take x as their input: they share one small joining node that
 * does. Each piece's rule adds its gradient into its block of a shared buffer and
 * sends the joining node a placeholder; the engine runs the joining node only after
 * every piece that got a gradient (it is their common input), so its rule can hand
 * the completed buffer to x. Blocks of pieces that got no gradient stay 0.
 *   d(piece i) lands in block i of dx
 */
function pieces(x: Tensor, axis: number, sizes: readonly number[]): Tensor[] {
  const { outer, n, inner } = aroundAxis(x.shape, axis);
  const rowWidth = n * inner;
  let dx: Float64Array | null = null; // the shared buffer of one backward pass
  const joiningNode = record('split', new Float64Array(1), [], [x], () => {
    const gradient = dx ?? new Float64Array(x.size);
    dx = null; // a retained graph's next pass starts from a fresh buffer
    return [gradient];
  });
  const xs = x.data;
  let start = 0;
  return sizes.map((length) => {
    const from = start * inner;
    const width = length * inner;
    start += length;
    const out = new Float64Array(outer * width);
    for (let o = 0; o < outer; o++) {
      out.set(xs.subarray(o * rowWidth + from, o * rowWidth + from + width), o * width);
    }
    const shape = x.shape.slice();
    shape[axis] = length;
    return record('split.piece', out, shape, [joiningNode], (dout) => {
      dx ??= new Float64Array(x.size);
      for (let o = 0; o < outer; o++) {
        const to = o * rowWidth + from;
        for (let k = 0; k < width; k++) dx[to + k]! += dout[o * width + k]!;
      }
      return [placeholder];
    });
  });
}

/** What a piece sends its joining node: the real gradient travels in the shared buffer. */
const placeholder = new Float64Array(1);

/** Cuts `axis` into `chunks` pieces of ⌈size / chunks⌉ (fewer if they run out), as PyTorch. */
export function chunk(x: Tensor, chunks: number, axis = 0): Tensor[] {
  checkTensor('chunk', x, 'x');
  if (!Number.isInteger(chunks) || chunks < 1) {
    throw new RangeError(`chunk: chunks must be a positive integer, got ${chunks}`);
  }
  const a = normalizeAxis('chunk', axis, x.rank);
  return split(x, Math.max(1, Math.ceil(x.shape[a]! / chunks)), a);
}
