/**
 * `unroll report` on a run folder: rebuilding report.html only from metrics that can be
 * trusted, and never replacing a report with a less complete one.
 *
 *   metrics.jsonl missing        refused: a report of "0 steps" says nothing true
 *   a damaged line in the middle refused, naming the line (readMetricsFile)
 *   a torn last line             skipped — a crash can cut the last append short —
 *                                and said so
 *   fewer steps than the report  refused unless --force: the report on disk shows
 *                                more of the run than its metrics now do
 */

import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { writeFileAtomic } from './files.ts';
import { runReport, STEPS_MARK } from './report.ts';
import { FILES, readMetricsFile } from './run-folder.ts';

/** The steps an existing report.html shows, or null when it has no mark (or is absent). */
export function reportedSteps(path: string): number | null {
  if (!existsSync(path)) return null;
  const text = readFileSync(path, 'utf8');
  const at = text.lastIndexOf(STEPS_MARK);
  if (at < 0) return null;
  const steps = Number.parseInt(text.slice(at + STEPS_MARK.length), 10);
  return Number.isFinite(steps) ? steps : null;
}

/** Rebuilds report.html of a run; returns its path and notes for the user. */
export function rebuildRunReport(
  folder: string,
  force: boolean,
): { path: string; notes: string[] } {
  const metricsPath = join(folder, FILES.metrics);
  if (!existsSync(metricsPath)) {
    throw new Error(
      `${FILES.metrics} is missing: nothing to build a report from (report.html left as it is)`,
    );
  }
  const { lines, tornLastLine } = readMetricsFile(metricsPath);
  const notes: string[] = [];
  if (tornLastLine) {
    notes.push(`skipped the last line of ${FILES.metrics}: cut short, as a crash leaves it`);
  }
  const steps = lines.length === 0 ? 0 : lines[lines.length - 1]!.step;
  const path = join(folder, FILES.report);
  const before = reportedSteps(path);
  if (!force && before !== null && steps < before) {
    throw new Error(
      `${FILES.metrics} reaches step ${steps} but the report on disk shows ${before} steps; report.html left as it is (add --force to replace it)`,
    );
  }
  writeFileAtomic(path, runReport(folder));
  return { path, notes };
}
