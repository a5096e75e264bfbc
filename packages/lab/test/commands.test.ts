/**
 * commands.ts: every command's flags, usage and examples, declared once — so each
 * command's --help shows them all, and a value outside a flag's declared range is
 * refused naming the flag and the range.
 */

import { describe, expect, it } from 'vitest';
import { commands, trainCommand } from '../src/commands.ts';
import { expectUsageError, runMain } from './helpers.ts';

describe('--help of each command', () => {
  it.each(Object.keys(commands))('%s --help shows its usage, flags and examples', async (name) => {
    const { code, stdout } = await runMain([name, '--help']);
    expect(code).toBe(0);
    expect(stdout).toMatch(/^usage: unroll/);
    expect(stdout).toContain('\nexamples:\n  ');
    expect(stdout).toContain('\noptions:\n  --');
  });

  it('documents every train flag', async () => {
    const { stdout } = await runMain(['train', '--help']);
    for (const flag of Object.keys(trainCommand.flags)) expect(stdout).toContain(`--${flag}`);
  });

  it('uses only flags the command has, in its examples', () => {
    for (const command of Object.values(commands)) {
      for (const example of command.examples) {
        for (const [, flag] of example.matchAll(/--([\w-]+)/g)) {
          expect(Object.keys(command.flags), `${example}`).toContain(flag);
        }
      }
    }
  });
});

describe('values outside what a flag declares', () => {
  const cases: [string[], string][] = [
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
      ['sample', '--run', '.', '--temperature', '-1'],
      "unroll sample: invalid value '-1' for --temperature: expected a number in [0, 100]",
    ],
    [
      ['diagnose', '--batch', '0'],
      "unroll diagnose: invalid value '0' for --batch: expected an integer in [1, 4096]",
    ],
    [
      ['experiment', '--workers', '0'],
      "unroll experiment: invalid value '0' for --workers: expected an integer in [1, 64]",
    ],
    [['gradcheck', 'extra'], "unroll gradcheck: unexpected argument 'extra'"],
  ];
  it.each(cases)('%j', async (argv, message) => {
    await expectUsageError(argv, message);
  });
});
