/**
 * Clipping: the norm returned is the norm of all gradients laid end to end; the
 * clipped gradients point the same way and have (just under) the allowed length;
 * small gradients are left bit-for-bit alone; value clipping is a clamp; and the
 * messages of the argument checks.
 */

import { arbitraries } from '@unroll/gradcheck';
import { type Tensor, tensor } from '@unroll/tensor';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { clipGradNorm, clipGradValue } from '../src/index.ts';
import { type ErrorCase, expectError, param } from './expect-error.ts';

function withGrads(grads: (number[] | null)[]): Tensor[] {
  return grads.map((g, i) => {
    const p = tensor(new Array(g?.length ?? i + 1).fill(0), { requiresGrad: true });
    p.grad = g === null ? null : tensor(g);
    return p;
  });
}

const gradLists = fc.array(
  fc.option(fc.array(arbitraries.value({ min: -100, max: 100 }), { minLength: 1, maxLength: 6 }), {
    freq: 6,
  }),
  { minLength: 1, maxLength: 4 },
);

/** ‖x‖ₚ of everything laid end to end, straight from the definition. */
function normOfAll(grads: (number[] | null)[], p: number): number {
  const all = grads.flatMap((g) => g ?? []).map(Math.abs);
  if (p === Infinity) return all.reduce((a, b) => Math.max(a, b), 0);
  return all.reduce((a, b) => a + b ** p, 0) ** (1 / p);
}

describe('clipGradNorm', () => {
  it('returns the p-norm of all the gradients together, for p = 1, 2, 3, ∞', () => {
    fc.assert(
      fc.property(gradLists, fc.constantFrom(1, 2, 3, Infinity), (grads, p) => {
        const total = clipGradNorm(withGrads(grads), 1e9, { normType: p });
        expect(total).toBeAllclose(normOfAll(grads, p), { atol: 1e-12, rtol: 1e-12 });
      }),
    );
  });

  it('scales every gradient by maxNorm/(total + 1e-6) when that is below 1: same direction, length just under maxNorm', () => {
    fc.assert(
      fc.property(gradLists, fc.double({ min: 1e-3, max: 1, noNaN: true }), (grads, fraction) => {
        const total = normOfAll(grads, 2);
        fc.pre(total > 1e-3);
        const maxNorm = fraction * total;
        const params = withGrads(grads);
        clipGradNorm(params, maxNorm);
        const k = maxNorm / (total + 1e-6);
        params.forEach((p, i) => {
          const g = grads[i];
          if (g === null || g === undefined) expect(p.grad).toBeNull();
          else
            expect(p.grad!.data).toBeAllclose(
              g.map((x) => k * x),
              { atol: 1e-12, rtol: 1e-12 },
            );
        });
        const after = normOfAll(
          params.map((p) => (p.grad ? Array.from(p.grad.data) : null)),
          2,
        );
        expect(after).toBeLessThanOrEqual(maxNorm * (1 + 1e-12));
      }),
    );
  });

  it('leaves gradients with a norm below maxNorm − 1e-6 exactly as they were', () => {
    fc.assert(
      fc.property(gradLists, fc.double({ min: 1.001, max: 100, noNaN: true }), (grads, factor) => {
        const params = withGrads(grads);
        const total = normOfAll(grads, 2);
        clipGradNorm(params, factor * total + 1e-5);
        params.forEach((p, i) => {
          expect(p.grad === null ? null : Array.from(p.grad.data)).toEqual(grads[i]);
        });
      }),
    );
  });

  it("follows PyTorch's rule at the boundary: a norm equal to maxNorm is still scaled, by maxNorm/(maxNorm + 1e-6)", () => {
    const [p] = withGrads([[3, 4]]);
    expect(clipGradNorm(p!, 5)).toBe(5);
    const k = 5 / (5 + 1e-6);
    expect(Array.from(p!.grad!.data)).toEqual([3 * k, 4 * k]);
    expect(k).toBeLessThan(1);
  });

  it('returns 0 and changes nothing when no parameter has a gradient', () => {
    expect(clipGradNorm(withGrads([null, null]), 1)).toBe(0);
  });

  it('without errorIfNonfinite, scales by a non-finite norm as PyTorch does', () => {
    const [a, b] = withGrads([[1, 2], [Infinity]]);
    expect(clipGradNorm([a!, b!], 1)).toBe(Infinity);
    // maxNorm/∞ = 0: finite entries become 0, the infinite one ∞·0 = NaN.
    expect(Array.from(a!.grad!.data)).toEqual([0, 0]);
    expect(b!.grad!.data[0]).toBeNaN();
    const [c] = withGrads([[1, Number.NaN]]);
    expect(clipGradNorm(c!, 1)).toBeNaN();
    expect(Array.from(c!.grad!.data).every(Number.isNaN)).toBe(true);
  });
});

