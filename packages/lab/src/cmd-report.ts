/**
 * `unroll report --run DIR`: rebuild report.html from the files of a run folder (or
 * of an experiment folder, whose runs each have their own).
 */

import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { parseFlags, UsageError } from './args.ts';
import { reportCommand } from './commands.ts';
import { EXPERIMENT_FILE, writeExperimentReport } from './experiment-report.ts';
import { IoFailure } from './io-errors.ts';
import type { Io } from './main.ts';
import { rebuildRunReport } from './report-rebuild.ts';
import { displayPath, FILES, userPath } from './run-folder.ts';
import { openRunForWriting } from './run-writer.ts';

export async function runReport(argv: readonly string[], io: Io): Promise<number> {
  const flags = parseFlags(argv, reportCommand);
  if (flags.run === undefined) {
    throw new UsageError('missing --run DIR: the run folder to report on', reportCommand.usage);
  }
  const folder = userPath(flags.run);
  const isExperiment = existsSync(join(folder, EXPERIMENT_FILE));
  if (!isExperiment && !existsSync(join(folder, FILES.config))) {
    throw new UsageError(
      `invalid value '${flags.run}' for --run: expected a run folder (with ${FILES.config}) or an experiment folder`,
      reportCommand.usage,
    );
  }
  const lock = openRunForWriting(folder, 'unroll report', (m) => io.stderr.write(`${m}\n`));
  try {
    const { path, notes } = isExperiment
      ? { path: writeExperimentReport(folder), notes: [] }
      : rebuildRunReport(folder, flags.force === true);
    for (const note of notes) io.stderr.write(`note: ${note}\n`);
    io.stdout.write(`report: ${displayPath(path)}\n`);
    return 0;
  } catch (error) {
    if (error instanceof IoFailure) throw error;
    io.stderr.write(
      `unroll report: cannot build the report of ${folder}: ${(error as Error).message}\n`,
    );
    return 1;
  } finally {
    lock.release();
  }
}
