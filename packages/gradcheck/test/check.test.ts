/**
 * The checker must pass correct derivatives and, just as important, fail wrong ones.
 * A judge that cannot convict is worthless, so each classic bug is planted on purpose.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  arbitraries,
  assertGradcheck,
  directionalCheck,
  gradcheck,
  jacobianCheck,
} from '../src/index.ts';

// f(x, y) = sin(x)·y³ : a product rule, ∂f/∂x = cos(x)·y³, ∂f/∂y = 3·sin(x)·y².
const product = (v: Float64Array) => Math.sin(v[0]!) * v[1]! ** 3;
const productGradient = (v: Float64Array) => [
  Math.cos(v[0]!) * v[1]! ** 3,
  3 * Math.sin(v[0]!) * v[1]! ** 2,
];

// Values bounded away from zero so that every gradient entry is far above atol.
const awayFromZero = arbitraries.float64Array(2, { min: -1.4, max: 1.4, avoid: [0], margin: 0.3 });

describe('gradcheck', () => {
  it('passes the product rule', () => {
    fc.assert(
      fc.property(awayFromZero, (x) => {
        assertGradcheck(gradcheck(product, x, productGradient(x)));
      }),
    );
  });

  it('fails a gradient scaled by 1.01', () => {
    fc.assert(
      fc.property(awayFromZero, (x) => {
        const wrong = productGradient(x).map((g) => 1.01 * g);
        expect(gradcheck(product, x, wrong).ok).toBe(false);
      }),
    );
  });

  it('fails a sign flip and names the worst entry with both values', () => {
    const x = Float64Array.of(0.5, 1.2);
    const [gx, gy] = productGradient(x) as [number, number];
    const result = gradcheck(product, x, [gx, -gy], { what: 'd(f)/d(x, y)' });
    expect(result.ok).toBe(false);
    expect(result.worstIndex).toBe(1);
    expect(result.analytic).toBe(-gy);
    expect(result.numerical).toBeCloseTo(gy, 8);
    expect(result.message).toContain('d(f)/d(x, y) FAILED');
    expect(result.message).toContain('worst entry [1]');
    expect(() => assertGradcheck(result)).toThrow(/analytic -\d/);
  });

  it('fails a missing fan-out accumulation: d(x·x)/dx taken as x instead of 2x', () => {
    fc.assert(
      fc.property(
        arbitraries.float64Array(3, { min: -2, max: 2, avoid: [0], margin: 0.1 }),
        (x) => {
          const square = (v: Float64Array) => v.reduce((s, vi) => s + vi * vi, 0);
          expect(
            gradcheck(
              square,
              x,
              Array.from(x, (xi) => 2 * xi),
            ).ok,
          ).toBe(true);
          // The classic bug: the second use of x assigns its gradient instead of adding it.
          expect(gradcheck(square, x, x).ok).toBe(false);
        },
      ),
    );
  });

  it('names the worst entry by its multi-index when given a shape', () => {
    const x = Float64Array.of(1, 2, 3, 4, 5, 6);
    const result = gradcheck((v) => v.reduce((s, vi) => s + vi, 0), x, [1, 1, 1, 1, 1, 7], {
      shape: [2, 3],
    });
    expect(result.message).toContain('worst entry [1, 2]');
    expect(result.message).toContain('shape [2, 3]');
  });

  it('fails a NaN gradient', () => {
    const result = gradcheck((v) => v[0]!, Float64Array.of(1), [Number.NaN]);
    expect(result.ok).toBe(false);
  });

  it('accepts the analytic gradient as a function of x, evaluated at x', () => {
    const x = Float64Array.of(0.4, -1.1);
    expect(gradcheck(product, x, productGradient).ok).toBe(true);
    const wrong = (v: Float64Array) => productGradient(v).map((g) => -g);
    expect(gradcheck(product, x, wrong).ok).toBe(false);
  });

  it('refuses an analytic gradient of the wrong length', () => {
    expect(() => gradcheck((v) => v[0]!, Float64Array.of(1, 2), [1])).toThrow(
      'gradcheck: analytic gradient has 1 entries but x has 2',
    );
  });
});

describe('jacobianCheck', () => {
  // f(x) = (x₀x₁, x₀ + 2x₁, sin x₁): a non-symmetric 3×2 Jacobian.
  const f = (x: Float64Array) => Float64Array.of(x[0]! * x[1]!, x[0]! + 2 * x[1]!, Math.sin(x[1]!));
  const jacobian = (x: Float64Array) => [x[1]!, x[0]!, 1, 2, 0, Math.cos(x[1]!)];

  it('passes the true Jacobian', () => {
    fc.assert(
      fc.property(arbitraries.float64Array(2), (x) => {
        assertGradcheck(jacobianCheck(f, x, jacobian(x)));
      }),
    );
  });

  it('fails a transposed Jacobian', () => {
    // For a square map with J ≠ Jᵀ: f(x) = (x₀ + 3x₁, x₁).
    const g = (x: Float64Array) => Float64Array.of(x[0]! + 3 * x[1]!, x[1]!);
    const x = Float64Array.of(0.2, 0.4);
    expect(jacobianCheck(g, x, [1, 3, 0, 1]).ok).toBe(true);
    const transposed = jacobianCheck(g, x, [1, 0, 3, 1]);
    expect(transposed.ok).toBe(false);
    expect(transposed.message).toContain('shape [2, 2]');
  });

  it('refuses an analytic Jacobian of the wrong size', () => {
    expect(() => jacobianCheck(f, Float64Array.of(1, 2), [1, 2, 3])).toThrow(
      'jacobianCheck: analytic Jacobian has 3 entries, expected 3×2 = 6',
    );
  });
});

describe('directionalCheck', () => {
  // f(x) = A x with a fixed 3×4 A: its VJP is v ↦ Aᵀv.
  const A = [
    [1, -2, 0.5, 3],
    [0, 1, 4, -1],
    [2, 2, -3, 0.25],
  ];
  const f = (x: Float64Array) =>
    Float64Array.from(A, (row) => row.reduce((s, a, j) => s + a * x[j]!, 0));
  const vjp = (v: Float64Array) =>
    [0, 1, 2, 3].map((j) => A.reduce((s, row, i) => s + row[j]! * v[i]!, 0));
  const wrongVjp = (v: Float64Array) => vjp(v).map((g, j) => (j === 2 ? g * 1.05 : g));

  it('passes the true vector–Jacobian product', () => {
    fc.assert(
      fc.property(arbitraries.float64Array(4), arbitraries.seed(), (x, seed) => {
        assertGradcheck(directionalCheck(f, x, vjp, { seed }));
      }),
    );
  });

  it('fails a VJP that is wrong in one column', () => {
    const result = directionalCheck(f, Float64Array.of(1, 2, 3, 4), wrongVjp, { trials: 5 });
    expect(result.ok).toBe(false);
  });

  it('measures vᵀJu along the unit directions it draws, the same ones for the same seed', () => {
    // Record what the check feeds f and the VJP, then redo its arithmetic here.
    const x = Float64Array.of(0.5, -1, 2, 0.25);
    const eps = 1e-6;
    const run = (seed: number) => {
      const probes: Float64Array[] = [];
      const vs: Float64Array[] = [];
      const report = directionalCheck(
        (p) => {
          probes.push(Float64Array.from(p));
          return f(p);
        },
        x,
        (v) => {
          vs.push(Float64Array.from(v));
          return vjp(v);
        },
        { seed },
      );
      return { report, probes: probes.slice(1), vs }; // probes[0] is f(x), for the output size
    };
    const { report, probes, vs } = run(7);
    expect(report.analyticGradient.length).toBe(3); // three trials by default
    expect(vs.length).toBe(3);
    const dot = (a: ArrayLike<number>, b: ArrayLike<number>) =>
      Array.from(a).reduce((s, ai, i) => s + ai * b[i]!, 0);
    const signs = new Set<number>();
    for (let t = 0; t < 3; t++) {
      const [plus, minus] = [probes[2 * t]!, probes[2 * t + 1]!];
      const u = Array.from(plus, (p, i) => (p - x[i]!) / eps);
      for (const ui of u) signs.add(Math.sign(ui));
      // x ± εu with ‖u‖ = 1 and ‖v‖ = 1.
      expect(Array.from(minus, (m, i) => (x[i]! - m) / eps)).toBeAllclose(u, { atol: 1e-8 });
      expect(Math.hypot(...u)).toBeAllclose(1, { atol: 1e-8 });
      expect(Math.hypot(...vs[t]!)).toBeAllclose(1, { atol: 1e-12 });
      expect(report.analyticGradient[t]).toBeAllclose(dot(vjp(vs[t]!), u), { atol: 1e-8 });
      const central = (dot(f(plus), vs[t]!) - dot(f(minus), vs[t]!)) / (2 * eps);
      expect(report.numericalGradient[t]).toBe(central);
    }
    expect(signs).toEqual(new Set([-1, 1])); // directions point every way, not into one orthant
    // The same seed replays the same directions; another seed draws others.
    expect(run(7).vs).toEqual(vs);
    expect(run(8).vs).not.toEqual(vs);
  });

  it('names itself and its two sides in the report when not told what it checks', () => {
    const x = Float64Array.of(1, 2, 3, 4);
    expect(directionalCheck(f, x, wrongVjp, { trials: 5 }).message).toMatch(
      /^directionalCheck \(vᵀJu per trial\) FAILED: .*\n {2}shape \[5\], worst entry \[\d\]: analytic .*, numerical /,
    );
    expect(gradcheck((v) => v[0]!, Float64Array.of(1), [2]).message).toMatch(
      /^gradcheck FAILED: .*\n {2}shape \[1\], worst entry \[0\]: analytic 2, numerical /,
    );
    expect(jacobianCheck((v) => v, Float64Array.of(1), [1]).message).toMatch(
      /^jacobianCheck passed/,
    );
  });

  it('refuses a VJP of the wrong length', () => {
    expect(() => directionalCheck(f, Float64Array.of(1, 2, 3, 4), () => [1, 2])).toThrow(
      'directionalCheck: vjp returned 2 entries, x has 4',
    );
  });

  it('checks a scalar function with v = [1]', () => {
    const x = Float64Array.of(0.3, -0.7);
    const result = directionalCheck(product, x, (v) => productGradient(x).map((g) => g * v[0]!));
    expect(result.ok).toBe(true);
  });
});
