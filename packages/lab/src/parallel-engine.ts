/**
 * Data-parallel training on worker threads (`unroll train --threads N`).
 *
 * The loss of a batch is a mean over its B sequences, so its gradient is a weighted sum
 * of the gradients of any split of the batch into shards of b₁ … b_N rows:
 *
 *   L = Σᵢ (bᵢ / B) · Lᵢ        ∇L = Σᵢ (bᵢ / B) · ∇Lᵢ
 *
 * (the sequences of a batch do not interact: each row has its own recurrence). Each of
 * N worker threads holds a replica of the model and computes one shard's loss and
 * gradient with the fast engine; the main thread adds the shards' gradients in the
 * order i = 1 … N and the optimizer steps there, as with one thread.
 *
 * Determinism. Every shard is computed the same way on every run, and the sum is taken
 * in a fixed order, so a run with N threads is bit-identical to itself and resumes
 * bit-exactly. Runs with different N add the same numbers in a different grouping: they
 * agree to rounding (the tests hold them to 1e-12), not to the bit.
 *
 * Memory. The weights, the batch, each shard's gradient and every state h_t (and c_t)
 * of the window are in one SharedArrayBuffer, which all the threads see; the messages
 * carry only the window's bounds. The main thread waits with Atomics.wait, so the step
 * stays synchronous, as the trainer expects of an engine.
 *
 * Not for `--anomaly` (the graph engine, which names where a NaN was born, runs on the
 * main thread), nor for a loss that is not a mean over the batch's rows.
 */

import { Worker } from 'node:worker_threads';
import { fromData } from '@unroll/tensor';
import type { TrainConfig } from './config.ts';
import type { Engine, Window, WindowResult } from './engines.ts';
import { accumulateGrad, type LayerState } from './fast-path.ts';
import type { SequenceModel } from './model.ts';
import type { TrainingBatch } from './task-adapters.ts';

/** Where each part of the shared memory starts, in float64s (control words apart). */
export interface SharedLayout {
  threads: number;
  batch: number;
  steps: number;
  inputSize: number;
  hiddenSize: number;
  layers: number;
  /** Entries per row of the targets (at most steps · outputSize). */
  targetRow: number;
  parameterCount: number;
  /** Offsets into the Float64Array over the buffer. */
  parameters: number;
  gradients: number;
  losses: number;
  xs: number;
  targets: number;
  state0: number;
  states: number;
  /** Float64s in all. */
  total: number;
}

/** One window's job, the same for every worker but for its rows. */
export interface ShardJob {
  type: 'window';
  window: Window;
  batchSize: number;
  steps: number;
  targetShape: number[];
  hasState0: boolean;
}

/**
 * Control words: [0] workers finished with the window; [1 + i] worker i's outcome:
 * LOSS (its loss and gradient are written), NO_LOSS (the window carries no loss: a
 * task scored at the last step, before it), or FAILED (its message is in `errors`).
 */
const CONTROL_WORDS = 64;
export const LOSS = 0;
export const NO_LOSS = 2;
const FAILED = 1;
/** Per worker: the bytes of its last error message. */
const ERROR_BYTES = 1024;
/** How long a window may take before the main thread gives up on its workers. */
const WINDOW_TIMEOUT_MS = 10 * 60 * 1000;

export function sharedLayout(config: TrainConfig, model: SequenceModel, threads: number) {
  const { inputSize, hiddenSize, layers, outputSize } = model.spec;
  const batch = config.batch;
  const steps = config.seqLen;
  const parameterCount = model.parameters().reduce((sum, p) => sum + p.size, 0);
  const targetRow = steps * outputSize;
  let at = 0;
  const take = (size: number) => {
    const start = at;
    at += size;
    return start;
  };
  const layout: SharedLayout = {
    threads,
    batch,
    steps,
    inputSize,
    hiddenSize,
    layers,
    targetRow,
    parameterCount,
    parameters: take(parameterCount),
    gradients: take(threads * parameterCount),
    losses: take(threads),
    xs: take(batch * steps * inputSize),
    targets: take(batch * targetRow),
    state0: take(layers * 2 * batch * hiddenSize),
    states: take(layers * (steps + 1) * 2 * batch * hiddenSize),
    total: 0,
  };
  layout.total = at;
  return layout;
}

