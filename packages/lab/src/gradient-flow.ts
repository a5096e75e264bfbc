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
import { readoutOf } from './engines.ts';
import { backwardLayer, forwardStack } from './fast-path.ts';
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
  const { loss, norms } = measureFlow(model, task, batch);
  let verdict: VerdictReport | null = null;
  let note: string | null = null;
  try {
    verdict = gradientVerdict(norms[norms.length - 1]!);
  } catch (error) {
    note = (error as Error).message;
  }
  return { step, loss, norms, verdict, note, spectra: analyzeRecurrentWeights(model) };
}

/**
 * The loss of the batch from a zero state and norms[l][t − 1] = ‖∂L/∂h_t‖ (the Frobenius
 * norm over the batch's [B, H]) in every layer l. The readout and the loss run on the
 * graph as in training; the top layer's outputs enter it as a leaf, whose gradient
 * starts the hand-derived passes down the stack. Every parameter's .grad is null after.
 */
function measureFlow(
  model: SequenceModel,
  task: TaskAdapter,
  batch: TrainingBatch,
): { loss: number; norms: number[][] } {
  const { batchSize: B, steps: T } = batch;
  const tape = forwardStack(model, batch.xs, B, T, null);
  const outputs = fromData(tape.output, [B, T, model.spec.hiddenSize], { requiresGrad: true });
  const loss = taskLoss(task, readoutOf(model, task, outputs, 0, T), batch)!;
  loss.backward();
  const norms = tape.layers.map(() => new Array<number>(T).fill(0));
  // Layer l's ∂L/∂h_t is its own recurrence's share plus what layer l + 1 sent down (dxs).
  let d = outputs.grad!.data;
  for (let l = tape.layers.length - 1; l >= 0; l--) {
    const layerNorms = norms[l]!;
    const grads = backwardLayer(model, tape, l, d, (t, dh) => {
      let sum = 0;
      for (let r = 0; r < dh.length; r++) sum += dh[r]! * dh[r]!;
      layerNorms[t] = Math.sqrt(sum);
    });
    if (l > 0) d = grads.dxs;
  }
  for (const p of model.parameters()) p.grad = null;
  return { loss: loss.item(), norms };
}

/** The largest spectral radius among a snapshot's gates, per weight_hh (layer 0 first). */
export function largestRadius(snapshot: FlowSnapshot): number[] {
  return snapshot.spectra.map((r) => Math.max(...r.gates.map((g) => g.spectralRadius)));
}
