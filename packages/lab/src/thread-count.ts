/**
 * How many worker threads `unroll train` splits each batch across (parallel-engine.ts),
 * when `--threads` does not say.
 *
 *   default   what the machine has — os.availableParallelism(), or UNROLL_THREADS when
 *             set (for a machine shared with other jobs, or a test suite that must give
 *             the same bits everywhere) — but at most the batch size, since every
 *             thread needs a row; and 1 where threads are not supported: --anomaly (the
 *             graph engine runs on the main thread) and a run on a --text or --series
 *             file (the workers rebuild the task from the config alone).
 *   recorded  the N chosen is written into config.json (and so into every checkpoint).
 *             The gradients of N shards are added in a fixed order, so a run is
 *             bit-identical to itself for the same N only: a resume uses the recorded N,
 *             whatever the machine it resumes on has, and refuses an explicit
 *             different --threads. A run recorded before N was (no `threads` in its
 *             config) resumes with --threads as given, or 1, as it was started.
 *
 * The experiment (`npm start`) does not come here: it runs its independent runs side by
 * side, one per core, each on one thread (experiment-worker.ts).
 */

import { availableParallelism } from 'node:os';
import { MOST_THREADS, type TrainConfig } from './config.ts';

/** The machine's parallelism, or UNROLL_THREADS when set; throws on a malformed value. */
export function machineThreads(
  env: NodeJS.ProcessEnv = process.env,
  cores: number = availableParallelism(),
): number {
  const value = env.UNROLL_THREADS;
  if (value === undefined || value === '') return Math.min(cores, MOST_THREADS);
  const n = Number(value);
  if (!/^\d+$/.test(value) || n < 1 || n > MOST_THREADS) {
    throw new RangeError(
      `UNROLL_THREADS must be an integer from 1 to ${MOST_THREADS}, got ${JSON.stringify(value)}`,
    );
  }
  return n;
}

/** Whether a run of this config can be split across threads at all. */
export function threadsSupported(config: TrainConfig): boolean {
  return !config.anomaly && config.text === undefined && config.series === undefined;
}

/**
 * The threads a new run trains on: `explicit` (--threads) when given, capped by the batch
 * size; otherwise the machine's, capped by the batch size, or 1 where not supported.
 * (An explicit N > 1 where threads are not supported is refused before this.)
 */
export function threadsForNewRun(
  config: TrainConfig,
  explicit: number | undefined,
  machine: () => number = machineThreads,
): number {
  if (explicit !== undefined) return Math.min(explicit, config.batch);
  if (!threadsSupported(config)) return 1;
  return Math.min(machine(), config.batch);
}

/**
 * The threads a resumed run trains on, or a refusal: the recorded N (a different
 * explicit --threads is refused: it would sum the gradients in another grouping, and the
 * run would no longer be bit-identical to one never interrupted).
 */
export function threadsForResume(
  saved: TrainConfig,
  explicit: number | undefined,
): { threads: number } | { problem: string } {
  const recorded = saved.threads;
  if (recorded === undefined) return { threads: explicit ?? 1 };
  if (explicit !== undefined && Math.min(explicit, saved.batch) !== recorded) {
    return {
      problem: `--threads ${explicit}: this run trains on ${recorded} thread${recorded === 1 ? '' : 's'} (recorded in its config.json), and a different number adds the gradients in a different order, so the resumed run would not be bit-identical to one never interrupted; resume without --threads (it uses ${recorded}, whatever this machine has), or start a new run`,
    };
  }
  return { threads: recorded };
}
