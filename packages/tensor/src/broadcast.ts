/**
 * NumPy broadcasting on raw Float64Arrays (no autograd here).
 *
 * Two shapes broadcast when, aligned from the right, each pair of dims is equal or one
 * of them is 1 (a missing leading dim counts as 1). The result takes the larger dim
 * of each pair. An operand broadcast along a dim is read with stride 0 there: the
 * same entry serves every position along that dim.
 *
 * That stride 0 is why the backward pass sums. If b[j] was read for every row i of
 * out[i, j] = a[i, j] + b[j], then b[j] influenced every out[i, j], and
 *   dL/db[j] = Σᵢ dL/dout[i, j] · ∂out[i, j]/∂b[j],
 * a sum over the broadcast axis. `sumToShape` is that sum, and every binary op's
 * backward ends with it.
 *
 * The walks below visit the output in runs ("rows") of contiguous entries: adjacent
 * dims that are laid out the same way in every operand are merged first, so a
 * same-shape op is one run over everything, a bias add [B,H] + [H] is B runs of H,
 * and the kernels are plain loops over a run.
 */

import { formatShape, ShapeError, sameShape, sizeOf } from './errors.ts';

/** The shape of a op b under broadcasting; throws a ShapeError naming the op if none. */
export function broadcastShapes(
  op: string,
  a: readonly number[],
  b: readonly number[],
  names: readonly [string, string] = ['a', 'b'],
): number[] {
  // Stryker disable next-line MethodExpression: no caller writes to the returned shape, so handing out a itself would do the same
  if (sameShape(a, b)) return a.slice();
  const rank = Math.max(a.length, b.length);
  // Stryker disable next-line ArrayDeclaration: every entry is assigned below, so an unsized array ends up the same
  const out = new Array<number>(rank);
  for (let d = 0; d < rank; d++) {
    const da = a[a.length - rank + d] ?? 1;
    const db = b[b.length - rank + d] ?? 1;
    if (da !== db && da !== 1 && db !== 1) {
      throw new ShapeError(
        `${op}: shapes do not broadcast: ${names[0]} is ${formatShape(a)}, ${names[1]} is ${formatShape(b)} (dim ${d - rank}: ${da} vs ${db})`,
      );
    }
    out[d] = da === 1 ? db : da;
  }
  return out;
}

/**
 * How to walk an output of shape `outShape` run by run. For operand p, run r starts at
 * `offsets[p][r]` and advances by `steps[p]` (1, or 0 when broadcast along the run).
 * The output itself is contiguous: run r starts at r·inner.
 */
export interface BroadcastPlan {
  rows: number;
  inner: number;
  steps: number[];
  offsets: Int32Array[];
}

export function planBroadcast(
  outShape: readonly number[],
  operandShapes: readonly (readonly number[])[],
): BroadcastPlan {
  const rank = outShape.length;
  // Each operand's strides in the output's index space (0 along broadcast dims).
  const strides = operandShapes.map((shape) => {
    const s = new Array<number>(rank).fill(0);
    let stride = 1;
    for (let d = shape.length - 1; d >= 0; d--) {
      const dim = shape[d]!;
      if (dim !== 1) s[rank - shape.length + d] = stride;
      stride *= dim;
    }
    return s;
  });
  // Drop dims of size 1, then merge neighbours laid out alike in every operand.
  const dims: number[] = [];
  const merged: number[][] = operandShapes.map(() => []);
  for (let d = 0; d < rank; d++) {
    const dim = outShape[d]!;
    if (dim === 1) continue;
    const last = dims.length - 1;
    // Stryker disable next-line ConditionalExpression: with last = −1 the strides read undefined, the comparison is false, and nothing merges either way
    const canMerge = last >= 0 && strides.every((s, p) => merged[p]![last] === s[d]! * dim);
    if (canMerge) {
      dims[last]! *= dim;
      strides.forEach((s, p) => {
        merged[p]![last] = s[d]!;
      });
    } else {
      dims.push(dim);
      strides.forEach((s, p) => {
        merged[p]!.push(s[d]!);
      });
    }
  }
  if (dims.length === 0) {
    dims.push(1);
    for (const m of merged) m.push(0);
  }
  const inner = dims[dims.length - 1]!;
  const rows = sizeOf(outShape) / inner;
  const outer = dims.length - 1;
  const offsets = merged.map(() => new Int32Array(rows));
  // Odometer over the outer dims, tracking each operand's offset.
  const index = new Array<number>(outer).fill(0);
  const current = merged.map(() => 0);
  for (let r = 0; r < rows; r++) {
    for (let p = 0; p < merged.length; p++) offsets[p]![r] = current[p]!;
    for (let d = outer - 1; d >= 0; d--) {
      index[d]!++;
      for (let p = 0; p < merged.length; p++) current[p]! += merged[p]![d]!;
      if (index[d]! < dims[d]!) break;
      for (let p = 0; p < merged.length; p++) current[p]! -= merged[p]![d]! * dims[d]!;
      index[d] = 0;
    }
  }
  return { rows, inner, steps: merged.map((m) => m[m.length - 1]!), offsets };
}

