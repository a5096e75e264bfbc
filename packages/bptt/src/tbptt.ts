/**
 * Truncated backpropagation through time, TBPTT(k1, k2) — Williams & Peng's
 * BPTT(h; h') with h = k2, h' = k1: walk the sequence, and every k1 steps
 *
 *   1. take the loss of the k1 newest steps,
 *   2. backpropagate it through the last k2 steps only (k2 ≥ k1),
 *   3. update the weights.
 *
 * Cutting the graph after k2 steps bounds both the memory (k2 steps of activations
 * instead of T) and the product of Jacobians ∂h_t/∂h_{t−1} that a gradient travels
 * through (k2 factors instead of up to T). The price: no gradient reaches back more
 * than k2 steps, so the network cannot learn dependencies longer than that from the
 * gradient (the state still carries information forward across the cut).
 *
 * How it is done here. The state at the cut, h_{end−k2}, is a detached copy: a leaf
 * with no graph behind it, so backward stops there. Each window is unrolled from that
 * saved state over steps end−k2 … end−1. When k2 > k1 the windows overlap, and the
 * k2 − k1 older steps of a window are recomputed with the current weights (their
 * losses were already counted by the previous update, so only their Jacobians are
 * used). With k1 = k2 the windows tile the sequence and nothing is recomputed; with
 * k1 = k2 = T this is full BPTT.
 */

import { formatShape, narrow, ShapeError, type Tensor } from '@unroll/tensor';
import { mapState, type RecurrentCell, type RecurrentState, unroll } from './unroll.ts';

export interface TBPTTWindow {
  /** The k1 (or, at the end, fewer) new steps of this update: [start, end). */
  start: number;
  end: number;
  /** Where backpropagation stops: the window's graph begins at this step (end − k2, ≥ 0). */
  cut: number;
  /** 0, 1, 2, … */
  index: number;
}

export interface TBPTTOptions<S extends RecurrentState> {
  cell: RecurrentCell<S>;
  /** [B, T, I], batch-first. */
  xs: Tensor;
  /** Update every k1 steps. */
  k1: number;
  /** Backpropagate through k2 steps (k1 ≤ k2). */
  k2: number;
  /** The state before step 0 (the cell's zeros when left out); it is used detached. */
  state0?: S;
  /** The loss of the new steps, from their outputs [B, end − start, H]. */
  loss: (outputs: Tensor, window: TBPTTWindow) => Tensor;
  /** Called after each backward pass: step the optimizer and zero the gradients here. */
  update: (window: TBPTTWindow) => void;
}

export interface TBPTTResult<S extends RecurrentState> {
  /** The loss of each update, in order. */
  losses: number[];
  /** The state after the last step, detached. */
  final: S;
}

export function tbptt<S extends RecurrentState>(options: TBPTTOptions<S>): TBPTTResult<S> {
  const { cell, xs, k1, k2, loss, update } = options;
  if (xs.rank !== 3) {
    throw new ShapeError(
      `tbptt: xs must be [batch, steps, inputSize], got ${formatShape(xs.shape)}`,
    );
  }
  for (const [name, k] of [
    ['k1', k1],
    ['k2', k2],
  ] as const) {
    if (!Number.isInteger(k) || k < 1) {
      throw new RangeError(`tbptt: ${name} must be an integer ≥ 1, got ${k}`);
    }
  }
  if (k2 < k1) {
    throw new RangeError(
      `tbptt: k2 (${k2}) must be ≥ k1 (${k1}): each update backpropagates through at least the k1 steps it is the loss of`,
    );
  }
  // BEGIN EXERCISE tbptt-cut
  const [B, T] = xs.shape as [number, number, number];
  // Detached states at the step boundaries a later window may start from: saved.get(t) is h before step t.
  const saved = new Map<number, S>([[0, detachState(options.state0 ?? cell.initialState(B))]]);
  const losses: number[] = [];
  let final = saved.get(0)!;
  for (let start = 0, index = 0; start < T; start += k1, index++) {
    const end = Math.min(start + k1, T);
    const cut = Math.max(0, end - k2);
    const window: TBPTTWindow = { start, end, cut, index };
    const { states, outputs } = unroll(cell, narrow(xs, 1, cut, end - cut), saved.get(cut)!);
    for (let t = cut + 1; t <= end; t++) saved.set(t, detachState(states[t - cut - 1]!));
    const nextCut = Math.max(0, Math.min(end + k1, T) - k2);
    for (const t of saved.keys()) if (t < nextCut) saved.delete(t); // no later window starts there
    const newOutputs = start === cut ? outputs : narrow(outputs, 1, start - cut, end - start);
    const windowLoss = loss(newOutputs, window);
    windowLoss.backward();
    losses.push(windowLoss.item());
    update(window);
    final = saved.get(end)!;
  }
  return { losses, final };
  // END EXERCISE tbptt-cut
}

/** The same state with every tensor detached: a leaf that stops backpropagation. */
export function detachState<S extends RecurrentState>(state: S): S {
  return mapState(state, (value) => value.detach());
}
