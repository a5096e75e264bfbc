/**
 * The command line's contract: --version, --help per command, and for every kind of
 * bad input one line naming the flag and what is allowed, then the usage line, exit 2.
 */

import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { commands, trainCommand } from '../src/commands.ts';
import { runMain, tempFolder, unroll } from './helpers.ts';

const scratch = tempFolder();

describe('the real command', () => {
  it('prints its version', () => {
    expect(unroll(['--version'])).toMatchObject({ code: 0, stdout: 'unroll 0.1.0\n' });
  });

  it('refuses an --out under /proc at once (where a recursive mkdir would spin forever)', () => {
    const { code, stderr } = unroll(['train', '--out', '/proc/unroll-runs', '--steps', '1']);
    expect(code).toBe(2);
    expect(stderr.split('\n')[0]).toBe(
      "unroll train: cannot write to --out '/proc/unroll-runs' (ENOENT): expected a writable folder",
    );
  });

  it('exits 2 with one error line and the usage line on a bad value', () => {
    const { code, stdout, stderr } = unroll(['train', '--lr', '-1']);
    expect(code).toBe(2);
    expect(stdout).toBe('');
    expect(stderr).toBe(
      `unroll train: invalid value '-1' for --lr: expected a number > 0 and ≤ 100\nusage: ${trainCommand.usage}\n`,
    );
  });
});

describe('help', () => {
  it('lists the commands, and an example of each', async () => {
    const { code, stdout } = await runMain(['--help']);
    expect(code).toBe(0);
    for (const name of ['experiment', 'train', 'sample', 'diagnose', 'gradcheck', 'report']) {
      expect(stdout).toMatch(new RegExp(`^  ${name} `, 'm'));
      expect(stdout).toContain(`\n  ${commands[name as keyof typeof commands].examples[0]}\n`);
    }
  });

  it('help COMMAND is COMMAND --help', async () => {
    expect(await runMain(['help', 'sample'])).toEqual(await runMain(['sample', '--help']));
  });

  it.each(['experiment', 'train', 'sample', 'diagnose', 'gradcheck', 'report'])(
    '%s --help shows its usage, flags and examples',
    async (name) => {
      const { code, stdout } = await runMain([name, '--help']);
      expect(code).toBe(0);
      expect(stdout).toMatch(/^usage: unroll/);
      expect(stdout).toContain('\nexamples:\n  ');
      expect(stdout).toContain('\noptions:\n  --');
    },
  );

  it('documents every train flag', async () => {
    const { stdout } = await runMain(['train', '--help']);
    for (const flag of Object.keys(trainCommand.flags)) expect(stdout).toContain(`--${flag}`);
  });
});

describe('bad input: one line naming the problem and the allowed values, the usage, exit 2', () => {
  const file = join(scratch, 'a-file');
  writeFileSync(file, 'not a folder');
  const cases: [string[], string][] = [
    [
      ['frobnicate'],
      "unroll: unknown command 'frobnicate' (commands: experiment, train, sample, diagnose, gradcheck, report)",
    ],
    [
      ['help', 'frobnicate'],
      "unroll: unknown command 'frobnicate' (commands: experiment, train, sample, diagnose, gradcheck, report)",
    ],
    [
      ['train', '--colour', 'red'],
      "unroll train: unknown flag '--colour' for 'train' (known flags: --task, --cell,",
    ],
    [
      ['train', '--cell'],
      "unroll train: flag '--cell' needs a value: expected one of rnn, lstm, gru",
    ],
    [
      ['train', '--cell', 'tree'],
      "unroll train: invalid value 'tree' for --cell: expected one of rnn, lstm, gru",
    ],
    [
      ['train', '--hidden', '0'],
      "unroll train: invalid value '0' for --hidden: expected an integer in [1, 4096]",
    ],
    [
      ['train', '--seq-len', '0'],
      "unroll train: invalid value '0' for --seq-len: expected an integer in [1, 100000]",
    ],
    [
      ['train', '--steps', '2.5'],
      "unroll train: invalid value '2.5' for --steps: expected an integer in [1, 1000000000]",
    ],
    [
      ['train', '--lr', 'fast'],
      "unroll train: invalid value 'fast' for --lr: expected a number > 0 and ≤ 100",
    ],
    [
      ['train', '--tbptt', '20'],
      "unroll train: invalid value '20' for --tbptt: expected K1,K2 (two integers ≥ 1)",
    ],
    [
      ['train', '--tbptt', '20,10'],
      'unroll train: --tbptt 20,10: expected K1 ≤ K2 (update every K1 steps, backpropagate through K2)',
    ],
    [
      ['train', '--task', 'order', '--seq-len', '5'],
      'unroll train: --seq-len 5 is too short for --task order: expected an integer ≥ 10',
    ],
    [
      ['train', '--cell', 'gru', '--forget-bias', '1'],
      'unroll train: --forget-bias applies to --cell lstm only, got --cell gru',
    ],
    [
      ['train', '--out', join(file, 'runs')],
      `unroll train: cannot write to --out '${join(file, 'runs')}' (ENOTDIR): expected a writable folder`,
    ],
    [
      ['train', '--resume', scratch, '--hidden', '8'],
      "unroll train: --hidden cannot be combined with --resume: the run's config.json decides it",
    ],
    [
      ['train', '--resume', join(scratch, 'nothing')],
      `unroll train: invalid value '${join(scratch, 'nothing')}' for --resume: expected a run folder, found none`,
    ],
    [['sample'], 'unroll sample: missing --run DIR: the run folder of a char-LM to sample from'],
    [
      ['sample', '--run', scratch],
      `unroll sample: invalid value '${scratch}' for --run: expected a run folder (with config.json)`,
    ],
    [
      ['sample', '--run', scratch, '--temperature', '-1'],
      "unroll sample: invalid value '-1' for --temperature: expected a number in [0, 100]",
    ],
    [
      ['diagnose', '--batch', '0'],
      "unroll diagnose: invalid value '0' for --batch: expected an integer in [1, 4096]",
    ],
    [['report'], 'unroll report: missing --run DIR: the run folder to report on'],
    [
      ['experiment', '--workers', '0'],
      "unroll experiment: invalid value '0' for --workers: expected an integer in [1, 64]",
    ],
    [
      ['--workers', 'two'],
      "unroll experiment: invalid value 'two' for --workers: expected an integer in [1, 64]",
    ],
    [['gradcheck', 'extra'], "unroll gradcheck: unexpected argument 'extra'"],
    [
      ['gradcheck', '--only', 'lstn'],
      "unroll gradcheck: invalid value 'lstn' for --only: no op or cell has it in its name (try lstm, matmul or Backward)",
    ],
  ];
  it.each(cases)('%j', async (argv, message) => {
    const { code, stdout, stderr } = await runMain(argv);
    expect(code).toBe(2);
    expect(stdout).toBe('');
    const lines = stderr.split('\n');
    expect(lines).toHaveLength(3); // the error, the usage, and the final newline
    expect(lines[0]).toContain(message);
    expect(lines[1]).toMatch(/^usage: unroll /);
  });
});
