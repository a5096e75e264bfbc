/**
 * What the report shows about a model's gradients: ‖∂L/∂h_t‖ for every timestep t of
 * a fixed probe batch, the verdict on it (vanishing, exploding or healthy), and the
 * spectra of the recurrent weights — for the model at initialisation and after
 * training.
 *
 * The norms are read by @unroll/diagnostics' look-only hooks during one ordinary
 * backward pass on the autodiff graph; the gradients this leaves in `.grad` are
 * dropped afterwards, so probing changes nothing about training.
 *
 * For the adding problem the loss reads only h_T, so ‖∂L/∂h_t‖ is exactly the signal
 * that survives T − t steps back through the recurrence: the vanishing gradient, drawn.
 */

import {
  analyzeRecurrentWeights,
  captureGradientFlow,
  gradientVerdict,
  type RecurrentWeightReport,
  type VerdictReport,
} from '@unroll/diagnostics';
import { forwardGraph, readoutOf } from './engines.ts';
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
  const graph = forwardGraph(model, batch.xs, batch.batchSize, batch.steps, null);
  const flow = captureGradientFlow(graph.hs);
  const predictions = readoutOf(model, task, graph.outputs, 0, batch.steps);
  const loss = taskLoss(task, predictions, batch)!;
  loss.backward();
  flow.remove();
  for (const p of model.parameters()) p.grad = null;
  const norms = flow.norms.map((layer) => [...layer]);
  let verdict: VerdictReport | null = null;
  let note: string | null = null;
  try {
    verdict = gradientVerdict(norms[norms.length - 1]!);
  } catch (error) {
    note = (error as Error).message;
  }
  return { step, loss: loss.item(), norms, verdict, note, spectra: analyzeRecurrentWeights(model) };
}

/** The largest spectral radius among a snapshot's gates, per weight_hh (layer 0 first). */
export function largestRadius(snapshot: FlowSnapshot): number[] {
  return snapshot.spectra.map((r) => Math.max(...r.gates.map((g) => g.spectralRadius)));
}
