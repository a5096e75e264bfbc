import { arbitraries } from '@unroll/gradcheck';
import { crossEntropy, Rng, zeros } from '@unroll/tensor';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  bigramCrossEntropy,
  bigramModel,
  firstNames,
  IGNORE_INDEX,
  NAME_BOUNDARY,
  nameBatch,
  nameCorpus,
  namesAsText,
  namesToBatch,
  sampleText,
  Vocabulary,
} from '../src/index.ts';

describe('first names', () => {
  it('are the two Moby Word II lists, lowercased and deduplicated', () => {
    const { names, source } = firstNames();
    expect(names).toHaveLength(8422);
    expect(names.slice(0, 3)).toEqual(['aaren', 'aarika', 'aaron']);
    expect(names.every((n) => /^[a-z-]+$/.test(n))).toBe(true);
    expect(new Set(names).size).toBe(names.length);
    expect(source.listLicense).toBe('public domain');
  });

  it('split after a seeded shuffle into disjoint parts over one vocabulary', () => {
    const { names } = firstNames();
    const corpus = nameCorpus(names, new Rng(1));
    expect(corpus.vocabulary.chars.join('')).toBe('\n-abcdefghijklmnopqrstuvwxyz');
    expect(corpus.validation).toHaveLength(842);
    expect(new Set([...corpus.train, ...corpus.validation])).toEqual(new Set(names));
    // Shuffled: the validation names are not the end of the alphabet.
    expect(corpus.validation.some((n) => n < 'm')).toBe(true);
    expect(nameCorpus(names, new Rng(1)).validation).toEqual(corpus.validation);
  });
});

describe('name batches', () => {
  it('read the boundary then the name, and predict the name then the boundary', () => {
    const vocabulary = Vocabulary.fromText(`${NAME_BOUNDARY}abemo`);
    const batch = namesToBatch(['emma', 'bo'], vocabulary);
    const text = (ids: Float64Array) =>
      Array.from(ids, (id) => (id === IGNORE_INDEX ? '_' : vocabulary.chars[id])).join('');
    expect(batch.inputs.shape).toEqual([2, 5]);
    expect(text(batch.inputs.data)).toBe('\nemma\nbo\n\n');
    expect(text(batch.targets.data)).toBe('emma\nbo\n__');
    expect(batch.lengths).toEqual([5, 3]);
    expect(Array.from(batch.mask.data)).toEqual([1, 1, 1, 1, 1, 1, 1, 1, 0, 0]);
  });

  it("leave padding out of the tensor package's crossEntropy", () => {
    const vocabulary = Vocabulary.fromText(`${NAME_BOUNDARY}abemo`);
    const batch = namesToBatch(['emma', 'bo'], vocabulary);
    // Uniform logits cost ln V at each of the 5 + 3 counted steps; the 2 padded ones are skipped.
    const loss = crossEntropy(zeros([10, vocabulary.size]), batch.targets.data, {
      reduction: 'sum',
    });
    expect(loss.item()).toBeAllclose(8 * Math.log(vocabulary.size), { atol: 1e-12 });
  });

  it('draw names with a seeded rng, masks matching lengths', () => {
    const { names } = firstNames();
    const { vocabulary, train } = nameCorpus(names, new Rng(2));
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 16 }), arbitraries.seed(), (B, seed) => {
        const batch = nameBatch(train, vocabulary, B, new Rng(seed));
        const L = batch.inputs.shape[1]!;
        expect(L).toBe(Math.max(...batch.names.map((n) => n.length)) + 1);
        batch.names.forEach((name, b) => {
          expect(train).toContain(name);
          const mask = batch.mask.data.subarray(b * L, (b + 1) * L);
          expect(mask.reduce((a, v) => a + v, 0)).toBe(name.length + 1);
        });
        expect(nameBatch(train, vocabulary, B, new Rng(seed)).names).toEqual(batch.names);
      }),
      { numRuns: 30 },
    );
  });

  it('give a bigram baseline well below uniform, and a bigram model samples until the boundary', () => {
    const { names } = firstNames();
    const { vocabulary, train, validation } = nameCorpus(names, new Rng(3));
    const V = vocabulary.size;
    const trainIds = vocabulary.encode(namesAsText(train));
    const bigram = bigramCrossEntropy(trainIds, vocabulary.encode(namesAsText(validation)), V);
    expect(bigram).toBeLessThan(Math.log(V) - 0.5);
    const model = bigramModel(trainIds, V);
    const rng = new Rng(4);
    for (let i = 0; i < 20; i++) {
      const name = sampleText(model, vocabulary, {
        prompt: NAME_BOUNDARY,
        state: null,
        length: 30,
        rng,
        stopAt: vocabulary.id(NAME_BOUNDARY),
      });
      expect(name).not.toContain(NAME_BOUNDARY);
      expect(name.length).toBeLessThanOrEqual(30);
    }
  });
});