/** out[o + k] = f(a[ai + k·aStep], b[bi + k·bStep]) for k < n: one run of a binary op. */
export type BinaryKernel = (
  a: Float64Array,
  ai: number,
  aStep: number,
  b: Float64Array,
  bi: number,
  bStep: number,
  out: Float64Array,
  o: number,
  n: number,
) => void;

/** Applies a binary kernel with broadcasting; `out` may be a same-shaped operand. */
export function applyBinary(
  kernel: BinaryKernel,
  a: Float64Array,
  aShape: readonly number[],
  b: Float64Array,
  bShape: readonly number[],
  outShape: readonly number[],
  out: Float64Array = new Float64Array(sizeOf(outShape)),
): Float64Array {
  if (a.length === out.length && b.length === out.length) {
    kernel(a, 0, 1, b, 0, 1, out, 0, out.length); // same shape: one run
  } else if (b.length === 1 && a.length === out.length) {
    kernel(a, 0, 1, b, 0, 0, out, 0, out.length);
  } else if (a.length === 1 && b.length === out.length) {
    kernel(a, 0, 0, b, 0, 1, out, 0, out.length);
  } else {
    const { rows, inner, steps, offsets } = planBroadcast(outShape, [aShape, bShape]);
    const aOffsets = offsets[0]!;
    const bOffsets = offsets[1]!;
    for (let r = 0; r < rows; r++) {
      kernel(a, aOffsets[r]!, steps[0]!, b, bOffsets[r]!, steps[1]!, out, r * inner, inner);
    }
  }
  return out;
}

/** x broadcast to `shape`, materialised. */
export function broadcastTo(
  x: Float64Array,
  xShape: readonly number[],
  shape: readonly number[],
): Float64Array {
  const out = new Float64Array(sizeOf(shape));
  if (x.length === out.length) {
    out.set(x);
    return out;
  }
  const { rows, inner, steps, offsets } = planBroadcast(shape, [xShape]);
  const step = steps[0]!;
  const xOffsets = offsets[0]!;
  for (let r = 0; r < rows; r++) {
    for (let k = 0, i = xOffsets[r]!, o = r * inner; k < inner; k++, i += step, o++) out[o] = x[i]!;
  }
  return out;
}

/**
 * Reduces a gradient of shape `gShape` to `shape`, which broadcast to `gShape` in the
 * forward pass: sums over every broadcast dim. Returns `g` itself when nothing was
 * broadcast (callers never write into the result).
 */
// eq. 3.1 — a broadcast operand's gradient is summed over the stretched axes
export function sumToShape(
  g: Float64Array,
  gShape: readonly number[],
  shape: readonly number[],
): Float64Array {
  const size = sizeOf(shape);
  if (size === g.length) return g;
  // BEGIN EXERCISE sum-to-shape
  const out = new Float64Array(size);
  if (size === 1) {
    let total = 0;
    for (let i = 0; i < g.length; i++) total += g[i]!;
    out[0] = total;
    return out;
  }
  const { rows, inner, steps, offsets } = planBroadcast(gShape, [shape]);
  const step = steps[0]!;
  const outOffsets = offsets[0]!;
  for (let r = 0; r < rows; r++) {
    let i = outOffsets[r]!;
    const start = r * inner;
    if (step === 0) {
      let total = 0; // the whole run collapses onto one entry
      for (let k = 0; k < inner; k++) total += g[start + k]!;
      out[i]! += total;
    } else {
      for (let k = 0; k < inner; k++, i++) out[i]! += g[start + k]!;
    }
  }
  return out;
  // END EXERCISE sum-to-shape
}
