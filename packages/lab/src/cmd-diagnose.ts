/**
 * `unroll diagnose`: the gradient flow of a saved model on a fresh batch — ‖∂L/∂h_t‖ at
 * a dozen timesteps, the verdict, and the spectra of its recurrent weights — printed,
 * and drawn in diagnose.html in the run folder.
 */

import { join } from 'node:path';
import { gradientNormChart } from '@unroll/diagnostics';
import { parseFlags } from './args.ts';
import { diagnoseCommand } from './commands.ts';
import { writeFileAtomic } from './files.ts';
import { type FlowSnapshot, probeGradientFlow } from './gradient-flow.ts';
import { charts, escapeHtml, heading, page, paragraph, table } from './html.ts';
import { IoFailure } from './io-errors.ts';
import type { Io } from './main.ts';
import { spectraRows, verdictCell } from './report.ts';
import { displayPath } from './run-folder.ts';
import { openRunForWriting } from './run-writer.ts';
import { openRun, runFolderFlag } from './saved-run.ts';
import { makeTask, runGenerators } from './task-adapters.ts';
import { textTable } from './text-table.ts';

/** About a dozen timesteps from 1 to T, always both ends. */
export function sampleSteps(T: number, count = 12): number[] {
  const steps = new Set<number>([1, T]);
  for (let i = 1; i < count - 1; i++) steps.add(Math.round(1 + ((T - 1) * i) / (count - 1)));
  return [...steps].sort((a, b) => a - b);
}

const sci = (x: number) => (Number.isFinite(x) ? x.toExponential(2) : String(x));

export async function runDiagnose(argv: readonly string[], io: Io): Promise<number> {
  const flags = parseFlags(argv, diagnoseCommand);
  const folder = runFolderFlag(flags.run, diagnoseCommand.usage, 'to diagnose');
  let trainer: ReturnType<typeof openRun>;
  try {
    trainer = openRun(folder);
  } catch (error) {
    io.stderr.write(`unroll diagnose: cannot load ${flags.run}: ${(error as Error).message}\n`);
    return 1;
  }
  const { config, model } = trainer;
  const seed = flags.seed ?? 1;
  const batchSize = flags.batch ?? 64;
  const generators = runGenerators(seed);
  const task = makeTask({ ...config, evalBatch: batchSize }, generators.data, generators.eval);
  const snapshot = probeGradientFlow(model, task, task.evalBatch, trainer.step);
  const T = task.evalBatch.steps;

  const layers = snapshot.norms.length;
  const header = [
    't',
    ...snapshot.norms.map((_, l) => (layers > 1 ? `‖∂L/∂h_t‖ layer ${l}` : '‖∂L/∂h_t‖')),
    'relative to t = T',
  ];
  const top = snapshot.norms[layers - 1]!;
  const rows = sampleSteps(T).map((t) => [
    t,
    ...snapshot.norms.map((layer) => sci(layer[t - 1]!)),
    sci(top[t - 1]! / top[T - 1]!),
  ]);
  const lines = [
    `${config.name} at step ${trainer.step}: ${batchSize} fresh sequences (seed ${seed}), loss ${snapshot.loss.toPrecision(4)}`,
    '',
    textTable(header, rows),
    '',
    snapshot.verdict === null
      ? `verdict: none (${snapshot.note})`
      : `verdict: ${snapshot.verdict.verdict} — ${snapshot.verdict.reason}`,
  ];
  if (task.readout === 'every') {
    lines.push(
      'note: this task has a loss at every step, so ‖∂L/∂h_t‖ also holds the loss at t itself; the decay of the long-range part is hidden in it.',
    );
  }
  lines.push(
    '',
    textTable(
      ['weight', 'gate', 'spectral radius ρ', 'largest singular value σ₁'],
      snapshot.spectra.flatMap((r) =>
        r.gates.map((g) => [
          r.name,
          g.gate,
          g.spectralRadius.toFixed(4),
          g.largestSingularValue.toFixed(4),
        ]),
      ),
    ),
  );
  for (const r of snapshot.spectra) if (r.pascanu) lines.push(`${r.name}: ${r.pascanu.statement}`);
  io.stdout.write(`${lines.join('\n')}\n`);
  const path = join(folder, 'diagnose.html');
  const lock = openRunForWriting(folder, 'unroll diagnose', (m) => io.stderr.write(`${m}\n`));
  try {
    writeFileAtomic(path, diagnosePage(config.name, snapshot, batchSize, seed));
  } catch (error) {
    if (error instanceof IoFailure) throw error;
    io.stderr.write(
      `unroll diagnose: cannot write ${displayPath(path)}: ${(error as Error).message}\n`,
    );
    return 1;
  } finally {
    lock.release();
  }
  io.stdout.write(`\nreport: ${displayPath(path)}\n`);
  return 0;
}

function diagnosePage(
  name: string,
  snapshot: FlowSnapshot,
  batchSize: number,
  seed: number,
): string {
  return page(`${name} — diagnose`, [
    heading(1, `${name}: gradient flow at step ${snapshot.step}`),
    paragraph(
      escapeHtml(
        `${batchSize} fresh sequences (seed ${seed}); loss ${snapshot.loss.toPrecision(4)}.`,
      ),
    ),
    charts([
      gradientNormChart({
        series: snapshot.norms.map((y, l) => ({
          name: snapshot.norms.length > 1 ? `layer ${l}` : name,
          y,
        })),
      }),
    ]),
    table(['', 'verdict'], [['top layer', verdictCell(snapshot)]]),
    table(['weight', 'gate', 'ρ', 'σ₁'], spectraRows([snapshot])),
  ]);
}
