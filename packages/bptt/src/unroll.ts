/**
 * Unrolling a cell over time: the same cell applied at every step, its state handed
 * from one step to the next, every intermediate kept in the autodiff graph.
 *
 *   h_1 = cell(x_1, h_0),  h_2 = cell(x_2, h_1),  …,  h_T = cell(x_T, h_{T−1})
 *
 * The graph this builds is the "unrolled network": a T-layer feed-forward net whose
 * layers share their weights. Backpropagation through time is nothing more than
 * ordinary backpropagation through that graph; every h_t is a tensor in it, so a hook
 * on states[t].h sees ∂L/∂h_t.
 *
 * Variable lengths (PyTorch's packed-sequence semantics): sequence b stops at step
 * lengths[b]. Past it, its state is carried unchanged, so the final state is the one
 * at its last valid step, and its outputs are zero. Both are a `where` with the mask
 * [t < lengths[b]], which sends the gradient only down the branch that was taken.
 */

import { unbind } from '@unroll/cells';
import {
  formatShape,
  ShapeError,
  stack,
  type Tensor,
  tensor,
  transpose,
  where,
  withOpContext,
} from '@unroll/tensor';

/** A recurrent state: `{ h }` for RNN and GRU cells, `{ h, c }` for LSTM cells. */
export interface RecurrentState {
  h: Tensor;
  c?: Tensor;
}

/** What `unroll` needs of a cell (RNNCell, LSTMCell and GRUCell of @unroll/cells have it). */
export interface RecurrentCell<S extends RecurrentState = RecurrentState> {
  step(x: Tensor, state?: S): S;
  initialState(batchSize: number): S;
  /**
   * Optional, for speed: x W_ihᵀ + b_ih for inputs [..., I] — every step's input
   * projection in one matmul — and the step that starts from it.
   */
  projectInput?(x: Tensor): Tensor;
  stepProjected?(xW: Tensor, state: S, projectHidden?: (hPrev: Tensor) => Tensor): S;
  /**
   * Optional, for speed: h ↦ h W_hhᵀ + b_hh for the steps of one pass, with W_hh's
   * gradient taken once for the whole pass (@unroll/cells' recurrentLinear).
   */
  sequenceProjection?(): (hPrev: Tensor) => Tensor;
}

export interface UnrollOptions {
  /** Length of each sequence of the batch, each an integer in 1..T (any order). */
  lengths?: ArrayLike<number>;
}

export interface Unrolled<S extends RecurrentState> {
  /** states[t] is the state after step t (t = 0 … T−1), kept in the graph. */
  states: S[];
  /** [B, T, H]: h of every step, zero past each sequence's length. */
  outputs: Tensor;
  /** The state at each sequence's last valid step (states[T−1] when there are no lengths). */
  final: S;
}

/**
 * Runs `cell` over xs [B, T, I] (batch-first) from `state0` (the cell's zeros when
 * left out). See the file comment for `lengths`.
 */
