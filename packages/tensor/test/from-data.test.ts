/**
 * fromData takes a Float64Array and nothing else: a Float32Array would keep only 24
 * bits of mantissa, and an SGD step of 1e-9 on a weight of 1 would vanish without a word.
 */

import { describe, expect, it } from 'vitest';
import { fromData } from '../src/index.ts';

describe('fromData and typed arrays', () => {
  it('refuses a Float32Array, naming it and the explicit conversion', () => {
    const data = new Float32Array([1, 2]);
    expect(() => fromData(data as unknown as Float64Array, [2])).toThrow(
      'fromData: data is a Float32Array; expected a Float64Array (convert explicitly with Float64Array.from(data): every float32 is exactly a float64)',
    );
  });

  it.each([
    ['an Int32Array', new Int32Array(2)],
    ['a Uint8Array', new Uint8Array(2)],
    ['an Array', [1, 2]],
  ])('refuses %s', (what, data) => {
    expect(() => fromData(data as unknown as Float64Array, [2])).toThrow(
      `fromData: data is ${what}; expected a Float64Array`,
    );
  });

  it('keeps float64 precision: 1 − 1e-9 stays distinct from 1', () => {
    // What a Float32Array would lose: Math.fround(1 - 1e-9) === 1.
    expect(Math.fround(1 - 1e-9)).toBe(1);
    const t = fromData(Float64Array.of(1), [1]);
    t.data[0] = t.data[0]! - 1e-9;
    expect(t.data[0]).not.toBe(1);
    expect(t.data).toBeInstanceOf(Float64Array);
  });
});
