/**
 * io-errors.ts: a full disk, a read-only or unreadable folder, too many open files —
 * met by the real commands on exactly the write a test chooses (a failing layer under
 * the lab's one file-system place) — are one line naming the file and what to do, exit
 * 1, with the last good checkpoint left loadable. And when `mount` works here (root,
 * no sandbox), the same on a real 200 KB tmpfs.
 */

import { spawnSync } from 'node:child_process';
import { mkdirSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { readCheckpoint } from '../src/checkpoint.ts';
import { type FileSystem, fileSystem, useFileSystem } from '../src/io-errors.ts';
import { MetricsLog, readMetrics } from '../src/run-folder.ts';
import { makeRun, onlyRun, runMain, tempFolder, unroll } from './helpers.ts';

const scratch = tempFolder();
let undo: (() => void) | null = null;
afterEach(() => {
  undo?.();
  undo = null;
});

const errno = (code: string, syscall: string, path: string) =>
  Object.assign(new Error(`${code}: failed, ${syscall} '${path}'`), { code, syscall, path });

/**
 * Makes every write to a file whose name matches `target` fail with `code` once `after`
 * earlier such writes have gone through.
 */
function failWrites(code: string, target: RegExp, after = 0) {
  const real = fileSystem();
  const paths = new Map<number, string>();
  let seen = 0;
  const layer: Partial<FileSystem> = {
    openSync: ((path: string, flags: string) => {
      const fd = real.openSync(path, flags);
      paths.set(fd, path);
      return fd;
    }) as FileSystem['openSync'],
    writeSync: (fd, bytes, offset, length) => {
      const path = paths.get(fd) ?? '';
      if (target.test(path) && seen++ >= after) throw errno(code, 'write', path);
      return real.writeSync(fd, bytes, offset, length);
    },
  };
  undo = useFileSystem(layer);
}

const small = ['--seq-len', '5', '--hidden', '4', '--eval-every', '2'];

/** The error line: one line, starting with the command, with no stack trace. */
function expectOneLine(stderr: string, start: string) {
  const lines = stderr.trimEnd().split('\n');
  const last = lines.at(-1)!;
  expect(last.startsWith(start)).toBe(true);
  expect(stderr).not.toMatch(/\n\s+at /); // no stack frames
  return last;
}

describe('a full disk (ENOSPC), injected', () => {
  it('when writing config.json: one line naming the file, exit 1', async () => {
    const out = join(scratch, 'full-config');
    failWrites('ENOSPC', /config\.json/);
    const { code, stderr } = await runMain(['train', ...small, '--steps', '4', '--out', out]);
    expect(code).toBe(1);
    const line = expectOneLine(stderr, 'unroll train: cannot write ');
    expect(line).toMatch(/config\.json: no space left on the device \(ENOSPC\); free some space$/);
  });

  it('when appending metrics: no half line, the checkpoint of step 4 intact, how to resume', async () => {
    const out = join(scratch, 'full-metrics');
    failWrites('ENOSPC', /metrics\.jsonl$/, 5);
    const argv = ['train', ...small, '--steps', '10', '--checkpoint-every', '4', '--out', out];
    const { code, stderr } = await runMain(argv);
    expect(code).toBe(1);
    const folder = onlyRun(out);
    const line = expectOneLine(stderr, `unroll train: cannot append to ${folder}/metrics.jsonl: `);
    expect(line).toContain(
      `no space left on the device (ENOSPC); free some space, then continue with: unroll train --resume ${folder} (the last checkpoint is intact)`,
    );
    const text = readFileSync(join(folder, 'metrics.jsonl'), 'utf8');
    expect(text.endsWith('\n')).toBe(true);
    expect(readMetrics(join(folder, 'metrics.jsonl')).map((l) => l.step)).toEqual([1, 2, 3, 4, 5]);
    expect(readCheckpoint(join(folder, 'checkpoint.safetensors')).state.step).toBe(4);
    undo?.();
    undo = null;
    // The disk has room again: the run continues from its checkpoint.
    const resumed = await runMain(['train', '--resume', folder]);
    expect(resumed.code).toBe(0);
    expect(readMetrics(join(folder, 'metrics.jsonl')).map((l) => l.step)).toHaveLength(10);
  });

  it('when writing a checkpoint: the previous checkpoint stays, no temporary file is left', async () => {
    const out = join(scratch, 'full-checkpoint');
    failWrites('ENOSPC', /checkpoint\.safetensors/, 1);
    const argv = ['train', ...small, '--steps', '10', '--checkpoint-every', '3', '--out', out];
    const { code, stderr } = await runMain(argv);
    expect(code).toBe(1);
    const folder = onlyRun(out);
    expectOneLine(
      stderr,
      `unroll train: cannot write ${folder}/checkpoint.safetensors: no space left`,
    );
    expect(readCheckpoint(join(folder, 'checkpoint.safetensors')).state.step).toBe(3);
    expect(readdirSync(folder).filter((f) => f.endsWith('.tmp'))).toEqual([]);
  });
});

describe('other failures, injected', () => {
  it('a read-only run folder (EROFS) on resume: one line', async () => {
    const { folder } = await makeRun(
      join(scratch, 'readonly'),
      { seqLen: 5, hidden: 4, steps: 6, checkpointEvery: 2 },
      { stopAfterStep: 2 },
    );
    const real = fileSystem();
    undo = useFileSystem({
      openSync: ((path: string, flags: string) => {
        if (flags !== 'r') throw errno('EROFS', 'open', path);
        return real.openSync(path, flags);
      }) as FileSystem['openSync'],
    });
    const { code, stderr } = await runMain(['train', '--resume', folder]);
    expect(code).toBe(1);
    const line = expectOneLine(stderr, `unroll train: cannot lock ${folder}: `);
    expect(line).toContain('the file system is read-only (EROFS); use a writable folder');
  });

  it('a folder the user may not read says "permission denied", not "not a run folder"', async () => {
    const { folder } = await makeRun(join(scratch, 'unreadable'), {
      seqLen: 5,
      hidden: 4,
      steps: 2,
    });
    const real = fileSystem();
    undo = useFileSystem({
      readdirSync: (path) => {
        if (path === folder) throw errno('EACCES', 'scandir', path);
        return real.readdirSync(path);
      },
    });
    for (const argv of [
      ['train', '--resume', folder],
      ['sample', '--run', folder],
      ['diagnose', '--run', folder],
    ]) {
      const { code, stderr } = await runMain(argv);
      expect(code).toBe(1);
      expect(expectOneLine(stderr, `unroll ${argv[0]}: cannot read ${folder}: `)).toContain(
        'permission denied (EACCES); check the permissions of the folder',
      );
    }
  });

  it('too many open files (EMFILE) when opening metrics.jsonl: one line', async () => {
    const real = fileSystem();
    undo = useFileSystem({
      openSync: ((path: string, flags: string) => {
        if (path.endsWith('metrics.jsonl')) throw errno('EMFILE', 'open', path);
        return real.openSync(path, flags);
      }) as FileSystem['openSync'],
    });
    const { code, stderr } = await runMain([
      'train',
      ...small,
      '--steps',
      '2',
      '--out',
      join(scratch, 'emfile'),
    ]);
    expect(code).toBe(1);
    expect(expectOneLine(stderr, 'unroll train: cannot open ')).toContain(
      'metrics.jsonl: too many open files (EMFILE)',
    );
  });
});

describe('metrics appends', () => {
  it('continue a short write, so every line arrives whole', () => {
    const path = join(scratch, 'short-writes.jsonl');
    const real = fileSystem();
    undo = useFileSystem({
      writeSync: (fd, bytes, offset, length) =>
        real.writeSync(fd, bytes, offset, Math.min(length, 7)),
    });
    const log = new MetricsLog(path);
    for (let step = 1; step <= 3; step++)
      log.append({ step, loss: 0.5 / step, gradNorm: 1, lr: 0.01 });
    log.close();
    expect(readMetrics(path).map((l) => l.loss)).toEqual([0.5, 0.25, 0.5 / 3]);
  });

  it('cut a line that failed part-way back to the end of the previous one', () => {
    const path = join(scratch, 'torn-write.jsonl');
    const real = fileSystem();
    let calls = 0;
    undo = useFileSystem({
      writeSync: (fd, bytes, offset, length) => {
        if (++calls === 3) {
          real.writeSync(fd, bytes, offset, 10); // half of the second line reaches the disk
          throw errno('ENOSPC', 'write', path);
        }
        return real.writeSync(fd, bytes, offset, Math.min(length, 1000));
      },
    });
    const log = new MetricsLog(path);
    log.append({ step: 1, loss: 1, gradNorm: 1, lr: 0.1 });
    calls = 2;
    expect(() => log.append({ step: 2, loss: 1, gradNorm: 1, lr: 0.1 })).toThrow('(ENOSPC)');
    log.close();
    expect(readFileSync(path, 'utf8')).toBe('{"step":1,"loss":1,"gradNorm":1,"lr":0.1}\n');
  });
});

/** Whether a 200 KB tmpfs can be mounted here (root, mount allowed): decided once, at collection. */
function mountTmpfs(): string | null {
  if (process.platform !== 'linux' || process.getuid?.() !== 0) return null;
  const where = join(scratch, 'tmpfs');
  mkdirSync(where, { recursive: true });
  const mounted = spawnSync('mount', ['-t', 'tmpfs', '-o', 'size=200k', 'tmpfs', where]);
  if (mounted.status !== 0) return null;
  return where;
}
const tmpfs = mountTmpfs();

describe.runIf(tmpfs !== null)('a real full disk: a 200 KB tmpfs (mounted here, as root)', () => {
  afterEach(() => {
    spawnSync('umount', [tmpfs!]);
    rmSync(tmpfs!, { recursive: true, force: true });
  });

  it('fills up during training: one line, exit 1, no temporary file left', () => {
    const out = join(tmpfs!, 'runs');
    // Each checkpoint of a 64-wide LSTM is ~140 KB; two do not fit in 200 KB beside the rest.
    const result = unroll([
      'train',
      '--seq-len',
      '5',
      '--hidden',
      '64',
      '--steps',
      '40',
      '--checkpoint-every',
      '1',
      '--out',
      out,
    ]);
    expect(result.code).toBe(1);
    expectOneLine(result.stderr, 'unroll train: cannot ');
    expect(result.stderr).toContain('no space left on the device (ENOSPC); free some space');
    const folder = onlyRun(out);
    expect(readdirSync(folder).filter((f) => f.endsWith('.tmp'))).toEqual([]);
  });
});
