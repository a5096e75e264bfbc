/**
 * Reductions over axes: sum, mean, max, min, logsumexp.
 *
 * `axis` is a number, a list, or undefined for all axes; negative axes count from
 * the end. With keepDim the reduced axes stay as 1s, so the result broadcasts back
 * against the input — which is exactly what every backward rule here does: the
 * output's gradient is broadcast over the axes that were folded away.
 */

import { broadcastTo, sumToShape } from './broadcast.ts';
import { aroundAxis, formatShape, normalizeAxes, ShapeError } from './errors.ts';
import { asTensor, checkTensor, record, type Tensor, type TensorLike } from './tensor.ts';

export type Axis = number | readonly number[] | undefined;

type Fold = 'sum' | 'max' | 'min';

/**
 * Folds one axis of a row-major array viewed as [outer, n, inner]:
 * out[o, i] = fold over r of x[o, r, i].
 */
export function foldAxis(
  x: Float64Array,
  outer: number,
  n: number,
  inner: number,
  fold: Fold,
): Float64Array {
  const out = new Float64Array(outer * inner);
  for (let o = 0; o < outer; o++) {
    const base = o * n * inner;
    const row = o * inner;
    if (fold === 'sum') {
      for (let r = 0; r < n; r++) {
        const from = base + r * inner;
        for (let i = 0; i < inner; i++) out[row + i]! += x[from + i]!;
      }
    } else {
      out.set(x.subarray(base, base + inner), row); // start from the first slice
      for (let r = 1; r < n; r++) {
        const from = base + r * inner;
        if (fold === 'max') {
          for (let i = 0; i < inner; i++)
            // Stryker disable next-line EqualityOperator: on a tie the running maximum is overwritten by an equal value
            if (x[from + i]! > out[row + i]!) out[row + i] = x[from + i]!;
        } else {
          for (let i = 0; i < inner; i++)
            // Stryker disable next-line EqualityOperator: on a tie the running minimum is overwritten by an equal value
            if (x[from + i]! < out[row + i]!) out[row + i] = x[from + i]!;
        }
      }
    }
  }
  return out;
}

/** The input's shape with the reduced axes set to 1 (the keepDim shape). */
function keptShape(shape: readonly number[], axes: readonly number[]): number[] {
  return shape.map((d, i) => (axes.includes(i) ? 1 : d));
}

/** Folds the given axes one by one; returns data in the keepDim layout. */
function foldAxes(
  op: string,
  x: Float64Array,
  shape: readonly number[],
  axes: readonly number[],
  fold: Fold,
): Float64Array {
  let data = x;
  const current = shape.slice();
  for (let k = axes.length - 1; k >= 0; k--) {
    const axis = axes[k]!;
    const { outer, n, inner } = aroundAxis(current, axis);
    if (n === 0 && fold !== 'sum') {
      throw new ShapeError(
        `${op}: cannot reduce axis ${axis} of size 0 (shape ${formatShape(shape)})`,
      );
    }
    data = foldAxis(data, outer, n, inner, fold);
    current[axis] = 1;
  }
  return data === x ? x.slice() : data;
}

interface Reduction {
  x: Tensor;
  axes: number[];
  kept: number[];
  outShape: number[];
}

function prepare(op: string, xLike: TensorLike, axis: Axis, keepDim: boolean): Reduction {
  const x = asTensor(xLike);
  checkTensor(op, x, 'x');
  const axes = normalizeAxes(op, axis, x.rank);
  const kept = keptShape(x.shape, axes);
  const outShape = keepDim ? kept : x.shape.filter((_, i) => !axes.includes(i));
  return { x, axes, kept, outShape };
}

/** Σ over the axes. d(Σ x) = dout broadcast back over the summed axes */
export function sum(xLike: TensorLike, axis?: Axis, keepDim = false): Tensor {
  const { x, axes, kept, outShape } = prepare('sum', xLike, axis, keepDim);
  let out: Float64Array;
  if (axes.length === x.rank) {
    let total = 0;
    const xs = x.data;
    for (let i = 0; i < xs.length; i++) total += xs[i]!;
    out = Float64Array.of(total);
  } else {
    // Stryker disable next-line StringLiteral: the op name is shown only by the empty-axis error of max and min, which a sum never raises
    out = foldAxes('sum', x.data, x.shape, axes, 'sum');
  }
  return record('sum', out, outShape, [x], (dout) => [broadcastTo(dout, kept, x.shape)]);
}

