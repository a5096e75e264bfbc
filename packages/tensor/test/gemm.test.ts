import { arbitraries } from '@unroll/gradcheck';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { type GemmOptions, gemmJs, gemmReference } from '../src/gemm.ts';
import { gemmWasm, loadGemmWasm } from '../src/gemm-wasm.ts';
import { Rng } from '../src/random.ts';

/**
 * The product written straight from its definition, independently of src/gemm.ts:
 * build op(a) and op(b) as nested arrays (transposing explicitly), then take
 * row-times-column dot products.
 */
function expectedProduct(
  a: Float64Array,
  b: Float64Array,
  c: Float64Array,
  { m, n, k, transA = false, transB = false, accumulate = false }: GemmOptions,
): number[][] {
  const opA = Array.from({ length: m }, (_, i) =>
    Array.from({ length: k }, (_, p) => (transA ? a[p * m + i]! : a[i * k + p]!)),
  );
  const opB = Array.from({ length: k }, (_, p) =>
    Array.from({ length: n }, (_, j) => (transB ? b[j * k + p]! : b[p * n + j]!)),
  );
  return opA.map((row, i) =>
    Array.from({ length: n }, (_, j) => {
      const dot = row.reduce((sum, aip, p) => sum + aip * opB[p]![j]!, 0);
      return accumulate ? c[i * n + j]! + dot : dot;
    }),
  );
}

function asMatrix(c: Float64Array, m: number, n: number): number[][] {
  return Array.from({ length: m }, (_, i) => Array.from(c.subarray(i * n, i * n + n)));
}

/** Random sizes 1..17 (so every remainder mod 4 occurs), flags, and the three arrays. */
const gemmCase = fc
  .record({
    m: fc.integer({ min: 1, max: 17 }),
    n: fc.integer({ min: 1, max: 17 }),
    k: fc.integer({ min: 1, max: 17 }),
    transA: fc.boolean(),
    transB: fc.boolean(),
    accumulate: fc.boolean(),
  })
  .chain((options) =>
    fc.record({
      options: fc.constant(options),
      a: arbitraries.float64Array(options.m * options.k),
      b: arbitraries.float64Array(options.k * options.n),
      c: arbitraries.float64Array(options.m * options.n),
    }),
  );

// Both kernels must meet the same contract: the TypeScript reference and the
// WebAssembly SIMD kernel (gemm-wasm.test.ts also holds them equal to each other).
if (!('gemm' in loadGemmWasm())) throw new Error('these tests need WebAssembly SIMD (Node ≥ 16.4)');
const kernels = [
  ['gemmJs', gemmJs],
  ['gemmWasm', gemmWasm],
] as const;

// Sums of at most 17 products of numbers in [-2, 2], added in a different order.
const TOLERANCE = { atol: 1e-12, rtol: 1e-12 };

describe.each(kernels)('%s', (_name, gemm) => {
  it('equals the definition for all sizes 1..17, both transposes and accumulate', () => {
    fc.assert(
      fc.property(gemmCase, ({ options, a, b, c }) => {
        const expected = expectedProduct(a, b, c, options);
        gemm(c, a, b, options);
        expect(asMatrix(c, options.m, options.n)).toBeAllclose(expected, TOLERANCE);
      }),
      { numRuns: 300 },
    );
  });

  it('computes a product worked by hand, in all four transpose layouts', () => {
    // [1 2 3; 4 5 6] · [7 8; 9 10; 11 12] = [58 64; 139 154]
    const A = [1, 2, 3, 4, 5, 6]; // 2×3
    const At = [1, 4, 2, 5, 3, 6]; // the same matrix stored transposed (3×2)
    const B = [7, 8, 9, 10, 11, 12]; // 3×2
    const Bt = [7, 9, 11, 8, 10, 12]; // stored transposed (2×3)
    for (const transA of [false, true]) {
      for (const transB of [false, true]) {
        const c = new Float64Array(4);
        const a = Float64Array.from(transA ? At : A);
        const b = Float64Array.from(transB ? Bt : B);
        gemm(c, a, b, { m: 2, n: 2, k: 3, transA, transB });
        expect(Array.from(c)).toEqual([58, 64, 139, 154]);
      }
    }
  });

  it('handles the LSTM shapes, with long inner dimensions, like the definition', () => {
    const rng = new Rng(4);
    const random = (length: number) => Float64Array.from({ length }, () => rng.normal());
    const cases: GemmOptions[] = [
      { m: 32, n: 512, k: 32, transB: true }, // x·Wᵀ, input size 32
      { m: 32, n: 512, k: 128, transB: true }, // h·Wᵀ, hidden size 128
      { m: 32, n: 128, k: 512 }, // dX = dY·W
      { m: 512, n: 128, k: 32, transA: true, accumulate: true }, // dW += dYᵀ·X
    ];
    for (const options of cases) {
      const { m, n, k } = options;
      const a = random(m * k);
      const b = random(k * n);
      const c = random(m * n);
      const expected = expectedProduct(a, b, c, options);
      gemm(c, a, b, options);
      expect(asMatrix(c, m, n)).toBeAllclose(expected, { atol: 1e-11, rtol: 1e-12 });
    }
  });

  it('without accumulate, overwrites c and never reads it (NaN in c does not leak)', () => {
    const c = new Float64Array(25).fill(Number.NaN);
    gemm(c, new Float64Array(25).fill(1), new Float64Array(25).fill(2), { m: 5, n: 5, k: 5 });
    expect(Array.from(c)).toEqual(new Array(25).fill(10));
  });

  it('with k = 0 sets c to zero, or leaves it as it was when accumulating', () => {
    const empty = new Float64Array(0);
    const c = Float64Array.from([1, 2, 3, 4, 5, 6]);
    gemm(c, empty, empty, { m: 2, n: 3, k: 0, accumulate: true });
    expect(Array.from(c)).toEqual([1, 2, 3, 4, 5, 6]);
    gemm(c, empty, empty, { m: 2, n: 3, k: 0 });
    expect(Array.from(c)).toEqual([0, 0, 0, 0, 0, 0]);
  });

  it('works on views into a larger buffer and uses only the first m·n entries of c', () => {
    const buffer = new Float64Array(40).fill(-1);
    const a = buffer.subarray(0, 6); // 2×3
    a.set([1, 2, 3, 4, 5, 6]);
    const b = buffer.subarray(10, 16); // 3×2
    b.set([7, 8, 9, 10, 11, 12]);
    const c = buffer.subarray(20, 30); // longer than the 2×2 result
    gemm(c, a, b, { m: 2, n: 2, k: 3 });
    expect(Array.from(c)).toEqual([58, 64, 139, 154, -1, -1, -1, -1, -1, -1]);
  });
});

