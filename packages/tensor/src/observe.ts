/**
 * Watching the engine work: an opt-in observer that sees every op's output as it is
 * made and every gradient a backward rule produces, plus a context that loops can set
 * to say what is being computed (`{ timestep: 7, layer: 1 }`).
 *
 * Nothing here changes a value. With no observer set, the engine pays one null check
 * per op. @unroll/diagnostics builds anomaly detection on it (the first NaN or ∞, named
 * by op, shape, timestep and layer); a profiler could count ops the same way.
 */

import type { Tensor } from './tensor.ts';

/** What a loop says about the ops running inside it, e.g. `{ timestep: 3, layer: 0 }`. */
export type OpContext = Readonly<Record<string, string | number>>;

export interface OpObserver {
  /** After an op made `output` from `inputs` (recorded in the graph or not). */
  forward?(op: string, output: Tensor, inputs: readonly Tensor[], context: OpContext): void;
  /** After the backward rule of the op that made `output` produced dL/d(inputs[index]). */
  backward?(op: string, output: Tensor, index: number, input: Tensor, gradient: Float64Array): void;
}

let observer: OpObserver | null = null;
const top: OpContext = Object.freeze({});
let context: OpContext = top;

/** Installs `next` (null removes it) and returns the previous observer, to restore later. */
export function setOpObserver(next: OpObserver | null): OpObserver | null {
  const previous = observer;
  observer = next;
  return previous;
}

/** The context set by the enclosing `withOpContext` calls ({} outside them). */
export function opContext(): OpContext {
  return context;
}

/**
 * Runs `fn` with `extra` merged into the op context (inner keys win) and restores the
 * previous context when it returns or throws. Synchronous only, like `noGrad`.
 */
export function withOpContext<T>(extra: OpContext, fn: () => T): T {
  const previous = context;
  context = Object.freeze({ ...previous, ...extra });
  try {
    return fn();
  } finally {
    context = previous;
  }
}

/** Called by `record` for every op. */
export function observeForward(op: string, output: Tensor, inputs: readonly Tensor[]): void {
  if (observer?.forward) observer.forward(op, output, inputs, context);
}

/** Called by the backward engine for every gradient a rule hands to an input. */
export function observeBackward(
  op: string,
  output: Tensor,
  index: number,
  input: Tensor,
  gradient: Float64Array,
): void {
  if (observer?.backward) observer.backward(op, output, index, input, gradient);
}
