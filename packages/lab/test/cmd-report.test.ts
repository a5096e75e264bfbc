/**
 * cmd-report.ts: `unroll report --run DIR` rebuilds report.html from the run's files
 * (an experiment folder's rebuild is tested with the experiment, cmd-experiment.test.ts).
 */

import { mkdirSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { expectUsageError, makeRun, runMain, tempFolder, unroll } from './helpers.ts';

const scratch = tempFolder();
let folder: string;

beforeAll(async () => {
  const short = { cell: 'lstm', seqLen: 8, hidden: 6, steps: 12, evalEvery: 4 } as const;
  folder = (await makeRun(join(scratch, 'run'), short)).folder;
});

describe('unroll report', () => {
  it('rebuilds the same report (through the real command)', () => {
    const before = readFileSync(join(folder, 'report.html'), 'utf8');
    rmSync(join(folder, 'report.html'));
    const { code, stdout } = unroll(['report', '--run', folder]);
    expect(code).toBe(0);
    expect(stdout).toBe(`report: ${join(folder, 'report.html')}\n`);
    expect(readFileSync(join(folder, 'report.html'), 'utf8')).toBe(before);
  });

  it('refuses a missing --run', async () => {
    await expectUsageError(
      ['report'],
      'unroll report: missing --run DIR: the run folder to report on',
    );
  });

  it('refuses a folder that is neither a run nor an experiment', async () => {
    await expectUsageError(
      ['report', '--run', scratch],
      `unroll report: invalid value '${scratch}' for --run: expected a run folder (with config.json) or an experiment folder`,
    );
  });

  it('says in one line why it could not write the report, exit 1', async () => {
    rmSync(join(folder, 'report.html'));
    mkdirSync(join(folder, 'report.html')); // a folder in the file's place
    const { code, stdout, stderr } = await runMain(['report', '--run', folder]);
    expect(code).toBe(1);
    expect(stdout).toBe('');
    expect(stderr).toMatch(
      new RegExp(`^unroll report: cannot build the report of ${folder}: EISDIR[^\\n]*\\n$`),
    );
  });
});
