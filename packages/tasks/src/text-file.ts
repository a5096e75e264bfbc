/**
 * A user's own text, from its bytes to character ids, without ever holding it as one
 * JavaScript string per window (or at all): the bytes are decoded from UTF-8 by hand,
 * twice — once to find and count the distinct characters, once to write each one's id —
 * into one byte per character when there are at most 256 distinct ones, two otherwise.
 * A 100 MB file therefore costs 100–200 MB of ids, next to its own 100 MB of bytes.
 *
 * UTF-8 (RFC 3629) in one table: a code point is written in 1–4 bytes,
 *
 *   U+0000 … U+007F      0xxxxxxx
 *   U+0080 … U+07FF      110xxxxx 10xxxxxx
 *   U+0800 … U+FFFF      1110xxxx 10xxxxxx 10xxxxxx          (not U+D800 … U+DFFF)
 *   U+10000 … U+10FFFF   11110xxx 10xxxxxx 10xxxxxx 10xxxxxx
 *
 * and a sequence longer than its code point needs ("overlong") is invalid, so every
 * character has exactly one spelling. Anything else is refused with the byte offset.
 *
 * What is refused, each with a reason and what would work: no bytes; a NUL byte or many
 * control characters (a binary file, not text); invalid UTF-8; a single distinct
 * character (nothing to predict); more than 65,536 distinct characters. A leading byte
 * order mark (U+FEFF) is dropped, not learned.
 *
 * Browser-safe: it takes a Uint8Array, however it was read.
 */

import { Vocabulary } from './vocabulary.ts';

/** Text bytes that cannot be trained on; the message says why and what would work. */
export class TextFileError extends Error {
  override name = 'TextFileError';
}

export interface EncodedText {
  /** The distinct characters, sorted by code point (as `Vocabulary.fromText`). */
  vocabulary: Vocabulary;
  /** One id per character: Uint8Array when V ≤ 256, else Uint16Array. */
  ids: Uint8Array | Uint16Array;
  /** How often each character occurs, by id. */
  counts: Float64Array;
}

/** The most distinct characters two bytes per id can name. */
export const MAX_VOCABULARY = 65536;

/** A share of control characters above this (other than tab, newlines, form feed) means binary. */
const CONTROL_SHARE = 0.01;

const hex = (b: number) => `0x${b.toString(16).toUpperCase().padStart(2, '0')}`;

/**
 * Calls `each(codePoint)` for every character of `bytes`, in order; throws a TextFileError
 * at the first byte that is not valid UTF-8 or is NUL. Returns the number of characters.
 */
function decodeUtf8(bytes: Uint8Array, each: (codePoint: number) => void): number {
  const n = bytes.length;
  let i = 0;
  let count = 0;
  // A leading byte order mark, EF BB BF, is not part of the text.
  if (n >= 3 && bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf) i = 3;
  const invalid = (at: number, why: string): never => {
    throw new TextFileError(
      `byte ${at} (${hex(bytes[at] ?? 0)}) is not valid UTF-8 (${why}): save the file as UTF-8 (for example: iconv -f latin1 -t utf-8 FILE > FILE.txt)`,
    );
  };
  while (i < n) {
    const lead = bytes[i]!;
    let codePoint: number;
    let length: number;
    if (lead < 0x80) {
      if (lead === 0) {
        throw new TextFileError(
          `byte ${i} is 0x00 (NUL): this looks like a binary file, not text; give a UTF-8 text file`,
        );
      }
      each(lead);
      i++;
      count++;
      continue;
    } else if (lead >= 0xc2 && lead <= 0xdf) {
      codePoint = lead & 0x1f;
      length = 2;
    } else if (lead >= 0xe0 && lead <= 0xef) {
      codePoint = lead & 0x0f;
      length = 3;
    } else if (lead >= 0xf0 && lead <= 0xf4) {
      codePoint = lead & 0x07;
      length = 4;
    } else {
      return invalid(
        i,
        lead >= 0x80 && lead < 0xc0
          ? 'a continuation byte with no lead'
          : 'no character starts with it',
      );
    }
    for (let k = 1; k < length; k++) {
      if (i + k === n) return invalid(i, 'the file ends inside a character');
      const next = bytes[i + k]!;
      if ((next & 0xc0) !== 0x80) {
        return invalid(
          i,
          `it starts a ${length}-byte character, but byte ${i + k} (${hex(next)}) is not a continuation byte 10xxxxxx`,
        );
      }
      codePoint = (codePoint << 6) | (next & 0x3f);
    }
    // The shortest spelling only, no UTF-16 surrogates, nothing past U+10FFFF.
    const smallest = length === 2 ? 0x80 : length === 3 ? 0x800 : 0x10000;
    if (codePoint < smallest) return invalid(i, 'an overlong encoding');
    if (codePoint >= 0xd800 && codePoint <= 0xdfff) return invalid(i, 'a UTF-16 surrogate');
    if (codePoint > 0x10ffff) return invalid(i, 'past U+10FFFF');
    each(codePoint);
    i += length;
    count++;
  }
  return count;
}

