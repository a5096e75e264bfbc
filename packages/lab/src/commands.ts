/**
 * Every command's flags, usage line, summary and examples, in one place: the parser,
 * the error messages and `--help` all read them from here.
 */

import type { CommandSpec } from './args.ts';
import { courseCommand } from './cmd-course.ts';
import { exportCommand } from './cmd-export.ts';
import { gradeCommand } from './cmd-grade.ts';
import { importCommand } from './cmd-import.ts';
import { CELLS, OPTIMIZERS, SCHEDULES, TASKS } from './config.ts';
import { DATA_FLAGS } from './data-flags.ts';

const dir = (help: string) => ({ kind: 'string', placeholder: 'DIR', help }) as const;

export const experimentCommand = {
  name: 'experiment',
  summary:
    'The vanishing-gradient experiment (what `unroll` runs with no command): a tanh RNN, an LSTM and a GRU of the same size on the adding problem at three sequence lengths, in parallel. Prints a table and writes runs/<date-time>-vanishing-gradients/report.html.',
  usage: 'unroll [experiment] [--out DIR] [--workers N] [--seed N] [--steps N]',
  flags: {
    out: dir('parent folder of the run folder (default runs)'),
    steps: {
      kind: 'int',
      min: 1,
      max: 1000000,
      help: 'most training steps per run (default 3000; fewer to try it quickly)',
    },
    workers: { kind: 'int', min: 1, max: 64, help: 'runs trained at once (default: CPU cores)' },
    seed: { kind: 'int', min: 0, max: 4294967295, help: 'seed of every run', default: 0 },
  },
  examples: ['unroll', 'npm start', 'unroll experiment --workers 1 --out /tmp/runs'],
} as const satisfies CommandSpec;

export const trainCommand = {
  name: 'train',
  summary:
    'Train one model on one task and write a run folder: config.json, metrics.jsonl, checkpoint.safetensors, report.html. Ctrl-C stops cleanly after the current step, with a checkpoint; --resume continues bit for bit.',
  usage: `unroll train [--task ${TASKS.join('|')}] [--cell ${CELLS.join('|')}] [--layers N] [--hidden N] [--seq-len T] [--batch B] [--steps N] [--optimizer ${OPTIMIZERS.join('|')}] [--lr X] [--clip X] [--tbptt K1,K2] [--seed N] [--out DIR] [--checkpoint-every N] [--anomaly] [--threads N] [--text FILE [--val-fraction F] [--sample-every N]] [--series FILE.csv --column NAME [--horizon H] [--window T]] | unroll train --resume DIR [--threads N] [--text FILE]`,
  flags: {
    task: { kind: 'choice', choices: TASKS, help: 'what to learn', default: 'adding' },
    cell: { kind: 'choice', choices: CELLS, help: 'recurrent cell', default: 'lstm' },
    layers: { kind: 'int', min: 1, max: 8, help: 'stacked recurrent layers', default: 1 },
    hidden: { kind: 'int', min: 1, max: 4096, help: 'hidden size (default per task)' },
    'seq-len': {
      kind: 'int',
      min: 1,
      max: 100000,
      help: 'T: adding/order length, copy delay, char-LM window (default per task)',
    },
    batch: { kind: 'int', min: 1, max: 4096, help: 'sequences per step (default per task)' },
    steps: { kind: 'int', min: 1, max: 1000000000, help: 'training steps (default per task)' },
    optimizer: { kind: 'choice', choices: OPTIMIZERS, help: 'optimizer', default: 'adam' },
    lr: { kind: 'number', above: 0, max: 100, help: 'learning rate (default per task)' },
    schedule: {
      kind: 'choice',
      choices: SCHEDULES,
      help: 'learning-rate schedule',
      default: 'constant',
    },
    clip: {
      kind: 'number',
      min: 0,
      help: 'clip the global gradient norm to X; 0 turns clipping off (default per task)',
    },
    tbptt: {
      kind: 'intPair',
      min: 1,
      placeholder: 'K1,K2 (two integers ≥ 1)',
      help: 'truncated BPTT: update every K1 steps, backpropagate through K2',
    },
    'forget-bias': { kind: 'number', min: -100, max: 100, help: 'LSTM: starting forget-gate bias' },
    seed: { kind: 'int', min: 0, max: 4294967295, help: 'seed of weights and data', default: 0 },
    out: dir('parent folder of the run folder (default runs)'),
    name: { kind: 'string', placeholder: 'NAME', help: 'run name (default e.g. lstm-adding-T50)' },
    'checkpoint-every': { kind: 'int', min: 1, help: 'steps between checkpoints', default: 100 },
    'eval-every': { kind: 'int', min: 1, help: 'steps between held-out evaluations', default: 50 },
    'until-solved': {
      kind: 'boolean',
      help: "stop at the first evaluation that meets the task's criterion",
    },
    anomaly: { kind: 'boolean', help: 'check every op for NaN/∞ and name the first (slower)' },
    threads: {
      kind: 'int',
      min: 1,
      max: 63,
      help: "split each batch across N worker threads (default: the machine's cores, or UNROLL_THREADS, at most --batch; 1 with --anomaly, --text or --series). Same N, same bits: the run records N and resumes with it",
    },
    resume: dir('continue the run in DIR from its checkpoint'),
    restart: { kind: 'boolean', help: 'with --resume: train again from step 0' },
    'eval-batch': {
      kind: 'int',
      min: 1,
      max: 100000,
      help: 'held-out sequences, evaluated --batch at a time (default per task)',
    },
    'skip-memory-check': {
      kind: 'boolean',
      help: 'train even when one step is estimated to need more memory than the machine has',
    },
    'stop-after-step': {
      kind: 'int',
      min: 1,
      help: 'stop after step N as if interrupted (to try --resume)',
    },
    ...DATA_FLAGS,
  },
  examples: [
    'unroll train --task adding --cell gru --seq-len 100 --steps 2000',
    'unroll train --text shakespeare.txt --layers 2 --hidden 256 --sample-every 200',
    'unroll train --series births.csv --column births --time-column date --horizon 7',
    'unroll train --task charlm --cell lstm --layers 2 --hidden 128 --tbptt 32,64',
    'unroll train --task copy --cell rnn --optimizer rmsprop --lr 0.001 --clip 1 --anomaly',
    'unroll train --resume runs/2025-01-31_10-22-05-lstm-adding-T50',
  ],
} as const satisfies CommandSpec;

