import { Rng } from '@unroll/tensor';
import { describe, expect, it } from 'vitest';
import { randomTextWindows, TextBatcher } from '../src/index.ts';

describe('TextBatcher edges', () => {
  it('keeps typed ids as given (no copy) and turns a plain array into Int32Array', () => {
    for (const ids of [new Int32Array(40), new Uint16Array(40), new Uint8Array(40)]) {
      expect(new TextBatcher(ids, { batchSize: 2, seqLength: 3 }).ids).toBe(ids);
    }
    const plain = Array.from({ length: 40 }, (_, i) => i);
    const { ids } = new TextBatcher(plain, { batchSize: 2, seqLength: 3 });
    expect(ids).toBeInstanceOf(Int32Array);
    expect(Array.from(ids)).toEqual(plain);
    // A Float64Array is not one of the kept id types: copied into Int32Array.
    expect(
      new TextBatcher(new Float64Array(40), { batchSize: 2, seqLength: 3 }).ids,
    ).toBeInstanceOf(Int32Array);
  });

  it('refuses bad options and positions, naming the method, the argument and the range', () => {
    const ids = new Int32Array(100);
    expect(() => new TextBatcher(ids, { batchSize: 0, seqLength: 3 })).toThrow(
      'TextBatcher: batchSize must be an integer >= 1, got 0',
    );
    expect(() => new TextBatcher(ids, { batchSize: 2, seqLength: 0 })).toThrow(
      'TextBatcher: seqLength must be an integer >= 1, got 0',
    );
    // 2 streams of 50: ⌊49 / 7⌋ = 7 windows, 0 … 6.
    const batcher = new TextBatcher(ids, { batchSize: 2, seqLength: 7 });
    expect(() => batcher.seek({ epoch: -1, window: 0 })).toThrow(
      'TextBatcher.seek: epoch must be an integer >= 0, got -1',
    );
    expect(() => batcher.windowAt(7)).toThrow(
      'TextBatcher.windowAt: window must be an integer in [0, 6], got 7',
    );
    expect(batcher.windowAt(6).window).toBe(6);
  });
});

describe('randomTextWindows edges', () => {
  it('gives B rows, each T + 1 consecutive ids, and can start anywhere a whole window fits', () => {
    const N = 12;
    const T = 4;
    const ids = Int32Array.from({ length: N }, (_, i) => 100 + i);
    const { inputs, targets, starts } = randomTextWindows(ids, 400, T, new Rng(5));
    expect(starts).toHaveLength(400);
    expect(inputs.shape).toEqual([400, T]);
    starts.forEach((s, b) => {
      expect(Array.from(inputs.data.subarray(b * T, (b + 1) * T))).toEqual(
        Array.from(ids.subarray(s, s + T)),
      );
      expect(Array.from(targets.data.subarray(b * T, (b + 1) * T))).toEqual(
        Array.from(ids.subarray(s + 1, s + T + 1)),
      );
    });
    // Starts 0 … N − T − 1: the last one still has its target, id N − 1.
    expect(new Set(starts)).toEqual(new Set([0, 1, 2, 3, 4, 5, 6, 7]));
  });

  it('refuses a batchSize below 1 and a seqLength that leaves no id for the last target', () => {
    const ids = new Int32Array(5);
    expect(() => randomTextWindows(ids, 0, 2, new Rng(1))).toThrow(
      'randomTextWindows: batchSize must be an integer >= 1, got 0',
    );
    expect(() => randomTextWindows(ids, 1, 5, new Rng(1))).toThrow(
      'randomTextWindows: seqLength must be an integer in [1, 4], got 5',
    );
    expect(randomTextWindows(ids, 1, 4, new Rng(1)).starts).toEqual([0]);
  });
});
