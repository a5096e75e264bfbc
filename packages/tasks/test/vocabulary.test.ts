/** Vocabulary: distinct characters sorted by code point ↔ ids, and its messages. */

import { describe, expect, it } from 'vitest';
import { Vocabulary } from '../src/index.ts';

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

  it('looks single characters up, and refuses entries that are not one code point', () => {
    const vocabulary = new Vocabulary(['x', '—', 'a']);
    expect([vocabulary.id('x'), vocabulary.id('—'), vocabulary.id('a')]).toEqual([0, 1, 2]);
    expect([vocabulary.has('a'), vocabulary.has('b')]).toEqual([true, false]);
    expect(vocabulary.size).toBe(3);
    expect(() => vocabulary.id('b')).toThrow('Vocabulary: "b" is not in the vocabulary');
    expect(() => new Vocabulary(['a', 'bc'])).toThrow(
      'Vocabulary: entry 1 must be one character, got "bc"',
    );
    expect(() => new Vocabulary([''])).toThrow('Vocabulary: entry 0 must be one character, got ""');
    expect(() => new Vocabulary([])).toThrow('Vocabulary: needs at least one character');
    // One code point outside the Basic Multilingual Plane is two UTF-16 units, one character.
    expect(Vocabulary.fromText('a🐳a').chars).toEqual(['a', '🐳']);
  });
});
