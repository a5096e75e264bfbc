import { Rng } from '@unroll/tensor';
import { describe, expect, it } from 'vitest';
import {
  COPY_SOLVED_ACCURACY,
  CopyMemory,
  FORECAST_SOLVED_SKILL,
  Forecasting,
  PARITY_SOLVED_ACCURACY,
  Parity,
  TEMPORAL_ORDER_SOLVED_ACCURACY,
  TemporalOrder,
} from '../src/index.ts';

/**
 * The `info` strings are read by people (the lab's report prints them), so what they
 * state must be true of the task: the shapes they give are the shapes of a batch, the
 * counts they give are the counts in a sequence, the baseline they describe is the one
 * `evaluate` reports.
 */

/** The shape a description opens with, `[B, 12, 1]: …`, with B replaced by `batchSize`. */
function statedShape(text: string, batchSize: number): number[] {
  const match = /^\[([^\]]*)\]/.exec(text);
  if (match === null) throw new Error(`no shape at the start of '${text}'`);
  return match[1]!.split(', ').map((n) => (n === 'B' ? batchSize : Number(n)));
}

/** "99%" for 0.99: how a solved criterion states its threshold. */
const percent = (fraction: number) => `${Math.round(fraction * 100)}%`;

describe('task info', () => {
  it('parity: states the shapes of its batches, the length range, and the padding only when lengths vary', () => {
    const fixed = new Parity({ length: 12 });
    const batch = fixed.batch(3, new Rng(1));
    expect(fixed.info.name).toBe('parity (T = 12)');
    expect(statedShape(fixed.info.inputs, 3)).toEqual(batch.inputs.shape);
    expect(statedShape(fixed.info.targets, 3)).toEqual(batch.targets.shape);
    // Every sequence is T bits long: nothing is padded, so nothing follows the bits.
    expect(fixed.info.inputs).toMatch(/: bits 0\/1$/);
    expect(fixed.info.targets).toMatch(/odd/);

    const varying = new Parity({ length: 12, minLength: 3 });
    expect(varying.info.name).toBe('parity (T = 3-12)');
    expect(statedShape(varying.info.inputs, 5)).toEqual(varying.batch(5, new Rng(2)).inputs.shape);
    expect(varying.info.inputs).toMatch(/zero-padded; lengths and mask given/);
  });

  it('parity: describes chance as ln 2 and solved as its accuracy threshold, with the source', () => {
    const { info } = new Parity({ length: 4 });
    expect(info.loss).toBe('cross-entropy');
    expect(info.baseline.value).toBe(Math.log(2));
    expect(info.baseline.description).toMatch(/½ on each class, ln 2 nats/);
    expect(info.baseline.citation).toMatch(/2 balanced classes/);
    expect(info.citation).toMatch(/^Bengio, Simard & Frasconi 1994/);
    expect(info.solved).toBe(`accuracy >= ${percent(PARITY_SOLVED_ACCURACY)}`);
    expect(info.probes).toMatch(/XOR/);
  });

  it("temporal order: states the paper's windows for T = 100 and the shapes and classes of its batches", () => {
    for (const relevant of [2, 3] as const) {
      const task = new TemporalOrder({ length: 100, relevant });
      const batch = task.batch(4, new Rng(3));
      const classes = 2 ** relevant;
      expect(task.info.name).toBe(`temporal order (T = 100, ${relevant} relevant symbols)`);
      expect(statedShape(task.info.inputs, 4)).toEqual(batch.inputs.shape);
      expect(statedShape(task.info.targets, 4)).toEqual(batch.targets.shape);
      expect(task.info.inputs).toMatch(/one-hot over a b c d X Y E B/);
      expect(task.info.targets).toMatch(new RegExp(`class in \\[0, ${classes - 1}\\]$`));
      expect(task.info.loss).toBe('cross-entropy');
      expect(task.info.baseline.value).toBe(Math.log(classes));
      expect(task.info.baseline.description).toMatch(
        new RegExp(`${classes} balanced classes, ln ${classes} nats$`),
      );
      expect(task.info.baseline.citation).toMatch(new RegExp(`${classes} balanced classes`));
      expect(task.info.solved).toBe(`accuracy >= ${percent(TEMPORAL_ORDER_SOLVED_ACCURACY)}`);
    }
    // Hochreiter & Schmidhuber 1997: experiment 6a puts X/Y at t1 ∈ [10, 20], t2 ∈ [50, 60];
    // 6b at [10, 20], [33, 43], [66, 76].
    const two = new TemporalOrder({ length: 100 }).info;
    expect(two.inputs).toMatch(/X or Y at steps \[10, 20\], \[50, 60\]$/);
    expect(two.citation).toMatch(/Hochreiter & Schmidhuber 1997.*experiment 6a$/);
    const three = new TemporalOrder({ length: 100, relevant: 3 }).info;
    expect(three.inputs).toMatch(/X or Y at steps \[10, 20\], \[33, 43\], \[66, 76\]$/);
    expect(three.citation).toMatch(/experiment 6b$/);
  });

  it('temporal order: the hold it states lies between the shortest and longest hold of a batch', () => {
    for (const T of [10, 37, 100]) {
      const task = new TemporalOrder({ length: T });
      const held = Number(/about (\d+) steps/.exec(task.info.probes)?.[1]);
      // From the first relevant symbol to the last step, T − 1.
      const holds = task.batch(400, new Rng(T)).positions.map(([first]) => T - 1 - first!);
      expect(held).toBeGreaterThanOrEqual(Math.min(...holds) - 1);
      expect(held).toBeLessThanOrEqual(Math.max(...holds) + 1);
    }
  });

  it('copy memory: states the shapes and the counts of symbols and blanks in its sequences', () => {
    const task = new CopyMemory({ delay: 7, symbols: 4 });
    const batch = task.batch(2, new Rng(4));
    const { info } = task;
    expect(info.name).toBe('copy memory (T = 7, 4 symbols)');
    expect(statedShape(info.inputs, 2)).toEqual(batch.inputs.shape);
    expect(statedShape(info.targets, 2)).toEqual(batch.targets.shape);
    const L = task.sequenceLength;
    const ids = Array.from(batch.inputIds.data.subarray(0, L));
    const targets = Array.from(batch.targets.data.subarray(0, L));
    // inputs: "4 symbols from 1-8, 6 blanks (0), the delimiter (9), 4 blanks"
    const said =
      /(\d+) symbols from 1-8, (\d+) blanks \(0\), the delimiter \(9\), (\d+) blanks$/.exec(
        info.inputs,
      );
    expect(said).not.toBeNull();
    const [symbols, gap, tail] = said!.slice(1).map(Number) as [number, number, number];
    expect(ids.slice(0, symbols).every((s) => s >= 1 && s <= 8)).toBe(true);
    expect(ids.slice(symbols, symbols + gap).every((s) => s === 0)).toBe(true);
    expect(ids[symbols + gap]).toBe(9);
    expect(symbols + gap + 1 + tail).toBe(L);
    // targets: "11 blanks, then the 4 symbols"
    const blanks = Number(/(\d+) blanks, then the (\d+) symbols$/.exec(info.targets)?.[1]);
    expect(targets.slice(0, blanks).every((s) => s === 0)).toBe(true);
    expect(targets.slice(blanks)).toEqual(ids.slice(0, symbols));
    expect(info.probes).toMatch(/exact memory of 4 symbols over 7 steps/);
    expect(info.citation).toMatch(/^Arjovsky, Shah & Bengio 2016, .*section 4\.1$/);
  });

  it('copy memory: the baseline it writes out, symbols·ln 8 / L, is the value it reports', () => {
    const { info } = new CopyMemory({ delay: 30 });
    expect(info.loss).toBe('cross-entropy');
    const [, symbols, L] = /(\d+)·ln 8 \/ (\d+)$/.exec(info.baseline.description) ?? [];
    // Arjovsky, Shah & Bengio 2016: 10 symbols, T + 20 steps.
    expect([Number(symbols), Number(L)]).toEqual([10, 50]);
    expect(info.baseline.value).toBeCloseTo((10 * Math.log(8)) / 50, 14);
    expect(info.baseline.description).toMatch(/^blanks, then a uniform guess over 8 symbols/);
    expect(info.baseline.citation).toMatch(/Arjovsky, Shah & Bengio 2016/);
    expect(info.solved).toMatch(
      new RegExp(`^at least ${percent(COPY_SOLVED_ACCURACY)} of the copied`),
    );
  });

  it('forecasting: states the shapes of its batches, its name, and the horizon in words', () => {
    const series = Array.from({ length: 200 }, (_, i) => Math.sin(i / 5));
    const one = new Forecasting(series, { window: 8 });
    expect(one.info.name).toBe('forecasting series (window 8, horizon 1)');
    expect(statedShape(one.info.inputs, 3)).toEqual(one.batch(3, new Rng(5)).inputs.shape);
    expect(statedShape(one.info.targets, 3)).toEqual(one.batch(3, new Rng(5)).targets.shape);
    expect(one.info.targets).toMatch(/the next value$/);
    const three = new Forecasting(series, { window: 8, horizon: 3, name: 'sines' });
    expect(three.info.name).toBe('forecasting sines (window 8, horizon 3)');
    expect(statedShape(three.info.targets, 2)).toEqual(three.batch(2, new Rng(6)).targets.shape);
    expect(three.info.targets).toMatch(/the next 3 values$/);
    expect(three.info.inputs).toMatch(/consecutive values/);
    expect(three.info.solved).toMatch(
      new RegExp(
        `at most ${1 - FORECAST_SOLVED_SKILL} × persistence RMSE.*skill >= ${FORECAST_SOLVED_SKILL}\\)$`,
      ),
    );
    expect(three.info.baseline.description).toMatch(/persistence \(repeat the last value\)/);
    expect(three.info.baseline.citation).toMatch(/naive method/);
    expect(three.info.citation).toMatch(/Hyndman & Athanasopoulos/);
    expect(three.info.probes).toMatch(/recent past/);
  });

  it("forecasting: the baseline's value is what evaluate reports for persistence on all validation windows, in the task's loss", () => {
    const series = Array.from({ length: 120 }, (_, i) => Math.sin(i / 3) + 0.01 * i);
    const task = new Forecasting(series, { window: 6, horizon: 2 });
    expect(task.info.loss).toBe('mse');
    const validation = task.windows('validation');
    const persistence = task.evaluate(task.persistence(validation), validation);
    expect(task.info.baseline.value).toBe(persistence.baseline);
    expect(persistence.loss).toBe(persistence.baseline);
  });
});
