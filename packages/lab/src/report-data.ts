/**
 * The report's sections for runs on the user's own data (run-watch.ts writes what they
 * read):
 *
 *   char-LM    held-out bits per character against training steps and against
 *              wall-clock seconds; the samples printed during training, by step
 *   forecast   the validation part: truth, the model's forecast and seasonal naive, in
 *              the file's units; RMSE against persistence and seasonal naive
 *
 * Bits per character = nats per character / ln 2: the cross-entropy in base 2.
 */

import { join } from 'node:path';
import { lineChart } from '@unroll/diagnostics';
import type { TrainConfig } from './config.ts';
import { charts, escapeHtml, heading, paragraph, table } from './html.ts';
import { type MetricsLine, readJson } from './run-folder.ts';
import {
  type ClockLine,
  type ForecastFile,
  readLines,
  type SampleLine,
  WATCH_FILES,
} from './run-watch.ts';

/** The report's extra sections for a char-LM or forecast run (none for the other tasks). */
export function dataSections(
  folder: string,
  config: TrainConfig,
  lines: readonly MetricsLine[],
): string[] {
  if (config.task === 'charlm') return charLmSections(folder, config, lines);
  if (config.task === 'forecast') return forecastSections(folder, config, lines);
  return [];
}

function charLmSections(
  folder: string,
  config: TrainConfig,
  lines: readonly MetricsLine[],
): string[] {
  const evals = lines.filter((l) => l.eval !== undefined);
  const bits = (l: MetricsLine) => l.eval!.loss / Math.LN2;
  const seconds = new Map(
    readLines<ClockLine>(join(folder, WATCH_FILES.clock)).map((c) => [c.step, c.seconds]),
  );
  const timed = evals.filter((l) => seconds.has(l.step));
  const out: string[] = [heading(2, 'Bits per character')];
  const source = config.text;
  if (source !== undefined) {
    out.push(
      paragraph(
        escapeHtml(
          `${source.file}: ${source.characters} characters (${source.bytes} bytes, sha256 ${source.sha256.slice(0, 16)}…), ${source.vocabulary.length} distinct; the last ${Math.round(source.validationFraction * 100)}% held out.`,
        ),
      ),
    );
  }
  if (evals.length === 0) return [...out, paragraph('No evaluation yet.')];
  const chartsHere = [
    lineChart({
      title: 'Held-out bits per character against steps',
      xLabel: 'training step',
      yLabel: 'bits / char',
      series: [{ name: 'held-out', x: evals.map((l) => l.step), y: evals.map(bits) }],
    }),
  ];
  if (timed.length > 0) {
    chartsHere.push(
      lineChart({
        title: 'Held-out bits per character against time',
        xLabel: 'training seconds',
        yLabel: 'bits / char',
        series: [
          { name: 'held-out', x: timed.map((l) => seconds.get(l.step)!), y: timed.map(bits) },
        ],
      }),
    );
  }
  out.push(charts(chartsHere));
  const samples = readLines<SampleLine>(join(folder, WATCH_FILES.samples));
  if (samples.length > 0) {
    const bitsAt = new Map(evals.map((l) => [l.step, bits(l)]));
    out.push(
      heading(2, 'Samples during training'),
      paragraph(
        `Each drawn at temperature ${samples[0]!.temperature} from the prime ${escapeHtml(JSON.stringify(samples[0]!.prime))}: read down the table to watch spelling, then words, then phrases appear.`,
      ),
      table(
        ['step', 'bits / char', 'sample'],
        samples.map((s) => [
          s.step,
          bitsAt.get(s.step) ?? '—',
          {
            html: `<pre style="white-space: pre-wrap; margin: 0">${escapeHtml(s.prime + s.text)}</pre>`,
          },
        ]),
      ),
    );
  }
  return out;
}

function forecastSections(
  folder: string,
  config: TrainConfig,
  lines: readonly MetricsLine[],
): string[] {
  const series = config.series;
  if (series === undefined) return [];
  const out: string[] = [
    heading(2, 'Forecasts on the validation part'),
    paragraph(
      escapeHtml(
        `${series.file}, column '${series.column}': ${series.values} values (${series.filled} filled), sha256 ${series.sha256.slice(0, 16)}…; trained on the first ${series.splitAt}, normalized with their μ = ${series.mean.toPrecision(6)}, σ = ${series.std.toPrecision(6)}. Seasonal naive repeats the last season of m = ${series.season}.`,
      ),
    ),
  ];
  const lastEval = [...lines].reverse().find((l) => l.eval !== undefined)?.eval;
  if (lastEval !== undefined) {
    const e = lastEval.extra;
    out.push(
      table(
        ['forecast', `validation RMSE (${series.column})`],
        [
          ['this model', e.rmse ?? '—'],
          ['persistence', e.persistenceRmse ?? '—'],
          [`seasonal naive (m = ${series.season})`, e.seasonalNaiveRmse ?? '—'],
        ],
      ),
    );
  }
  let forecast: ForecastFile | null = null;
  try {
    forecast = readJson(join(folder, WATCH_FILES.forecast)) as ForecastFile;
  } catch {
    return out;
  }
  const H = forecast.horizon;
  // The h-step-ahead forecast of each window lands on firstTarget + h − 1.
  const at = (h: number) => forecast!.firstTarget.map((t) => t + h - 1);
  const pick = (rows: number[][], h: number) => rows.map((r) => r[h - 1]!);
  const plots = [1, ...(H > 1 ? [H] : [])].map((h) =>
    lineChart({
      title: `${h}-step-ahead forecast after ${forecast!.step} steps`,
      xLabel: 'index in the series',
      yLabel: series.column,
      markers: false,
      series: [
        { name: 'truth', x: at(h), y: pick(forecast!.truth, h) },
        { name: 'model', x: at(h), y: pick(forecast!.model, h) },
        { name: `seasonal naive (m = ${series.season})`, x: at(h), y: pick(forecast!.seasonal, h) },
      ],
    }),
  );
  out.push(charts(plots));
  if (forecast.time !== null) {
    const first = forecast.time[forecast.firstTarget[0]!];
    const last = forecast.time[forecast.firstTarget[forecast.firstTarget.length - 1]! + H - 1];
    out.push(paragraph(escapeHtml(`Validation from ${first} to ${last} (${series.timeColumn}).`)));
  }
  return out;
}
