/**
 * run.ts: a run in its folder, from start to end — a checkpoint every `checkpointEvery`
 * steps and at the last, never ahead of metrics.jsonl; the gradient flow at
 * initialisation and at the end; and a clean stop when asked, when solved, or when the
 * loss stops being finite (then with the last good state).
 */

import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { readCheckpoint } from '../src/checkpoint.ts';
import { executeRun } from '../src/run.ts';
import { readMetrics } from '../src/run-folder.ts';
import { makeRun, prepareRun, tempFolder } from './helpers.ts';

const scratch = tempFolder();
const short = { cell: 'lstm', seqLen: 8, hidden: 6, steps: 12, evalEvery: 4 } as const;
const checkpointStep = (folder: string) =>
  existsSync(join(folder, 'checkpoint.safetensors'))
    ? readCheckpoint(join(folder, 'checkpoint.safetensors')).state.step
    : null;
const json = (path: string) => JSON.parse(readFileSync(path, 'utf8'));

describe('executeRun', () => {
  it('checkpoints every checkpointEvery steps and at the last, never ahead of the metrics', async () => {
    const { folder, trainer } = prepareRun(join(scratch, 'cadence'), {
      ...short,
      checkpointEvery: 5,
    });
    const seen: { step: number; checkpoint: number | null; lines: number }[] = [];
    const outcome = await executeRun(trainer, folder, {
      // Called after step k's line is written, before that step's checkpoint (if any).
      progress: (step) =>
        seen.push({
          step,
          checkpoint: checkpointStep(folder),
          lines: readMetrics(join(folder, 'metrics.jsonl')).length,
        }),
    });
    expect(outcome).toMatchObject({ status: 'finished', step: 12, message: null });
    expect(seen.map((s) => s.checkpoint)).toEqual([
      null,
      null,
      null,
      null,
      null,
      5,
      5,
      5,
      5,
      5,
      10,
      10,
    ]);
    for (const s of seen) expect(s.lines).toBe(s.step);
    expect(checkpointStep(folder)).toBe(12);
  });

  it('writes the gradient flow at initialisation and at the end', async () => {
    const { folder } = await makeRun(join(scratch, 'flow'), short);
    const d = json(join(folder, 'diagnostics.json'));
    expect(d.init.step).toBe(0);
    expect(d.final.step).toBe(12);
    expect(d.init.norms[0]).toHaveLength(8);
    expect(['vanishing', 'healthy', 'exploding']).toContain(d.final.verdict.verdict);
  });

  it('stops after the step in which a stop was asked for, with a checkpoint of it', async () => {
    let asked = 0;
    const { folder, outcome } = await makeRun(join(scratch, 'stopped'), short, {
      stopRequested: () => (++asked >= 3 ? 'SIGINT' : null),
    });
    expect(outcome).toMatchObject({ status: 'stopped', step: 3 });
    expect(outcome.message).toBe('stopped by SIGINT after step 3');
    expect(checkpointStep(folder)).toBe(3);
    expect(readMetrics(join(folder, 'metrics.jsonl'))).toHaveLength(3);
    expect(json(join(folder, 'summary.json'))).toMatchObject({ status: 'stopped', step: 3 });
    expect(json(join(folder, 'diagnostics.json')).final).toBe(null);
  });

  it('with untilSolved, finishes at the first evaluation that meets the criterion', async () => {
    const { folder, trainer } = prepareRun(join(scratch, 'solved'), {
      ...short,
      untilSolved: true,
    });
    // The held-out batch counts as solved from step 8 on (the evaluation at step 4 is not).
    const evaluate = trainer.task.evaluate.bind(trainer.task);
    trainer.task.evaluate = (predictions, batch) => ({
      ...evaluate(predictions, batch),
      solved: trainer.step >= 8,
    });
    const outcome = await executeRun(trainer, folder);
    expect(outcome).toMatchObject({
      status: 'finished',
      step: 8,
      solvedAt: 8,
      message: 'solved at step 8',
    });
    expect(checkpointStep(folder)).toBe(8);
    expect(readMetrics(join(folder, 'metrics.jsonl'))).toHaveLength(8);
  });

  it('when the loss stops being finite: fails, keeps the last good state, names the step', async () => {
    const { folder, trainer } = prepareRun(join(scratch, 'nan'), {
      ...short,
      checkpointEvery: 100,
    });
    // From step 4 on, every batch holds a NaN.
    const next = trainer.task.next.bind(trainer.task);
    trainer.task.next = () => {
      const batch = next();
      if (trainer.step >= 3) batch.xs[0] = Number.NaN;
      return batch;
    };
    const outcome = await executeRun(trainer, folder);
    expect(outcome).toMatchObject({ status: 'failed', step: 3 });
    expect(outcome.message).toBe('step 4: the loss is NaN');
    expect(checkpointStep(folder)).toBe(3);
    const { state } = readCheckpoint(join(folder, 'checkpoint.safetensors'));
    expect(Object.values(state.parameters).every((p) => p.data.every(Number.isFinite))).toBe(true);
    expect(readMetrics(join(folder, 'metrics.jsonl'))).toHaveLength(3);
    expect(json(join(folder, 'summary.json'))).toMatchObject({ status: 'failed', step: 3 });
    expect(existsSync(join(folder, 'report.html'))).toBe(true);
  });
});