/** The average over the axes. d(mean x) = dout / count, broadcast back */
export function mean(xLike: TensorLike, axis?: Axis, keepDim = false): Tensor {
  const { x, axes, kept, outShape } = prepare('mean', xLike, axis, keepDim);
  const count = axes.reduce((n, a) => n * x.shape[a]!, 1);
  // Stryker disable next-line StringLiteral: the op name is shown only by the empty-axis error of max and min, which a sum never raises
  const out = foldAxes('mean', x.data, x.shape, axes, 'sum');
  for (let i = 0; i < out.length; i++) out[i] = out[i]! / count;
  return record('mean', out, outShape, [x], (dout) => {
    const dx = broadcastTo(dout, kept, x.shape);
    for (let i = 0; i < dx.length; i++) dx[i] = dx[i]! / count;
    return [dx];
  });
}

/**
 * The gradient of max or min: it flows to the entries that attained the extreme,
 * shared equally among ties (as torch.amax does). d(max x) = [x = max] dout / #ties
 */
function extremeBackward(
  dout: Float64Array,
  x: Tensor,
  out: Float64Array,
  kept: readonly number[],
): Float64Array {
  const extreme = broadcastTo(out, kept, x.shape);
  const xs = x.data;
  for (let i = 0; i < xs.length; i++) extreme[i] = xs[i] === extreme[i] ? 1 : 0;
  const ties = sumToShape(extreme, x.shape, kept);
  const share = new Float64Array(ties.length);
  for (let i = 0; i < share.length; i++) share[i] = dout[i]! / ties[i]!;
  const dx = broadcastTo(share, kept, x.shape);
  for (let i = 0; i < dx.length; i++) dx[i] = dx[i]! * extreme[i]!;
  return dx;
}

/** The largest entry over the axes. */
export function max(xLike: TensorLike, axis?: Axis, keepDim = false): Tensor {
  const { x, axes, kept, outShape } = prepare('max', xLike, axis, keepDim);
  const out = foldAxes('max', x.data, x.shape, axes, 'max');
  return record('max', out, outShape, [x], (dout) => [extremeBackward(dout, x, out, kept)]);
}

/** The smallest entry over the axes. */
export function min(xLike: TensorLike, axis?: Axis, keepDim = false): Tensor {
  const { x, axes, kept, outShape } = prepare('min', xLike, axis, keepDim);
  // Stryker disable next-line StringLiteral: an unknown fold falls through to the same branch as 'min'
  const out = foldAxes('min', x.data, x.shape, axes, 'min');
  return record('min', out, outShape, [x], (dout) => [extremeBackward(dout, x, out, kept)]);
}

/**
 * log Σ exp(x) over the axes, computed as m + log Σ exp(x − m) with m the maximum, so
 * that no exp overflows (and at least one term is exp(0) = 1, so the log is finite).
 * d(logsumexp x) = softmax(x) dout = exp(x − out) dout
 */
export function logsumexp(xLike: TensorLike, axis?: Axis, keepDim = false): Tensor {
  const { x, axes, kept, outShape } = prepare('logsumexp', xLike, axis, keepDim);
  const m = foldAxes('logsumexp', x.data, x.shape, axes, 'max');
  // NOTE: a row of −∞ (or +∞) would give ∞ − ∞ = NaN; shift by 0 there instead.
  for (let i = 0; i < m.length; i++) if (!Number.isFinite(m[i]!)) m[i] = 0;
  const shifted = broadcastTo(m, kept, x.shape);
  const xs = x.data;
  for (let i = 0; i < xs.length; i++) shifted[i] = Math.exp(xs[i]! - shifted[i]!);
  // Stryker disable next-line StringLiteral: the op name is shown only by the empty-axis error of max and min, which a sum never raises
  const out = foldAxes('logsumexp', shifted, x.shape, axes, 'sum');
  // eq. 3.4 — logsumexp, shifted by the max
  for (let i = 0; i < out.length; i++) out[i] = m[i]! + Math.log(out[i]!);
  return record('logsumexp', out, outShape, [x], (dout) => {
    const lse = broadcastTo(out, kept, x.shape);
    const g = broadcastTo(dout, kept, x.shape);
    for (let i = 0; i < g.length; i++) g[i] = g[i]! * Math.exp(xs[i]! - lse[i]!);
    return [g];
  });
}
