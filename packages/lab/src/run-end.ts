/**
 * The end of a run — final gradient-flow probe, summary.json, report.html — comes after
 * its last checkpoint. A run killed in between has finished training but not its end;
 * `unroll train --resume` looks here to tell the two apart, and does the end when it
 * is missing.
 */

import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { readDiagnostics } from './run.ts';
import { FILES, readJson } from './run-folder.ts';

/** Whether the end-of-run work of a run whose training reached `step` is all on disk. */
export function endOfRunDone(folder: string, step: number): boolean {
  let summary: { status?: unknown; step?: unknown } | null;
  try {
    summary = readJson(join(folder, FILES.summary)) as { status?: unknown; step?: unknown } | null;
  } catch {
    return false;
  }
  return (
    summary?.status === 'finished' &&
    summary.step === step &&
    existsSync(join(folder, FILES.report)) &&
    readDiagnostics(folder).final !== null
  );
}