/** Rows [from, to) of the batch that worker i of N takes: as even as B allows. */
export function shardRows(batchSize: number, threads: number, i: number): [number, number] {
  const base = Math.floor(batchSize / threads);
  const extra = batchSize % threads;
  const from = i * base + Math.min(i, extra);
  return [from, from + base + (i < extra ? 1 : 0)];
}

/** Where state (layer, step s of the window, h or c) row `row` starts in `states`. */
export function stateOffset(layout: SharedLayout, layer: number, s: number, cell: 0 | 1) {
  return (
    layout.states + ((layer * (layout.steps + 1) + s) * 2 + cell) * layout.batch * layout.hiddenSize
  );
}

/** Where layer l's initial h (cell 0) or c (cell 1) starts in `state0`. */
export function state0Offset(layout: SharedLayout, layer: number, cell: 0 | 1) {
  return layout.state0 + (layer * 2 + cell) * layout.batch * layout.hiddenSize;
}

export interface SharedMemory {
  buffer: SharedArrayBuffer;
  control: Int32Array;
  errors: Uint8Array;
  numbers: Float64Array;
}

export function sharedViews(buffer: SharedArrayBuffer, layout: SharedLayout): SharedMemory {
  const controlBytes = CONTROL_WORDS * 4 + layout.threads * ERROR_BYTES;
  const numbersAt = Math.ceil(controlBytes / 8) * 8;
  return {
    buffer,
    control: new Int32Array(buffer, 0, CONTROL_WORDS),
    errors: new Uint8Array(buffer, CONTROL_WORDS * 4, layout.threads * ERROR_BYTES),
    numbers: new Float64Array(buffer, numbersAt, layout.total),
  };
}

function allocate(layout: SharedLayout): SharedMemory {
  const controlBytes = CONTROL_WORDS * 4 + layout.threads * ERROR_BYTES;
  const bytes = Math.ceil(controlBytes / 8) * 8 + layout.total * 8;
  return sharedViews(new SharedArrayBuffer(bytes), layout);
}

/** Worker i reports a failure: its message into the shared bytes, then status 1. */
export function reportFailure(memory: SharedMemory, i: number, message: string): void {
  const bytes = new TextEncoder().encode(message).subarray(0, ERROR_BYTES);
  memory.errors.fill(0, i * ERROR_BYTES, (i + 1) * ERROR_BYTES);
  memory.errors.set(bytes, i * ERROR_BYTES);
  Atomics.store(memory.control, 1 + i, FAILED);
}

/** Worker i is done with the current window (whether or not it failed). */
export function reportDone(memory: SharedMemory): void {
  Atomics.add(memory.control, 0, 1);
  Atomics.notify(memory.control, 0);
}

/**
 * An engine that splits every window's batch across `threads` worker threads. The
 * workers start at once and are unref'd: they never keep the process alive.
 */
