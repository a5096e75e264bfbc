/**
 * unbind: a tensor [N, ...] → its N slices [...] along the first axis, with a backward
 * pass that costs O(size of x) in all — not O(N · size of x).
 *
 * Why it is needed: a recurrent layer computes x W_ihᵀ for all T steps in one matmul
 * and then hands step t its slice. Taking the slices with `narrow` would give each
 * slice a backward that returns a full-size gradient of x, zeros except its own
 * block: T slices, T full-size arrays, quadratic in T.
 *
 * How: the slices do not take x as their input directly. They all take one small
 * gathering node, which takes x. Each slice's rule writes dL/d(slice) into its block of
 * one shared gradient buffer (and sends the gathering node a placeholder 0); the
 * engine visits the gathering node only after every slice that received a gradient
 * (it is their common input), and its rule passes the whole buffer on to x.
 *   d(unbind x)[i] = d slice_i, placed at block i;  blocks that got no gradient stay 0
 */

import { record, ShapeError, type Tensor } from '@unroll/tensor';

const placeholder = () => [new Float64Array(1)];

export function unbind(x: Tensor): Tensor[] {
  if (x.rank === 0) throw new ShapeError('unbind: x must have at least one dim, got a scalar');
  const [count, ...sliceShape] = x.shape as [number, ...number[]];
  const width = count === 0 ? 0 : x.size / count;
  let dx: Float64Array | null = null; // the shared buffer of one backward pass
  const gather = record('unbind', new Float64Array(1), [], [x], () => {
    const gradient = dx ?? new Float64Array(x.size);
    dx = null; // the next backward pass (retainGraph) starts from a fresh buffer
    return [gradient];
  });
  const slices: Tensor[] = new Array(count);
  for (let i = 0; i < count; i++) {
    const offset = i * width;
    // A computed tensor's entries never change, so its slices can be views of it; a
    // leaf's may (an optimizer writes into them), so its slices are copies.
    const data =
      x.node === null
        ? x.data.slice(offset, offset + width)
        : x.data.subarray(offset, offset + width);
    slices[i] = record('unbind.slice', data, sliceShape, [gather], (dSlice) => {
      // The engine has summed every gradient of slice i before this rule runs, once
      // per pass, so the block is written, not added to.
      dx ??= new Float64Array(x.size);
      dx.set(dSlice, offset);
      return placeholder();
    });
  }
  return slices;
}
