/**
 * One worker thread of `unroll train --threads N` (see parallel-engine.ts): it builds
 * the run's model, then for every window the main thread posts, computes the loss and
 * gradient of its own rows of the batch with the fast engine and writes them, and the
 * states h_t (c_t) of its rows, into the shared memory.
 *
 * Loaded through bin/train-worker.js, which registers the TypeScript loader first.
 */

import { parentPort, workerData } from 'node:worker_threads';
import type { TrainConfig } from './config.ts';
import { fastEngine } from './engines.ts';
import type { LayerState } from './fast-path.ts';
import { applyGemmEnvironment } from './kernel-env.ts';
import {
  LOSS,
  NO_LOSS,
  reportDone,
  reportFailure,
  type ShardJob,
  type SharedLayout,
  shardBatch,
  shardRows,
  sharedViews,
  state0Offset,
  stateOffset,
} from './parallel-engine.ts';
import { Trainer } from './trainer.ts';

const { config, buffer, layout, index } = workerData as {
  config: TrainConfig;
  buffer: SharedArrayBuffer;
  layout: SharedLayout;
  index: number;
};

applyGemmEnvironment();
const memory = sharedViews(buffer, layout);
const { numbers, control } = memory;
// A trainer of the same config, for its model (the weights are overwritten before every
// window) and its task (for the loss); its optimizer and data are never used.
const { model, task } = new Trainer(config);
const H = layout.hiddenSize;

function runShard(job: ShardJob): void {
  const [from, to] = shardRows(job.batchSize, layout.threads, index);
  let at = layout.parameters;
  for (const p of model.parameters()) {
    p.data.set(numbers.subarray(at, at + p.size));
    p.zeroGrad();
    at += p.size;
  }
  const rows = (offset: number) => numbers.slice(offset + from * H, offset + to * H);
  const state0: LayerState[] | null = job.hasState0
    ? Array.from({ length: layout.layers }, (_, l) =>
        model.hasCellState
          ? { h: rows(state0Offset(layout, l, 0)), c: rows(state0Offset(layout, l, 1)) }
          : { h: rows(state0Offset(layout, l, 0)) },
      )
    : null;
  const batch = shardBatch(numbers, layout, job, from, to);
  const result = fastEngine.runWindow(model, task, batch, job.window, state0);
  const { cut, end } = job.window;
  for (let t = cut; t <= end; t++) {
    result.stateAfter(t).forEach((state, l) => {
      numbers.set(state.h, stateOffset(layout, l, t - cut, 0) + from * H);
      if (state.c !== undefined)
        numbers.set(state.c, stateOffset(layout, l, t - cut, 1) + from * H);
    });
  }
  if (result.loss === null) {
    Atomics.store(control, 1 + index, NO_LOSS);
    return;
  }
  numbers[layout.losses + index] = result.loss;
  let offset = layout.gradients + index * layout.parameterCount;
  for (const p of model.parameters()) {
    if (p.grad === null) numbers.fill(0, offset, offset + p.size);
    else numbers.set(p.grad.data, offset);
    offset += p.size;
  }
  Atomics.store(control, 1 + index, LOSS);
}

parentPort!.on('message', (job: ShardJob) => {
  try {
    runShard(job);
  } catch (error) {
    reportFailure(memory, index, (error as Error).message);
  }
  reportDone(memory);
});