export function unroll<S extends RecurrentState>(
  cell: RecurrentCell<S>,
  xs: Tensor,
  state0?: S,
  options: UnrollOptions = {},
): Unrolled<S> {
  if (xs.rank !== 3) {
    throw new ShapeError(
      `unroll: xs must be [batch, steps, inputSize], got ${formatShape(xs.shape)}`,
    );
  }
  const [B, T] = xs.shape as [number, number, number];
  if (T === 0) {
    // Nothing to unroll: no outputs to stack and no final state but the initial one.
    throw new ShapeError(
      `unroll: xs has T = 0 steps (${formatShape(xs.shape)}); expected at least one step`,
    );
  }
  const masks = options.lengths === undefined ? null : stepMasks(options.lengths, B, T);
  let state = state0 ?? cell.initialState(B);
  checkState(state, cell.initialState(B));
  // Time-major, then one slice per step. unbind's backward is O(B·T·I) in all, where T
  // narrows would each return a full-size gradient: O(T·B·T·I).
  const xsByStep = transpose(xs, 0, 1);
  const projected = cell.projectInput !== undefined && cell.stepProjected !== undefined;
  const inputs = unbind(projected ? cell.projectInput!(xsByStep) : xsByStep);
  const projectHidden = projected ? cell.sequenceProjection?.() : undefined;
  const states: S[] = [];
  const hs: Tensor[] = [];
  for (let t = 0; t < T; t++) {
    // Every op of step t carries { timestep: t + 1 }, so an op observer (anomaly
    // detection) can say at which step a NaN first appeared.
    withOpContext({ timestep: t + 1 }, () => {
      const x = inputs[t]!;
      const next = projected ? cell.stepProjected!(x, state, projectHidden) : cell.step(x, state);
      const mask = masks?.[t] ?? null;
      if (mask === null) {
        state = next;
        hs.push(next.h);
      } else {
        state = carryPast(mask, next, state);
        // From state.h, not next.h, so that a hook on states[t].h sees the output's share too.
        hs.push(where(mask, state.h, 0));
      }
    });
    states.push(state);
  }
  return { states, outputs: stack(hs, 1), final: state };
}

/** For every tensor of the state (h, and c for an LSTM): the new value where the mask is 1, the old elsewhere. */
function carryPast<S extends RecurrentState>(mask: Tensor, next: S, previous: S): S {
  return mapState(next, (now, key) => {
    const before = (previous as unknown as Record<string, Tensor | undefined>)[key];
    if (before === undefined) {
      throw new Error(`unroll: the cell's state has '${key}' but the previous state does not`);
    }
    return where(mask, now, before);
  });
}

/** The state with `fn` applied to each of its tensors. */
export function mapState<S extends RecurrentState>(
  state: S,
  fn: (value: Tensor, key: string) => Tensor,
): S {
  const out: Record<string, Tensor> = {};
  for (const [key, value] of Object.entries(state)) out[key] = fn(value as Tensor, key);
  return out as unknown as S;
}

/** state0 must hold the tensors of the cell's own zero state, with their shapes. */
function checkState<S extends RecurrentState>(state: S, zeros: S): void {
  for (const [key, zero] of Object.entries(zeros) as [string, Tensor][]) {
    const given = (state as unknown as Record<string, Tensor | undefined>)[key];
    if (given === undefined) {
      throw new ShapeError(
        `unroll: state0 has no '${key}'; the cell's state has ${Object.keys(zeros).join(', ')}`,
      );
    }
    if (formatShape(given.shape) !== formatShape(zero.shape)) {
      throw new ShapeError(
        `unroll: state0.${key} is ${formatShape(given.shape)}, expected ${formatShape(zero.shape)} (batch, hiddenSize)`,
      );
    }
  }
}

/**
 * The mask [B, 1] of step t: 1 for sequences still running (t < lengths[b]), 0 for those
 * that have ended. Null for the steps where every sequence is still running.
 */
export function stepMasks(lengths: ArrayLike<number>, B: number, T: number): (Tensor | null)[] {
  checkLengths('unroll', lengths, B, T);
  const masks: (Tensor | null)[] = [];
  for (let t = 0; t < T; t++) {
    const running = Array.from(lengths, (n) => (t < n ? 1 : 0));
    masks.push(running.every((r) => r === 1) ? null : tensor(running.map((r) => [r])));
  }
  return masks;
}

/** Each length an integer in 1..T, one per sequence of the batch. */
export function checkLengths(op: string, lengths: ArrayLike<number>, B: number, T: number): void {
  if (lengths.length !== B) {
    throw new ShapeError(
      `${op}: lengths has ${lengths.length} entries but the batch has ${B} sequences`,
    );
  }
  for (let b = 0; b < B; b++) {
    const n = lengths[b]!;
    if (!Number.isInteger(n) || n < 1 || n > T) {
      throw new RangeError(
        `${op}: lengths[${b}] is ${n}; each length must be an integer in 1..${T}`,
      );
    }
  }
}