export const sampleCommand = {
  name: 'sample',
  summary: 'Generate text from a trained char-LM run (--task charlm).',
  usage:
    'unroll sample --run DIR [--temperature X] [--top-k N] [--length N] [--prime TEXT] [--seed N]',
  flags: {
    run: dir('the run folder (its checkpoint.safetensors)'),
    temperature: {
      kind: 'number',
      min: 0,
      max: 100,
      help: '0 is greedy, 1 the model as is',
      default: 0.8,
    },
    'top-k': { kind: 'int', min: 1, help: 'draw only from the k likeliest characters' },
    length: { kind: 'int', min: 0, max: 1000000, help: 'characters to generate', default: 300 },
    prime: { kind: 'string', placeholder: 'TEXT', help: 'text to start from', default: 'The ' },
    seed: { kind: 'int', min: 0, max: 4294967295, help: 'seed of the draws', default: 0 },
  },
  examples: [
    'unroll sample --run runs/2025-01-31_10-22-05-lstm-charlm-T64',
    'unroll sample --run DIR --temperature 0.5 --top-k 5 --prime "Call me " --length 200',
  ],
} as const satisfies CommandSpec;

export const diagnoseCommand = {
  name: 'diagnose',
  summary:
    'The gradient-flow report of a saved model on fresh batches: ‖∂L/∂h_t‖ per timestep, the verdict, the spectra of weight_hh. Prints a table and writes diagnose.html in the run folder.',
  usage: 'unroll diagnose --run DIR [--batch N] [--seed N]',
  flags: {
    run: dir('the run folder (its checkpoint.safetensors)'),
    batch: { kind: 'int', min: 1, max: 4096, help: 'sequences in the probe batch', default: 64 },
    seed: { kind: 'int', min: 0, max: 4294967295, help: 'seed of the fresh batch', default: 1 },
  },
  examples: ['unroll diagnose --run runs/2025-01-31_10-22-05-rnn-adding-T50'],
} as const satisfies CommandSpec;

export const gradcheckCommand = {
  name: 'gradcheck',
  summary:
    'Check every op and cell of the engine, and the hand-derived BPTT, against central differences (float64, eps 1e-6, atol 1e-5, rtol 1e-3). Run it after editing the engine.',
  usage: 'unroll gradcheck [--seed N] [--only TEXT]',
  flags: {
    seed: { kind: 'int', min: 0, max: 4294967295, help: 'seed of the random inputs', default: 0 },
    only: {
      kind: 'string',
      placeholder: 'TEXT',
      help: 'check only the ops whose name contains TEXT',
    },
  },
  examples: ['unroll gradcheck', 'unroll gradcheck --only lstm'],
} as const satisfies CommandSpec;

export const reportCommand = {
  name: 'report',
  summary:
    "Rebuild a run's report.html from its metrics.jsonl and diagnostics (a run or an experiment folder).",
  usage: 'unroll report --run DIR [--force]',
  flags: {
    run: dir('the run or experiment folder'),
    force: { kind: 'boolean', help: 'replace a report that shows more steps than the metrics' },
  },
  examples: ['unroll report --run runs/2025-01-31_10-22-05-vanishing-gradients'],
} as const satisfies CommandSpec;

export const commands = {
  experiment: experimentCommand,
  train: trainCommand,
  sample: sampleCommand,
  diagnose: diagnoseCommand,
  gradcheck: gradcheckCommand,
  report: reportCommand,
  export: exportCommand,
  import: importCommand,
  course: courseCommand,
  grade: gradeCommand,
} as const;

export type CommandName = keyof typeof commands;

export const topUsage = `unroll [${Object.keys(commands).join('|')}] [flags]   (unroll COMMAND --help for its flags)`;
