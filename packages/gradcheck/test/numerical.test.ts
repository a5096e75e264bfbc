import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { arbitraries, numericalGradient, numericalJacobian } from '../src/index.ts';

describe('numericalGradient', () => {
  it('gives cos for sin, entry by entry', () => {
    fc.assert(
      fc.property(arbitraries.float64Array(5, { min: -3, max: 3 }), (x) => {
        const sumOfSines = (v: Float64Array) => v.reduce((s, vi) => s + Math.sin(vi), 0);
        expect(numericalGradient(sumOfSines, x)).toBeAllclose(Array.from(x, Math.cos), {
          atol: 1e-8,
        });
      }),
    );
  });

  it('gives 3x² for x³', () => {
    fc.assert(
      fc.property(arbitraries.float64Array(4, { min: -2, max: 2 }), (x) => {
        const cubes = (v: Float64Array) => v.reduce((s, vi) => s + vi ** 3, 0);
        expect(numericalGradient(cubes, x)).toBeAllclose(
          Array.from(x, (xi) => 3 * xi * xi),
          { atol: 1e-8 },
        );
      }),
    );
  });

  it('has error O(ε²): shrinking ε tenfold shrinks the error of exp′ about a hundredfold', () => {
    const x = Float64Array.of(0.7);
    const error = (eps: number) =>
      Math.abs(numericalGradient((v) => Math.exp(v[0]!), x, { eps })[0]! - Math.exp(0.7));
    const ratio = error(1e-2) / error(1e-3);
    expect(ratio).toBeGreaterThan(80);
    expect(ratio).toBeLessThan(120);
  });

  it('restores every probed entry to its exact original bits', () => {
    fc.assert(
      fc.property(arbitraries.float64Array(6, { min: -1e3, max: 1e3 }), (x) => {
        const before = Float64Array.from(x);
        numericalGradient((v) => v.reduce((s, vi) => s + vi * vi, 0), x);
        expect(Array.from(x)).toEqual(Array.from(before));
      }),
    );
  });

  it('evaluates f exactly twice per entry, and the Jacobian once more for its size', () => {
    let calls = 0;
    const counted = (v: Float64Array) => {
      calls++;
      return v.reduce((s, vi) => s + vi, 0);
    };
    numericalGradient(counted, Float64Array.of(1, 2, 3));
    expect(calls).toBe(6);
    calls = 0;
    numericalJacobian((v) => Float64Array.of(counted(v), 0), Float64Array.of(1, 2, 3));
    expect(calls).toBe(7);
  });

  it('refuses a step that is not a positive finite number', () => {
    expect(() => numericalGradient((v) => v[0]!, Float64Array.of(1), { eps: 0 })).toThrow(
      'eps must be a finite number > 0, got 0',
    );
  });
});

describe('numericalJacobian', () => {
  it('recovers a matrix from the linear map x ↦ Ax, row-major [outputs, inputs]', () => {
    const A = [
      [1, 2, 3],
      [4, 5, 6],
    ];
    const f = (x: Float64Array) =>
      Float64Array.from(A, (row) => row.reduce((s, a, j) => s + a * x[j]!, 0));
    const { jacobian, rows, cols } = numericalJacobian(f, Float64Array.of(0.3, -0.2, 0.9));
    expect([rows, cols]).toEqual([2, 3]);
    expect(jacobian).toBeAllclose(A.flat(), { atol: 1e-8 });
  });

  it('restores every probed entry to its exact original bits', () => {
    fc.assert(
      fc.property(arbitraries.float64Array(4, { min: -1e3, max: 1e3 }), (x) => {
        const before = Float64Array.from(x);
        // A map that reads every entry, so a probe left behind would also skew later columns.
        numericalJacobian((v) => Float64Array.of(v[0]! * v[1]!, v[2]! + v[3]!, v[3]! ** 2), x);
        expect(Array.from(x)).toEqual(Array.from(before));
      }),
    );
  });

  it('gives the identity matrix for f(x) = x, even when f returns x itself', () => {
    // The output aliases the probed x; without copying it the restore would rewrite it.
    const { jacobian } = numericalJacobian((v) => v, Float64Array.of(0.5, -2));
    expect(jacobian).toBeAllclose([1, 0, 0, 1], { atol: 1e-9 });
  });

  it('refuses a function whose number of outputs changes with its input', () => {
    // Fewer outputs just above x = 0.5, then just below it: either side is caught.
    const above = (x: Float64Array) => new Float64Array(x[0]! > 0.5 ? 2 : 3);
    const below = (x: Float64Array) => new Float64Array(x[0]! < 0.5 ? 2 : 3);
    expect(() => numericalJacobian(above, Float64Array.of(0.5))).toThrow(
      'numericalJacobian: f returned 2 and 3 outputs, expected 3',
    );
    expect(() => numericalJacobian(below, Float64Array.of(0.5))).toThrow(
      'numericalJacobian: f returned 3 and 2 outputs, expected 3',
    );
  });
});
