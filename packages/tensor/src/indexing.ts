/**
 * Reading entries by index: `indexSelect` (whole slices, e.g. embedding rows) and
 * `gather` (one entry per index position).
 *
 * Both read x at positions named by the indices, so their backward writes the
 * gradient back to those positions — and *adds* it, because an index can repeat:
 * a token that occurs twice in a batch reads its embedding row twice, and that row's
 * gradient is the sum of both reads' gradients (a scatter-add).
 */

import { aroundAxis, formatShape, normalizeAxis, rowMajorStrides, ShapeError } from './errors.ts';
import { checkTensor, record, Tensor } from './tensor.ts';

/** Integer indices as an Int32Array, each checked to lie in [0, size). */
function checkIndices(
  op: string,
  name: string,
  indices: ArrayLike<number>,
  size: number,
  axis: number,
  shape: readonly number[],
): Int32Array {
  const checked = new Int32Array(indices.length);
  for (let i = 0; i < indices.length; i++) {
    const index = indices[i]!;
    if (!Number.isInteger(index) || index < 0 || index >= size) {
      throw new RangeError(
        `${op}: ${name}[${i}] = ${index} is out of range for axis ${axis} of ${formatShape(shape)}; allowed integers in [0, ${size - 1}]`,
      );
    }
    checked[i] = index;
  }
  return checked;
}

/**
 * The slices of x at `indices` along `axis`, in that order (repeats allowed).
 * With x viewed as [outer, n, inner]: out[o, j, :] = x[o, indices[j], :].
 * d(indexSelect x) = scatter-add: dx[o, indices[j], :] += dout[o, j, :]
 */
export function indexSelect(x: Tensor, axis: number, indices: ArrayLike<number> | Tensor): Tensor {
  checkTensor('indexSelect', x, 'x');
  const a = normalizeAxis('indexSelect', axis, x.rank);
  const { outer, n, inner } = aroundAxis(x.shape, a);
  const list = indices instanceof Tensor ? indices.data : indices;
  const index = checkIndices('indexSelect', 'indices', list, n, a, x.shape);
  const count = index.length;
  const xs = x.data;
  const out = new Float64Array(outer * count * inner);
  for (let o = 0; o < outer; o++) {
    for (let j = 0; j < count; j++) {
      const from = (o * n + index[j]!) * inner;
      out.set(xs.subarray(from, from + inner), (o * count + j) * inner);
    }
  }
  const shape = x.shape.slice();
  shape[a] = count;
  return record('indexSelect', out, shape, [x], (dout) => {
    const dx = new Float64Array(x.size);
    for (let o = 0; o < outer; o++) {
      for (let j = 0; j < count; j++) {
        const to = (o * n + index[j]!) * inner;
        const from = (o * count + j) * inner;
        for (let i = 0; i < inner; i++) dx[to + i]! += dout[from + i]!;
      }
    }
    return [dx];
  });
}

/**
 * One entry of x per entry of `index` (PyTorch's gather): out has index's shape and,
 * for axis 1 of a 3-D x, out[i, j, k] = x[i, index[i, j, k], k]. index has x's rank
 * and, off the axis, dims no larger than x's.
 * d(gather x) = scatter-add of dout into the gathered positions
 */
export function gather(x: Tensor, axis: number, index: Tensor): Tensor {
  checkTensor('gather', x, 'x');
  checkTensor('gather', index, 'index');
  const a = normalizeAxis('gather', axis, x.rank);
  const fits = index.rank === x.rank && index.shape.every((d, i) => i === a || d <= x.shape[i]!);
  if (!fits) {
    throw new ShapeError(
      `gather: index ${formatShape(index.shape)} must have the rank of x ${formatShape(x.shape)} and no larger dims off axis ${a}`,
    );
  }
  const picks = checkIndices('gather', 'index', index.data, x.shape[a]!, a, x.shape);
  // For each index position, the offset of the x entry it names.
  const rank = x.rank;
  const xStrides = rowMajorStrides(x.shape);
  const offsets = new Int32Array(index.size);
  const position = new Array<number>(rank).fill(0);
  let base = 0; // Σ over dims other than the axis of position·stride
  for (let p = 0; p < offsets.length; p++) {
    offsets[p] = base + picks[p]! * xStrides[a]!;
    for (let d = rank - 1; d >= 0; d--) {
      position[d]!++;
      if (d !== a) base += xStrides[d]!;
      if (position[d]! < index.shape[d]!) break;
      if (d !== a) base -= xStrides[d]! * index.shape[d]!;
      position[d] = 0;
    }
  }
  const xs = x.data;
  const out = new Float64Array(offsets.length);
  for (let p = 0; p < offsets.length; p++) out[p] = xs[offsets[p]!]!;
  // Stryker disable next-line MethodExpression: the recorded shape is never written to, so sharing the index's array would do the same
  return record('gather', out, index.shape.slice(), [x], (dout) => {
    const dx = new Float64Array(x.size);
    for (let p = 0; p < offsets.length; p++) dx[offsets[p]!]! += dout[p]!;
    return [dx];
  });
}
