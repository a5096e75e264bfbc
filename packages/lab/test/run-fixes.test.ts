/**
 * The gaps a hostile user found, each through the command that showed it: run names
 * that escape --out, reports rebuilt from broken metrics, a run killed between its last
 * checkpoint and its end, stale temporary files, a race for a folder name,
 * --stop-after-step behind the resume step, --resume with --anomaly, a deleted
 * checkpoint, a held-out loss of Infinity, and `--version` with extra arguments.
 */

import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { fileSystem, useFileSystem } from '../src/io-errors.ts';
import { runReport } from '../src/report.ts';
import { createRunFolder, MetricsLog, readMetrics } from '../src/run-folder.ts';
import { expectUsageError, makeRun, runMain, tempFolder } from './helpers.ts';

const scratch = tempFolder();
const tiny = { seqLen: 5, hidden: 4 };

describe('--name is one safe folder name', () => {
  it.each(['../../../escaped', 'a/b', '..', '.hidden', '-dash', 'a\\b', 'x'.repeat(101)])(
    'refuses %j (exit 2), making no folder',
    async (name) => {
      const out = join(scratch, 'names');
      await expectUsageError(
        ['train', '--name', name, '--steps', '1', '--out', out],
        `invalid value '${name}' for --name: expected one folder name of letters, digits, '.', '_' and '-'`,
      );
      expect(existsSync(join(scratch, 'escaped'))).toBe(false);
      expect(existsSync(out) ? readdirSync(out) : []).toEqual([]);
    },
  );

  it('takes letters, digits, dots, underscores and dashes', async () => {
    const out = join(scratch, 'good-name');
    const { code } = await runMain([
      'train',
      '--name',
      'My_run-2.b',
      '--seq-len',
      '5',
      '--hidden',
      '3',
      '--steps',
      '1',
      '--out',
      out,
    ]);
    expect(code).toBe(0);
    expect(readdirSync(out)[0]).toMatch(/-My_run-2\.b$/);
  });
});

describe('unroll report refuses what would make a worse report', () => {
  const prepare = async (name: string) => {
    const { folder } = await makeRun(join(scratch, name), { ...tiny, steps: 6, evalEvery: 2 });
    return { folder, report: () => readFileSync(join(folder, 'report.html'), 'utf8') };
  };

  it('missing metrics.jsonl: exit 1 with the reason, report.html untouched', async () => {
    const { folder, report } = await prepare('no-metrics');
    const before = report();
    rmSync(join(folder, 'metrics.jsonl'));
    const { code, stderr } = await runMain(['report', '--run', folder]);
    expect(code).toBe(1);
    expect(stderr).toContain('metrics.jsonl is missing: nothing to build a report from');
    expect(report()).toBe(before);
  });

  it('a torn last line: skipped, and said so', async () => {
    const { folder } = await prepare('torn');
    writeFileSync(
      join(folder, 'metrics.jsonl'),
      `${readFileSync(join(folder, 'metrics.jsonl'), 'utf8')}{"step":7,"lo`,
    );
    const { code, stderr } = await runMain(['report', '--run', folder, '--force']);
    expect(code).toBe(0);
    expect(stderr).toContain(
      'note: skipped the last line of metrics.jsonl: cut short, as a crash leaves it',
    );
  });

  it('fewer steps than the report on disk: refused unless --force', async () => {
    const { folder, report } = await prepare('fewer');
    const before = report();
    const lines = readFileSync(join(folder, 'metrics.jsonl'), 'utf8').split('\n');
    writeFileSync(join(folder, 'metrics.jsonl'), `${lines.slice(0, 3).join('\n')}\n`);
    const refused = await runMain(['report', '--run', folder]);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toContain(
      'metrics.jsonl reaches step 3 but the report on disk shows 6 steps; report.html left as it is (add --force to replace it)',
    );
    expect(report()).toBe(before);
    expect((await runMain(['report', '--run', folder, '--force'])).code).toBe(0);
    expect(report()).not.toBe(before);
  });
});

