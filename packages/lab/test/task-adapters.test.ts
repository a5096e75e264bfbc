/**
 * task-adapters.ts: the four tasks as the trainer sees them — batch shapes and readouts,
 * a data position that can be saved and sought back to, the loss of a window of steps,
 * and one generator per purpose, so that no purpose's draws move another's.
 */

import { fromData } from '@unroll/tensor';
import { describe, expect, it } from 'vitest';
import { defaultConfig, type TaskName, type TrainConfig } from '../src/config.ts';
import { makeTask, runGenerators, taskLoss } from '../src/task-adapters.ts';

function task(name: TaskName, c: Partial<TrainConfig> = {}) {
  const config = { ...defaultConfig(name), batch: 3, evalBatch: 2, ...c };
  const g = runGenerators(config.seed);
  return makeTask(config, g.data, g.eval);
}

describe('makeTask', () => {
  it.each([
    ['adding', 12, 12, 2, 1, 'last'],
    ['copy', 5, 5 + 20, 10, 10, 'every'],
    ['order', 12, 12, 8, 4, 'last'],
    ['charlm', 12, 12, undefined, undefined, 'every'],
  ] as const)(
    '%s at --seq-len %i: batches of %i steps, %s inputs, %s outputs, readout at %s',
    (name, seqLen, steps, inputs, outputs, readout) => {
      const t = task(name, { seqLen });
      const batch = t.next();
      expect([batch.batchSize, batch.steps]).toEqual([3, steps]);
      expect(batch.xs).toHaveLength(3 * steps * t.inputSize);
      expect(t.readout).toBe(readout);
      if (inputs !== undefined) expect([t.inputSize, t.outputSize]).toEqual([inputs, outputs]);
      else expect(t.inputSize).toBe(t.vocabulary!.size); // one-hot characters in, logits out
      expect(t.evalBatch.batchSize).toBe(2);
    },
  );

  it('has the same held-out batch for every run of a seed, and another for another seed', () => {
    expect(task('adding').evalBatch.xs).toEqual(task('adding').evalBatch.xs);
    expect(task('adding', { seed: 1 }).evalBatch.xs).not.toEqual(task('adding').evalBatch.xs);
  });
});

describe('position and seek', () => {
  it.each(['adding', 'charlm'] as const)(
    '%s: seeking back to a position gives the same next batch',
    (name) => {
      const t = task(name);
      t.next();
      const position = t.position();
      const expected = t.next();
      t.next();
      t.seek(JSON.parse(JSON.stringify(position))); // as it comes back from a checkpoint
      expect(t.next()).toEqual(expected);
    },
  );

  it("refuses the other kind of task's position", () => {
    expect(() => task('adding').seek(task('charlm').position())).toThrow(
      'this task resumes from a generator state',
    );
    expect(() => task('charlm').seek(task('adding').position())).toThrow(
      'the char-LM resumes from a text position',
    );
  });
});

describe('taskLoss', () => {
  it("has no loss for a 'last' task's window that ends before the last step", () => {
    const t = task('adding', { seqLen: 6 });
    const batch = t.next();
    const predictions = fromData(new Float64Array(3), [3, 1]);
    expect(taskLoss(t, predictions, batch, 0, 4)).toBe(null);
    // …and the mean squared error for the one that ends there.
    const loss = taskLoss(t, predictions, batch, 2, 6)!.item();
    const targets = batch.targets.data;
    expect(loss).toBeAllclose((targets[0]! ** 2 + targets[1]! ** 2 + targets[2]! ** 2) / 3, {
      atol: 0,
      rtol: 1e-14,
    });
  });

  it("of an 'every' task's window, is the mean cross-entropy of those steps' targets", () => {
    const t = task('copy', { seqLen: 2 });
    const batch = t.next();
    const [from, to, C] = [5, 9, 10];
    const n = to - from;
    const logits = Float64Array.from({ length: 3 * n * C }, (_, i) => Math.sin(i));
    let total = 0;
    for (let b = 0; b < 3; b++) {
      for (let s = 0; s < n; s++) {
        const z = logits.subarray((b * n + s) * C, (b * n + s + 1) * C);
        const target = batch.targets.data[b * batch.steps + from + s]!;
        total += Math.log(z.reduce((sum, v) => sum + Math.exp(v), 0)) - z[target]!;
      }
    }
    const loss = taskLoss(t, fromData(logits, [3, n, C]), batch, from, to)!.item();
    expect(loss).toBeAllclose(total / (3 * n), { atol: 0, rtol: 1e-13 });
  });
});

describe('evaluate', () => {
  it('scores the held-out batch only', () => {
    const t = task('adding');
    const batch = t.next();
    expect(() => t.evaluate(fromData(new Float64Array(3), [3, 1]), batch)).toThrow(
      'evaluate: only the held-out batch is scored',
    );
  });
});

describe('runGenerators', () => {
  it('gives each purpose its own stream: draws from one leave the others as they were', () => {
    const a = runGenerators(4);
    const b = runGenerators(4);
    for (let i = 0; i < 100; i++) a.data.uniform();
    expect([a.model.uniform(), a.eval.uniform(), a.probe.uniform()]).toEqual([
      b.model.uniform(),
      b.eval.uniform(),
      b.probe.uniform(),
    ]);
    expect(new Set([b.model.uniform(), b.data.uniform(), b.eval.uniform()]).size).toBe(3);
  });
});
