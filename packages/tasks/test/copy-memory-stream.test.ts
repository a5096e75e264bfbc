import { fromData, Rng } from '@unroll/tensor';
import { describe, expect, it } from 'vitest';
import { COPY_SOLVED_ACCURACY, CopyMemory } from '../src/index.ts';

describe('CopyMemory stream and criterion', () => {
  it('draws a batch of B as B batches of one in turn: the data stream does not depend on B', () => {
    const task = new CopyMemory({ delay: 5, symbols: 3 });
    const whole = task.batch(3, new Rng(6));
    const rng = new Rng(6);
    const rows = [0, 1, 2].map(() => Array.from(task.batch(1, rng).inputIds.data));
    expect(Array.from(whole.inputIds.data)).toEqual(rows.flat());
  });

  it('calls exactly 99% of the copied symbols right solved, and one fewer not', () => {
    // 10 sequences × 10 symbols: 100 to copy. 99 / 100 is exactly 0.99 in floating point.
    const task = new CopyMemory({ delay: 3 });
    const batch = task.batch(10, new Rng(2));
    const L = task.sequenceLength;
    const logits = new Float64Array(10 * L * 10);
    for (let i = 0; i < 10 * L; i++) logits[i * 10 + batch.targets.data[i]!] = 5;
    const wrong = (b: number, k: number) => {
      const i = b * L + L - 10 + k;
      const y = batch.targets.data[i]!;
      logits[i * 10 + y] = 0;
      logits[i * 10 + (y === 8 ? 1 : y + 1)] = 5;
    };
    wrong(0, 0);
    const one = task.evaluate(fromData(logits, [10, L, 10]), batch);
    expect(one.recallAccuracy).toBe(COPY_SOLVED_ACCURACY);
    expect(one.solved).toBe(true);
    wrong(4, 7);
    const two = task.evaluate(fromData(logits, [10, L, 10]), batch);
    expect(two.recallAccuracy).toBe(0.98);
    expect(two.solved).toBe(false);
  });

  it('refuses symbols and batchSize below 1, naming them', () => {
    expect(() => new CopyMemory({ delay: 3, symbols: 0 })).toThrow(
      'CopyMemory: symbols must be an integer >= 1, got 0',
    );
    expect(() => new CopyMemory({ delay: 3 }).batch(0, new Rng(1))).toThrow(
      'CopyMemory.batch: batchSize must be an integer >= 1, got 0',
    );
  });
});