describe('gemmReference', () => {
  it('the plain loop equals the definition too', () => {
    fc.assert(
      fc.property(gemmCase, ({ options, a, b, c }) => {
        const expected = expectedProduct(a, b, c, options);
        gemmReference(c, a, b, options);
        expect(asMatrix(c, options.m, options.n)).toBeAllclose(expected, TOLERANCE);
      }),
    );
  });
});

describe.each(kernels)('%s: argument errors', (_name, gemm) => {
  const ones = (length: number) => new Float64Array(length).fill(1);

  it('names a size that is not a non-negative integer', () => {
    expect(() => gemm(ones(4), ones(4), ones(4), { m: -1, n: 2, k: 2 })).toThrow(
      'gemm: m must be a non-negative integer, got -1',
    );
    expect(() => gemm(ones(4), ones(4), ones(4), { m: 2, n: 1.5, k: 2 })).toThrow(
      'gemm: n must be a non-negative integer, got 1.5',
    );
    expect(() => gemm(ones(4), ones(4), ones(4), { m: 2, n: 2, k: Number.NaN })).toThrow(
      RangeError,
    );
  });

  it('names the array that is too small, its layout and the sizes', () => {
    expect(() => gemm(ones(6), ones(5), ones(6), { m: 2, n: 3, k: 3 })).toThrow(
      'gemm: a has 5 entries, too few for m×k = 2×3 = 6',
    );
    expect(() => gemm(ones(6), ones(6), ones(5), { m: 2, n: 3, k: 2, transA: true })).toThrow(
      'gemm: b has 5 entries, too few for k×n = 2×3 = 6',
    );
    expect(() => gemm(ones(6), ones(8), ones(11), { m: 2, n: 3, k: 4, transB: true })).toThrow(
      'gemm: b has 11 entries, too few for n×k = 3×4 = 12',
    );
    expect(() => gemm(ones(6), ones(5), ones(10), { m: 2, n: 3, k: 5, transA: true })).toThrow(
      'gemm: a has 5 entries, too few for k×m = 5×2 = 10',
    );
    expect(() => gemm(ones(5), ones(4), ones(6), { m: 2, n: 3, k: 2 })).toThrow(
      'gemm: c has 5 entries, too few for m×n = 2×3 = 6',
    );
  });

  it('refuses a result array that overlaps an operand', () => {
    const buffer = ones(20);
    const a = buffer.subarray(0, 4);
    const b = buffer.subarray(8, 12);
    expect(() => gemm(buffer.subarray(2, 6), a, b, { m: 2, n: 2, k: 2 })).toThrow(
      'gemm: c must not share memory with a (the result would overwrite it)',
    );
    expect(() => gemm(buffer.subarray(11, 15), a, b, { m: 2, n: 2, k: 2 })).toThrow(
      'gemm: c must not share memory with b',
    );
    // Adjacent but disjoint views of one buffer are fine.
    expect(() => gemm(buffer.subarray(4, 8), a, b, { m: 2, n: 2, k: 2 })).not.toThrow();
  });
});
