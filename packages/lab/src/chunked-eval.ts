/**
 * The held-out evaluation in chunks. Predicting all N held-out sequences at once keeps
 * the forward tape of all N in memory — at T = 10,000 that is gigabytes for a model a
 * training step handles in megabytes. Each sequence's prediction depends on that
 * sequence alone (every row of a batched matrix product is computed on its own), so
 * predicting `chunk` sequences at a time and laying the predictions side by side gives
 * the same predictions, bit for bit, with the memory of one chunk.
 *
 * Prediction needs no backward pass, so it need not keep a tape of all T steps either:
 * a long chunk is run `window` steps at a time, each window starting from the state the
 * last one ended in. Step t computes the same numbers from the same state either way, so
 * this too changes no bit, and the memory is that of one window of one chunk.
 */

import { concat, fromData, noGrad, type Tensor } from '@unroll/tensor';
import { predict, readoutOf, sliceSteps } from './engines.ts';
import { forwardStack, type LayerState, stateAt } from './fast-path.ts';
import type { SequenceModel } from './model.ts';
import type { TaskAdapter, TrainingBatch } from './task-adapters.ts';

/** The memory one chunk's forward pass may take beyond a training batch's (bytes). */
export const EVALUATION_MEMORY = 64 * 2 ** 20;

/**
 * Sequences predicted at once when evaluating: as many as fit in EVALUATION_MEMORY (the
 * forward tape holds about 8 numbers of H per sequence, step and layer), and never fewer
 * than a training batch. Short sequences are evaluated in one pass, as before; at
 * T = 10,000 and H = 128, one batch at a time, in windows (evaluationWindow).
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

/** Steps run at once for `chunk` sequences: all of them, or as many as fit in EVALUATION_MEMORY. */
export function evaluationWindow(
  config: { seqLen: number; hidden: number; layers: number },
  chunk: number,
): number {
  const perStep = chunk * config.layers * config.hidden * 8 * 8;
  return Math.max(1, Math.min(config.seqLen, Math.floor(EVALUATION_MEMORY / perStep)));
}

/** `predict` over `batch`, `chunk` sequences and `window` steps at a time; the same predictions. */
export function predictInChunks(
  model: SequenceModel,
  task: TaskAdapter,
  batch: TrainingBatch,
  chunk: number,
  window: number = batch.steps,
): Tensor {
  const N = batch.batchSize;
  if (chunk >= N) return predictInWindows(model, task, batch, window);
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
    const predictions = predictInWindows(model, task, part, window);
    const rowOutputs = predictions.data.length / n;
    if (out === null) {
      out = new Float64Array(N * rowOutputs);
      shape = [N, ...predictions.shape.slice(1)];
    }
    out.set(predictions.data, from * rowOutputs);
  }
  return fromData(out!, shape);
}

/**
 * `predict` over `batch`, `window` steps at a time from a zero state: a readout of the
 * last step reads only the last window; a readout of every step is laid out along time.
 */
function predictInWindows(
  model: SequenceModel,
  task: TaskAdapter,
  batch: TrainingBatch,
  window: number,
): Tensor {
  const { batchSize: B, steps: T } = batch;
  if (window >= T) return predict(model, task, batch);
  const { inputSize, hiddenSize } = model.spec;
  const parts: Tensor[] = [];
  let state: LayerState[] | null = null;
  for (let from = 0; from < T; from += window) {
    const to = Math.min(T, from + window);
    const n = to - from;
    const tape = forwardStack(model, sliceSteps(batch, inputSize, from, to), B, n, state);
    state = stateAt(tape, n);
    if (task.readout === 'last' && to < T) continue;
    const outputs = fromData(tape.output, [B, n, hiddenSize]);
    parts.push(noGrad(() => readoutOf(model, task, outputs, 0, n)));
  }
  return parts.length === 1 ? parts[0]! : noGrad(() => concat(parts, 1));
}
