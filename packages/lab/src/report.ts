/**
 * report.html of one training run, built only from the files of its folder —
 * config.json, metrics.jsonl, diagnostics.json, summary.json — so `unroll report`
 * can rebuild it at any time, for a finished run or one that was stopped.
 *
 * What it shows, and how to read it:
 *   loss       training loss (averaged over groups of steps) and held-out loss against
 *              the task's baseline: below the dashed line, the model learned something
 *   ‖∂L/∂h_t‖  against t (log axis), at initialisation and at the end: a line falling
 *              steeply to the left is a gradient vanishing on its way back in time
 *   ‖g‖        the global gradient norm per step (log axis): spikes are where clipping acts
 *   spectra    ρ(W_hh) and σ₁(W_hh) per gate, at initialisation and at the end
 */

import { join } from 'node:path';
import { gradientNormChart, lineChart, lossChart, type Series } from '@unroll/diagnostics';
import { checkConfigShape } from './config.ts';
import { writeFileAtomic } from './files.ts';
import type { FlowSnapshot } from './gradient-flow.ts';
import {
  bucketMeans,
  type Cell,
  charts,
  escapeHtml,
  formatValue,
  heading,
  page,
  paragraph,
  table,
  yesNo,
} from './html.ts';
import { dataSections } from './report-data.ts';
import { loadRunData } from './run-data.ts';
import { FILES, type MetricsLine, readJson, readMetrics } from './run-folder.ts';
import { makeTask, runGenerators } from './task-adapters.ts';

interface Summary {
  status: 'finished' | 'stopped' | 'failed';
  step: number;
  message: string | null;
  solvedAt: number | null;
  seconds: number;
}

/** The held-out loss per evaluation, and the training loss in ≤ 250 group means. */
export function lossSeries(lines: readonly MetricsLine[], label = ''): Series[] {
  const training = bucketMeans(
    lines.map((l) => l.step),
    lines.map((l) => l.loss),
  );
  const evals = lines.filter((l) => l.eval !== undefined);
  const series: Series[] = [{ name: `${label}training`.trim(), x: training.x, y: training.y }];
  if (evals.length > 0) {
    series.push({
      name: `${label}held-out`.trim(),
      x: evals.map((l) => l.step),
      y: evals.map((l) => l.eval!.loss),
    });
  }
  return series;
}

/** Rows of ρ and σ₁ per weight_hh and gate, for the snapshots given. */
export function spectraRows(snapshots: readonly (FlowSnapshot | null)[]): Cell[][] {
  const first = snapshots.find((s) => s !== null);
  if (first === undefined || first === null) return [];
  const rows: Cell[][] = [];
  first.spectra.forEach((report, r) => {
    report.gates.forEach((gate, g) => {
      const row: Cell[] = [report.name, gate.gate];
      for (const s of snapshots) {
        const found = s?.spectra[r]?.gates[g];
        row.push(found?.spectralRadius ?? '—', found?.largestSingularValue ?? '—');
      }
      rows.push(row);
    });
  });
  return rows;
}

export function verdictCell(snapshot: FlowSnapshot | null): Cell {
  if (snapshot === null) return '—';
  if (snapshot.verdict === null) return snapshot.note ?? '—';
  return { html: `<b>${snapshot.verdict.verdict}</b>: ${escapeHtml(snapshot.verdict.reason)}` };
}

