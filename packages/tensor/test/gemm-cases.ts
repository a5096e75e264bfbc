/**
 * Random gemm problems for the kernel tests: dimensions, every combination of the
 * transpose flags and accumulate, and operands of ordinary values (gradcheck's
 * arbitraries). Shared by gemm-wasm, gemm-packed and gemm-wasm-pieces tests.
 */
import { arbitraries } from '@unroll/gradcheck';
import fc from 'fast-check';
import type { GemmOptions } from '../src/gemm.ts';

export type GemmDimensions = {
  m: fc.Arbitrary<number>;
  n: fc.Arbitrary<number>;
  k: fc.Arbitrary<number>;
};

/**
 * Sizes that reach past the WebAssembly kernel's blocks (64 rows of op(a), 256 values
 * of p), so the packing of partial blocks and the sums over several blocks of p are
 * exercised, with every remainder of m and n mod 4 (the edge tiles).
 */
export const blockedDimensions: GemmDimensions = {
  m: fc.integer({ min: 1, max: 140 }),
  n: fc.integer({ min: 1, max: 21 }),
  k: fc.oneof(fc.integer({ min: 1, max: 12 }), fc.integer({ min: 250, max: 530 })),
};

/** m, n, k from `dimensions`, with random transA, transB and accumulate. */
export function gemmOptions(dimensions: GemmDimensions): fc.Arbitrary<Required<GemmOptions>> {
  return fc.record({
    ...dimensions,
    transA: fc.boolean(),
    transB: fc.boolean(),
    accumulate: fc.boolean(),
  });
}

/** A whole problem: the options and operands a [m·k], b [k·n] and c [m·n] to fit them. */
export function gemmCase(dimensions: GemmDimensions) {
  return gemmOptions(dimensions).chain((options) =>
    fc.record({
      options: fc.constant(options),
      a: arbitraries.float64Array(options.m * options.k),
      b: arbitraries.float64Array(options.k * options.n),
      c: arbitraries.float64Array(options.m * options.n),
    }),
  );
}
