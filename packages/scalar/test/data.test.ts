import { describe, expect, it } from 'vitest';
import { twoMoons, xor } from '../src/index.ts';

describe('xor', () => {
  it('labels +1 exactly the points with one input on', () => {
    for (const { x, y } of xor()) expect(y).toBe(x[0] !== x[1] ? 1 : -1);
  });
});

describe('twoMoons', () => {
  it('without noise puts the upper moon on the unit circle, the lower on the circle around (1, 0.5)', () => {
    const samples = twoMoons(21, { noise: 0 });
    expect(samples.filter((s) => s.y === -1)).toHaveLength(11);
    for (const { x, y } of samples) {
      const [cx, cy] = y === -1 ? [0, 0] : [1, 0.5];
      expect(Math.hypot(x[0]! - cx, x[1]! - cy)).toBeAllclose(1);
      // The upper moon bulges up (y ≥ 0), the lower one down (y ≤ 0.5).
      expect(y === -1 ? x[1]! >= -1e-12 : x[1]! <= 0.5 + 1e-12).toBe(true);
    }
  });

  it('adds the same noise for the same seed, other noise for another', () => {
    expect(twoMoons(10, { seed: 3 })).toEqual(twoMoons(10, { seed: 3 }));
    expect(twoMoons(10, { seed: 3 })).not.toEqual(twoMoons(10, { seed: 4 }));
  });

  it('refuses too few points and negative noise', () => {
    expect(() => twoMoons(1)).toThrow('twoMoons: n must be an integer ≥ 2, got 1');
    expect(() => twoMoons(10, { noise: -0.1 })).toThrow('twoMoons: noise must be ≥ 0, got -0.1');
  });
});
