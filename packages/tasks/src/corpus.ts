/**
 * A text corpus for a character-level language model: the vocabulary and the text as ids,
 * split in two contiguous parts — the first for training, the end for validation — so
 * validation measures prediction of text the model has never read, not of shuffled
 * neighbours of its training windows.
 *
 * The shipped corpus is the opening of Moby-Dick (chapters 1–22, about 217,000
 * characters), stored as a module so it loads without a file system, in Node or a browser.
 */

import { mobyDickSource, mobyDickText } from '../data/moby-dick.ts';
import { Vocabulary } from './vocabulary.ts';

export interface TextCorpus {
  vocabulary: Vocabulary;
  /** Ids of the first (1 − validationFraction) of the text. */
  train: Int32Array;
  /** Ids of the rest. */
  validation: Int32Array;
}

export interface TextCorpusOptions {
  /** Fraction of the text, at its end, held out (default 0.1). */
  validationFraction?: number;
  /** Default: every character of the whole text, so validation never meets an unknown one. */
  vocabulary?: Vocabulary;
}

export function textCorpus(text: string, options: TextCorpusOptions = {}): TextCorpus {
  const { validationFraction = 0.1 } = options;
  if (!(validationFraction > 0 && validationFraction < 1)) {
    throw new RangeError(
      `textCorpus: validationFraction must be in (0, 1), got ${validationFraction}`,
    );
  }
  const vocabulary = options.vocabulary ?? Vocabulary.fromText(text);
  const ids = vocabulary.encode(text);
  const splitAt = Math.round(ids.length * (1 - validationFraction));
  if (splitAt < 2 || ids.length - splitAt < 2) {
    throw new RangeError(
      `textCorpus: a text of ${ids.length} characters split at ${splitAt} leaves a part under 2 characters`,
    );
  }
  return { vocabulary, train: ids.slice(0, splitAt), validation: ids.slice(splitAt) };
}

/** The shipped text and where it came from (package, version, licenses). */
export function mobyDick(): { text: string; source: typeof mobyDickSource } {
  return { text: mobyDickText, source: mobyDickSource };
}

/** The shipped Moby-Dick chapters as a corpus. */
export function mobyDickCorpus(options: TextCorpusOptions = {}): TextCorpus {
  return textCorpus(mobyDickText, options);
}
