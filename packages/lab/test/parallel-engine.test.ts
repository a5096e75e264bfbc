import { gemmKernel } from '@unroll/tensor';
import { describe, expect, it } from 'vitest';
import { defaultConfig, type TrainConfig } from '../src/config.ts';
import { applyGemmEnvironment } from '../src/kernel-env.ts';
import { shardRows } from '../src/parallel-engine.ts';
import { Trainer } from '../src/trainer.ts';
import { expectUsageError } from './helpers.ts';

/** Every parameter of a trainer's model, flattened in a fixed order. */
function weightsOf(trainer: Trainer): number[] {
  return trainer.model.parameters().flatMap((p) => Array.from(p.data));
}

/** Runs `steps` training steps and returns their metrics lines. */
function train(trainer: Trainer, steps: number) {
  return Array.from({ length: steps }, () => {
    const outcome = trainer.trainStep();
    if (!outcome.ok) throw new Error(outcome.message);
    return outcome.line;
  });
}

const adding: TrainConfig = {
  ...defaultConfig('adding'),
  cell: 'lstm',
  hidden: 12,
  seqLen: 12,
  batch: 7, // shards of 4 and 3 rows with 2 threads, 3, 2, 2 with 3
  evalEvery: 1000,
};

/** A char-LM with truncated BPTT (k2 > k1): carried and mid-window states cross threads. */
const charlm: TrainConfig = {
  ...defaultConfig('charlm'),
  cell: 'gru',
  layers: 2,
  hidden: 10,
  seqLen: 12,
  batch: 5,
  tbptt: [4, 6],
  evalEvery: 1000,
};

const largestDifference = (x: number[], y: number[]) =>
  Math.max(...x.map((value, i) => Math.abs(value - y[i]!)));

describe('unroll train --threads N', () => {
  it('splits a batch into contiguous shards that cover every row once', () => {
    for (const [B, N] of [
      [7, 2],
      [7, 3],
      [32, 2],
      [3, 3],
    ] as const) {
      const shards = Array.from({ length: N }, (_, i) => shardRows(B, N, i));
      expect(shards[0]![0]).toBe(0);
      shards.forEach(([from, to], i) => {
        expect(to - from).toBeGreaterThanOrEqual(Math.floor(B / N));
        if (i > 0) expect(from).toBe(shards[i - 1]![1]);
      });
      expect(shards[N - 1]![1]).toBe(B);
    }
  });

  it('with 2 threads is bit-identical to itself and resumes bit-exactly', () => {
    const whole = new Trainer(adding, { threads: 2 });
    const wholeLines = train(whole, 4);
    const first = new Trainer(adding, { threads: 2 });
    const firstLines = train(first, 2);
    const resumed = new Trainer(adding, { threads: 2 });
    resumed.restoreState(first.captureState());
    const resumedLines = train(resumed, 2);
    expect([...firstLines, ...resumedLines]).toEqual(wholeLines);
    expect(weightsOf(resumed)).toEqual(weightsOf(whole));
  });

  it('agrees with one thread and with three to 1e-12 (only the rounding differs)', () => {
    const one = new Trainer(adding);
    const two = new Trainer(adding, { threads: 2 });
    const three = new Trainer(adding, { threads: 3 });
    const [linesOne, linesTwo, linesThree] = [one, two, three].map((t) => train(t, 3));
    for (const lines of [linesTwo, linesThree]) {
      lines!.forEach((line, i) => {
        expect(Math.abs(line.loss - linesOne![i]!.loss)).toBeLessThan(1e-12);
        expect(Math.abs(line.gradNorm - linesOne![i]!.gradNorm)).toBeLessThan(1e-12);
      });
    }
    expect(largestDifference(weightsOf(two), weightsOf(one))).toBeLessThan(1e-12);
    expect(largestDifference(weightsOf(three), weightsOf(one))).toBeLessThan(1e-12);
    // Not merely the same run: the weights moved, and the groupings round differently
    // somewhere (if this ever fails with 0, the shards are not what is summed).
    expect(largestDifference(weightsOf(one), weightsOf(new Trainer(adding)))).toBeGreaterThan(1e-4);
  });

  it('carries the char-LM state and truncated BPTT windows across threads like one thread', () => {
    const one = new Trainer(charlm);
    const two = new Trainer(charlm, { threads: 2 });
    const [linesOne, linesTwo] = [one, two].map((t) => train(t, 3));
    linesTwo!.forEach((line, i) => {
      expect(Math.abs(line.loss - linesOne![i]!.loss)).toBeLessThan(1e-12);
    });
    expect(largestDifference(weightsOf(two), weightsOf(one))).toBeLessThan(1e-12);
  });
});

describe('the flags and the environment', () => {
  it('refuses --threads with --anomaly, and --threads 0', async () => {
    await expectUsageError(
      ['train', '--threads', '2', '--anomaly', '--steps', '1'],
      '--threads cannot be combined with --anomaly',
    );
    await expectUsageError(['train', '--threads', '0'], '--threads');
  });

  it('refuses more threads than sequences in a batch, naming the range', () => {
    expect(() => new Trainer({ ...adding, batch: 3 }, { threads: 4 })).toThrow(
      '--threads must be an integer from 1 to 3 (at most the batch size), got 4',
    );
  });

  it('UNROLL_GEMM picks the kernel, and a bad value is named', () => {
    try {
      applyGemmEnvironment('js');
      expect(gemmKernel()).toBe('js');
      expect(() => applyGemmEnvironment('gpu')).toThrow(
        'UNROLL_GEMM must be js, wasm or auto, got "gpu"',
      );
    } finally {
      applyGemmEnvironment('auto');
    }
    expect(gemmKernel()).toBe('wasm');
  });
});
