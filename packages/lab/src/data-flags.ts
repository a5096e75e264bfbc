/**
 * The flags of `unroll train` for the user's own data (read by train-data.ts), declared
 * apart so that the command's table in commands.ts takes them in one line.
 */

import type { FlagSpecs } from './args.ts';

export const DATA_FLAGS = {
  text: {
    kind: 'string',
    placeholder: 'FILE',
    help: 'char-LM: train on this UTF-8 text file (implies --task charlm)',
  },
  'val-fraction': {
    kind: 'number',
    above: 0,
    max: 0.9,
    help: 'share of the file, at its end, held out (default 0.1 for --text, 0.2 for --series)',
  },
  'sample-every': {
    kind: 'int',
    min: 1,
    help: 'char-LM: print and save a sample every N steps (samples.jsonl)',
  },
  temperature: {
    kind: 'number',
    min: 0,
    max: 100,
    help: 'with --sample-every: 0 is greedy, 1 the model as is',
    default: 0.8,
  },
  prime: {
    kind: 'string',
    placeholder: 'TEXT',
    help: "with --sample-every: text to start each sample from (default 'The ', or the text's first character)",
  },
  'sample-length': {
    kind: 'int',
    min: 1,
    max: 100000,
    help: 'with --sample-every: characters per sample',
    default: 200,
  },
  series: {
    kind: 'string',
    placeholder: 'FILE.csv',
    help: 'forecast: a CSV file with a header row (implies --task forecast)',
  },
  column: { kind: 'string', placeholder: 'NAME', help: 'with --series: the column to forecast' },
  'time-column': {
    kind: 'string',
    placeholder: 'NAME',
    help: 'with --series: the column that labels time (for the report)',
  },
  horizon: {
    kind: 'int',
    min: 1,
    max: 10000,
    help: 'with --series: H, values to forecast after each window',
    default: 1,
  },
  window: {
    kind: 'int',
    min: 1,
    max: 100000,
    help: 'with --series: T, values each forecast reads (the same as --seq-len)',
  },
  fill: {
    kind: 'choice',
    choices: ['previous', 'linear'],
    help: 'with --series: fill missing values (default: refuse them, naming the line)',
  },
  season: {
    kind: 'int',
    min: 1,
    help: 'with --series: m of the seasonal-naive baseline (default: estimated, ≤ T)',
  },
} as const satisfies FlagSpecs;
