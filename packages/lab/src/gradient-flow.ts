/**
 * What the report shows about a model's gradients: ‖∂L/∂h_t‖ for every timestep t of
 * a fixed probe batch, the verdict on it (vanishing, exploding or healthy), and the
 * spectra of the recurrent weights — for the model at initialisation and after
 * training.
 *
 * The norms are read during one ordinary backward pass of the hand-derived BPTT (the
 * fast engine's, fast-path.ts): each layer's pass hands its `onStep` watcher ∂L/∂h_t as
 * it walks back, and only the norm is kept. The parameter gradients the pass computes are
 * dropped, so probing changes nothing about training. (Hooks on an autodiff graph over
 * the whole sequence give the same norms — the tests hold the two to 1e-10 — but such a
 * graph holds about 30 numbers of H per sequence, step and layer, and an op record for
 * every step: at T = 10,000 and H = 128 it took most of a gigabyte for one sequence.)
 *
 * For the adding problem the loss reads only h_T, so ‖∂L/∂h_t‖ is exactly the signal
 * that survives T − t steps back through the recurrence: the vanishing gradient, drawn.
 */

import {
  analyzeRecurrentWeights,
  gradientVerdict,
  type RecurrentWeightReport,
  type VerdictReport,
} from '@unroll/diagnostics';
import { fromData } from '@unroll/tensor';
import { readoutOf, sliceSteps } from './engines.ts';
import {
  backwardLayer,
  forwardStack,
  type LayerState,
  type StackTape,
  stateAt,
} from './fast-path.ts';
import type { SequenceModel } from './model.ts';
import { type TaskAdapter, type TrainingBatch, taskLoss } from './task-adapters.ts';

export interface FlowSnapshot {
  /** Training steps done when it was taken (0: at initialisation). */
  step: number;
  loss: number;
  /** norms[layer][t − 1] = ‖∂L/∂h_t‖ over the probe batch. */
  norms: number[][];
  /** The verdict on the top layer's norms (null, with `note`, when it cannot be judged). */
  verdict: VerdictReport | null;
  note: string | null;
  /** ρ and σ₁ of each gate's block of each weight_hh (and Pascanu et al.'s bound for an RNN). */
  spectra: RecurrentWeightReport[];
}

export function probeGradientFlow(
  model: SequenceModel,
  task: TaskAdapter,
  batch: TrainingBatch,
  step: number,
): FlowSnapshot {
  const { loss, norms } = gradientNorms(model, task, batch);
  let verdict: VerdictReport | null = null;
  let note: string | null = null;
  try {
    verdict = gradientVerdict(norms[norms.length - 1]!);
  } catch (error) {
    note = (error as Error).message;
  }
  return { step, loss, norms, verdict, note, spectra: analyzeRecurrentWeights(model) };
}

/** The memory the probe's tape may take: longer sequences are probed a window at a time. */
export const PROBE_WINDOW_MEMORY = 32 * 2 ** 20;

/**
 * Steps of the probe's batch whose tape is held at once: all T when it fits in
 * PROBE_WINDOW_MEMORY at 16 numbers of H per sequence, step and layer (the forward tape
 * and the backward pass's gradients), otherwise as many as fit.
 */
export function probeWindow(sequences: number, steps: number, hidden: number, layers: number) {
  const perStep = sequences * layers * hidden * 16 * 8;
  return Math.max(1, Math.min(steps, Math.floor(PROBE_WINDOW_MEMORY / perStep)));
}

/**
 * The loss of the batch from a zero state and norms[l][t − 1] = ‖∂L/∂h_t‖ (the Frobenius
 * norm over the batch's [B, H]) in every layer l. The readout and the loss run on the
 * graph as in training; the top layer's outputs enter it as a leaf, whose gradient
 * starts the hand-derived passes down the stack. Every parameter's .grad is null after.
 *
 * The tape is held `window` steps at a time (checkpointing): a first forward pass keeps
 * only the state where each window starts and the top layer's outputs; then, from the
 * last window to the first, each window's tape is computed again from its starting state
 * and walked back, handed ∂L/∂h (and ∂L/∂c) at its end by the window after it. Each step
 * sees the same numbers as in one pass over all T, so the norms are the same, bit for bit
 * (tested), for the cost of a second forward pass.
 */
