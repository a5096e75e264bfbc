/**
 * A long k goes into the WebAssembly kernel in pieces (gemm-wasm.ts, K_PIECE = 2048
 * values of p), and so do many rows (M_PIECE = 2048), so that the weight gradients of a long sequence (k = T·B) do not make
 * the module's memory as big as the tape. The pieces must change nothing: the same
 * bits as the TypeScript reference for every transpose and with accumulate, and the
 * memory must stay bounded by the piece, not by k.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { gemmJs } from '../src/gemm.ts';
import { gemmWasm, gemmWasmMemoryBytes, loadGemmWasm } from '../src/gemm-wasm.ts';
import { type GemmDimensions, gemmCase } from './gemm-cases.ts';

loadGemmWasm();

const PIECE = 2048;

/**
 * gemmWasm against the reference gemmJs, bit for bit, on products of the given
 * dimensions with every transpose combination and with and without accumulate.
 */
function expectSameBitsAsReference(dimensions: GemmDimensions, numRuns: number, seed: number) {
  const cases = gemmCase(dimensions);
  fc.assert(
    fc.property(cases, ({ options, a, b, c }) => {
      const expected = c.slice();
      gemmJs(expected, a, b, options);
      const actual = c.slice();
      gemmWasm(actual, a, b, options);
      expect(actual).toEqual(expected);
    }),
    { numRuns, seed },
  );
}

describe('gemmWasm with k longer than one piece', () => {
  it('gives the same bits as gemmJs, with k across two and three pieces and every transpose', () => {
    // just past one piece, across a block boundary inside the second, and into a third
    const k = fc.constantFrom(PIECE + 1, PIECE + 257, 2 * PIECE + 300);
    expectSameBitsAsReference(
      { m: fc.integer({ min: 1, max: 9 }), n: fc.integer({ min: 1, max: 7 }), k },
      24,
      11,
    );
  });

  it('gives the same bits as gemmJs with m longer than one block of rows (2048), transposed or not', () => {
    const m = fc.constantFrom(PIECE + 1, 2 * PIECE + 3);
    expectSameBitsAsReference(
      { m, n: fc.integer({ min: 1, max: 7 }), k: fc.integer({ min: 1, max: 12 }) },
      16,
      12,
    );
  });

  it('keeps the module memory bounded by the piece, not by k or m', () => {
    // a and b together are 2 · 16 · 100,000 values, 25.6 MB; the pieces need about 0.6 MB.
    const m = 16;
    const n = 16;
    const k = 100_000;
    const a = new Float64Array(k * m).fill(0.5);
    const b = new Float64Array(k * n).fill(0.25);
    const c = new Float64Array(m * n);
    gemmWasm(c, a, b, { m, n, k, transA: true });
    expect(c[0]).toBe(k * 0.125); // exact: every product and partial sum is a multiple of 1/8 below 2^53
    // An input projection of 100,000 rows: c alone is 100,000 · 64 values, 51 MB.
    const rows = 100_000;
    const x = new Float64Array(rows * 2).fill(0.5);
    const w = new Float64Array(64 * 2).fill(0.25);
    const projected = new Float64Array(rows * 64);
    gemmWasm(projected, x, w, { m: rows, n: 64, k: 2, transB: true });
    expect(projected.every((value) => value === 0.25)).toBe(true);
    expect(gemmWasmMemoryBytes()).toBeLessThan(4 * 1024 * 1024);
  });
});
