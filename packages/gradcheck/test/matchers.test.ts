import { describe, expect, it } from 'vitest';
import { allclose, flatten } from '../src/index.ts';

describe('toBeAllclose', () => {
  it('accepts numbers, arrays, nested arrays and shaped data', () => {
    expect(1 + 1e-12).toBeAllclose(1);
    expect([1, 2, 3]).toBeAllclose(Float64Array.of(1, 2, 3 + 1e-9));
    expect([
      [1, 2],
      [3, 4],
    ]).toBeAllclose({ data: [1, 2, 3, 4], shape: [2, 2] });
  });

  it('fails with a message naming the shape, the worst index and both values', () => {
    const result = allclose(
      [
        [1, 2],
        [3, 4.5],
      ],
      [
        [1, 2],
        [3, 4],
      ],
    );
    expect(result.pass).toBe(false);
    const message = result.message();
    expect(message).toContain('shape [2, 2]');
    expect(message).toContain('worst entry [1, 1]');
    expect(message).toContain('received 4.5');
    expect(message).toContain('expected 4');
  });

  it('fails on differing shapes with both shapes named', () => {
    const result = allclose([1, 2, 3], [[1, 2]]);
    expect(result.pass).toBe(false);
    expect(result.message()).toBe('expected shape [1, 2] but received shape [3]');
  });

  it('compares a flat array with any shape of as many entries, but not two different shapes', () => {
    expect({ data: [1, 2, 3, 4, 5, 6], shape: [2, 3] }).toBeAllclose([1, 2, 3, 4, 5, 6]);
    expect(Float64Array.of(1, 2)).toBeAllclose([[1, 2]]);
    expect(5).toBeAllclose([[5]]);
    const transposed = allclose({ data: [1, 2, 3, 4, 5, 6], shape: [2, 3] }, [
      [1, 2],
      [3, 4],
      [5, 6],
    ]);
    expect(transposed.pass).toBe(false);
    expect(transposed.message()).toBe('expected shape [3, 2] but received shape [2, 3]');
  });

  it('respects custom tolerances', () => {
    expect(1.1).toBeAllclose(1, { atol: 0.2 });
    expect(() => expect(1.1).toBeAllclose(1, { atol: 0.01 })).toThrow(/allclose FAILED/);
  });
});

describe('flatten', () => {
  it('refuses ragged nested arrays', () => {
    expect(() => flatten([[1, 2], [3]])).toThrow('ragged nested array');
  });

  it('names what it got when that is not numbers (a gradient that is still null)', () => {
    expect(() => expect(null).toBeAllclose([1, 2])).toThrow(
      'toBeAllclose: expected a number, an array of numbers or { data, shape }, got null',
    );
    expect(() => flatten([1, 'two' as never])).toThrow('got string at depth 1');
  });
});