export function gradientNorms(
  model: SequenceModel,
  task: TaskAdapter,
  batch: TrainingBatch,
  window: number = probeWindow(
    batch.batchSize,
    batch.steps,
    model.spec.hiddenSize,
    model.spec.layers,
  ),
): { loss: number; norms: number[][] } {
  const { batchSize: B, steps: T } = batch;
  const { inputSize: I, hiddenSize: H, layers: L } = model.spec;
  const bounds: [number, number][] = [];
  for (let from = 0; from < T; from += window) bounds.push([from, Math.min(T, from + window)]);
  const tapeOf = (k: number, start: LayerState[] | null) => {
    const [from, to] = bounds[k]!;
    return forwardStack(model, sliceSteps(batch, I, from, to), B, to - from, start);
  };
  // Forward: each window's starting state, and the top layer's h_1 … h_T [B, T, H].
  const starts: (LayerState[] | null)[] = [];
  const top = new Float64Array(B * T * H);
  let state: LayerState[] | null = null;
  let whole: StackTape | null = null; // one window: its tape is kept, not computed again
  bounds.forEach(([from, to], k) => {
    starts.push(state);
    const tape = tapeOf(k, state);
    placeSteps(top, tape.output, B, T, from, to, H);
    if (bounds.length === 1) whole = tape;
    else state = stateAt(tape, to - from);
  });
  const outputs = fromData(top, [B, T, H], { requiresGrad: true });
  const loss = taskLoss(task, readoutOf(model, task, outputs, 0, T), batch)!;
  loss.backward();
  const dTop = outputs.grad!.data;
  const norms = Array.from({ length: L }, () => new Array<number>(T).fill(0));
  // ∂L/∂h (and ∂L/∂c) at the start of the window after, per layer: its dh0 (dc0).
  const after: { dhT: Float64Array | null; dcT: Float64Array | null }[] = Array.from(
    { length: L },
    () => ({ dhT: null, dcT: null }),
  );
  for (let k = bounds.length - 1; k >= 0; k--) {
    const [from, to] = bounds[k]!;
    const tape = whole ?? tapeOf(k, starts[k]!);
    // Layer l's ∂L/∂h_t is its own recurrence's share plus what layer l + 1 sent down (dxs).
    let d = sliceSteps({ ...batch, xs: dTop }, H, from, to);
    for (let l = L - 1; l >= 0; l--) {
      const layerNorms = norms[l]!;
      const grads = backwardLayer(model, tape, l, d, {
        ...after[l]!,
        onStep: (t, dh) => {
          let sum = 0;
          for (let r = 0; r < dh.length; r++) sum += dh[r]! * dh[r]!;
          layerNorms[from + t] = Math.sqrt(sum);
        },
      });
      after[l] = { dhT: grads.dh0, dcT: 'dc0' in grads ? grads.dc0 : null };
      if (l > 0) d = grads.dxs;
    }
  }
  for (const p of model.parameters()) p.grad = null;
  return { loss: loss.item(), norms };
}

/** Writes steps [from, to) of a [B, to − from, H] block into the [B, T, H] array `into`. */
function placeSteps(
  into: Float64Array,
  block: Float64Array,
  B: number,
  T: number,
  from: number,
  to: number,
  H: number,
): void {
  const n = to - from;
  for (let b = 0; b < B; b++) {
    into.set(block.subarray(b * n * H, (b + 1) * n * H), (b * T + from) * H);
  }
}

/** The largest spectral radius among a snapshot's gates, per weight_hh (layer 0 first). */
export function largestRadius(snapshot: FlowSnapshot): number[] {
  return snapshot.spectra.map((r) => Math.max(...r.gates.map((g) => g.spectralRadius)));
}
