/**
 * run-data.ts: the record of a text file, the ids kept in the run folder (one or two
 * bytes each) and loaded back, a damaged ids file refused, and the check that a file given
 * again on resume is the same file.
 */

import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { defaultConfig, type TrainConfig } from '../src/config.ts';
import {
  checkSameFile,
  DATA_FILES,
  loadRunData,
  readTextSource,
  saveRunData,
  type TextSource,
  textIds,
} from '../src/run-data.ts';
import { tempFolder } from './helpers.ts';

const scratch = tempFolder();
const config = (text: TextSource): TrainConfig => ({ ...defaultConfig('charlm'), text });

/** A record for ids that this process has not read: only the run folder can supply them. */
const record = (vocabulary: string[], characters: number, sha256: string): TextSource => ({
  file: 'gone.txt',
  path: '/nowhere/gone.txt',
  bytes: characters,
  sha256,
  characters,
  validationFraction: 0.1,
  vocabulary,
  unigram: 1,
  bigram: 1,
});

describe('readTextSource', () => {
  it('gives bigram below unigram on English, and the split sizes the batches need', () => {
    const file = join(scratch, 'en.txt');
    writeFileSync(file, 'a man, a plan, a canal: panama. '.repeat(40));
    const source = readTextSource(file, { batch: 4, seqLen: 16 }, 0.25);
    expect(source.characters).toBe(32 * 40);
    expect(source.bigram!).toBeLessThan(source.unigram);
    expect(textIds(source)).toHaveLength(source.characters);
  });
});

describe('loadRunData', () => {
  it('loads one-byte ids from the run folder when the file is gone', () => {
    const folder = join(scratch);
    const source = record(['a', 'b'], 4, '1'.repeat(64));
    writeFileSync(join(folder, DATA_FILES.textIds), Uint8Array.from([0, 1, 1, 0]));
    loadRunData(folder, config(source));
    expect(Array.from(textIds(source))).toEqual([0, 1, 1, 0]);
  });

  it('loads two-byte ids for more than 256 characters', () => {
    const vocabulary = Array.from({ length: 300 }, (_, i) => String.fromCodePoint(0x4e00 + i));
    const source = record(vocabulary, 3, '2'.repeat(64));
    const ids = Uint16Array.from([299, 0, 257]);
    writeFileSync(join(scratch, DATA_FILES.textIds), new Uint8Array(ids.buffer));
    loadRunData(scratch, config(source));
    expect(Array.from(textIds(source))).toEqual([299, 0, 257]);
  });

  it('refuses an ids file of the wrong length, naming both lengths', () => {
    const source = record(['a', 'b'], 5, '3'.repeat(64));
    writeFileSync(join(scratch, DATA_FILES.textIds), Uint8Array.from([0, 1]));
    expect(() => loadRunData(scratch, config(source))).toThrow(
      'text-ids.bin holds 2 bytes, expected 5 (5 characters × 1 byte)',
    );
  });

  it('round-trips through saveRunData', () => {
    const file = join(scratch, 'round.txt');
    writeFileSync(file, 'ünïcödé text, ünïcödé text. '.repeat(30));
    const source = readTextSource(file, { batch: 2, seqLen: 8 }, 0.1);
    const folder = join(scratch);
    saveRunData(folder, config(source));
    const copy = { ...source, sha256: '4'.repeat(64) }; // the same ids, seen as unread
    loadRunData(folder, config(copy));
    expect(textIds(copy)).toEqual(textIds(source));
  });
});

describe('checkSameFile', () => {
  it('accepts the same bytes under another name and refuses other bytes', () => {
    const a = join(scratch, 'a.txt');
    const b = join(scratch, 'b.txt');
    writeFileSync(a, 'abc abc abc '.repeat(50));
    writeFileSync(b, 'abc abc abc '.repeat(50));
    const source = readTextSource(a, { batch: 2, seqLen: 8 }, 0.1);
    expect(() => checkSameFile(b, config(source), '--text')).not.toThrow();
    writeFileSync(b, 'abc abc abd '.repeat(50));
    expect(() => checkSameFile(b, config(source), '--text')).toThrow(
      /^--text b\.txt is not the file this run began with \(a\.txt, 600 bytes/,
    );
    expect(() => checkSameFile(b, defaultConfig('charlm'), '--text')).toThrow(
      /this run was not trained on a text file/,
    );
  });
});
