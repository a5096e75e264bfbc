/**
 * First names: a small character-level task that trains in seconds. Each name is its own
 * sequence, framed by a boundary character '\n' that means "start" when read and "end"
 * when predicted:
 *
 *   inputs:   \n  e   m   m   a
 *   targets:  e   m   m   a   \n
 *
 * so a trained model generates a new name by reading '\n' and sampling until it draws
 * '\n' again. Names have different lengths; a batch is padded to its longest name, with
 * `lengths`, a `mask`, and the target IGNORE_INDEX at padding so that the tensor
 * package's crossEntropy (whose default ignoreIndex is −100) skips it.
 *
 * The lists are Moby Word II's English first names (public domain), 8,849 entries,
 * 8,422 distinct once lowercased; see the package README for provenance.
 */

import { fromData, type Rng, type Tensor } from '@unroll/tensor';
import { femaleFirstNamesText, firstNamesSource, maleFirstNamesText } from '../data/first-names.ts';
import { checkInteger } from './task.ts';
import { Vocabulary } from './vocabulary.ts';

/** Read as "start of a name", predicted as "end of the name". */
export const NAME_BOUNDARY = '\n';
/** The target at padded steps: crossEntropy's default ignoreIndex. */
export const IGNORE_INDEX = -100;

/** Both lists, lowercased, without duplicates, sorted; and where they came from. */
export function firstNames(): { names: string[]; source: typeof firstNamesSource } {
  const all = `${femaleFirstNamesText}\n${maleFirstNamesText}`.toLowerCase().split('\n');
  return { names: [...new Set(all)].sort(), source: firstNamesSource };
}

export interface NameCorpus {
  /** '\n', '-' and the letters used. */
  vocabulary: Vocabulary;
  train: string[];
  validation: string[];
}

/**
 * Shuffles the names with `rng` (Fisher–Yates) and holds out the last
 * `validationFraction` of them: a list sorted alphabetically must not be split in order.
 */
export function nameCorpus(
  names: readonly string[],
  rng: Rng,
  validationFraction = 0.1,
): NameCorpus {
  if (!(validationFraction > 0 && validationFraction < 1)) {
    throw new RangeError(
      `nameCorpus: validationFraction must be in (0, 1), got ${validationFraction}`,
    );
  }
  const shuffled = [...names];
  for (let i = shuffled.length - 1; i > 0; i--) {
    const j = rng.int(i + 1);
    [shuffled[i], shuffled[j]] = [shuffled[j]!, shuffled[i]!];
  }
  const splitAt = Math.round(shuffled.length * (1 - validationFraction));
  if (splitAt < 1 || splitAt === shuffled.length) {
    throw new RangeError(
      `nameCorpus: ${names.length} names split at ${splitAt} leave one part empty`,
    );
  }
  return {
    vocabulary: Vocabulary.fromText(NAME_BOUNDARY + names.join(NAME_BOUNDARY)),
    train: shuffled.slice(0, splitAt),
    validation: shuffled.slice(splitAt),
  };
}

/** Names as one text, each preceded and the last followed by the boundary: for n-gram baselines. */
export function namesAsText(names: readonly string[]): string {
  return NAME_BOUNDARY + names.join(NAME_BOUNDARY) + NAME_BOUNDARY;
}

export interface NameBatch {
  /** [B, L] ids: the boundary, then the name, then boundary ids as padding. L = longest name + 1. */
  inputs: Tensor;
  /** [B, L] ids: the name, then the boundary, then IGNORE_INDEX. */
  targets: Tensor;
  /** Name length + 1: the steps that count. */
  lengths: number[];
  /** [B, L]: 1 at the steps that count, 0 at padding. */
  mask: Tensor;
  names: string[];
}

/** B names drawn uniformly with replacement (one rng.int each). */
export function nameBatch(
  names: readonly string[],
  vocabulary: Vocabulary,
  batchSize: number,
  rng: Rng,
): NameBatch {
  checkInteger('nameBatch', 'batchSize', batchSize, 1);
  if (names.length === 0) throw new RangeError('nameBatch: no names to draw from');
  return namesToBatch(
    Array.from({ length: batchSize }, () => names[rng.int(names.length)]!),
    vocabulary,
  );
}

/** The given names as one padded batch, in order (for evaluation). */
export function namesToBatch(names: readonly string[], vocabulary: Vocabulary): NameBatch {
  if (names.length === 0) throw new RangeError('namesToBatch: needs at least one name');
  const boundary = vocabulary.id(NAME_BOUNDARY);
  const encoded = names.map((n) => vocabulary.encode(n));
  const L = Math.max(...encoded.map((ids) => ids.length)) + 1;
  const B = names.length;
  const inputs = new Float64Array(B * L).fill(boundary);
  const targets = new Float64Array(B * L).fill(IGNORE_INDEX);
  const mask = new Float64Array(B * L);
  encoded.forEach((ids, b) => {
    for (let t = 0; t <= ids.length; t++) {
      if (t > 0) inputs[b * L + t] = ids[t - 1]!;
      targets[b * L + t] = t < ids.length ? ids[t]! : boundary;
      mask[b * L + t] = 1;
    }
  });
  return {
    inputs: fromData(inputs, [B, L]),
    targets: fromData(targets, [B, L]),
    lengths: encoded.map((ids) => ids.length + 1),
    mask: fromData(mask, [B, L]),
    names: [...names],
  };
}