/** The report of the run in `folder`, as HTML. */
export function runReport(folder: string): string {
  const config = checkConfigShape(readJson(join(folder, FILES.config)), FILES.config);
  const lines = readMetrics(join(folder, FILES.metrics));
  const diagnostics = (tryRead(join(folder, FILES.diagnostics)) ?? { init: null, final: null }) as {
    init: FlowSnapshot | null;
    final: FlowSnapshot | null;
  };
  const summary = tryRead(join(folder, FILES.summary)) as Summary | null;
  loadRunData(folder, config);
  // Task names and baselines, without reading data: a fresh task of the same config.
  const generators = runGenerators(config.seed);
  const task = makeTask({ ...config, evalBatch: 1, batch: 1 }, generators.data, generators.eval);
  const baselines = task.baselines.map((b) => ({
    y: b.value,
    label: `${b.label} ${formatValue(b.value)}`,
  }));
  const lastEval = [...lines].reverse().find((l) => l.eval !== undefined)?.eval ?? null;

  const body: string[] = [
    heading(1, config.name),
    `<p class="lead">${escapeHtml(task.info.name)} — ${escapeHtml(config.cell.toUpperCase())}, ${config.layers} × ${config.hidden} hidden, ${escapeHtml(config.optimizer)} lr ${config.lr}</p>`,
  ];
  if (summary?.status === 'failed' || summary?.status === 'stopped') {
    body.push(
      `<p class="note">${escapeHtml(`The run ${summary.status}: ${summary.message ?? ''}`)}</p>`,
    );
  }
  body.push(
    heading(2, 'Result'),
    table(
      ['steps', 'held-out loss', 'baseline', 'solved', 'solved at step', 'wall time (s)'],
      [
        [
          lines.length === 0 ? 0 : lines[lines.length - 1]!.step,
          lastEval?.loss ?? '—',
          task.baselines[0]!.value,
          yesNo(lastEval?.solved ?? null),
          summary?.solvedAt ?? '—',
          summary === null ? '—' : Number(summary.seconds.toFixed(1)),
        ],
      ],
    ),
    paragraph(
      `Solved means: ${escapeHtml(task.info.solved)}. Baseline: ${escapeHtml(task.info.baseline.description)}.`,
    ),
    heading(2, 'Loss'),
    charts([
      lossChart({ series: lossSeries(lines), baselines, title: 'Loss against the baseline' }),
      lineChart({
        title: 'Global gradient norm before clipping',
        xLabel: 'training step',
        yLabel: '‖g‖',
        yScale: 'log',
        series: [
          {
            name: '‖g‖',
            ...bucketMeans(
              lines.map((l) => l.step),
              lines.map((l) => l.gradNorm),
            ),
          },
        ],
      }),
    ]),
    heading(2, 'Gradient flow through time'),
    paragraph(
      'The norm of ∂L/∂h<sub>t</sub> over a fixed probe batch, for every timestep t (top layer). Read it from right to left: how much of the error signal that enters at the end survives the trip back to step t.',
    ),
  );
  const snapshots = [diagnostics.init, diagnostics.final].filter(
    (s): s is FlowSnapshot => s !== null,
  );
  if (snapshots.length > 0) {
    body.push(
      charts([
        gradientNormChart({
          series: snapshots.map((s) => ({
            name: s.step === 0 ? 'at initialisation' : `after ${s.step} steps`,
            y: s.norms[s.norms.length - 1]!,
          })),
        }),
      ]),
      table(
        ['', 'verdict'],
        [
          ['at initialisation', verdictCell(diagnostics.init)],
          ['after training', verdictCell(diagnostics.final)],
        ],
      ),
      heading(2, 'Recurrent weights'),
      table(
        ['weight', 'gate', 'ρ at init', 'σ₁ at init', 'ρ at end', 'σ₁ at end'],
        spectraRows([diagnostics.init, diagnostics.final]),
      ),
    );
  }
  body.push(
    ...dataSections(folder, config, lines),
    heading(2, 'Config'),
    table(
      ['field', 'value'],
      Object.entries(config).map(([k, v]) => [k, JSON.stringify(v)]),
    ),
  );
  const lastStep = lines.length === 0 ? 0 : lines[lines.length - 1]!.step;
  // Read back by `unroll report`, which will not replace a report with a less complete one.
  return `${page(`${config.name} — unroll`, body)}${STEPS_MARK}${lastStep} -->\n`;
}

export const STEPS_MARK = '<!-- unroll report: steps ';

export function writeRunReport(folder: string): string {
  const path = join(folder, FILES.report);
  writeFileAtomic(path, runReport(folder));
  return path;
}

function tryRead(path: string): unknown {
  try {
    return readJson(path);
  } catch {
    return null;
  }
}
