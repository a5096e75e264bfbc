/**
 * cmd-experiment.ts: `unroll` with no command, through the real command, on a budget far
 * too small to learn anything (so the findings must say the predictions failed): worker
 * threads, one run folder per run, the combined files, the report, and a clean stop on
 * Ctrl-C.
 */

import { existsSync, mkdirSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { readCheckpoint } from '../src/checkpoint.ts';
import { onlyRun, startUnroll, tempFolder, unroll, waitFor } from './helpers.ts';

const scratch = tempFolder();
const names = [
  'rnn-T10',
  'lstm-T10',
  'gru-T10',
  'rnn-T50',
  'lstm-T50',
  'gru-T50',
  'rnn-T100',
  'lstm-T100',
  'gru-T100',
];

describe('unroll experiment --steps 10', () => {
  const result = unroll([
    'experiment',
    '--steps',
    '10',
    '--workers',
    '2',
    '--out',
    join(scratch, 'tiny'),
  ]);
  const folder = onlyRun(join(scratch, 'tiny'));

  it('prints the table, the findings as they are, and the report path', () => {
    expect(result.code).toBe(0);
    const lines = result.stdout.split('\n');
    expect(lines[1]).toMatch(/^model +T +final MSE +baseline +solved +steps to solve +time \(s\)$/);
    expect(lines.slice(3, 12).map((l) => l.split(/ {2,}/).slice(0, 2).join(' '))).toEqual([
      'tanh RNN 10',
      'LSTM 10',
      'GRU 10',
      'tanh RNN 50',
      'LSTM 50',
      'GRU 50',
      'tanh RNN 100',
      'LSTM 100',
      'GRU 100',
    ]);
    expect(result.stdout).toContain(
      'Not as predicted. These expectations did not hold (at most 10 steps per run): the tanh RNN solves T = 10;',
    );
    expect(result.stdout).toContain('The LSTM solved no length: T = 10 (held-out MSE');
    expect(result.stdout).toContain(`report: ${join(folder, 'report.html')}\n`);
    expect(result.stderr).toContain('9 runs on 2 worker threads');
  });

  it('leaves one complete run folder per run', () => {
    expect(readdirSync(folder).sort()).toEqual(
      [...names, 'config.json', 'experiment.json', 'metrics.jsonl', 'report.html'].sort(),
    );
    for (const name of names) {
      expect(readCheckpoint(join(folder, name, 'checkpoint.safetensors')).state.step).toBe(10);
      expect(existsSync(join(folder, name, 'report.html'))).toBe(true);
    }
  });

  it('tags every line of the combined metrics with its run', () => {
    const lines = readFileSync(join(folder, 'metrics.jsonl'), 'utf8')
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l));
    expect(lines).toHaveLength(90);
    expect(new Set(lines.map((l) => l.run))).toEqual(new Set(names));
  });

  it('writes a report with every chart, which `unroll report` rebuilds identically', () => {
    const html = readFileSync(join(folder, 'report.html'), 'utf8');
    expect(html.match(/<svg /g)).toHaveLength(9); // 3 loss charts, 3 × 2 gradient-flow charts
    expect(html).toContain('baseline 0.167');
    expect(html).toContain('T = 100, at initialisation');
    expect(html).toContain('T = 100, after training');
    expect(html).not.toMatch(/<script|src="http/);
    const again = unroll(['report', '--run', folder]);
    expect(again.code).toBe(0);
    expect(readFileSync(join(folder, 'report.html'), 'utf8')).toBe(html);
  });
});

describe('Ctrl-C during the experiment', () => {
  it('stops every run after its step, with a checkpoint, and says how to go on', async () => {
    const out = join(scratch, 'stopped');
    const run = startUnroll(['--workers', '2', '--out', out]);
    await waitFor(
      () =>
        existsSync(out) && readdirSync(out).length === 1 && /\n\S+ +\d+\/3000 /.test(run.stderr()),
    );
    // While it runs, its folder and every run folder are locked by it.
    const folder = onlyRun(out);
    const holder = `in use by another unroll process (pid ${run.child.pid}, unroll experiment,`;
    const resume = await startUnroll([
      'train',
      '--resume',
      join(folder, 'gru-T10'),
      '--stop-after-step',
      '1',
    ]).done;
    expect(resume.code).toBe(1);
    expect(resume.stderr).toContain(`unroll train: ${join(folder, 'gru-T10')} is ${holder}`);
    const report = await startUnroll(['report', '--run', folder]).done;
    expect(report.code).toBe(1);
    expect(report.stderr).toContain(`unroll report: ${folder} is ${holder}`);
    run.child.kill('SIGINT');
    const { code, stdout, stderr } = await run.done;
    // ... and released when it ends.
    for (const f of [folder, ...names.map((n) => join(folder, n))]) {
      expect(existsSync(join(f, '.lock'))).toBe(false);
    }
    expect(code).toBe(130);
    expect(stderr).toContain('SIGINT: stopping after the current step');
    expect(stdout).toContain(
      `Stopped early. Continue a run with unroll train --resume ${join(folder, '<run>')}`,
    );
    const stopped = names.filter((n) => existsSync(join(folder, n, 'checkpoint.safetensors')));
    expect(stopped.length).toBeGreaterThan(0);
    for (const n of stopped) {
      const { state } = readCheckpoint(join(folder, n, 'checkpoint.safetensors'));
      expect(state.step).toBeGreaterThan(0);
    }
  });
});

describe('a failed write inside a worker thread', () => {
  it('ends the experiment with one line naming the file, exit 1', async () => {
    const out = join(scratch, 'broken');
    const run = startUnroll(['--steps', '10', '--workers', '2', '--out', out]);
    // gru-T10 is the last run handed to a thread; before it starts, its metrics file
    // becomes a folder, so that run's first write fails (EISDIR) on its worker.
    const last = () => join(onlyRun(out), 'gru-T10');
    await waitFor(() => existsSync(out) && existsSync(join(last(), 'config.json')));
    mkdirSync(join(last(), 'metrics.jsonl'));
    const { code, stderr } = await run.done;
    expect(code).toBe(1);
    expect(stderr).toMatch(
      new RegExp(
        `\\nunroll experiment: cannot \\w+ ${join(last(), 'metrics.jsonl')}: it is a folder \\(EISDIR\\); check the path\\n$`,
      ),
    );
    expect(stderr).not.toMatch(/\n {4}at /); // no stack trace
  });
});
