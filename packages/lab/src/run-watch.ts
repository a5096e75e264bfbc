/**
 * What a char-LM or forecasting run writes beside metrics.jsonl while it trains, for the
 * report and for the person watching:
 *
 *   samples.jsonl   every --sample-every steps: a sample of text from the model as it is
 *                   then (also printed), with its temperature and prime
 *   clock.jsonl     at every evaluation: the step and the training seconds so far, summed
 *                   over resumed sessions — so the report can draw the held-out loss
 *                   against wall-clock time as well as against steps
 *   forecast.json   at every evaluation of a forecast run: the model's forecasts of the
 *                   validation windows, the truth and both baselines, in the file's units
 *
 * metrics.jsonl stays free of clock times, so a resumed run still writes it line for line
 * as an uninterrupted one; clock.jsonl is where time lives. Samples depend only on the
 * weights, the seed and the step, so they are the same after a resume too. On resume,
 * lines after the checkpoint's step are dropped (they will be written again).
 */

import { appendFileSync, existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { sampleText } from '@unroll/tasks';
import { Rng } from '@unroll/tensor';
import { charModel } from './cmd-sample.ts';
import { predict } from './engines.ts';
import { writeFileAtomic } from './files.ts';
import { type ForecastWindows, generatedSeries } from './forecast-task.ts';
import { seriesData } from './run-data.ts';
import type { MetricsLine } from './run-folder.ts';
import type { Trainer } from './trainer.ts';

export interface SampleOptions {
  every: number;
  temperature: number;
  prime: string;
  /** Characters to generate after the prime. */
  length: number;
}

export const WATCH_FILES = {
  samples: 'samples.jsonl',
  clock: 'clock.jsonl',
  forecast: 'forecast.json',
} as const;

export interface SampleLine {
  step: number;
  temperature: number;
  prime: string;
  text: string;
}

export interface ClockLine {
  step: number;
  seconds: number;
}

/** The JSON lines of a file, or none when it does not exist. */
export function readLines<T>(path: string): T[] {
  if (!existsSync(path)) return [];
  return readFileSync(path, 'utf8')
    .split('\n')
    .filter((l) => l !== '')
    .flatMap((l) => {
      try {
        return [JSON.parse(l) as T];
      } catch {
        return []; // a line cut short by a crash
      }
    });
}

/** Keeps the lines of steps ≤ `step` (a resume starts again after them). */
function cutBack(path: string, step: number): ClockLine[] {
  const kept = readLines<ClockLine>(path).filter((l) => l.step <= step);
  if (existsSync(path)) writeFileAtomic(path, kept.map((l) => `${JSON.stringify(l)}\n`).join(''));
  return kept;
}

/** A sample of `options.length` characters from the trainer's model; the same step gives the same text. */
export function sampleAt(trainer: Trainer, options: SampleOptions): string {
  const vocabulary = trainer.task.vocabulary;
  if (vocabulary === null) throw new Error('only a char-LM run has samples');
  return sampleText(charModel(trainer.model), vocabulary, {
    prompt: options.prime,
    state: null,
    length: options.length,
    rng: new Rng((trainer.config.seed + trainer.step) % 2 ** 32),
    temperature: options.temperature,
  });
}

/** Watches a run step by step; `log` prints a line above the progress bar. */
export class RunWatch {
  private readonly started = performance.now();
  private readonly secondsBefore: number;

  constructor(
    private readonly trainer: Trainer,
    private readonly folder: string,
    private readonly log: (message: string) => void,
  ) {
    const clock = cutBack(join(folder, WATCH_FILES.clock), trainer.step);
    cutBack(join(folder, WATCH_FILES.samples), trainer.step);
    this.secondsBefore = clock[clock.length - 1]?.seconds ?? 0;
  }

  afterStep(line: MetricsLine): void {
    const { trainer, folder } = this;
    const options = trainer.config.samples;
    if (line.eval !== undefined) {
      const seconds = this.secondsBefore + (performance.now() - this.started) / 1000;
      const clock: ClockLine = { step: line.step, seconds: Number(seconds.toFixed(3)) };
      appendFileSync(join(folder, WATCH_FILES.clock), `${JSON.stringify(clock)}\n`);
      if ('held' in trainer.task) writeForecast(trainer, folder);
    }
    if (options !== undefined && line.step % options.every === 0) {
      const text = sampleAt(trainer, options);
      const sample: SampleLine = {
        step: line.step,
        temperature: options.temperature,
        prime: options.prime,
        text,
      };
      appendFileSync(join(folder, WATCH_FILES.samples), `${JSON.stringify(sample)}\n`);
      this.log(
        `── sample at step ${line.step} (temperature ${options.temperature}) ──\n${options.prime}${text}\n──`,
      );
    }
  }
}

export interface ForecastFile {
  step: number;
  horizon: number;
  /** Index in the series of each window's first forecast value. */
  firstTarget: number[];
  /** [window][h] in the file's units. */
  truth: number[][];
  model: number[][];
  persistence: number[][];
  seasonal: number[][];
  /** The time column's cells of the whole series (index them with firstTarget), or null. */
  time: string[] | null;
}

function writeForecast(trainer: Trainer, folder: string): void {
  const series = trainer.config.series ?? generatedSeries(trainer.config);
  const held = (trainer.task as unknown as { held: ForecastWindows }).held;
  const H = series.horizon;
  const units = (z: ArrayLike<number>) => {
    const rows: number[][] = [];
    for (let b = 0; b < held.starts.length; b++) {
      rows.push(
        Array.from({ length: H }, (_, h) =>
          Number((series.mean + series.std * z[b * H + h]!).toPrecision(6)),
        ),
      );
    }
    return rows;
  };
  const file: ForecastFile = {
    step: trainer.step,
    horizon: H,
    firstTarget: held.starts.map((s) => s + trainer.config.seqLen),
    truth: units(held.batch.targets.data),
    model: units(predict(trainer.model, trainer.task, held.batch).data),
    persistence: units(held.persistence),
    seasonal: units(held.seasonal),
    time: trainer.config.series === undefined ? null : seriesData(trainer.config.series).time,
  };
  writeFileAtomic(join(folder, WATCH_FILES.forecast), `${JSON.stringify(file)}\n`);
}
