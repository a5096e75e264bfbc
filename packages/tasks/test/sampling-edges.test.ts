import { Rng } from '@unroll/tensor';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { type CharModel, sample, sampleFromLogits } from '../src/index.ts';

/** A stand-in generator whose every uniform() is `u`: it puts the draw where a test wants it. */
const fixedUniform = (u: number) => ({ uniform: () => u }) as unknown as Rng;

/** The largest double below 1, the highest value a uniform draw in [0, 1) can take. */
const JUST_BELOW_ONE = 1 - 2 ** -53;

describe('sampleFromLogits at the edges', () => {
  it('draws by the inverse CDF over the kept ids: u → 1 gives the lowest-ranked id with probability > 0', () => {
    // Logits far below the top (−2000) have probability exp(−2000 / τ) = 0 in floating
    // point: they may be kept by top-k but must never be drawn.
    const logitArb = fc.oneof(fc.double({ min: -3, max: 3, noNaN: true }), fc.constant(-2000));
    fc.assert(
      fc.property(
        fc.array(logitArb, { minLength: 2, maxLength: 10 }),
        fc.integer({ min: 2, max: 10 }),
        fc.constantFrom(0.5, 1, 2),
        (logits, k0, temperature) => {
          const k = Math.min(k0, logits.length);
          // The kept ids, largest logit first (lower id first on ties), written out here.
          const ranked = logits
            .map((l, i) => ({ l, i }))
            .sort((a, b) => b.l - a.l || a.i - b.i)
            .slice(0, k);
          const top = ranked[0]!.l;
          const positive = ranked.filter(({ l }) => Math.exp((l - top) / temperature) > 0);
          const last = positive[positive.length - 1]!.i;
          const first = ranked[0]!.i;
          const options = { topK: k, temperature };
          expect(sampleFromLogits(logits, fixedUniform(JUST_BELOW_ONE), options)).toBe(last);
          expect(sampleFromLogits(logits, fixedUniform(0), options)).toBe(first);
        },
      ),
      { numRuns: 300, seed: 19 },
    );
  });

  it('keeps the lower id on ties, for argmax and for top-k', () => {
    expect(sampleFromLogits([1, 3, 3, 3], new Rng(1), { temperature: 0 })).toBe(1);
    for (let seed = 0; seed < 20; seed++) {
      const id = sampleFromLogits([3, 0, 3, 3], new Rng(seed), { topK: 2 });
      expect([0, 2]).toContain(id);
    }
  });

  it('with top-1 returns the argmax without drawing', () => {
    const rng = new Rng(4);
    const before = rng.getState();
    expect(sampleFromLogits([0.5, 2, -1], rng, { topK: 1, temperature: 5 })).toBe(1);
    expect(rng.getState()).toEqual(before);
  });

  it('accepts −∞ logits (never drawn) and refuses NaN, +∞ and empty logits', () => {
    for (let seed = 0; seed < 20; seed++) {
      expect(sampleFromLogits([-Infinity, 0, -Infinity], new Rng(seed))).toBe(1);
    }
    const rng = new Rng(1);
    expect(() => sampleFromLogits([], rng)).toThrow('sampleFromLogits: logits are empty');
    expect(() => sampleFromLogits([Number.NaN, 0], rng)).toThrow(
      'sampleFromLogits: logit 0 is NaN',
    );
    expect(() => sampleFromLogits([0, 1, Infinity], rng)).toThrow(
      'sampleFromLogits: logit 2 is Infinity',
    );
  });

  it('refuses temperatures that are not finite numbers >= 0, naming the value', () => {
    const rng = new Rng(1);
    for (const bad of [Number.NaN, Infinity, -1e-9]) {
      expect(() => sampleFromLogits([0, 1], rng, { temperature: bad })).toThrow(
        `sampleFromLogits: temperature must be a finite number >= 0, got ${bad}`,
      );
    }
  });

  it('refuses a topK that is not an integer in [1, V], naming the range and the value', () => {
    const rng = new Rng(1);
    for (const bad of [0, -1, 1.5, 4]) {
      expect(() => sampleFromLogits([0, 1, 2], rng, { topK: bad })).toThrow(
        `sampleFromLogits: topK must be an integer in [1, 3], got ${bad}`,
      );
    }
    expect([0, 1, 2]).toContain(sampleFromLogits([0, 1, 2], rng, { topK: 3 }));
  });
});

describe('sample at the edges', () => {
  const echo: CharModel<number> = { step: (_id, n) => ({ logits: [0, 0, 0], state: n + 1 }) };

  it('refuses a length that is not an integer >= 0, and draws nothing for length 0', () => {
    for (const bad of [-1, 2.5]) {
      expect(() => sample(echo, { prompt: [0], state: 0, length: bad, rng: new Rng(1) })).toThrow(
        `sample: length must be an integer >= 0, got ${bad}`,
      );
    }
    expect(sample(echo, { prompt: [0, 1], state: 0, length: 0, rng: new Rng(1) })).toEqual({
      ids: [],
      state: 2,
    });
  });

  it('passes temperature and top-k through to every draw', () => {
    const ramp: CharModel<null> = { step: () => ({ logits: [0, 1, 2, 3], state: null }) };
    const { ids } = sample(ramp, {
      prompt: [0],
      state: null,
      length: 30,
      rng: new Rng(7),
      topK: 2,
    });
    expect(ids.every((id) => id === 2 || id === 3)).toBe(true);
    const greedy = sample(ramp, {
      prompt: [0],
      state: null,
      length: 5,
      rng: new Rng(8),
      temperature: 0,
    });
    expect(greedy.ids).toEqual([3, 3, 3, 3, 3]);
  });
});

describe('sampleFromLogits draws by half-open intervals', () => {
  it('gives u exactly at a cumulative weight to the next id: id j owns [c_{j−1}, c_j)', () => {
    // Two equal weights: [0, 1) is id 0, [1, 2) id 1; u = 0.5 · 2 = 1 falls to id 1.
    expect(sampleFromLogits([0, 0], fixedUniform(0.5))).toBe(1);
    expect(sampleFromLogits([0, 0], fixedUniform(0.5 - 2 ** -53))).toBe(0);
  });
});