export function parallelEngine(config: TrainConfig, model: SequenceModel, threads: number): Engine {
  // Every thread needs at least one row: the mean loss of an empty shard is NaN.
  const most = Math.min(CONTROL_WORDS - 1, config.batch);
  if (!Number.isInteger(threads) || threads < 1 || threads > most) {
    throw new RangeError(
      `--threads must be an integer from 1 to ${most} (at most the batch size), got ${threads}`,
    );
  }
  const layout = sharedLayout(config, model, threads);
  const memory = allocate(layout);
  const entry = new URL('../bin/train-worker.js', import.meta.url);
  const workers = Array.from({ length: threads }, (_, index) => {
    const worker = new Worker(entry, {
      workerData: { config, buffer: memory.buffer, layout, index },
    });
    worker.unref();
    return worker;
  });
  const { numbers, control } = memory;
  const H = layout.hiddenSize;

  const runWindow: Engine['runWindow'] = (runModel, _task, batch, window, state0) => {
    const B = batch.batchSize;
    if (B > layout.batch || B < threads || batch.steps > layout.steps) {
      throw new Error(
        `--threads: a batch of ${B}×${batch.steps} does not fit the ${layout.batch}×${layout.steps} the threads were set up for`,
      );
    }
    // The weights, the batch and the starting state, where the workers read them.
    let at = layout.parameters;
    for (const p of runModel.parameters()) {
      numbers.set(p.data, at);
      at += p.size;
    }
    numbers.set(batch.xs, layout.xs);
    numbers.set(batch.targets.data, layout.targets);
    if (state0 !== null) {
      state0.forEach((state, l) => {
        numbers.set(state.h, state0Offset(layout, l, 0));
        if (state.c !== undefined) numbers.set(state.c, state0Offset(layout, l, 1));
      });
    }
    const job: ShardJob = {
      type: 'window',
      window,
      batchSize: B,
      steps: batch.steps,
      targetShape: [...batch.targets.shape],
      hasState0: state0 !== null,
    };
    Atomics.store(control, 0, 0);
    for (const worker of workers) worker.postMessage(job);
    waitForAll(memory, threads);
    // Σᵢ (bᵢ / B) · ∇Lᵢ, in the order i = 0 … N − 1, then added into .grad.
    const losses = numbers.subarray(layout.losses, layout.losses + threads);
    const hasLoss = Atomics.load(control, 1) !== NO_LOSS;
    const params = runModel.parameters();
    let loss: number | null = null;
    if (hasLoss) {
      const total = new Float64Array(layout.parameterCount);
      loss = 0;
      for (let i = 0; i < threads; i++) {
        const [from, to] = shardRows(B, threads, i);
        const weight = (to - from) / B;
        loss += weight * losses[i]!;
        const g = numbers.subarray(
          layout.gradients + i * layout.parameterCount,
          layout.gradients + (i + 1) * layout.parameterCount,
        );
        for (let e = 0; e < total.length; e++) total[e]! += weight * g[e]!;
      }
      if (Number.isFinite(loss)) {
        let offset = 0;
        for (const p of params) {
          accumulateGrad(p, total.slice(offset, offset + p.size));
          offset += p.size;
        }
      }
    }
    const cut = window.cut;
    const stateAfter = (t: number): LayerState[] =>
      Array.from({ length: layout.layers }, (_, l) => {
        const h = numbers.slice(
          stateOffset(layout, l, t - cut, 0),
          stateOffset(layout, l, t - cut, 0) + B * H,
        );
        if (!runModel.hasCellState) return { h };
        const c = numbers.slice(
          stateOffset(layout, l, t - cut, 1),
          stateOffset(layout, l, t - cut, 1) + B * H,
        );
        return { h, c };
      });
    const result: WindowResult = { loss, stateAfter };
    return result;
  };
  return { name: 'fast', runWindow };
}

/** Block until every worker has finished the window; throw the first failure. */
function waitForAll(memory: SharedMemory, threads: number): void {
  const { control } = memory;
  const deadline = Date.now() + WINDOW_TIMEOUT_MS;
  for (;;) {
    const done = Atomics.load(control, 0);
    if (done >= threads) break;
    if (Date.now() > deadline) throw new Error('--threads: the worker threads stopped answering');
    Atomics.wait(control, 0, done, 1000);
  }
  for (let i = 0; i < threads; i++) {
    if (Atomics.load(control, 1 + i) === FAILED) {
      const bytes = memory.errors.slice(i * ERROR_BYTES, (i + 1) * ERROR_BYTES);
      const message = new TextDecoder().decode(bytes).replace(/\0+$/, '');
      throw new Error(`--threads: worker ${i + 1} of ${threads} failed: ${message}`);
    }
  }
}

/** A batch of rows [from, to) of `batch`, read from the shared memory. */
export function shardBatch(
  numbers: Float64Array,
  layout: SharedLayout,
  job: ShardJob,
  from: number,
  to: number,
): TrainingBatch {
  const { steps, batchSize } = job;
  const rowXs = steps * layout.inputSize;
  const targetCount = job.targetShape.reduce((x, y) => x * y, 1);
  const rowTargets = targetCount / batchSize;
  const xs = numbers.slice(layout.xs + from * rowXs, layout.xs + to * rowXs);
  const targets = numbers.slice(
    layout.targets + from * rowTargets,
    layout.targets + to * rowTargets,
  );
  return {
    xs,
    batchSize: to - from,
    steps,
    targets: fromData(targets, [to - from, ...job.targetShape.slice(1)]),
    resetState: !job.hasState0,
  };
}
