/**
 * The held-out evaluation in chunks. Predicting all N held-out sequences at once keeps
 * the forward tape of all N in memory — at T = 10,000 that is gigabytes for a model a
 * training step handles in megabytes. Each sequence's prediction depends on that
 * sequence alone (every row of a batched matrix product is computed on its own), so
 * predicting `chunk` sequences at a time and laying the predictions side by side gives
 * the same predictions, bit for bit, with the memory of one chunk.
 */

import { fromData, type Tensor } from '@unroll/tensor';
import { predict } from './engines.ts';
import type { SequenceModel } from './model.ts';
import type { TaskAdapter, TrainingBatch } from './task-adapters.ts';

/** The memory one chunk's forward pass may take beyond a training batch's (bytes). */
export const EVALUATION_MEMORY = 64 * 2 ** 20;

/**
 * Sequences predicted at once when evaluating: as many as fit in EVALUATION_MEMORY (the
 * forward tape holds about 8 numbers of H per sequence, step and layer), and never fewer
 * than a training batch, whose tape a step holds anyway. Short sequences are evaluated
 * in one pass, as before; at T = 10,000 and H = 128, one batch at a time.
 */
export function evaluationChunk(config: {
  batch: number;
  seqLen: number;
  hidden: number;
  layers: number;
}): number {
  const perSequence = config.seqLen * config.layers * config.hidden * 8 * 8;
  return Math.max(config.batch, Math.floor(EVALUATION_MEMORY / perSequence));
}

/** `predict` over `batch`, `chunk` sequences at a time; the same predictions. */
export function predictInChunks(
  model: SequenceModel,
  task: TaskAdapter,
  batch: TrainingBatch,
  chunk: number,
): Tensor {
  const N = batch.batchSize;
  if (chunk >= N) return predict(model, task, batch);
  const rowInputs = batch.xs.length / N; // T·I numbers per sequence
  let out: Float64Array | null = null;
  let shape: number[] = [];
  for (let from = 0; from < N; from += chunk) {
    const n = Math.min(chunk, N - from);
    const part: TrainingBatch = {
      ...batch,
      xs: batch.xs.subarray(from * rowInputs, (from + n) * rowInputs),
      batchSize: n,
    };
    const predictions = predict(model, task, part);
    const rowOutputs = predictions.data.length / n;
    if (out === null) {
      out = new Float64Array(N * rowOutputs);
      shape = [N, ...predictions.shape.slice(1)];
    }
    out.set(predictions.data, from * rowOutputs);
  }
  return fromData(out!, shape);
}
