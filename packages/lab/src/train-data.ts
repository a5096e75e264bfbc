/**
 * The flags of `unroll train` that bring the user's own data: --text FILE for the
 * char-LM, --series FILE.csv --column NAME for forecasting, and --sample-every N for
 * samples while a char-LM trains. They are checked here, the file is read and checked
 * (run-data.ts), and its record is put into the config — all before the run folder is
 * made, so a bad file leaves nothing behind.
 */

import { basename, extname } from 'node:path';
import { mobyDickCorpus } from '@unroll/tasks';
import { type parseFlags, UsageError } from './args.ts';
import { trainCommand } from './commands.ts';
import { runName, type TaskName, type TrainConfig } from './config.ts';
import type { Io } from './main.ts';
import { limitsProblem } from './memory-estimate.ts';
import {
  checkSameFile,
  DataFileError,
  readSeriesSource,
  readTextSource,
  textIds,
} from './run-data.ts';
import { userPath } from './run-folder.ts';
import { readRunConfig } from './saved-run.ts';

type TrainFlags = ReturnType<typeof parseFlags<typeof trainCommand.flags>>;

const usage = (message: string) => new UsageError(message, trainCommand.usage);

/** Whether the run trains on the user's own file. */
export function ownData(flags: TrainFlags): boolean {
  return flags.text !== undefined || flags.series !== undefined;
}

/** --text alone means --task charlm; --series alone means --task forecast. */
export function taskOfData(flags: TrainFlags): TaskName {
  if (flags.text !== undefined) return 'charlm';
  if (flags.series !== undefined) return 'forecast';
  return 'adding';
}

/** Whether a run writes samples, clock times or forecasts as it trains (run-watch.ts). */
export function watchesData(config: TrainConfig): boolean {
  return config.task === 'charlm' || config.task === 'forecast';
}

/** Flags that mean something only beside another one. */
const NEEDS: Record<string, string> = {
  'val-fraction': 'text',
  column: 'series',
  'time-column': 'series',
  horizon: 'series',
  fill: 'series',
  season: 'series',
  temperature: 'sample-every',
  prime: 'sample-every',
  'sample-length': 'sample-every',
};

/** 'The ' when the text has those characters, else the text's own first character. */
function defaultPrime(config: TrainConfig, vocabulary: readonly string[]): string {
  if (Array.from('The ').every((ch) => vocabulary.includes(ch))) return 'The ';
  return vocabulary[textIds(config.text!)[0]!]!;
}

/** A run name with the file's stem: lstm-charlm-T64-shakespeare. */
function nameWithFile(config: TrainConfig, path: string): string {
  const stem = basename(path, extname(path))
    .replace(/[^A-Za-z0-9_-]+/g, '-')
    .slice(0, 40);
  return stem === '' ? runName(config) : `${runName(config)}-${stem}`;
}

/**
 * Reads the data file the flags name into `config` (text, series, samples). Returns null
 * when the run can go ahead, or the exit code after printing why the file is refused.
 */
export function attachData(config: TrainConfig, flags: TrainFlags, io: Io): number | null {
  for (const [flag, needs] of Object.entries(NEEDS)) {
    if (flag in flags && !(needs in flags)) {
      throw usage(`--${flag} needs --${needs}`);
    }
  }
  if (flags.window !== undefined && flags['seq-len'] !== undefined) {
    throw usage('--window and --seq-len are the same thing (T): give one');
  }
  if (flags.text !== undefined && config.task !== 'charlm') {
    throw usage(`--text is the char-LM's text: it needs --task charlm, got --task ${config.task}`);
  }
  if (flags.series !== undefined && config.task !== 'forecast') {
    throw usage(
      `--series is the series to forecast: it needs --task forecast, got --task ${config.task}`,
    );
  }
  if ((flags.threads ?? 1) > 1 && ownData(flags)) {
    // The worker threads rebuild the task from the config alone, without the file's data.
    throw usage('--threads cannot be combined with --text or --series yet: train on one thread');
  }
  if (flags.series !== undefined && flags.column === undefined) {
    throw usage('--series needs --column NAME: the column of numbers to forecast');
  }
  if (flags['sample-every'] !== undefined && config.task !== 'charlm') {
    throw usage(`--sample-every samples text: it needs --task charlm, got --task ${config.task}`);
  }
  const notes: string[] = [];
  try {
    if (flags.text !== undefined) {
      const path = userPath(flags.text);
      config.text = readTextSource(path, config, flags['val-fraction'] ?? 0.1);
      config.name = flags.name ?? nameWithFile(config, path);
      const t = config.text;
      notes.push(
        `${t.file}: ${t.characters} characters, ${t.vocabulary.length} distinct; ${Math.round(t.characters * (1 - t.validationFraction))} train, ${t.characters - Math.round(t.characters * (1 - t.validationFraction))} validation\n`,
      );
    }
    if (flags.series !== undefined) {
      const path = userPath(flags.series);
      config.series = readSeriesSource(path, config, {
        column: flags.column!,
        timeColumn: flags['time-column'] ?? null,
        fill: flags.fill ?? null,
        horizon: flags.horizon ?? 1,
        validationFraction: flags['val-fraction'] ?? 0.2,
        season: flags.season ?? null,
      });
      config.name = flags.name ?? nameWithFile(config, path);
      const s = config.series;
      notes.push(
        `${s.file}: column '${s.column}', ${s.values} values${s.filled > 0 ? ` (${s.filled} filled)` : ''}; ${s.splitAt} train, ${s.values - s.splitAt} validation; μ ${s.mean.toPrecision(5)}, σ ${s.std.toPrecision(5)} (training part); season ${s.season}\n`,
      );
    }
  } catch (error) {
    if (!(error instanceof DataFileError)) throw error;
    io.stderr.write(`unroll train: ${error.message}\n`);
    return 1;
  }
  if (flags['sample-every'] !== undefined) {
    const vocabulary = config.text?.vocabulary ?? mobyDickCorpus().vocabulary.chars;
    const prime = flags.prime ?? defaultPrime(config, vocabulary);
    const unknown = Array.from(prime).find((ch) => !vocabulary.includes(ch));
    if (unknown !== undefined) {
      throw usage(
        `invalid value for --prime: ${JSON.stringify(unknown)} is not one of the ${vocabulary.length} characters of the text`,
      );
    }
    config.samples = {
      every: flags['sample-every'],
      temperature: flags.temperature ?? 0.8,
      prime,
      length: flags['sample-length'] ?? 200,
    };
  }
  const limits = limitsProblem(config, flags['skip-memory-check'] === true);
  if (limits !== null) throw usage(limits);
  io.stderr.write(notes.join(''));
  return null;
}

/** --resume with --text or --series: the file must be the one the run began with. */
export function checkResumeFiles(folder: string, flags: TrainFlags, io: Io): number | null {
  let config: TrainConfig;
  try {
    config = readRunConfig(folder);
  } catch {
    return null; // a damaged or missing config.json: openForResume says what is wrong
  }
  if ((flags.threads ?? 1) > 1 && (config.text !== undefined || config.series !== undefined)) {
    throw usage('--threads cannot be combined with a run on a --text or --series file yet');
  }
  try {
    if (flags.text !== undefined) checkSameFile(userPath(flags.text), config, '--text');
    if (flags.series !== undefined) checkSameFile(userPath(flags.series), config, '--series');
  } catch (error) {
    if (!(error instanceof DataFileError)) throw error;
    io.stderr.write(`unroll train: cannot resume: ${error.message}\n`);
    return 1;
  }
  return null;
}
