/**
 * Watching ∂L/∂h_t step by step during a hand-derived backward pass.
 *
 * A backward pass never holds ∂L/∂h_t of every step at once: at step t it has only the
 * loss's own share dhs_t and the part dhNext that arrived from step t + 1, and their sum
 * (eq. 6.2) is used up inside the step. A diagnostic that wants every step's gradient —
 * the lab's gradient-flow probe, ‖∂L/∂h_t‖ over t — gives the pass an `onStep` callback
 * instead of building an autodiff graph over the whole sequence: the pass then hands it
 * that sum at each step, in a buffer reused from step to step, and keeps nothing more.
 * Without a callback the pass does exactly what it did before.
 */

/**
 * Called once per step, t = T − 1 down to 0 (0-based like dOutput's time index), with
 * dh [B, H] = ∂L/∂h of that step's output: its loss share plus what flowed back from
 * step t + 1. The buffer is overwritten at the next step; copy what you keep.
 */
export type StepHook = (t: number, dh: Float64Array) => void;

/**
 * The report a backward pass makes at the top of step t (before it overwrites dhNext),
 * or null without a hook. `dhs` [T, B, H] holds the loss's shares, time-major.
 */
export function stepReporter(
  onStep: StepHook | undefined,
  dhs: Float64Array,
  dhNext: Float64Array,
): ((t: number) => void) | null {
  if (onStep === undefined) return null;
  const BH = dhNext.length;
  const dh = new Float64Array(BH);
  return (t) => {
    // δ_t = ∂L_t/∂h_t + dhNext (eq. 6.2), added in the order the pass adds them
    for (let r = 0; r < BH; r++) dh[r] = dhs[t * BH + r]! + dhNext[r]!;
    onStep(t, dh);
  };
}
