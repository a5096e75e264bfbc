import { arbitraries } from '@unroll/gradcheck';
import { fromData, Rng, ShapeError } from '@unroll/tensor';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ADDING_BASELINE_MSE, AddingProblem } from '../src/index.ts';

const config = fc.record({
  length: fc.integer({ min: 2, max: 40 }),
  batchSize: fc.integer({ min: 1, max: 6 }),
  seed: arbitraries.seed(),
});

describe('AddingProblem', () => {
  it('marks exactly two steps, one in each half, and targets their sum', () => {
    fc.assert(
      fc.property(config, ({ length: T, batchSize: B, seed }) => {
        const batch = new AddingProblem({ length: T }).batch(B, new Rng(seed));
        expect(batch.inputs.shape).toEqual([B, T, 2]);
        expect(batch.targets.shape).toEqual([B, 1]);
        expect(batch.markers).toHaveLength(B);
        const x = batch.inputs.data;
        for (let b = 0; b < B; b++) {
          const marked: number[] = [];
          let sum = 0;
          for (let t = 0; t < T; t++) {
            const value = x[(b * T + t) * 2]!;
            const marker = x[(b * T + t) * 2 + 1]!;
            expect(value >= 0 && value < 1).toBe(true);
            expect(marker === 0 || marker === 1).toBe(true);
            if (marker === 1) {
              marked.push(t);
              sum += value;
            }
          }
          expect(marked).toHaveLength(2);
          expect(marked[0]! < Math.floor(T / 2) && marked[1]! >= Math.floor(T / 2)).toBe(true);
          expect(batch.markers[b]).toEqual(marked);
          expect(batch.targets.data[b]).toBe(sum);
          expect(sum >= 0 && sum < 2).toBe(true);
        }
      }),
      { numRuns: 50 },
    );
  });

  it('gives the same batch for the same seed, and resumes from a saved rng state', () => {
    const task = new AddingProblem({ length: 30 });
    const a = task.batch(4, new Rng(7));
    const b = task.batch(4, new Rng(7));
    expect(b.inputs.data).toEqual(a.inputs.data);
    expect(b.targets.data).toEqual(a.targets.data);
    expect(task.batch(4, new Rng(8)).inputs.data).not.toEqual(a.inputs.data);

    const rng = new Rng(3);
    task.batch(2, rng);
    const saved = JSON.parse(JSON.stringify(rng.getState()));
    const next = task.batch(2, rng);
    expect(task.batch(2, Rng.fromState(saved)).inputs.data).toEqual(next.inputs.data);
  });

  it('puts the marker positions uniformly over each half', () => {
    const T = 10;
    const counts = new Array(T).fill(0);
    const { markers } = new AddingProblem({ length: T }).batch(10_000, new Rng(1));
    for (const [first, second] of markers) {
      counts[first]++;
      counts[second]++;
    }
    // 5 positions per half, 10,000 draws each: 2,000 expected, standard deviation 40.
    for (const n of counts) expect(Math.abs(n - 2000)).toBeLessThan(200);
  });

  it('scores the constant prediction 1 at 1/6 within ±0.01 over many sequences', () => {
    const task = new AddingProblem({ length: 20 });
    const batch = task.batch(20_000, new Rng(11));
    const ones = fromData(new Float64Array(20_000).fill(1), [20_000, 1]);
    const result = task.evaluate(ones, batch);
    expect(Math.abs(result.mse - 1 / 6)).toBeLessThan(0.01);
    expect(result.baseline).toBe(ADDING_BASELINE_MSE);
    expect(Math.abs(result.relativeLoss - 1)).toBeLessThan(0.06);
    expect(result.solved).toBe(false);
  });

  it('scores b + ½ from the second marked value alone at 1/12: half the baseline, not solved', () => {
    const task = new AddingProblem({ length: 20 });
    const B = 20_000;
    const batch = task.batch(B, new Rng(12));
    const halfway = new Float64Array(B);
    batch.markers.forEach(([, second], b) => {
      halfway[b] = batch.inputs.data[(b * 20 + second) * 2]! + 0.5;
    });
    const result = task.evaluate(fromData(halfway, [B, 1]), batch);
    // Var of U[0, 1) is 1/12; over 20,000 sequences the estimate's standard deviation is ≈ 0.0005.
    expect(Math.abs(result.mse - 1 / 12)).toBeLessThan(0.005);
    expect(result.solved).toBe(false);
  });

  it('calls exact predictions solved, and counts |error| < 0.04', () => {
    const task = new AddingProblem({ length: 8 });
    const batch = task.batch(4, new Rng(2));
    expect(task.evaluate(batch.targets, batch)).toMatchObject({
      mse: 0,
      fractionWithin004: 1,
      solved: true,
    });
    const shifted = new Float64Array(batch.targets.data);
    shifted[0]! += 0.05; // outside 0.04
    shifted[1]! -= 0.03; // inside
    const result = task.evaluate(fromData(shifted, [4]), batch);
    expect(result.fractionWithin004).toBe(0.75);
    expect(result.mse).toBeAllclose((0.05 ** 2 + 0.03 ** 2) / 4, { atol: 1e-15 });
  });

  it('counts an error of exactly 0.04 as outside: the criterion is |error| < 0.04', () => {
    const task = new AddingProblem({ length: 4 });
    // Targets of 0 make the errors exact: 0.04 − 0 is 0.04 itself in floating point.
    const batch = {
      ...task.batch(2, new Rng(1)),
      targets: fromData(Float64Array.of(0, 0), [2, 1]),
    };
    expect(
      task.evaluate(fromData(Float64Array.of(0.04, -0.039), [2, 1]), batch).fractionWithin004,
    ).toBe(0.5);
  });

  it('describes itself with the 1/6 baseline and its citation', () => {
    const { info } = new AddingProblem({ length: 100 });
    expect(info.name).toBe('adding problem (T = 100)');
    expect(info.loss).toBe('mse');
    // These are read by people (the lab report shows the baseline's description): none blank.
    expect(info.targets).toMatch(/^\[B, 1\]: sum of the two marked values/);
    expect(info.baseline.description).toMatch(/1\/6$/);
    expect(info.baseline.citation).toMatch(/Le, Jaitly & Hinton 2015/);
    expect(info.probes).toMatch(/memory across T\/2/);
    expect(info.inputs).toMatch(/^\[B, 100, 2\]/);
    expect(info.baseline.value).toBeCloseTo(0.1667, 4);
    expect(info.citation).toMatch(/Hochreiter & Schmidhuber 1997.*Le, Jaitly & Hinton 2015/);
    expect(info.solved).toBe('MSE < 0.01');
  });

  it('refuses bad options and mis-shaped predictions with messages that name them', () => {
    expect(() => new AddingProblem({ length: 1 })).toThrow(
      'AddingProblem: length must be an integer >= 2, got 1',
    );
    const task = new AddingProblem({ length: 4 });
    expect(() => task.batch(0, new Rng(1))).toThrow(
      'AddingProblem.batch: batchSize must be an integer >= 1, got 0',
    );
    const batch = task.batch(3, new Rng(1));
    expect(() => task.evaluate(fromData(new Float64Array(6), [3, 2]), batch)).toThrow(ShapeError);
    expect(() => task.evaluate(fromData(new Float64Array(6), [3, 2]), batch)).toThrow(
      'AddingProblem.evaluate: predictions must have shape [3, 1], got [3, 2]',
    );
  });
});
