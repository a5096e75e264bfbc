/**
 * Gradient flow through time: ‖∂L/∂hₜ‖ for every timestep t (and every layer of a
 * stack), read during an ordinary backward pass.
 *
 * BPTT sends the gradient backwards through the states: ∂L/∂hₜ collects what the loss
 * sends to hₜ directly and what flows back from hₜ₊₁. A hook on each per-timestep
 * state tensor sees that complete gradient once it is summed, before it moves on to
 * hₜ₋₁ and the weights. The hooks only look: they return nothing, so the gradients
 * the parameters receive are bit for bit those of a run without them.
 */

import { unroll } from '@unroll/bptt';
import type { GRU, GRUCell, LSTM, LSTMCell, RNN, RNNCell } from '@unroll/cells';
import type { Tensor } from '@unroll/tensor';
import { withGradientsRestored } from './graph.ts';
import { norm } from './linalg.ts';
import { unrollStack } from './stack.ts';

export interface GradientFlow {
  /**
   * norms[layer][t − 1] = ‖∂L/∂hₜ‖ (the Frobenius norm over the whole [B, H] batch),
   * written by the last backward pass; 0 where no gradient reached hₜ.
   */
  readonly norms: number[][];
  /** The number of gradients the hooks have seen (T per layer per backward pass). */
  readonly seen: number;
  /** Sets every norm back to 0 (between training steps, if a pass may skip some hₜ). */
  reset(): void;
  /** Removes the hooks. */
  remove(): void;
}

/**
 * Hooks the per-timestep states so that the next backward pass records ‖∂L/∂hₜ‖.
 * `states` is one layer's [h₁, …, h_T], or one such list per layer.
 */
export function captureGradientFlow(
  states: readonly Tensor[] | readonly (readonly Tensor[])[],
): GradientFlow {
  const layers = (
    states.length > 0 && Array.isArray(states[0]) ? states : [states]
  ) as readonly (readonly Tensor[])[];
  const norms = layers.map((layer) => new Array<number>(layer.length).fill(0));
  const removers: (() => void)[] = [];
  let seen = 0;
  layers.forEach((layer, l) => {
    layer.forEach((h, i) => {
      if (!h.requiresGrad) {
        for (const remove of removers) remove();
        throw new Error(
          `captureGradientFlow: the state at t = ${i + 1} (layer ${l}) does not require grad, so no gradient will reach it; run the forward pass outside noGrad with parameters that require grad`,
        );
      }
      removers.push(
        h.registerHook((grad) => {
          norms[l]![i] = norm(grad.data); // Frobenius norm of the [B, H] gradient
          seen++;
        }),
      );
    });
  });
  return {
    norms,
    get seen() {
      return seen;
    },
    reset() {
      for (const layer of norms) layer.fill(0);
    },
    remove() {
      for (const remove of removers) remove();
      removers.length = 0;
    },
  };
}

/** A cell, or a stacked layer of @unroll/cells. */
export type RecurrentModel = RNNCell | LSTMCell | GRUCell | RNN | LSTM | GRU;

export interface FlowMeasurement {
  /** norms[l][t − 1] = ‖∂L/∂hₜ‖ in layer l (one row for a cell). */
  norms: number[][];
  /** LSTM only: ‖∂L/∂cₜ‖, the gradient on the additive cell path. */
  cellNorms?: number[][];
  /** The loss's value. */
  loss: number;
}

/**
 * One forward and backward pass of `model` over x [B, T, I] with the loss that
 * `loss` builds from the top layer's outputs [B, T, H], measuring ‖∂L/∂hₜ‖ at every
 * step of every layer. The gradients of every weight are left as they were before.
 */
export function measureGradientFlow(
  model: RecurrentModel,
  x: Tensor,
  loss: (output: Tensor) => Tensor,
  options: { lengths?: ArrayLike<number> } = {},
): FlowMeasurement {
  const { output, states } =
    'cells' in model
      ? unrollStack(model, x, options)
      : (() => {
          const run = unroll(model as RNNCell, x, undefined, options);
          return { output: run.outputs, states: [run.states as { h: Tensor; c?: Tensor }[]] };
        })();
  const L = loss(output);
  if (L.size !== 1) {
    throw new RangeError(
      `measureGradientFlow: the loss must be a single number, got shape [${L.shape.join(', ')}]`,
    );
  }
  const hasCell = 'c' in states[0]![0]!;
  const flow = captureGradientFlow(states.map((layer) => layer.map((s) => s.h)));
  const cellFlow = hasCell
    ? captureGradientFlow(states.map((layer) => layer.map((s) => (s as { c: Tensor }).c)))
    : null;
  try {
    withGradientsRestored([L], () => L.backward());
  } finally {
    flow.remove();
    cellFlow?.remove();
  }
  const measurement: FlowMeasurement = { norms: flow.norms, loss: L.item() };
  if (cellFlow) measurement.cellNorms = cellFlow.norms;
  return measurement;
}