describe('a run killed after its last checkpoint, before its end', () => {
  it('is finished by --resume: final diagnostics, summary and report', async () => {
    const { folder } = await makeRun(join(scratch, 'unfinished'), {
      ...tiny,
      steps: 4,
      checkpointEvery: 2,
    });
    const diagnostics = JSON.parse(readFileSync(join(folder, 'diagnostics.json'), 'utf8'));
    writeFileSync(
      join(folder, 'diagnostics.json'),
      JSON.stringify({ ...diagnostics, final: null }),
    );
    rmSync(join(folder, 'summary.json'));
    rmSync(join(folder, 'report.html'));
    const { code, stderr } = await runMain(['train', '--resume', folder]);
    expect(code).toBe(0);
    expect(stderr).toContain('training is complete; writing the end of the run');
    const summary = JSON.parse(readFileSync(join(folder, 'summary.json'), 'utf8'));
    expect([summary.status, summary.step]).toEqual(['finished', 4]);
    expect(existsSync(join(folder, 'report.html'))).toBe(true);
    expect(JSON.parse(readFileSync(join(folder, 'diagnostics.json'), 'utf8')).final.step).toBe(4);
    expect(readMetrics(join(folder, 'metrics.jsonl')).map((l) => l.step)).toEqual([1, 2, 3, 4]);
    // Now complete in every part: nothing more to do.
    const again = await runMain(['train', '--resume', folder]);
    expect(again.stdout).toContain('is complete (step 4 of 4); nothing to do');
  });
});

describe('temporary files left by a killed write', () => {
  it('are removed at resume: only ours, only of ended processes', async () => {
    const { folder } = await makeRun(
      join(scratch, 'stale-tmp'),
      { ...tiny, steps: 6, checkpointEvery: 2 },
      { stopAfterStep: 2 },
    );
    const dead = spawnSync(process.execPath, ['-e', '']).pid!;
    const stale = [`.checkpoint.safetensors.${dead}.0.tmp`, `.metrics.jsonl.${dead}.3.tmp`];
    const kept = [
      `.notes.${dead}.0.tmp`,
      `.checkpoint.safetensors.${process.pid}.9.tmp`,
      'mine.tmp',
    ];
    for (const f of [...stale, ...kept]) writeFileSync(join(folder, f), 'x');
    const { code, stderr } = await runMain(['train', '--resume', folder]);
    expect(code).toBe(0);
    expect(stderr).toContain('removed 2 temporary file(s) left by an interrupted write');
    for (const f of stale) expect(existsSync(join(folder, f))).toBe(false);
    for (const f of kept) expect(existsSync(join(folder, f))).toBe(true);
  });
});

describe('two runs of one name in the same second', () => {
  it('get two folders, even when the other one is made between a check and mkdir', () => {
    const parent = join(scratch, 'race');
    const date = new Date(2026, 0, 2, 3, 4, 5);
    const real = fileSystem();
    let first = true;
    // Another process makes the folder just before this one does.
    const undo = useFileSystem({
      mkdirSync: (path) => {
        if (first && path.endsWith('-same')) {
          first = false;
          real.mkdirSync(path);
        }
        real.mkdirSync(path);
      },
    });
    try {
      expect(createRunFolder(parent, 'same', date)).toBe(
        join(parent, '2026-01-02_03-04-05-same-2'),
      );
    } finally {
      undo();
    }
  });
});

describe('resume flags', () => {
  it('--stop-after-step at or before the resume step is refused', async () => {
    const { folder } = await makeRun(
      join(scratch, 'stop-before'),
      { ...tiny, steps: 8, checkpointEvery: 2 },
      { stopAfterStep: 4 },
    );
    for (const n of ['4', '2']) {
      await expectUsageError(
        ['train', '--resume', folder, '--stop-after-step', n],
        `invalid value '${n}' for --stop-after-step: the run resumes from step 4; expected an integer > 4`,
      );
    }
  });

  it('--anomaly with --resume reruns from the checkpoint in anomaly mode, the same numbers', async () => {
    const { folder } = await makeRun(
      join(scratch, 'anomaly'),
      { ...tiny, steps: 6, checkpointEvery: 2, evalEvery: 3 },
      { stopAfterStep: 2 },
    );
    const { folder: whole } = await makeRun(join(scratch, 'anomaly-whole'), {
      ...tiny,
      steps: 6,
      checkpointEvery: 2,
      evalEvery: 3,
    });
    const { code, stderr } = await runMain(['train', '--resume', folder, '--anomaly']);
    expect(code).toBe(0);
    expect(stderr).toContain('resuming lstm-adding-T5 from step 2');
    const resumed = readMetrics(join(folder, 'metrics.jsonl'));
    const reference = readMetrics(join(whole, 'metrics.jsonl'));
    expect(resumed.map((l) => l.step)).toEqual(reference.map((l) => l.step));
    for (const [i, l] of resumed.entries()) expect(l.loss).toBeCloseTo(reference[i]!.loss, 10);
  });

  it('a finished run whose checkpoint was deleted is refused, and retrained from 0 with --restart', async () => {
    const { folder } = await makeRun(join(scratch, 'deleted'), {
      ...tiny,
      steps: 5,
      checkpointEvery: 100,
    });
    const reference = readFileSync(join(folder, 'metrics.jsonl'), 'utf8');
    rmSync(join(folder, 'checkpoint.safetensors'));
    const refused = await runMain(['train', '--resume', folder]);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toContain(
      'checkpoint.safetensors is missing, but metrics.jsonl reaches step 5 and the first checkpoint is written at step 5; to train again from step 0, add --restart',
    );
    const restarted = await runMain(['train', '--resume', folder, '--restart']);
    expect(restarted.code).toBe(0);
    expect(readFileSync(join(folder, 'metrics.jsonl'), 'utf8')).toBe(reference);
  });
});

