/**
 * `unroll`: reads the command line, runs one command, returns its exit code.
 *
 *   0  done        1  failed (a NaN loss, a refused checkpoint, a failed check)
 *   2  bad input (unknown command or flag, bad value, unwritable folder): one line
 *      saying what is wrong and what is allowed, then the usage line
 *   130 / 143  stopped by SIGINT / SIGTERM (after saving a checkpoint)
 */

import { readFileSync } from 'node:fs';
import { type CommandSpec, formatHelp, UsageError } from './args.ts';
import { runDiagnose } from './cmd-diagnose.ts';
import { runExperimentCommand } from './cmd-experiment.ts';
import { runExport } from './cmd-export.ts';
import { runGradcheck } from './cmd-gradcheck.ts';
import { runImport } from './cmd-import.ts';
import { runReport } from './cmd-report.ts';
import { runSample } from './cmd-sample.ts';
import { runTrain } from './cmd-train.ts';
import { type CommandName, commands, topUsage } from './commands.ts';
import { IoFailure } from './io-errors.ts';
import { applyGemmEnvironment } from './kernel-env.ts';
import { FolderLockedError } from './lock.ts';
import type { ProgressStream } from './progress.ts';

export interface Io {
  stdout: ProgressStream;
  stderr: ProgressStream;
}

type Runner = (argv: readonly string[], io: Io) => Promise<number>;

const runners: Record<CommandName, Runner> = {
  experiment: runExperimentCommand,
  train: runTrain,
  sample: runSample,
  diagnose: runDiagnose,
  gradcheck: runGradcheck,
  report: runReport,
  export: runExport,
  import: runImport,
};

export function version(): string {
  const path = new URL('../package.json', import.meta.url);
  return (JSON.parse(readFileSync(path, 'utf8')) as { version: string }).version;
}

function topHelp(): string {
  const width = Math.max(...Object.keys(commands).map((n) => n.length)) + 2;
  return [
    `usage: ${topUsage}`,
    '',
    'unroll trains recurrent networks built from scratch and shows why their gradients vanish.',
    'With no command it runs the vanishing-gradient experiment (unroll experiment).',
    '',
    'commands:',
    ...Object.values(commands).map(
      (c: CommandSpec) =>
        `  ${c.name.padEnd(width)}${c.summary.split('. ')[0]!.replace(/\.$/, '')}`,
    ),
    '',
    'options:',
    '  --help, -h     this help (unroll COMMAND --help for a command)',
    '  --version, -V  the version',
    '',
    'examples:',
    ...Object.values(commands).map((c: CommandSpec) => `  ${c.examples[0]}`),
  ].join('\n');
}

function unknownCommand(name: string, io: Io): number {
  io.stderr.write(
    `unroll: unknown command '${name}' (commands: ${Object.keys(commands).join(', ')})\nusage: ${topUsage}\n`,
  );
  return 2;
}

export async function main(argv: readonly string[], io: Io): Promise<number> {
  applyGemmEnvironment();
  const [first, ...rest] = argv;
  if (first === '--version' || first === '-V') {
    if (rest.length > 0) {
      io.stderr.write(
        `unroll: ${first} takes no arguments, got '${rest[0]}'\nusage: unroll --version\n`,
      );
      return 2;
    }
    io.stdout.write(`unroll ${version()}\n`);
    return 0;
  }
  if (first === '--help' || first === '-h' || first === 'help') {
    const named = rest[0];
    if (named !== undefined && !(named in commands)) return unknownCommand(named, io);
    io.stdout.write(`${named ? formatHelp(commands[named as CommandName]) : topHelp()}\n`);
    return 0;
  }
  let name: CommandName = 'experiment';
  let args = argv;
  if (first !== undefined && !first.startsWith('-')) {
    if (!(first in commands)) return unknownCommand(first, io);
    name = first as CommandName;
    args = rest;
  }
  if (args.includes('--help') || args.includes('-h')) {
    io.stdout.write(`${formatHelp(commands[name])}\n`);
    return 0;
  }
  try {
    return await runners[name](args, io);
  } catch (error) {
    if (error instanceof UsageError) {
      io.stderr.write(`unroll ${name}: ${error.message}\nusage: ${error.usage}\n`);
      return 2;
    }
    // A file that cannot be written or read, a folder another process holds: one line.
    if (error instanceof IoFailure || error instanceof FolderLockedError) {
      io.stderr.write(`unroll ${name}: ${error.message}\n`);
      return 1;
    }
    throw error;
  }
}
