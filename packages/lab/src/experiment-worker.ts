/**
 * The experiment's runs on worker threads: one thread per CPU core, each training one
 * run at a time, so the nine runs of the default experiment take the time of the
 * slowest chain of runs rather than of all of them in a row.
 *
 * Each run trains on its one thread (a Trainer's default; `unroll train`'s default of
 * one thread per core is for a run alone, thread-count.ts): the cores are already busy
 * with the other runs, and splitting each batch too would only add waiting.
 *
 * The threads share nothing: each builds its own model from the run's config, writes
 * its own run folder, and reports to the main thread by messages
 *
 *   main → worker   { type: 'run', config, folder }   { type: 'stop', reason }
 *   worker → main   { type: 'progress', name, step, loss, gradNorm }
 *                   { type: 'done', record }   { type: 'failed', name, message }
 *                   { type: 'io-failed', name, code, action, path }
 *
 * An IoFailure (a full disk, a folder that went away: io-errors.ts) cannot cross to
 * the main thread as itself — an error posted as a message loses its class — so the
 * worker sends its parts and the main thread rebuilds it: the user sees the same one
 * line as from `unroll train`, not a worker's stack trace.
 *
 * This file is both sides: `runOnWorkers` for the main thread, and the message loop
 * that runs when it is loaded as a worker (through bin/worker.js, which registers the
 * TypeScript loader first).
 */

import { isMainThread, parentPort, Worker } from 'node:worker_threads';
import type { TrainConfig } from './config.ts';
import { notStarted, type PoolEvents, type RunRecord } from './experiment.ts';
import { IoFailure } from './io-errors.ts';
import { applyGemmEnvironment } from './kernel-env.ts';
import { executeRun } from './run.ts';
import { Trainer } from './trainer.ts';

type ToWorker =
  | { type: 'run'; config: TrainConfig; folder: string }
  | { type: 'stop'; reason: string };
type FromWorker =
  | { type: 'progress'; name: string; step: number; loss: number; gradNorm: number }
  | { type: 'done'; record: RunRecord }
  | { type: 'failed'; name: string; message: string }
  | { type: 'io-failed'; name: string; code: string; action: string; path: string };

/**
 * Trains `configs` (in that order) on `workers` threads; resolves when all are done.
 * Once `stopRequested` answers, every thread stops its run after the current step
 * (with a checkpoint) and the runs not yet started are recorded as such.
 */
export function runOnWorkers(
  configs: readonly TrainConfig[],
  folders: readonly string[],
  workers: number,
  events: PoolEvents,
  stopRequested: () => string | null,
): Promise<void> {
  const entry = new URL('../bin/worker.js', import.meta.url);
  let next = 0;
  let running = 0;
  return new Promise((resolve, reject) => {
    const threads: Worker[] = [];
    const watch = setInterval(() => {
      const reason = stopRequested();
      if (reason === null) return;
      for (const thread of threads) thread.postMessage({ type: 'stop', reason } satisfies ToWorker);
      clearInterval(watch);
    }, 50);
    const give = (thread: Worker) => {
      while (next < configs.length && stopRequested() !== null) {
        events.done({ config: configs[next]!, folder: configs[next]!.name, outcome: notStarted() });
        next++;
      }
      if (next >= configs.length) {
        void thread.terminate();
        if (running === 0) {
          clearInterval(watch);
          resolve();
        }
        return;
      }
      const i = next++;
      running++;
      thread.postMessage({
        type: 'run',
        config: configs[i]!,
        folder: folders[i]!,
      } satisfies ToWorker);
    };
    for (let w = 0; w < Math.min(workers, configs.length); w++) {
      const thread = new Worker(entry);
      threads.push(thread);
      thread.on('message', (message: FromWorker) => {
        if (message.type === 'progress') {
          events.progress(message.name, message.step, message);
          return;
        }
        running--;
        if (message.type === 'failed' || message.type === 'io-failed') {
          clearInterval(watch);
          for (const t of threads) void t.terminate();
          reject(
            message.type === 'io-failed'
              ? new IoFailure(message.code, message.action, message.path)
              : new Error(`run ${message.name} crashed: ${message.message}`),
          );
          return;
        }
        events.done(message.record);
        give(thread);
      });
      thread.on('error', (error) => {
        clearInterval(watch);
        for (const t of threads) void t.terminate();
        reject(error);
      });
      give(thread);
    }
  });
}

/** The worker side: train each run it is sent, reporting progress at most every 50 ms. */
function serve(port: NonNullable<typeof parentPort>): void {
  let stop: string | null = null;
  port.on('message', async (message: ToWorker) => {
    if (message.type === 'stop') {
      stop = message.reason;
      return;
    }
    const { config, folder } = message;
    let last = 0;
    try {
      const outcome = await executeRun(new Trainer(config), folder, {
        progress: (step, fields) => {
          const now = performance.now();
          if (now - last < 50 && step < config.steps) return;
          last = now;
          const { loss, gradNorm } = fields;
          port.postMessage({
            type: 'progress',
            name: config.name,
            step,
            loss,
            gradNorm,
          } satisfies FromWorker);
        },
        stopRequested: () => stop,
      });
      port.postMessage({
        type: 'done',
        record: { config, folder: config.name, outcome },
      } satisfies FromWorker);
    } catch (error) {
      if (error instanceof IoFailure) {
        const { code, action, path } = error;
        port.postMessage({
          type: 'io-failed',
          name: config.name,
          code,
          action,
          path,
        } satisfies FromWorker);
        return;
      }
      port.postMessage({
        type: 'failed',
        name: config.name,
        message: (error as Error).stack ?? String(error),
      } satisfies FromWorker);
    }
  });
}

if (!isMainThread && parentPort !== null) {
  applyGemmEnvironment(); // a worker has its own copy of @unroll/tensor's kernel choice
  serve(parentPort);
}
