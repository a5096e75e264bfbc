/**
 * lock.ts and every command that writes into a run folder: one writer at a time, a
 * second refused with a line naming the holder, a stale lock (its process gone) taken
 * over with a message — and two real `unroll train --resume` started together on one
 * folder leave it as one uninterrupted run would.
 */

import { spawn, spawnSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { FolderLockedError, isRunning, LOCK_FILE, lockRunFolder } from '../src/lock.ts';
import { makeRun, onlyRun, runMain, startUnroll, tempFolder, unroll } from './helpers.ts';

const scratch = tempFolder();

/** The pid of a process that has ended. */
function deadPid(): number {
  const pid = spawnSync(process.execPath, ['-e', '']).pid!;
  expect(isRunning(pid)).toBe(false);
  return pid;
}

/** A live process other than this one, for the tests to hold a lock with. */
const sleeper = spawn(process.execPath, ['-e', 'setTimeout(() => {}, 120000)'], {
  stdio: 'ignore',
});
afterAll(() => {
  sleeper.kill('SIGKILL');
});

const holdLock = (folder: string, pid: number, command = 'unroll train') =>
  writeFileSync(
    join(folder, LOCK_FILE),
    JSON.stringify({ pid, command, started: '2026-01-01T00:00:00.000Z' }),
  );

describe('lockRunFolder', () => {
  it('refuses a second lock while the first is held, naming its pid; takes it once released', async () => {
    const { folder } = await makeRun(join(scratch, 'unit'), { seqLen: 4, hidden: 3, steps: 2 });
    const first = lockRunFolder(folder, 'unroll train');
    expect(() => lockRunFolder(folder, 'unroll report')).toThrow(FolderLockedError);
    expect(() => lockRunFolder(folder, 'unroll report')).toThrow(
      `is in use by another unroll process (pid ${process.pid}, unroll train, since `,
    );
    first.release();
    expect(existsSync(join(folder, LOCK_FILE))).toBe(false);
    const second = lockRunFolder(folder, 'unroll report');
    second.release();
    // Nothing left behind: no lock, no temporary file.
    expect(readdirSync(folder).filter((f) => f.startsWith('.'))).toEqual([]);
  });

  it('takes over a stale lock (its process has ended), and says so', async () => {
    const { folder } = await makeRun(join(scratch, 'stale'), { seqLen: 4, hidden: 3, steps: 2 });
    const pid = deadPid();
    holdLock(folder, pid);
    const messages: string[] = [];
    const lock = lockRunFolder(folder, 'unroll train', (m) => messages.push(m));
    expect(messages).toEqual([
      `taking over a stale lock of pid ${pid} (unroll train), no longer running`,
    ]);
    expect(JSON.parse(readFileSync(join(folder, LOCK_FILE), 'utf8')).pid).toBe(process.pid);
    lock.release();
  });
});

describe('the commands that write into a run folder refuse while another process holds it', () => {
  it.each([
    [['train', '--resume'], 'train'],
    [['report', '--run'], 'report'],
    [['diagnose', '--batch', '2', '--run'], 'diagnose'],
  ])('%j', async (argv, command) => {
    const { folder } = await makeRun(join(scratch, `held-${command}`), {
      seqLen: 4,
      hidden: 3,
      steps: 4,
      checkpointEvery: 2,
    });
    holdLock(folder, sleeper.pid!);
    const before = readFileSync(join(folder, 'metrics.jsonl'), 'utf8');
    const { code, stderr } = await runMain([...argv, folder]);
    expect(code).toBe(1);
    expect(stderr.trimEnd().split('\n').at(-1)).toBe(
      `unroll ${command}: ${folder} is in use by another unroll process (pid ${sleeper.pid}, unroll train, since 2026-01-01T00:00:00.000Z); wait for it to end or stop it, then try again`,
    );
    expect(readFileSync(join(folder, 'metrics.jsonl'), 'utf8')).toBe(before);
    expect(JSON.parse(readFileSync(join(folder, LOCK_FILE), 'utf8')).pid).toBe(sleeper.pid);
  });

  it('a new run holds its folder while it trains', async () => {
    const out = join(scratch, 'live');
    const run = startUnroll([
      'train',
      '--seq-len',
      '10',
      '--hidden',
      '6',
      '--steps',
      '100000',
      '--out',
      out,
    ]);
    let folder = '';
    await new Promise<void>((resolve) => {
      const poll = setInterval(() => {
        if (existsSync(out) && readdirSync(out).length === 1) {
          folder = onlyRun(out);
          if (existsSync(join(folder, 'metrics.jsonl'))) {
            clearInterval(poll);
            resolve();
          }
        }
      }, 20);
    });
    const second = await runMain(['train', '--resume', folder]);
    run.child.kill('SIGKILL');
    await run.done;
    expect(second.code).toBe(1);
    expect(second.stderr).toContain(
      `is in use by another unroll process (pid ${run.child.pid}, unroll train,`,
    );
  });
});

describe('two `unroll train --resume` started together on one folder', () => {
  it('one trains, the other is refused; the folder ends as the uninterrupted run', async () => {
    const args = [
      'train',
      '--seq-len',
      '8',
      '--hidden',
      '5',
      '--steps',
      '60',
      '--checkpoint-every',
      '10',
    ];
    expect(unroll([...args, '--out', join(scratch, 'whole')]).code).toBe(0);
    const reference = readFileSync(join(onlyRun(join(scratch, 'whole')), 'metrics.jsonl'), 'utf8');
    const out = join(scratch, 'racing');
    expect(unroll([...args, '--out', out, '--stop-after-step', '20']).code).toBe(0);
    const folder = onlyRun(out);
    const [a, b] = [
      startUnroll(['train', '--resume', folder]),
      startUnroll(['train', '--resume', folder]),
    ];
    const results = [await a.done, await b.done];
    const refused = results.filter((r) => r.code === 1);
    // Either both were serialised by the lock (the second found the run complete) or one was refused.
    for (const r of refused) expect(r.stderr).toContain('is in use by another unroll process');
    expect(results.every((r) => r.code === 0 || r.code === 1)).toBe(true);
    expect(refused.length).toBeLessThanOrEqual(1);
    expect(readFileSync(join(folder, 'metrics.jsonl'), 'utf8')).toBe(reference);
    expect(existsSync(join(folder, LOCK_FILE))).toBe(false);
  });
});
