/**
 * `unroll gradcheck`: the table of every gradient check (gradcheck-suite.ts). Exit code
 * 1 if any fails, with the failing checks' messages (worst entry, analytic and numerical
 * values) printed under the table.
 */

import { parseFlags, UsageError } from './args.ts';
import { gradcheckCommand } from './commands.ts';
import { runGradchecks } from './gradcheck-suite.ts';
import type { Io } from './main.ts';
import { textTable } from './text-table.ts';

export async function runGradcheck(argv: readonly string[], io: Io): Promise<number> {
  const flags = parseFlags(argv, gradcheckCommand);
  const started = performance.now();
  const rows = runGradchecks(flags.seed ?? 0, flags.only);
  const seconds = (performance.now() - started) / 1000;
  if (rows.length === 0) {
    throw new UsageError(
      `invalid value '${flags.only}' for --only: no op or cell has it in its name (try lstm, matmul or Backward)`,
      gradcheckCommand.usage,
    );
  }
  const sci = (x: number) => (x === 0 ? '0' : x.toExponential(1));
  io.stdout.write(
    `${textTable(
      ['op', 'input', 'max abs err', 'max rel err', 'pass'],
      rows.map((r) => [
        r.op,
        r.input,
        sci(r.report.maxAbsError),
        sci(r.report.maxRelError),
        r.report.ok ? 'yes' : 'NO',
      ]),
    )}\n`,
  );
  const failed = rows.filter((r) => !r.report.ok);
  const ops = new Set(rows.map((r) => r.op)).size;
  io.stdout.write(
    `\n${rows.length - failed.length} of ${rows.length} gradients (${ops} ops and cells) agree with central differences (eps 1e-6, atol 1e-5, rtol 1e-3) — ${seconds.toFixed(1)} s\n`,
  );
  for (const r of failed) io.stdout.write(`\n${r.report.message}\n`);
  return failed.length === 0 ? 0 : 1;
}
