/**
 * A character vocabulary: the distinct characters of a text, sorted by code point, each
 * given an id 0 … V − 1. "Character" means a Unicode code point, so ‘—’ and ’ are one
 * symbol each, as a reader sees them, not two UTF-16 halves.
 */

export class Vocabulary {
  readonly chars: readonly string[];
  private readonly idOf: Map<string, number>;

  /** `chars` must be distinct single code points; their order gives the ids. */
  constructor(chars: readonly string[]) {
    const idOf = new Map<string, number>();
    chars.forEach((ch, id) => {
      if (Array.from(ch).length !== 1) {
        throw new RangeError(
          `Vocabulary: entry ${id} must be one character, got ${JSON.stringify(ch)}`,
        );
      }
      if (idOf.has(ch)) {
        throw new RangeError(
          `Vocabulary: character ${JSON.stringify(ch)} appears twice (ids ${idOf.get(ch)} and ${id})`,
        );
      }
      idOf.set(ch, id);
    });
    if (chars.length === 0) throw new RangeError('Vocabulary: needs at least one character');
    this.chars = [...chars];
    this.idOf = idOf;
  }

  /** Every distinct character of `text`, by code point. */
  static fromText(text: string): Vocabulary {
    const distinct = [...new Set(text)].sort((a, b) => a.codePointAt(0)! - b.codePointAt(0)!);
    return new Vocabulary(distinct);
  }

  /** V: the number of characters, so the width of one-hot inputs and of logits. */
  get size(): number {
    return this.chars.length;
  }

  has(ch: string): boolean {
    return this.idOf.has(ch);
  }

  id(ch: string): number {
    const id = this.idOf.get(ch);
    if (id === undefined)
      throw new RangeError(`Vocabulary: ${JSON.stringify(ch)} is not in the vocabulary`);
    return id;
  }

  /** Text → ids; a character outside the vocabulary is an error naming it and its position. */
  encode(text: string): Int32Array {
    const chars = Array.from(text);
    const ids = new Int32Array(chars.length);
    chars.forEach((ch, i) => {
      const id = this.idOf.get(ch);
      if (id === undefined) {
        throw new RangeError(
          `Vocabulary.encode: character ${JSON.stringify(ch)} at position ${i} is not in the vocabulary of ${this.size}`,
        );
      }
      ids[i] = id;
    });
    return ids;
  }

  /** Ids → text. */
  decode(ids: ArrayLike<number>): string {
    let text = '';
    for (let i = 0; i < ids.length; i++) {
      const ch = this.chars[ids[i]!];
      if (ch === undefined) {
        throw new RangeError(
          `Vocabulary.decode: id ${ids[i]} at position ${i} is not in [0, ${this.size - 1}]`,
        );
      }
      text += ch;
    }
    return text;
  }

  /** The characters in id order: enough to rebuild the vocabulary (`new Vocabulary(json)`). */
  toJSON(): string[] {
    return [...this.chars];
  }
}
