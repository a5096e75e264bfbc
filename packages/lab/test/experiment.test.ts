/**
 * experiment.ts: the nine runs of the vanishing-gradient experiment — alike in all but
 * cell and length, handed out costliest first — their folders, and training them one
 * after another in this thread, with a stop request honoured between runs.
 */

import { availableParallelism } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { configDifferences, readCheckpoint } from '../src/checkpoint.ts';
import {
  defaultWorkers,
  EXPERIMENT_STEPS,
  experimentConfigs,
  notStarted,
  prepareRunFolders,
  type RunRecord,
  runInProcess,
} from '../src/experiment.ts';
import { readJson } from '../src/run-folder.ts';
import { tempFolder } from './helpers.ts';

const scratch = tempFolder();

describe('experimentConfigs', () => {
  const configs = experimentConfigs();

  it('is {tanh RNN, LSTM, GRU} × T ∈ {10, 50, 100}, longest first, the LSTM first at each length', () => {
    expect(configs.map((c) => c.name)).toEqual([
      'lstm-T100',
      'rnn-T100',
      'gru-T100',
      'lstm-T50',
      'rnn-T50',
      'gru-T50',
      'lstm-T10',
      'rnn-T10',
      'gru-T10',
    ]);
  });

  it('makes the runs alike in everything but the cell and the length', () => {
    for (const c of configs) {
      expect(configDifferences(configs[0]!, c, ['name', 'cell', 'seqLen'])).toEqual([]);
    }
    expect(configs[0]).toMatchObject({
      task: 'adding',
      hidden: 16,
      batch: 32,
      optimizer: 'adam',
      lr: 0.01,
      clip: 1,
      seed: 0,
      steps: EXPERIMENT_STEPS,
      untilSolved: true,
    });
  });

  it('takes the seed and the step budget', () => {
    expect(experimentConfigs(7, 20).every((c) => c.seed === 7 && c.steps === 20)).toBe(true);
  });
});

describe('defaultWorkers', () => {
  it('is one per core, at most one per run, at least one', () => {
    expect(defaultWorkers(9)).toBe(Math.min(9, availableParallelism()));
    expect(defaultWorkers(1)).toBe(1);
  });
});

describe('runInProcess', () => {
  const tiny = experimentConfigs(0, 3).filter((c) => c.seqLen === 10);

  it("trains each run in its own folder, reporting each one's progress and outcome", async () => {
    const folder = join(scratch, 'all');
    const folders = prepareRunFolders(folder, tiny);
    expect(folders).toEqual(tiny.map((c) => join(folder, c.name)));
    for (const [i, f] of folders.entries())
      expect(readJson(join(f, 'config.json'))).toEqual(tiny[i]);
    const done: RunRecord[] = [];
    const progress: string[] = [];
    await runInProcess(
      tiny,
      folders,
      { progress: (name, step) => progress.push(`${name} ${step}`), done: (r) => done.push(r) },
      () => null,
    );
    expect(done.map((r) => [r.folder, r.outcome.status, r.outcome.step])).toEqual(
      tiny.map((c) => [c.name, 'finished', 3]),
    );
    expect(progress).toEqual(tiny.flatMap((c) => [1, 2, 3].map((s) => `${c.name} ${s}`)));
    for (const f of folders)
      expect(readCheckpoint(join(f, 'checkpoint.safetensors')).state.step).toBe(3);
  });

  it('after a stop request, stops the run in progress and starts no other', async () => {
    const folders = prepareRunFolders(join(scratch, 'stopped'), tiny);
    const done: RunRecord[] = [];
    let steps = 0;
    await runInProcess(tiny, folders, { progress: () => steps++, done: (r) => done.push(r) }, () =>
      steps >= 2 ? 'SIGINT' : null,
    );
    expect(done.map((r) => r.outcome)).toEqual([
      expect.objectContaining({
        status: 'stopped',
        step: 2,
        message: 'stopped by SIGINT after step 2',
      }),
      notStarted(),
      notStarted(),
    ]);
  });
});
