/**
 * Limits the flags accept: a char-LM window longer than its corpus and a step that
 * cannot fit in memory are refused before anything is allocated (memory-estimate.ts);
 * the held-out evaluation runs in chunks with the same result (chunked-eval.ts); its
 * size is a flag; the summary reports the peak memory.
 */

import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { predictInChunks } from '../src/chunked-eval.ts';
import { defaultConfig, TASKS, type TrainConfig } from '../src/config.ts';
import { predict } from '../src/engines.ts';
import { estimateMemory, limitsProblem } from '../src/memory-estimate.ts';
import { Trainer } from '../src/trainer.ts';
import { expectUsageError, onlyRun, runMain, tempFolder } from './helpers.ts';

const scratch = tempFolder();

describe('limits checked before training', () => {
  it('a char-LM window longer than the corpus: exit 2, naming the corpus and the longest T', async () => {
    await expectUsageError(
      ['train', '--task', 'charlm', '--seq-len', '100000'],
      '--seq-len 100000 is too long for --task charlm: the corpus holds 21706 validation characters and 195351 training characters (32 streams of 6104); expected an integer ≤ 6103',
    );
  });

  it('a step that needs more memory than the machine has: exit 2 with the figure and the limit', async () => {
    const { stderr } = await runMain(['train', '--seq-len', '100000', '--hidden', '1024']);
    expect(stderr).toMatch(
      /^unroll train: --seq-len 100000 with --hidden 1024, --layers 1 and --batch 32 needs about [\d.]+ GB \((one training step|the held-out evaluation|the gradient-flow probe)\), more than this machine's [\d.]+ GB; .* or add --skip-memory-check to try anyway\n/,
    );
    await expectUsageError(['train', '--seq-len', '100000', '--hidden', '1024'], 'needs about');
  });

  it('the estimate grows with every size, and --skip-memory-check skips only the memory check', () => {
    const base: TrainConfig = { ...defaultConfig('adding'), seqLen: 1000, hidden: 64 };
    const step = (c: Partial<TrainConfig>) => estimateMemory({ ...base, ...c }).step;
    for (const change of [{ seqLen: 2000 }, { hidden: 128 }, { batch: 64 }, { layers: 2 }]) {
      expect(step(change)).toBeGreaterThan(step({}));
    }
    expect(step({ tbptt: [10, 10] })).toBeLessThan(step({}));
    const probe = (c: Partial<TrainConfig>) => estimateMemory({ ...base, ...c }).probe;
    expect(probe({ hidden: 128 })).toBeGreaterThan(probe({}));
    const huge = { ...base, seqLen: 100000, hidden: 1024 };
    expect(limitsProblem(huge, false, 64 * 2 ** 30)).toContain('needs about');
    expect(limitsProblem(huge, true, 64 * 2 ** 30)).toBe(null);
    expect(limitsProblem(base, false, 64 * 2 ** 30)).toBe(null);
    expect(limitsProblem({ ...defaultConfig('charlm'), seqLen: 100000 }, true)).toContain(
      'too long',
    );
  });
});

describe('evaluation in chunks', () => {
  it('predicts exactly what one pass over the whole held-out batch predicts, for every task, in chunks of sequences and windows of steps', () => {
    fc.assert(
      fc.property(
        fc.constantFrom(...TASKS),
        fc.constantFrom('rnn', 'lstm', 'gru'),
        fc.integer({ min: 1, max: 9 }),
        fc.integer({ min: 1, max: 13 }),
        fc.integer({ min: 0, max: 1000 }),
        (task, cell, chunk, window, seed) => {
          const base = defaultConfig(task);
          const config = {
            ...base,
            cell,
            seed,
            hidden: 5,
            evalBatch: 11,
            seqLen: Math.max(base.seqLen > 20 ? 12 : base.seqLen, task === 'order' ? 10 : 1),
          } as TrainConfig;
          const trainer = new Trainer(config);
          const { model, task: adapter } = trainer;
          const whole = predict(model, adapter, adapter.evalBatch);
          const parts = predictInChunks(model, adapter, adapter.evalBatch, chunk);
          expect(parts.shape).toEqual(whole.shape);
          expect(Array.from(parts.data)).toEqual(Array.from(whole.data));
          // …and in windows of time, each from the state the last one ended in.
          const windows = predictInChunks(model, adapter, adapter.evalBatch, chunk, window);
          expect(windows.shape).toEqual(whole.shape);
          expect(Array.from(windows.data)).toEqual(Array.from(whole.data));
        },
      ),
      { numRuns: 16, seed: 14 },
    );
  });

  it('--eval-batch sets the held-out size; the summary reports the peak memory', async () => {
    const out = join(scratch, 'eval-batch');
    const argv = [
      'train',
      '--seq-len',
      '5',
      '--hidden',
      '3',
      '--steps',
      '2',
      '--eval-batch',
      '7',
      '--out',
      out,
    ];
    expect((await runMain(argv)).code).toBe(0);
    const folder = onlyRun(out);
    expect(JSON.parse(readFileSync(join(folder, 'config.json'), 'utf8')).evalBatch).toBe(7);
    const summary = JSON.parse(readFileSync(join(folder, 'summary.json'), 'utf8'));
    expect(summary.peakMemoryMB).toBeGreaterThan(10);
    expect(summary.peakMemoryMB).toBeLessThan(16 * 1024);
  });
});
