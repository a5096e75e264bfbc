/**
 * experiment-worker.ts: the experiment's runs on worker threads — every run trained,
 * each in its own folder, whatever thread it lands on; and a stop request honoured.
 */

import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { readCheckpoint } from '../src/checkpoint.ts';
import {
  experimentConfigs,
  notStarted,
  prepareRunFolders,
  type RunRecord,
} from '../src/experiment.ts';
import { runOnWorkers } from '../src/experiment-worker.ts';
import { readMetrics } from '../src/run-folder.ts';
import { tempFolder } from './helpers.ts';

const scratch = tempFolder();
const tiny = experimentConfigs(0, 4).filter((c) => c.seqLen === 10);

describe('runOnWorkers', () => {
  it('trains every run on two threads and reports each when done', async () => {
    const folders = prepareRunFolders(join(scratch, 'two'), tiny);
    const done: RunRecord[] = [];
    const last = new Map<string, number>();
    await runOnWorkers(
      tiny,
      folders,
      2,
      { progress: (name, step) => last.set(name, step), done: (r) => done.push(r) },
      () => null,
    );
    expect(done.map((r) => r.config.name).sort()).toEqual(tiny.map((c) => c.name).sort());
    for (const r of done) expect(r.outcome).toMatchObject({ status: 'finished', step: 4 });
    // The last step of each run is always reported, however often progress is throttled.
    expect(Object.fromEntries(last)).toEqual(Object.fromEntries(tiny.map((c) => [c.name, 4])));
    for (const f of folders) {
      expect(readCheckpoint(join(f, 'checkpoint.safetensors')).state.step).toBe(4);
      expect(readMetrics(join(f, 'metrics.jsonl')).map((l) => l.step)).toEqual([1, 2, 3, 4]);
    }
  });

  it('starts no run once a stop has been asked for', async () => {
    const folders = prepareRunFolders(join(scratch, 'stopped'), tiny);
    const done: RunRecord[] = [];
    await runOnWorkers(
      tiny,
      folders,
      2,
      { progress: () => {}, done: (r) => done.push(r) },
      () => 'SIGINT',
    );
    expect(done.map((r) => [r.config.name, r.outcome])).toEqual(
      tiny.map((c) => [c.name, notStarted()]),
    );
  });
});
