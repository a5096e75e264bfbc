/**
 * A training run, described completely by one plain object. It is written to the
 * run folder as config.json and into every checkpoint, so a run can be resumed, a
 * report rebuilt and a model reloaded from the folder alone.
 *
 * Defaults depend on the task (a char-level language model wants a wider, shorter
 * network than the adding problem), so `defaultConfig(task)` gives a complete
 * config and the command line overrides single fields.
 */

import type { SeriesSource, TextSource } from './run-data.ts';
import type { SampleOptions } from './run-watch.ts';

export const TASKS = ['adding', 'copy', 'order', 'charlm', 'forecast'] as const;
export const CELLS = ['rnn', 'lstm', 'gru'] as const;
export const OPTIMIZERS = ['sgd', 'adam', 'rmsprop', 'adagrad'] as const;
export const SCHEDULES = ['constant', 'cosine'] as const;

export type TaskName = (typeof TASKS)[number];
export type CellName = (typeof CELLS)[number];
export type OptimizerName = (typeof OPTIMIZERS)[number];
export type ScheduleName = (typeof SCHEDULES)[number];

/** The most worker threads a run may be split across (parallel-engine.ts's control words). */
export const MOST_THREADS = 63;

export interface TrainConfig {
  /** A short name for the run: the folder is <date-time>-<name>. */
  name: string;
  task: TaskName;
  cell: CellName;
  /** Stacked recurrent layers. */
  layers: number;
  hidden: number;
  /**
   * T: the adding problem's and temporal order's length, copy memory's delay, the
   * char-LM's window, the forecast's window.
   */
  seqLen: number;
  batch: number;
  /** Training steps: one batch each. */
  steps: number;
  optimizer: OptimizerName;
  lr: number;
  /** Learning-rate schedule over the run: constant, or cosine annealing to 0 at the last step. */
  schedule: ScheduleName;
  /** Clip the global gradient norm to this (null: no clipping). */
  clip: number | null;
  /** Truncated BPTT: update every k1 steps, backpropagate through k2 (null: full BPTT). */
  tbptt: [number, number] | null;
  /** LSTM only: the forget gate's starting bias (null: PyTorch's initialisation). */
  forgetBias: number | null;
  seed: number;
  checkpointEvery: number;
  /** Evaluate on the held-out batch every this many steps (and at the last). */
  evalEvery: number;
  evalBatch: number;
  /** Stop at the first evaluation that meets the task's criterion (for "steps to solve"). */
  untilSolved: boolean;
  /** Check every op for NaN/∞ (slower: runs on the autodiff graph). */
  anomaly: boolean;
  /**
   * Worker threads each batch is split across (`--threads`, thread-count.ts), recorded
   * so that a resume uses the same N. Absent: a run recorded before N was, or one trained
   * in-process (the experiment's runs, the library's Trainer): one thread.
   */
  threads?: number;
  /** The char-LM's own text file (absent: the shipped Moby-Dick chapters). See run-data.ts. */
  text?: TextSource;
  /** The forecast task's CSV column (required for --task forecast). */
  series?: SeriesSource;
  /** Print and save a sample every so many steps while training (char-LM). See run-watch.ts. */
  samples?: SampleOptions;
}

const common = {
  cell: 'lstm',
  layers: 1,
  optimizer: 'adam',
  schedule: 'constant',
  tbptt: null,
  forgetBias: null,
  seed: 0,
  checkpointEvery: 100,
  evalEvery: 50,
  untilSolved: false,
  anomaly: false,
} as const;

const byTask: Record<TaskName, Omit<TrainConfig, keyof typeof common | 'name' | 'task'>> = {
  adding: { hidden: 32, seqLen: 50, batch: 32, steps: 1000, lr: 0.01, clip: 1, evalBatch: 500 },
  copy: { hidden: 64, seqLen: 10, batch: 32, steps: 1000, lr: 0.005, clip: 1, evalBatch: 200 },
  order: { hidden: 32, seqLen: 30, batch: 32, steps: 1000, lr: 0.01, clip: 1, evalBatch: 500 },
  charlm: { hidden: 128, seqLen: 64, batch: 32, steps: 500, lr: 0.003, clip: 5, evalBatch: 32 },
  forecast: { hidden: 32, seqLen: 28, batch: 32, steps: 500, lr: 0.01, clip: 1, evalBatch: 1024 },
};

/** The smallest T each task accepts (the tasks' own lower limits). */
export const MIN_SEQ_LEN: Record<TaskName, number> = {
  adding: 2,
  copy: 1,
  order: 10,
  charlm: 1,
  forecast: 1,
};

export function defaultConfig(task: TaskName): TrainConfig {
  const config = { ...common, ...byTask[task], task, name: '' };
  return { ...config, name: runName(config) };
}

/** 'lstm-adding-T50', 'gru-charlm-T64-2x128': what a run is, at a glance. */
export function runName(c: Omit<TrainConfig, 'name'>): string {
  const stack = c.layers > 1 ? `-${c.layers}x${c.hidden}` : '';
  return `${c.cell}-${c.task}-T${c.seqLen}${stack}`;
}

/**
 * Conditions between fields that a single flag cannot express. Returns the problem as
 * one line naming the flags, or null when the config is consistent.
 */
export function configProblem(c: TrainConfig): string | null {
  if (c.seqLen < MIN_SEQ_LEN[c.task]) {
    return `--seq-len ${c.seqLen} is too short for --task ${c.task}: expected an integer ≥ ${MIN_SEQ_LEN[c.task]}`;
  }
  if (c.tbptt !== null) {
    const [k1, k2] = c.tbptt;
    if (k1 > k2)
      return `--tbptt ${k1},${k2}: expected K1 ≤ K2 (update every K1 steps, backpropagate through K2)`;
    if (k1 > c.seqLen) return `--tbptt ${k1},${k2}: expected K1 ≤ --seq-len ${c.seqLen}`;
  }
  if (c.forgetBias !== null && c.cell !== 'lstm') {
    return `--forget-bias applies to --cell lstm only, got --cell ${c.cell}`;
  }
  return null;
}

/** The fields a config.json must have, with their types: used to refuse a damaged file. */
export function checkConfigShape(value: unknown, where: string): TrainConfig {
  const fail = (why: string): never => {
    throw new Error(`${where}: not a training config (${why})`);
  };
  if (typeof value !== 'object' || value === null) fail('not a JSON object');
  const c = value as Record<string, unknown>;
  const model = defaultConfig('adding') as unknown as Record<string, unknown>;
  for (const key of Object.keys(model)) {
    if (!(key in c)) fail(`'${key}' is missing`);
    const expected = model[key];
    const actual = c[key];
    const nullable = key === 'clip' || key === 'tbptt' || key === 'forgetBias';
    if (nullable && actual === null) continue;
    const kind = key === 'tbptt' ? 'object' : expected === null ? 'number' : typeof expected;
    if (typeof actual !== kind) fail(`'${key}' should be a ${kind}, got ${JSON.stringify(actual)}`);
  }
  if (
    'threads' in c &&
    !(
      Number.isInteger(c.threads) &&
      (c.threads as number) >= 1 &&
      (c.threads as number) <= MOST_THREADS
    )
  ) {
    fail(
      `'threads' should be an integer from 1 to ${MOST_THREADS}, got ${JSON.stringify(c.threads)}`,
    );
  }
  if (!(TASKS as readonly unknown[]).includes(c.task)) fail(`unknown task ${String(c.task)}`);
  if (!(CELLS as readonly unknown[]).includes(c.cell)) fail(`unknown cell ${String(c.cell)}`);
  return c as unknown as TrainConfig;
}