describe('--restart', () => {
  it('forgets the old checkpoint and summary first: a restart cut short begins again cleanly', async () => {
    const { folder } = await makeRun(join(scratch, 'restart-cut'), {
      ...tiny,
      steps: 5,
      checkpointEvery: 2,
    });
    const reference = readFileSync(join(folder, 'metrics.jsonl'), 'utf8');
    const real = fileSystem();
    // The restarted run fails on its first metrics line (a full disk).
    const undo = useFileSystem({
      writeSync: (fd, bytes, offset, length) => {
        if (new TextDecoder().decode(bytes).startsWith('{"step":1,')) {
          throw Object.assign(new Error('ENOSPC: no space left'), { code: 'ENOSPC' });
        }
        return real.writeSync(fd, bytes, offset, length);
      },
    });
    let failed: Awaited<ReturnType<typeof runMain>>;
    try {
      failed = await runMain(['train', '--resume', folder, '--restart']);
    } finally {
      undo();
    }
    expect(failed.code).toBe(1);
    expect(existsSync(join(folder, 'checkpoint.safetensors'))).toBe(false);
    expect(existsSync(join(folder, 'summary.json'))).toBe(false);
    const resumed = await runMain(['train', '--resume', folder]);
    expect(resumed.code).toBe(0);
    expect(resumed.stderr).toContain('from step 0');
    expect(readFileSync(join(folder, 'metrics.jsonl'), 'utf8')).toBe(reference);
  });
});

describe('a held-out loss of Infinity', () => {
  it('is written so that it reads back as Infinity, and the report says so', async () => {
    const { folder } = await makeRun(join(scratch, 'infinite'), {
      ...tiny,
      steps: 2,
      evalEvery: 2,
    });
    const path = join(folder, 'metrics.jsonl');
    rmSync(path);
    const log = new MetricsLog(path);
    log.append({
      step: 1,
      loss: 0.5,
      gradNorm: 1,
      lr: 0.01,
      eval: { loss: Number.POSITIVE_INFINITY, solved: false, extra: {} },
    });
    log.append({ step: 2, loss: Number.NaN, gradNorm: Number.NEGATIVE_INFINITY, lr: 0.01 });
    log.close();
    expect(readFileSync(path, 'utf8')).not.toContain('null');
    const [first, second] = readMetrics(path);
    expect(first!.eval!.loss).toBe(Number.POSITIVE_INFINITY);
    expect(second!.loss).toBeNaN();
    expect(second!.gradNorm).toBe(Number.NEGATIVE_INFINITY);
    // The result table: steps, then the held-out loss.
    expect(runReport(folder)).toMatch(/<td[^>]*>2<\/td>\s*<td[^>]*>Infinity<\/td>/);
  });
});

describe('--version', () => {
  it('takes no arguments', async () => {
    const { code, stdout, stderr } = await runMain(['--version', 'extra']);
    expect([code, stdout]).toEqual([2, '']);
    expect(stderr).toBe(
      "unroll: --version takes no arguments, got 'extra'\nusage: unroll --version\n",
    );
    expect((await runMain(['-V'])).stdout).toMatch(/^unroll \d+\.\d+\.\d+\n$/);
  });
});
