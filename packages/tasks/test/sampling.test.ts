import { arbitraries } from '@unroll/gradcheck';
import { Rng } from '@unroll/tensor';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { type CharModel, sample, sampleFromLogits, sampleText, Vocabulary } from '../src/index.ts';

const logitsArb = fc.array(fc.double({ min: -5, max: 5, noNaN: true }), {
  minLength: 1,
  maxLength: 12,
});

/** Index of the largest logit, the first on ties: written out independently of the sampler. */
function argmax(logits: number[]): number {
  let best = 0;
  logits.forEach((l, i) => {
    if (l > logits[best]!) best = i;
  });
  return best;
}

describe('sampleFromLogits', () => {
  it('with temperature 0 returns the argmax and draws nothing', () => {
    fc.assert(
      fc.property(logitsArb, arbitraries.seed(), (logits, seed) => {
        const rng = new Rng(seed);
        const before = rng.getState();
        expect(sampleFromLogits(logits, rng, { temperature: 0 })).toBe(argmax(logits));
        expect(rng.getState()).toEqual(before);
      }),
    );
  });

  it('as temperature → 0 converges to the argmax', () => {
    fc.assert(
      fc.property(logitsArb, arbitraries.seed(), (logits, seed) => {
        const best = argmax(logits);
        fc.pre(logits.every((l, i) => i === best || l < logits[best]! - 0.01));
        const rng = new Rng(seed);
        for (let i = 0; i < 20; i++)
          expect(sampleFromLogits(logits, rng, { temperature: 1e-4 })).toBe(best);
      }),
    );
  });

  it('with top-k never draws outside the k largest logits', () => {
    fc.assert(
      fc.property(
        logitsArb,
        fc.integer({ min: 1, max: 12 }),
        arbitraries.seed(),
        (logits, k0, seed) => {
          const k = Math.min(k0, logits.length);
          const kthLargest = [...logits].sort((a, b) => b - a)[k - 1]!;
          const rng = new Rng(seed);
          for (let i = 0; i < 50; i++) {
            const id = sampleFromLogits(logits, rng, { topK: k, temperature: 3 });
            expect(logits[id]).toBeGreaterThanOrEqual(kthLargest);
          }
        },
      ),
      { numRuns: 60 },
    );
  });

  it('draws with probabilities softmax(l / τ)', () => {
    const logits = [0, Math.log(2), Math.log(3), Math.log(4)]; // softmax: 0.1, 0.2, 0.3, 0.4
    const count = (temperature: number, topK?: number) => {
      const rng = new Rng(12);
      const n = [0, 0, 0, 0];
      for (let i = 0; i < 20_000; i++) n[sampleFromLogits(logits, rng, { temperature, topK })]!++;
      return n.map((c) => c / 20_000);
    };
    // Standard deviation of each frequency ≤ √(0.25 / 20000) ≈ 0.0035.
    expect(count(1)).toBeAllclose([0.1, 0.2, 0.3, 0.4], { atol: 0.015 });
    // τ = 2 takes square roots: ∝ 1, √2, √3, 2.
    const roots = [1, Math.SQRT2, Math.sqrt(3), 2];
    const total = roots.reduce((a, b) => a + b, 0);
    expect(count(2)).toBeAllclose(
      roots.map((r) => r / total),
      { atol: 0.015 },
    );
    // Top-2 renormalises over the two largest: 3/7 and 4/7.
    expect(count(1, 2)).toBeAllclose([0, 0, 3 / 7, 4 / 7], { atol: 0.015 });
  });

  it('refuses bad temperatures, top-k and logits', () => {
    const rng = new Rng(1);
    expect(() => sampleFromLogits([0, 1], rng, { temperature: -1 })).toThrow(
      'sampleFromLogits: temperature must be a finite number >= 0, got -1',
    );
    expect(() => sampleFromLogits([0, 1], rng, { topK: 3 })).toThrow(
      'sampleFromLogits: topK must be an integer in [1, 2], got 3',
    );
    expect(() => sampleFromLogits([0, Number.NaN], rng)).toThrow(
      'sampleFromLogits: logit 1 is NaN',
    );
  });
});

/**
 * A hand-built deterministic model over ids 0–3: it predicts (previous id + 1) mod 4 with a
 * large margin, and its state counts the characters read.
 */
const counter: CharModel<number> = {
  step: (id, state) => ({
    logits: [0, 1, 2, 3].map((c) => (c === (id + 1) % 4 ? 10 : 0)),
    state: state + 1,
  }),
};

describe('sample', () => {
  it('feeds the prompt, then each drawn id, threading the state', () => {
    const { ids, state } = sample(counter, {
      prompt: [2, 0, 1],
      state: 0,
      length: 6,
      rng: new Rng(1),
      temperature: 0,
    });
    expect(ids).toEqual([2, 3, 0, 1, 2, 3]);
    expect(state).toBe(3 + 6);
  });

  it('stops at the stop id without returning or feeding it', () => {
    const { ids, state } = sample(counter, {
      prompt: [0],
      state: 0,
      length: 10,
      rng: new Rng(1),
      temperature: 0,
      stopAt: 3,
    });
    expect(ids).toEqual([1, 2]);
    expect(state).toBe(3);
  });

  it('is deterministic for a seed at any temperature', () => {
    const run = (seed: number) =>
      sample(counter, { prompt: [0], state: 0, length: 50, rng: new Rng(seed), temperature: 5 })
        .ids;
    expect(run(3)).toEqual(run(3));
    expect(run(3)).not.toEqual(run(4));
  });

  it('works with text through a vocabulary', () => {
    const vocabulary = new Vocabulary(['a', 'b', 'c', 'd']);
    expect(
      sampleText(counter, vocabulary, {
        prompt: 'ab',
        state: 0,
        length: 5,
        rng: new Rng(1),
        temperature: 0,
      }),
    ).toBe('cdabc');
  });

  it('needs a prompt', () => {
    expect(() => sample(counter, { prompt: [], state: 0, length: 3, rng: new Rng(1) })).toThrow(
      'sample: the prompt needs at least one id to condition on',
    );
  });
});
