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
 * How it is done here. Each window is unrolled over steps cut … end−1, cut = end − k2,
 * from a detached copy of the state at the cut: a leaf with no graph behind it, so
 * backward stops there. When k2 > k1 the windows overlap, and the k2 − k1 older steps
 * of a window are run again with the current weights (their losses were counted by an
 * earlier update, so only their Jacobians are used). With k1 = k2 the windows tile the
 * sequence and nothing is run twice; with k1 = k2 = T this is full BPTT.
 *
 * Which state at the cut. Once k2 ≥ 2·k1, a cut lies inside several earlier windows,
 * and each of them computed a state there (with different weights). The window starts
 * from the FIRST of them: the state the network reached when the forward walk came to
 * that step. That is Williams & Peng's online algorithm, where the network runs forward
 * once, in real time, and the backward pass only looks back over the history it kept;
 * recomputing the window from the cut refreshes the Jacobians, not the trajectory.
 * `WindowStarts` keeps those states; the lab's trainer uses it too, so both agree.
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
  /**
   * The inputs [B, T, I], batch-first; or a function that builds the inputs of steps
   * [from, to) as [B, to − from, I] — needed when the inputs come out of a layer that
   * trains too (an Embedding): each window then has a graph of its own, so the first
   * window's backward cannot free what the second needs. With a function, give `steps`.
   */
  xs: Tensor | ((from: number, to: number) => Tensor);
  /** T, when `xs` is a function. */
  steps?: number;
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

/** The windows of TBPTT(k1, k2) over T steps: [start, end) every k1 steps, cut k2 back. */
export function tbpttWindows(T: number, k1: number, k2: number): TBPTTWindow[] {
  if (!Number.isInteger(T) || T < 0) {
    throw new RangeError(`tbptt: steps must be an integer ≥ 0, got ${T}`);
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
  const windows: TBPTTWindow[] = [];
  for (let start = 0, index = 0; start < T; start += k1, index++) {
    const end = Math.min(start + k1, T);
    windows.push({ start, end, cut: Math.max(0, end - k2), index });
  }
  return windows;
}

/**
 * The states the windows start from, under the convention above: the state at a cut is
 * the first one computed there. Run the windows in order; before each, `startOf` gives
 * its starting state; after it, `keep` is handed a way to read the state after any step
 * the window covered, and keeps those at later cuts that no earlier window reached.
 */
export class WindowStarts<S> {
  private readonly saved = new Map<number, S>();

  constructor(
    private readonly windows: readonly { cut: number; end: number }[],
    state0: S,
  ) {
    this.saved.set(0, state0);
  }

  /** The state before step `window.cut`. */
  startOf(window: { cut: number }): S {
    const state = this.saved.get(window.cut);
    if (state === undefined) {
      throw new RangeError(
        `WindowStarts: no state kept at step ${window.cut}; run the windows in order`,
      );
    }
    return state;
  }

  /** After running `window` (steps cut … end−1): `stateAfter(t)` for cut < t ≤ end. */
  keep(window: { cut: number; end: number }, stateAfter: (t: number) => S): void {
    for (const { cut } of this.windows) {
      if (cut > window.cut && cut <= window.end && !this.saved.has(cut)) {
        this.saved.set(cut, stateAfter(cut));
      }
    }
    // No window after this one starts before the next window's cut.
    const next = this.windows.find((w) => w.end > window.end);
    if (next !== undefined)
      for (const t of this.saved.keys()) if (t < next.cut) this.saved.delete(t);
  }
}

export function tbptt<S extends RecurrentState>(options: TBPTTOptions<S>): TBPTTResult<S> {
  const { cell, xs, k1, k2, loss, update } = options;
  let inputs: (from: number, to: number) => Tensor;
  let T: number;
  if (typeof xs === 'function') {
    if (options.steps === undefined) {
      throw new RangeError('tbptt: give steps (the sequence length T) when xs is a function');
    }
    inputs = xs;
    T = options.steps;
  } else {
    if (xs.rank !== 3) {
      throw new ShapeError(
        `tbptt: xs must be [batch, steps, inputSize], got ${formatShape(xs.shape)}`,
      );
    }
    inputs = (from, to) => (from === 0 && to === xs.shape[1] ? xs : narrow(xs, 1, from, to - from));
    T = xs.shape[1]!;
  }
  const windows = tbpttWindows(T, k1, k2);
  let starts: WindowStarts<S> | null = null;
  const losses: number[] = [];
  let final: S | null = null;
  for (const window of windows) {
    const { start, end, cut } = window;
    const windowInputs = inputs(cut, end);
    if (starts === null) {
      const batchSize = windowInputs.shape[0]!;
      starts = new WindowStarts(
        windows,
        detachState(options.state0 ?? cell.initialState(batchSize)),
      );
    }
    const state0 = starts.startOf(window);
    const { states, outputs } = unroll(cell, windowInputs, state0);
    const stateAfter = (t: number) => detachState(states[t - cut - 1]!);
    starts.keep(window, stateAfter);
    if (end === T) final = stateAfter(T);
    const newOutputs = start === cut ? outputs : narrow(outputs, 1, start - cut, end - start);
    const windowLoss = loss(newOutputs, window);
    windowLoss.backward();
    losses.push(windowLoss.item());
    update(window);
  }
  if (final === null) {
    // T = 0: no window ran, and the final state is the initial one.
    const batchSize = typeof xs === 'function' ? 0 : xs.shape[0]!;
    final = detachState(options.state0 ?? cell.initialState(batchSize));
  }
  return { losses, final };
}

/** The same state with every tensor detached: a leaf that stops backpropagation. */
export function detachState<S extends RecurrentState>(state: S): S {
  return mapState(state, (value) => value.detach());
}