function clampTo(x: number, c: number): number {
  if (x > c) return c;
  if (x < -c) return -c;
  return x;
}

describe('clipGradValue', () => {
  it('clamps every entry into [−c, c] and leaves the others alone', () => {
    fc.assert(
      fc.property(gradLists, fc.double({ min: 0, max: 50, noNaN: true }), (grads, c) => {
        const params = withGrads(grads);
        clipGradValue(params, c);
        params.forEach((p, i) => {
          const g = grads[i] ?? null;
          expect(p.grad === null ? null : Array.from(p.grad.data)).toEqual(
            g === null ? null : g.map((x) => clampTo(x, c)),
          );
        });
      }),
    );
  });

  it("clips min-char-rnn's way, to ±5, and keeps NaN visible", () => {
    const [p] = withGrads([[-7, -5, 0.5, 5, 12, Number.NaN]]);
    clipGradValue(p!, 5);
    expect(Array.from(p!.grad!.data)).toEqual([-5, -5, 0.5, 5, 5, Number.NaN]);
  });
});

const withGrad = (grad: number[]): Tensor => {
  const p = param(grad.map(() => 0));
  p.grad = tensor(grad);
  return p;
};

const clippingCases: ErrorCase[] = [
  [
    'negative maxNorm',
    () => clipGradNorm([withGrad([1])], -1),
    RangeError,
    'clipGradNorm: maxNorm must be a number in [0, ∞), got -1',
  ],
  [
    'normType 0',
    () => clipGradNorm([withGrad([1])], 1, { normType: 0 }),
    RangeError,
    'clipGradNorm: normType must be a number in (0, ∞], got 0',
  ],
  [
    'normType NaN',
    () => clipGradNorm([withGrad([1])], 1, { normType: Number.NaN }),
    RangeError,
    'clipGradNorm: normType must be a number in (0, ∞], got NaN',
  ],
  [
    'normType as a string',
    () => clipGradNorm([withGrad([1])], 1, { normType: 'inf' as never }),
    TypeError,
    'clipGradNorm: normType must be a number in (0, ∞], got "inf" (a string)',
  ],
  [
    'errorIfNonfinite not boolean',
    () => clipGradNorm([withGrad([1])], 1, { errorIfNonfinite: 1 as never }),
    TypeError,
    'clipGradNorm: errorIfNonfinite must be true or false, got 1 (a number)',
  ],
  [
    'a PyTorch spelling',
    () => clipGradNorm([withGrad([1])], 1, { norm_type: 2 } as never),
    TypeError,
    "clipGradNorm: unknown option 'norm_type' (did you mean 'normType'?); the options are normType, errorIfNonfinite",
  ],
  [
    'something that is not a tensor',
    () => clipGradNorm([withGrad([1]), 3 as never], 1),
    TypeError,
    'clipGradNorm: params[1] must be a Tensor, got 3',
  ],
  [
    'null among the tensors',
    () => clipGradNorm([withGrad([1]), null as never], 1),
    TypeError,
    'clipGradNorm: params[1] must be a Tensor, got null',
  ],
  [
    'an object without a gradient field',
    () => clipGradValue([{ data: [1] } as never], 1),
    TypeError,
    'clipGradValue: params[0] must be a Tensor, got [object Object] (an object)',
  ],
  [
    'a NaN gradient with errorIfNonfinite',
    () => clipGradNorm([withGrad([1]), withGrad([Number.NaN])], 1, { errorIfNonfinite: true }),
    RangeError,
    'clipGradNorm: the total norm of order 2 of the gradients is non-finite (NaN), so they cannot be clipped; some gradient holds NaN or Infinity (set errorIfNonfinite: false to scale by it anyway)',
  ],
  [
    'an infinite gradient with errorIfNonfinite',
    () =>
      clipGradNorm([withGrad([Number.NEGATIVE_INFINITY])], 1, {
        normType: Infinity,
        errorIfNonfinite: true,
      }),
    RangeError,
    'clipGradNorm: the total norm of order Infinity of the gradients is non-finite (Infinity), so they cannot be clipped; some gradient holds NaN or Infinity (set errorIfNonfinite: false to scale by it anyway)',
  ],
  [
    'negative clipValue',
    () => clipGradValue([withGrad([1])], -5),
    RangeError,
    'clipGradValue: clipValue must be a number in [0, ∞), got -5',
  ],
  [
    'clipValue as a string',
    () => clipGradValue([withGrad([1])], '5' as never),
    TypeError,
    'clipGradValue: clipValue must be a number in [0, ∞), got "5" (a string)',
  ],
];

describe('clipping arguments', () => {
  it.each(clippingCases)('%s', (_what, f, kind, message) => {
    expectError(f, kind, message);
  });
});
