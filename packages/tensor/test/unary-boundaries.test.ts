/**
 * Where the elementwise ops meet their edges:
 * - σ(x) for x ≪ 0: σ(x) = eˣ/(1 + eˣ) and 1 + eˣ rounds to 1, so σ(x) is eˣ itself,
 *   down into the subnormals; the form 1/(1 + e⁻ˣ) would overflow e⁻ˣ to ∞ and give 0.
 * - clamp: min = max is allowed (every entry becomes that value), and at exactly a bound
 *   the gradient passes, as in PyTorch (its backward masks with min ≤ x ≤ max).
 * - pow and clamp refuse what is not a number, naming the op and the argument.
 */
import { describe, expect, it } from 'vitest';
import { clamp, pow, sigmoid, tensor } from '../src/index.ts';

describe('sigmoid far below 0', () => {
  it('is eˣ, even where eˣ is subnormal and e⁻ˣ overflows', () => {
    const xs = [-40, -300, -720, -740];
    const y = sigmoid(tensor(xs)).data;
    xs.forEach((x, i) => {
      expect(y[i]).toBeGreaterThan(0);
      expect(y[i]).toBe(Math.exp(x));
    });
  });
});

describe('clamp at its bounds', () => {
  it('accepts min = max, and sets every entry to it', () => {
    expect(Array.from(clamp(tensor([-1, 0.5, 3]), 0.5, 0.5).data)).toEqual([0.5, 0.5, 0.5]);
  });

  it('passes the gradient at exactly min and at exactly max, and stops it outside', () => {
    const x = tensor([-1, 0, 1, 2, 3], { requiresGrad: true });
    clamp(x, 0, 2).backward(tensor([1, 2, 3, 4, 5]));
    expect(Array.from(x.grad!.data)).toEqual([0, 2, 3, 4, 0]);
  });

  it('refuses a NaN bound, naming both bounds', () => {
    expect(() => clamp(tensor([1]), Number.NaN, 1)).toThrow(
      'clamp: need min ≤ max, got min NaN, max 1',
    );
    expect(() => clamp(tensor([1]), 0, Number.NaN)).toThrow(
      'clamp: need min ≤ max, got min 0, max NaN',
    );
  });
});

describe('non-numbers', () => {
  it('pow refuses an exponent that is not a number, even one that would coerce', () => {
    expect(() => pow(tensor([2]), '2' as never)).toThrow(RangeError);
    expect(() => pow(tensor([2]), '2' as never)).toThrow('pow: exponent must be a number, got 2');
  });

  it('pow and clamp name themselves and x when x is not a tensor', () => {
    expect(() => pow([2] as never, 2)).toThrow(
      'pow: x must be a Tensor, got an array (wrap it with tensor(...))',
    );
    expect(() => clamp(null as never, 0, 1)).toThrow('clamp: x must be a Tensor, got null');
  });
});
