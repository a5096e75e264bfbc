/**
 * The experiment's results: the table, the findings in words, and report.html with
 * every run's loss curve against the baseline, ‖∂L/∂h_t‖ against t at initialisation
 * and after training, the spectral radii of weight_hh and the verdicts.
 *
 * The findings are computed, not written in advance: each expectation (the RNN solves
 * the shortest length and fails the longest; the LSTM and the GRU solve the longest)
 * is checked against what the runs did, and a failed one is reported as such.
 */

import { join } from 'node:path';
import { gradientNormChart, lossChart } from '@unroll/diagnostics';
import { ADDING_BASELINE_MSE } from '@unroll/tasks';
import type { CellName } from './config.ts';
import type { RunRecord } from './experiment.ts';
import { writeFileAtomic } from './files.ts';
import type { FlowSnapshot } from './gradient-flow.ts';
import { charts, escapeHtml, formatValue, heading, page, paragraph, table, yesNo } from './html.ts';
import { type RunOutcome, readDiagnostics } from './run.ts';
import { FILES, readJson, readMetrics } from './run-folder.ts';
import { textTable } from './text-table.ts';

export const EXPERIMENT_FILE = 'experiment.json';

export interface ExperimentRecord {
  name: string;
  seed: number;
  workers: number;
  /** Wall time of the whole experiment, seconds. */
  seconds: number;
  runs: RunRecord[];
}

const MODEL: Record<CellName, string> = { rnn: 'tanh RNN', lstm: 'LSTM', gru: 'GRU' };

const lengthsOf = (runs: readonly RunRecord[]) =>
  [...new Set(runs.map((r) => r.config.seqLen))].sort((a, b) => a - b);

function find(runs: readonly RunRecord[], cell: CellName, T: number): RunRecord | undefined {
  return runs.find((r) => r.config.cell === cell && r.config.seqLen === T);
}

/** The rows of the result table, shortest length first. */
export function resultRows(runs: readonly RunRecord[]): (string | number)[][] {
  const rows: (string | number)[][] = [];
  for (const T of lengthsOf(runs)) {
    for (const cell of ['rnn', 'lstm', 'gru'] as const) {
      const r = find(runs, cell, T);
      if (r === undefined) continue;
      const { outcome } = r;
      rows.push([
        MODEL[cell],
        T,
        outcome.lastEval === null ? '—' : Number(outcome.lastEval.loss.toPrecision(3)),
        Number(ADDING_BASELINE_MSE.toFixed(3)),
        outcome.status === 'stopped'
          ? `stopped at ${outcome.step}`
          : outcome.solvedAt === null
            ? 'no'
            : 'yes',
        outcome.solvedAt ?? '—',
        Number(outcome.seconds.toFixed(1)),
      ]);
    }
  }
  return rows;
}

export const RESULT_HEADER = [
  'model',
  'T',
  'final MSE',
  'baseline',
  'solved',
  'steps to solve',
  'time (s)',
];

export function resultTable(runs: readonly RunRecord[]): string {
  return textTable(RESULT_HEADER, resultRows(runs));
}

/**
 * The findings: a headline saying whether the runs behaved as the theory predicts,
 * then one sentence per model, then the gradient evidence at initialisation.
 */
