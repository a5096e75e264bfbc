import { describe, expect, it } from 'vitest';
import {
  bigramCrossEntropy,
  bigramLogProbs,
  bigramModel,
  mobyDickCorpus,
  uniformCrossEntropy,
  unigramCrossEntropy,
} from '../src/index.ts';

describe('counting baselines', () => {
  it('match hand counts with add-one smoothing', () => {
    // "abab": a, b twice each → P = 3/6 each. Pairs ab, ba, ab → P(b|a) = 3/4, P(a|b) = 2/3.
    const train = [0, 1, 0, 1];
    expect(unigramCrossEntropy(train, [0, 0, 1], 2)).toBeAllclose(Math.log(2), { atol: 1e-15 });
    expect(bigramCrossEntropy(train, [0, 1, 0], 2)).toBeAllclose(
      -(Math.log(3 / 4) + Math.log(2 / 3)) / 2,
      {
        atol: 1e-15,
      },
    );
    const table = bigramLogProbs(train, 2);
    expect(Array.from(table, Math.exp)).toBeAllclose([1 / 4, 3 / 4, 2 / 3, 1 / 3], { atol: 1e-15 });
  });

  it('order themselves on Moby-Dick: uniform > unigram > bigram', () => {
    const { vocabulary, train, validation } = mobyDickCorpus();
    const V = vocabulary.size;
    const uniform = uniformCrossEntropy(V);
    const unigram = unigramCrossEntropy(train, validation, V);
    const bigram = bigramCrossEntropy(train, validation, V);
    expect(uniform).toBeAllclose(Math.log(78), { atol: 1e-15 });
    expect(unigram).toBeLessThan(uniform);
    expect(bigram).toBeLessThan(unigram - 0.5);
  });

  it('serve the bigram table as a stateless CharModel', () => {
    const model = bigramModel([0, 1, 0, 1], 2);
    const { logits, state } = model.step(1, null);
    expect(Array.from(logits, Math.exp)).toBeAllclose([2 / 3, 1 / 3], { atol: 1e-15 });
    expect(state).toBe(null);
  });
});
