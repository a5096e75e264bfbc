import { Embedding, GRU, type HiddenState, Linear, LSTM, RNN } from '@unroll/cells';
import { arbitraries } from '@unroll/gradcheck';
import { fromData, Rng, type Tensor } from '@unroll/tensor';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  type CharModel,
  cellCharModel,
  oneHot,
  sample,
  sampleFromLogits,
  sampleText,
  Vocabulary,
} from '../src/index.ts';

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

describe('cellCharModel', () => {
  const V = 7;
  const H = 6;
  const rng = new Rng(21);
  const readout = new Linear({ inFeatures: H, outFeatures: V, rng });
  const embedding = new Embedding({ numEmbeddings: V, embeddingDim: 5, rng });
  const text = [3, 1, 4, 1, 5, 2, 6, 0];

  /** Logits at every position of `ids` from the stacked layer run over the whole sequence at once. */
  function teacherForced(layer: RNN | LSTM | GRU, x: Tensor, length: number): Float64Array[] {
    const out = readout.forward(layer.forward(x).output); // [1, length, V]
    return Array.from({ length }, (_, t) => out.data.slice(t * V, (t + 1) * V));
  }

  /** Logits after each id of `ids`, one model.step at a time from the zero state. */
  function stepByStep<S>(model: CharModel<S | null>, ids: number[]): Float64Array[] {
    let state: S | null = null;
    return ids.map((id) => {
      const out = model.step(id, state);
      state = out.state;
      return Float64Array.from(out.logits);
    });
  }

  it('gives, one character at a time, the logits of the layer run over the whole text (LSTM, embedding)', () => {
    const lstm = new LSTM({ inputSize: 5, hiddenSize: H, rng });
    const model = cellCharModel({ cell: lstm.cells[0]![0]!, readout, embedding });
    const x = embedding.forward(fromData(Float64Array.from(text), [1, text.length]));
    const expected = teacherForced(lstm, x, text.length);
    stepByStep(model, text).forEach((logits, t) => {
      expect(logits).toBeAllclose(expected[t]!, { rtol: 1e-12, atol: 1e-14 });
    });
  });

  it('reads one-hot ids without an embedding (RNN and GRU)', () => {
    for (const layer of [
      new RNN({ inputSize: V, hiddenSize: H, rng }),
      new GRU({ inputSize: V, hiddenSize: H, rng }),
    ]) {
      const model = cellCharModel<HiddenState>({ cell: layer.cells[0]![0]!, readout });
      const expected = teacherForced(layer, oneHot(text, [1, text.length], V), text.length);
      stepByStep(model, text).forEach((logits, t) => {
        expect(logits).toBeAllclose(expected[t]!, { rtol: 1e-12, atol: 1e-14 });
      });
    }
  });

  it('samples greedily the argmax of the layer’s logits, and leaves no graph behind', () => {
    const lstm = new LSTM({ inputSize: 5, hiddenSize: H, rng });
    const model = cellCharModel({ cell: lstm.cells[0]![0]!, readout, embedding });
    const prompt = [2, 5];
    const { ids, state } = sample(model, { prompt, state: null, length: 6, rng, temperature: 0 });
    const all = [...prompt, ...ids];
    const x = embedding.forward(fromData(Float64Array.from(all), [1, all.length]));
    const logits = teacherForced(lstm, x, all.length);
    ids.forEach((id, k) => {
      const row = Array.from(logits[prompt.length - 1 + k]!);
      expect(id).toBe(row.indexOf(Math.max(...row)));
    });
    expect(state!.h.requiresGrad).toBe(false);
    expect(Array.from(state!.h.data)).toBeAllclose(Array.from(lstm.forward(x).h.data), {
      rtol: 1e-12,
      atol: 1e-14,
    });
  });

  it('refuses parts that do not fit together', () => {
    const lstm = new LSTM({ inputSize: 5, hiddenSize: H, rng });
    const cell = lstm.cells[0]![0]!;
    expect(() =>
      cellCharModel({ cell, readout: new Linear({ inFeatures: 3, outFeatures: V }) }),
    ).toThrow("cellCharModel: readout.inFeatures must be the cell's hiddenSize 6, got 3");
    expect(() => cellCharModel({ cell, readout })).toThrow(
      "cellCharModel: without an embedding the cell reads one-hot ids, so its inputSize must be the readout's 7 outputs, got 5",
    );
    const wide = new Embedding({ numEmbeddings: V, embeddingDim: 4 });
    expect(() => cellCharModel({ cell, readout, embedding: wide })).toThrow(
      "cellCharModel: the embedding must be [7 characters, inputSize 5] to sit between the readout's 7 logits and the cell, got [7, 4]",
    );
  });
});