export function findings(
  runs: readonly RunRecord[],
  init: ReadonlyMap<string, FlowSnapshot | null>,
  final: ReadonlyMap<string, FlowSnapshot | null>,
): string[] {
  const lengths = lengthsOf(runs);
  const short = lengths[0]!;
  const long = lengths[lengths.length - 1]!;
  const solved = (cell: CellName, T: number) => find(runs, cell, T)?.outcome.solvedAt != null;
  const budget = runs[0]?.config.steps ?? 0;
  const describe = (cell: CellName): string => {
    const done = lengths.filter((T) => solved(cell, T));
    const failed = lengths.filter((T) => !solved(cell, T));
    const at = (T: number) => {
      const r = find(runs, cell, T)!;
      return r.outcome.solvedAt !== null
        ? `T = ${T} at step ${r.outcome.solvedAt}`
        : `T = ${T} (held-out MSE ${formatValue(r.outcome.lastEval?.loss ?? Number.NaN)} after ${r.outcome.step} steps${r.outcome.status === 'stopped' ? ', stopped early' : ''})`;
    };
    if (failed.length === 0)
      return `The ${MODEL[cell]} solved every length: ${done.map(at).join(', ')}.`;
    if (done.length === 0)
      return `The ${MODEL[cell]} solved no length: ${failed.map(at).join(', ')}.`;
    return `The ${MODEL[cell]} solved ${done.map(at).join(', ')}, but not ${failed.map(at).join(', ')}.`;
  };
  const expectations: [boolean, string][] = [
    [solved('rnn', short), `the tanh RNN solves T = ${short}`],
    [!solved('rnn', long), `the tanh RNN fails at T = ${long}`],
    [solved('lstm', long), `the LSTM solves T = ${long}`],
    [solved('gru', long), `the GRU solves T = ${long}`],
  ];
  const missed = expectations.filter(([ok]) => !ok).map(([, what]) => what);
  const headline =
    missed.length === 0
      ? `As predicted: the tanh RNN learns the adding problem at T = ${short} but not at T = ${long}, where the LSTM and the GRU do (at most ${budget} steps each).`
      : `Not as predicted. These expectations did not hold (at most ${budget} steps per run): ${missed.join('; ')}. What happened:`;
  const sentences = [headline, ...(['rnn', 'lstm', 'gru'] as const).map(describe)];
  const ratios = (flows: ReadonlyMap<string, FlowSnapshot | null>) =>
    (['rnn', 'lstm', 'gru'] as const)
      .map((cell) => {
        const v = flows.get(`${cell}-T${long}`)?.verdict;
        return v ? `${formatValue(v.ratio)} for the ${MODEL[cell]} (${v.verdict})` : null;
      })
      .filter((text) => text !== null);
  const atInit = ratios(init);
  if (atInit.length > 0) {
    sentences.push(
      `At T = ${long}, the share of the gradient that reaches the first step, ‖∂L/∂h₁‖ / ‖∂L/∂h_T‖, is at initialisation ${atInit.join(', ')}.`,
    );
  }
  const atEnd = ratios(final);
  if (atEnd.length > 0) sentences.push(`After training it is ${atEnd.join(', ')}.`);
  return sentences;
}

function flowsOf(folder: string, runs: readonly RunRecord[]) {
  const init = new Map<string, FlowSnapshot | null>();
  const final = new Map<string, FlowSnapshot | null>();
  for (const r of runs) {
    const d = readDiagnostics(join(folder, r.folder));
    init.set(r.config.name, d.init);
    final.set(r.config.name, d.final);
  }
  return { init, final };
}

const CHART = { width: 440, height: 300 } as const;

