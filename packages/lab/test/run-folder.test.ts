/**
 * run-folder.ts: the files of a run folder — its name, metrics.jsonl (appended line by
 * line, a line cut short by a crash dropped, cut back to a checkpoint's step), JSON files,
 * and paths shown relative to the folder the command was typed in.
 */

import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import {
  createRunFolder,
  displayPath,
  type MetricsLine,
  MetricsLog,
  metricsUpTo,
  readJson,
  readMetrics,
  timestamp,
  userPath,
} from '../src/run-folder.ts';
import { tempFolder } from './helpers.ts';

const scratch = tempFolder();
const line = (step: number): MetricsLine => ({ step, loss: 1 / step, gradNorm: 2, lr: 0.01 });

describe('run folder names', () => {
  it('are <date-time>-<name>, local time, sortable', () => {
    expect(timestamp(new Date(2025, 0, 31, 9, 2, 5))).toBe('2025-01-31_09-02-05');
  });

  it('get -2, -3 when the name is taken, and their parent is made', () => {
    const parent = join(scratch, 'runs', 'nested');
    const date = new Date(2025, 0, 31, 9, 2, 5);
    const made = [1, 2, 3].map(() => createRunFolder(parent, 'gru-adding-T50', date));
    const base = join(parent, '2025-01-31_09-02-05-gru-adding-T50');
    expect(made).toEqual([base, `${base}-2`, `${base}-3`]);
    expect(readdirSync(parent)).toHaveLength(3);
  });
});

describe('metrics.jsonl', () => {
  it('is written a line per step by MetricsLog, and read back', () => {
    const path = join(mkdtempSync(join(tmpdir(), 'unroll-metrics-')), 'metrics.jsonl');
    const log = new MetricsLog(path);
    for (const step of [1, 2, 3]) log.append(line(step));
    log.sync();
    log.close();
    log.close(); // twice is harmless
    expect(readFileSync(path, 'utf8').split('\n')).toHaveLength(4);
    expect(readMetrics(path)).toEqual([line(1), line(2), line(3)]);
  });

  it('drops a last line cut short by a crash, and refuses a bad line before good ones', () => {
    const path = join(scratch, 'cut.jsonl');
    const good = `${JSON.stringify(line(1))}\n${JSON.stringify(line(2))}\n`;
    writeFileSync(path, `${good}{"step":3,"lo`);
    expect(readMetrics(path)).toEqual([line(1), line(2)]);
    writeFileSync(path, `{"step":1,"lo\n${good}`);
    expect(() => readMetrics(path)).toThrow(`${path}: line 1 is not JSON`);
    expect(readMetrics(join(scratch, 'missing.jsonl'))).toEqual([]);
  });

  it('is cut back to the lines of the steps up to a checkpoint, as text', () => {
    const lines = [1, 2, 3, 4].map(line);
    expect(metricsUpTo(lines, 2)).toBe(`${JSON.stringify(line(1))}\n${JSON.stringify(line(2))}\n`);
    expect(metricsUpTo(lines, 0)).toBe('');
  });
});

describe('readJson', () => {
  it('names the file that does not parse', () => {
    const path = join(scratch, 'bad.json');
    writeFileSync(path, '{"a": 1,');
    expect(() => readJson(path)).toThrow(new RegExp(`^${path} is not valid JSON \\(`));
  });
});

describe('paths the user typed and sees', () => {
  const saved = process.env.INIT_CWD;
  afterEach(() => {
    if (saved === undefined) delete process.env.INIT_CWD;
    else process.env.INIT_CWD = saved;
  });

  it("are relative to the folder the command was typed in (npm's INIT_CWD)", () => {
    process.env.INIT_CWD = '/home/me/project';
    expect(userPath('runs/a')).toBe('/home/me/project/runs/a');
    expect(userPath('/tmp/x')).toBe('/tmp/x');
    expect(displayPath('/home/me/project/runs/a')).toBe('runs/a');
    expect(displayPath('/tmp/x')).toBe('/tmp/x'); // outside it: in full
  });
});
