/**
 * A user's text file → ids. The judges are the platform's own UTF-8 codec (TextEncoder,
 * and TextDecoder with fatal: true) and Vocabulary.fromText on the decoded string: the
 * hand-written decoder must agree with both on every input.
 */

import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { encodeUtf8Text, splitIds, TextBatcher, TextFileError, Vocabulary } from '../src/index.ts';

const utf8 = (text: string) => new TextEncoder().encode(text);
/** Control characters (read as binary) and U+FEFF (dropped when leading). */
const refused = (c: number) =>
  (c < 0x20 && ![0x09, 0x0a, 0x0c, 0x0d].includes(c)) || c === 0x7f || c === 0xfeff;

describe('encodeUtf8Text', () => {
  it('gives the ids of Vocabulary.fromText for any Unicode text (TextEncoder writes the bytes)', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'grapheme', minLength: 1, maxLength: 60 }), (raw) => {
        // NUL and other control characters are refused as binary: keep them out here.
        const text = Array.from(raw, (ch) => (refused(ch.codePointAt(0)!) ? 'x' : ch)).join('');
        fc.pre(new Set(text).size >= 2);
        const { vocabulary, ids, counts } = encodeUtf8Text(utf8(text));
        const reference = Vocabulary.fromText(text);
        expect(vocabulary.chars).toEqual(reference.chars);
        expect(Array.from(ids)).toEqual(Array.from(reference.encode(text)));
        expect(counts.reduce((a, b) => a + b, 0)).toBe(Array.from(text).length);
      }),
      { seed: 17, numRuns: 200 },
    );
  });

  it('refuses exactly the byte strings that TextDecoder (fatal) refuses', () => {
    // Bytes without NUL and without 0x01–0x1F, 0x7F, so only UTF-8 validity decides.
    const byte = fc.oneof(
      fc.integer({ min: 0x20, max: 0x7e }),
      fc.integer({ min: 0x80, max: 0xff }),
    );
    fc.assert(
      fc.property(fc.array(byte, { minLength: 1, maxLength: 12 }), (list) => {
        const bytes = Uint8Array.from(list);
        let decoderRefuses = false;
        try {
          new TextDecoder('utf-8', { fatal: true }).decode(bytes);
        } catch {
          decoderRefuses = true;
        }
        let oursRefuses = false;
        try {
          encodeUtf8Text(bytes);
        } catch (error) {
          oursRefuses = /not valid UTF-8/.test((error as Error).message);
        }
        expect(oursRefuses).toBe(decoderRefuses);
      }),
      { seed: 17, numRuns: 2000 },
    );
  });

  it('uses one byte per character up to 256 distinct characters, two above', () => {
    expect(encodeUtf8Text(utf8('abcab')).ids).toBeInstanceOf(Uint8Array);
    const many = Array.from({ length: 300 }, (_, i) => String.fromCodePoint(0x4e00 + i)).join('');
    const wide = encodeUtf8Text(utf8(many));
    expect(wide.ids).toBeInstanceOf(Uint16Array);
    expect(wide.vocabulary.size).toBe(300);
    expect(wide.vocabulary.decode(wide.ids)).toBe(many);
  });

  it('drops a leading byte order mark', () => {
    const { vocabulary, ids } = encodeUtf8Text(Uint8Array.from([0xef, 0xbb, 0xbf, 0x61, 0x62]));
    expect(vocabulary.decode(ids)).toBe('ab');
  });

  it.each([
    ['an empty file', new Uint8Array(0), /the file is empty/],
    [
      'a NUL byte',
      Uint8Array.from([0x61, 0x00, 0x62]),
      /byte 1 is 0x00 \(NUL\): this looks like a binary file/,
    ],
    [
      'Latin-1 bytes',
      Uint8Array.from([0x63, 0x61, 0x66, 0xe9, 0x21]),
      /byte 3 \(0xE9\) is not valid UTF-8/,
    ],
    [
      'an overlong slash',
      Uint8Array.from([0x61, 0xc0, 0xaf]),
      /byte 1 \(0xC0\) is not valid UTF-8/,
    ],
    [
      'a cut-off character',
      Uint8Array.from([0x61, 0xe2, 0x82]),
      /the file ends inside a character/,
    ],
    [
      'control characters',
      utf8('ab\u0001\u0002\u0003cd'),
      /3 of its 7 characters are control characters/,
    ],
    [
      'one distinct character',
      utf8('aaaaaaaa'),
      /one distinct character \("a"\): a language model needs at least 2/,
    ],
  ])('refuses %s with one line that says why', (_, bytes, message) => {
    let error: unknown;
    try {
      encodeUtf8Text(bytes);
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(TextFileError);
    expect((error as Error).message).toMatch(message);
    expect((error as Error).message).not.toContain('\n');
  });
});

describe('splitIds', () => {
  it('cuts at round(N · (1 − f)) into views of the same memory', () => {
    const ids = Uint8Array.from({ length: 10 }, (_, i) => i);
    const { train, validation } = splitIds(ids, 0.25);
    expect(Array.from(train)).toEqual([0, 1, 2, 3, 4, 5, 6, 7]); // round(7.5) = 8
    expect(Array.from(validation)).toEqual([8, 9]);
    expect(train.buffer).toBe(ids.buffer);
  });

  it('feeds TextBatcher without widening the ids', () => {
    const { ids } = encodeUtf8Text(utf8('the cat sat on the mat. '.repeat(20)));
    const batcher = new TextBatcher(ids, { batchSize: 2, seqLength: 5 });
    expect(batcher.ids).toBe(ids);
  });
});
