/**
 * main.ts: the command line's dispatch — --version, the top-level help, `help NAME`,
 * unknown commands, and the shape of every refusal of bad input: one line naming the
 * problem, then the usage line, exit code 2.
 */

import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { commands, topUsage, trainCommand } from '../src/commands.ts';
import { version } from '../src/main.ts';
import { expectUsageError, runMain, unroll } from './helpers.ts';

const packageVersion = (
  JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as {
    version: string;
  }
).version;

const COMMANDS = ['experiment', 'train', 'sample', 'diagnose', 'gradcheck', 'report'] as const;

describe('the real command', () => {
  it('prints its version', () => {
    expect(unroll(['--version'])).toMatchObject({ code: 0, stdout: `unroll ${packageVersion}\n` });
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

describe('version', () => {
  it("is package.json's, for -V too", async () => {
    expect(version()).toBe(packageVersion);
    expect(packageVersion).toMatch(/^\d+\.\d+\.\d+/);
    expect(await runMain(['-V'])).toEqual({
      code: 0,
      stdout: `unroll ${packageVersion}\n`,
      stderr: '',
    });
  });
});

describe('help', () => {
  it('lists the commands, and an example of each', async () => {
    const { code, stdout } = await runMain(['--help']);
    expect(code).toBe(0);
    expect(stdout.startsWith(`usage: ${topUsage}\n`)).toBe(true);
    for (const name of COMMANDS) {
      expect(stdout).toMatch(new RegExp(`^  ${name} `, 'm'));
      expect(stdout).toContain(`\n  ${commands[name].examples[0]}\n`);
    }
  });

  it('help COMMAND is COMMAND --help', async () => {
    expect(await runMain(['help', 'sample'])).toEqual(await runMain(['sample', '--help']));
  });

  it('a command given --help prints its help, whatever else is on the line', async () => {
    const { code, stdout } = await runMain(['train', '--lr', '-1', '--help']);
    expect(code).toBe(0);
    expect(stdout.startsWith(`usage: ${trainCommand.usage}\n`)).toBe(true);
  });
});

describe('unknown commands', () => {
  const message =
    "unroll: unknown command 'frobnicate' (commands: experiment, train, sample, diagnose, gradcheck, report, export, import, course, grade)";
  it('are refused with the list of commands', async () => {
    await expectUsageError(['frobnicate'], message);
  });
  it('are refused after help too', async () => {
    await expectUsageError(['help', 'frobnicate'], message);
  });
});

describe('no command', () => {
  it('is the experiment: its flags are parsed as the experiment', async () => {
    await expectUsageError(
      ['--workers', 'two'],
      "unroll experiment: invalid value 'two' for --workers: expected an integer in [1, 64]",
    );
  });
});
