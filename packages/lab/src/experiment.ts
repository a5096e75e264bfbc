/**
 * The vanishing-gradient experiment — what `unroll` runs with no command.
 *
 * The question: why can an LSTM or a GRU learn a dependency across a hundred steps
 * when a plain tanh RNN of the same size cannot? The test: the adding problem, whose
 * answer depends on two numbers marked somewhere in the sequence, the first in its
 * first half. A model can only beat the baseline (always answer 1: MSE 1/6 ≈ 0.167)
 * by carrying the first number across at least T/2 steps — so the gradient that
 * teaches it to do that must travel back as far.
 *
 * Nine runs: {tanh RNN, LSTM, GRU} × T ∈ {10, 50, 100}, all with 16 hidden units,
 * batch 32, Adam (lr 0.01), the global gradient norm clipped to 1, the same seed, and
 * at most 3000 steps, each stopping as soon as its held-out MSE (256 fresh sequences,
 * every 50 steps) is below 0.01: "solved". They train side by side, one per CPU core,
 * on worker threads.
 *
 * What to expect (and what the report checks, saying so when it does not happen):
 * the RNN solves T = 10 and stays on the baseline at 100, while its ‖∂L/∂h_t‖ falls
 * by orders of magnitude going back from T; the gated cells solve every length.
 */

import { availableParallelism } from 'node:os';
import { join } from 'node:path';
import { defaultConfig, type TrainConfig } from './config.ts';
import { makeFolders } from './files.ts';
import { executeRun, type RunHooks, type RunOutcome } from './run.ts';
import { FILES, writeJson } from './run-folder.ts';
import { Trainer } from './trainer.ts';

export const EXPERIMENT_NAME = 'vanishing-gradients';
export const EXPERIMENT_LENGTHS = [10, 50, 100] as const;
export const EXPERIMENT_STEPS = 3000;

/**
 * The nine run configs, in the order they are handed to the workers: the costliest
 * first (longest sequences; the LSTM's step costs most, the RNN runs longest), so the
 * last run to start is a short one.
 */
export function experimentConfigs(seed = 0, steps = EXPERIMENT_STEPS): TrainConfig[] {
  const configs: TrainConfig[] = [];
  for (const T of [...EXPERIMENT_LENGTHS].reverse()) {
    for (const cell of ['lstm', 'rnn', 'gru'] as const) {
      configs.push({
        ...defaultConfig('adding'),
        name: `${cell}-T${T}`,
        cell,
        seqLen: T,
        hidden: 16,
        batch: 32,
        steps,
        optimizer: 'adam',
        lr: 0.01,
        clip: 1,
        seed,
        checkpointEvery: 500,
        evalEvery: 50,
        evalBatch: 256,
        untilSolved: true,
      });
    }
  }
  return configs;
}

export interface RunRecord {
  config: TrainConfig;
  /** The run's folder, relative to the experiment folder. */
  folder: string;
  outcome: RunOutcome;
}

/** What a pool of runners reports while the runs go. */
export interface PoolEvents {
  progress(name: string, step: number, fields: { loss: number; gradNorm: number }): void;
  done(record: RunRecord): void;
}

export function defaultWorkers(runs: number): number {
  return Math.max(1, Math.min(runs, availableParallelism()));
}

/**
 * Writes each run's config.json into its subfolder of `folder`. `claim` is called on
 * each subfolder before anything is written into it (the command takes its lock there).
 */
export function prepareRunFolders(
  folder: string,
  configs: readonly TrainConfig[],
  claim: (sub: string) => void = () => {},
): string[] {
  return configs.map((config) => {
    const sub = join(folder, config.name);
    makeFolders(sub);
    claim(sub);
    writeJson(join(sub, FILES.config), config);
    return sub;
  });
}

/** Trains the runs one after another in this thread (the one-worker case). */
export async function runInProcess(
  configs: readonly TrainConfig[],
  folders: readonly string[],
  events: PoolEvents,
  stopRequested: () => string | null,
): Promise<void> {
  for (let i = 0; i < configs.length; i++) {
    const config = configs[i]!;
    if (stopRequested() !== null) {
      events.done({ config, folder: config.name, outcome: notStarted() });
      continue;
    }
    const hooks: RunHooks = {
      progress: (step, fields) => events.progress(config.name, step, fields),
      stopRequested,
    };
    const outcome = await executeRun(new Trainer(config), folders[i]!, hooks);
    events.done({ config, folder: config.name, outcome });
  }
}

/** The outcome recorded for a run that a stop request kept from starting. */
export function notStarted(): RunOutcome {
  return {
    status: 'stopped',
    step: 0,
    message: 'not started',
    lastEval: null,
    solvedAt: null,
    seconds: 0,
  };
}