const isControl = (c: number) =>
  (c < 0x20 && c !== 0x09 && c !== 0x0a && c !== 0x0c && c !== 0x0d) || c === 0x7f;

/** The bytes of a UTF-8 text as ids over its own vocabulary; refuses what cannot be trained on. */
export function encodeUtf8Text(bytes: Uint8Array): EncodedText {
  if (bytes.length === 0) {
    throw new TextFileError(
      'the file is empty: give a UTF-8 text file of at least a few kilobytes',
    );
  }
  // Pass 1: validate and count each code point: ASCII in a table, the rest in a map.
  const asciiCounts = new Float64Array(128);
  const otherCounts = new Map<number, number>();
  let controls = 0;
  const total = decodeUtf8(bytes, (c) => {
    if (c < 128) asciiCounts[c]!++;
    else otherCounts.set(c, (otherCounts.get(c) ?? 0) + 1);
    if (isControl(c)) controls++;
  });
  if (total === 0) {
    throw new TextFileError(
      'the file holds only a byte order mark: give a UTF-8 text file with text in it',
    );
  }
  if (controls > CONTROL_SHARE * total) {
    throw new TextFileError(
      `${controls} of its ${total} characters are control characters: this looks like a binary file, not text; give a UTF-8 text file`,
    );
  }
  const distinct: number[] = [];
  for (let c = 0; c < 128; c++) if (asciiCounts[c]! > 0) distinct.push(c);
  distinct.push(...[...otherCounts.keys()].sort((a, b) => a - b));
  if (distinct.length < 2) {
    throw new TextFileError(
      `the text has one distinct character (${JSON.stringify(String.fromCodePoint(distinct[0]!))}): a language model needs at least 2 to have anything to predict`,
    );
  }
  if (distinct.length > MAX_VOCABULARY) {
    throw new TextFileError(
      `the text has ${distinct.length} distinct characters, more than ${MAX_VOCABULARY}: give a text in fewer scripts`,
    );
  }
  // Pass 2: each character's id (sorted by code point), written in 1 or 2 bytes.
  const asciiId = new Int32Array(128).fill(-1);
  const otherId = new Map<number, number>();
  const counts = new Float64Array(distinct.length);
  distinct.forEach((c, id) => {
    if (c < 128) asciiId[c] = id;
    else otherId.set(c, id);
    counts[id] = c < 128 ? asciiCounts[c]! : otherCounts.get(c)!;
  });
  const ids = distinct.length <= 256 ? new Uint8Array(total) : new Uint16Array(total);
  let at = 0;
  decodeUtf8(bytes, (c) => {
    ids[at++] = c < 128 ? asciiId[c]! : otherId.get(c)!;
  });
  const vocabulary = new Vocabulary(distinct.map((c) => String.fromCodePoint(c)));
  return { vocabulary, ids, counts };
}

/**
 * The ids split in two contiguous parts, training first and validation at the end, as
 * views of the same memory (no copy).
 */
export function splitIds<A extends Uint8Array | Uint16Array | Int32Array>(
  ids: A,
  validationFraction: number,
): { train: A; validation: A } {
  if (!(validationFraction > 0 && validationFraction < 1)) {
    throw new RangeError(
      `splitIds: validationFraction must be in (0, 1), got ${validationFraction}`,
    );
  }
  const splitAt = Math.round(ids.length * (1 - validationFraction));
  return { train: ids.subarray(0, splitAt) as A, validation: ids.subarray(splitAt) as A };
}