export function experimentReport(folder: string): string {
  const record = readJson(join(folder, EXPERIMENT_FILE)) as ExperimentRecord;
  // A run resumed on its own since has a newer outcome in its summary.json.
  const runs = record.runs.map((r) => ({
    ...r,
    outcome: latestOutcome(join(folder, r.folder)) ?? r.outcome,
  }));
  const { init, final } = flowsOf(folder, runs);
  const baseline = [{ y: ADDING_BASELINE_MSE, label: 'baseline 0.167' }];
  const body: string[] = [
    heading(1, 'Vanishing gradients: tanh RNN vs LSTM vs GRU'),
    `<p class="lead">The adding problem at T = ${lengthsOf(runs).join(', ')}; ${runs[0]?.config.hidden ?? '?'} hidden units, batch ${runs[0]?.config.batch}, Adam lr ${runs[0]?.config.lr}, gradient norm clipped to ${runs[0]?.config.clip}, seed ${record.seed}; ${record.workers} worker thread${record.workers === 1 ? '' : 's'}, ${formatValue(record.seconds)} s in all.</p>`,
    ...findings(runs, init, final).map((s) => paragraph(escapeHtml(s))),
    heading(2, 'Results'),
    table(
      RESULT_HEADER,
      resultRows(runs).map((row) =>
        row.map((c, j) => (j === 4 && (c === 'yes' || c === 'no') ? yesNo(c === 'yes') : c)),
      ),
    ),
    paragraph(
      'Solved: held-out MSE below 0.01 on 256 fresh sequences (checked every 50 steps; a run stops when it gets there). Baseline: always answering 1 scores E[(a + b − 1)²] = 1/6.',
    ),
    heading(2, 'Loss against the baseline'),
    paragraph(
      'Held-out MSE every 50 steps. Above the dashed line the model does no better than answering 1.',
    ),
    charts(
      lengthsOf(runs).map((T) =>
        lossChart({
          ...CHART,
          title: `T = ${T}`,
          yLabel: 'held-out MSE',
          baselines: baseline,
          series: (['rnn', 'lstm', 'gru'] as const).flatMap((cell) => {
            const r = find(runs, cell, T);
            if (r === undefined) return [];
            const evals = readMetrics(join(folder, r.folder, FILES.metrics)).filter((l) => l.eval);
            return [
              { name: MODEL[cell], x: evals.map((l) => l.step), y: evals.map((l) => l.eval!.loss) },
            ];
          }),
        }),
      ),
    ),
    heading(2, 'Gradient flow through time'),
    paragraph(
      '‖∂L/∂h<sub>t</sub>‖ on a fixed batch of 64 sequences, log scale. The loss reads only h<sub>T</sub>, so each line shows how much of the error signal survives the trip from step T back to step t. A line that falls by orders of magnitude to the left is a vanishing gradient: nothing reaches the first marked number.',
    ),
  ];
  for (const T of lengthsOf(runs)) {
    const flowChart = (flows: ReadonlyMap<string, FlowSnapshot | null>, when: string) =>
      gradientNormChart({
        ...CHART,
        title: `T = ${T}, ${when}`,
        series: (['rnn', 'lstm', 'gru'] as const).flatMap((cell) => {
          const s = flows.get(`${cell}-T${T}`);
          return s ? [{ name: MODEL[cell], y: s.norms[s.norms.length - 1]! }] : [];
        }),
      });
    body.push(charts([flowChart(init, 'at initialisation'), flowChart(final, 'after training')]));
  }
  body.push(
    heading(2, 'Verdicts and recurrent weights'),
    paragraph(
      'The verdict judges ‖∂L/∂h₁‖ / ‖∂L/∂h_T‖: vanishing below 0.01, exploding above 100. ρ is the spectral radius of each gate’s block of weight_hh (σ₁ its largest singular value); for the RNN, σ₁ < 1 guarantees vanishing (Pascanu, Mikolov & Bengio 2013).',
    ),
    table(
      [
        'model',
        'T',
        'verdict at init',
        'verdict after training',
        'ρ(W_hh) per gate at init → after',
        'σ₁ (RNN)',
      ],
      runs
        .slice()
        .sort((a, b) => a.config.seqLen - b.config.seqLen)
        .map((r) => {
          const a = init.get(r.config.name) ?? null;
          const b = final.get(r.config.name) ?? null;
          const gates = (a?.spectra[0]?.gates ?? []).map((g, k) => {
            const after = b?.spectra[0]?.gates[k]?.spectralRadius;
            return `${g.gate} ${formatValue(g.spectralRadius)} → ${after === undefined ? '—' : formatValue(after)}`;
          });
          const pascanu = (s: FlowSnapshot | null) => s?.spectra[0]?.pascanu?.largestSingularValue;
          return [
            MODEL[r.config.cell],
            r.config.seqLen,
            verdictText(a),
            verdictText(b),
            gates.join(', '),
            r.config.cell === 'rnn'
              ? `${formatValue(pascanu(a) ?? Number.NaN)} → ${formatValue(pascanu(b) ?? Number.NaN)}`
              : '—',
          ];
        }),
    ),
    heading(2, 'The runs'),
    paragraph(
      `Each run is a run folder of its own (config.json, metrics.jsonl, checkpoint.safetensors, report.html): ${runs
        .map(
          (r) =>
            `<a href="${escapeHtml(r.folder)}/${FILES.report}">${escapeHtml(r.config.name)}</a>`,
        )
        .join(', ')}.`,
    ),
  );
  return page('Vanishing gradients — unroll', body);
}

function latestOutcome(runFolder: string): RunOutcome | null {
  try {
    const { config: _, ...outcome } = readJson(join(runFolder, FILES.summary)) as RunOutcome & {
      config: unknown;
    };
    return outcome;
  } catch {
    return null;
  }
}

function verdictText(s: FlowSnapshot | null): string {
  if (s === null) return '—';
  if (s.verdict === null) return s.note ?? '—';
  return `${s.verdict.verdict} (ratio ${formatValue(s.verdict.ratio)})`;
}

export function writeExperimentReport(folder: string): string {
  const path = join(folder, FILES.report);
  writeFileAtomic(path, experimentReport(folder));
  return path;
}
