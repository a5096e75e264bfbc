/**
 * `unroll report --run DIR`: rebuild report.html from the files of a run folder (or
 * of an experiment folder, whose runs each have their own).
 */

import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { parseFlags, UsageError } from './args.ts';
import { reportCommand } from './commands.ts';
import { EXPERIMENT_FILE, writeExperimentReport } from './experiment-report.ts';
import type { Io } from './main.ts';
import { writeRunReport } from './report.ts';
import { displayPath, FILES, userPath } from './run-folder.ts';

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
  try {
    const path = isExperiment ? writeExperimentReport(folder) : writeRunReport(folder);
    io.stdout.write(`report: ${displayPath(path)}\n`);
    return 0;
  } catch (error) {
    io.stderr.write(
      `unroll report: cannot build the report of ${folder}: ${(error as Error).message}\n`,
    );
    return 1;
  }
}
