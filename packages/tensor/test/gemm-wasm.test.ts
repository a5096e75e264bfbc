import { readFileSync } from 'node:fs';
import { arbitraries } from '@unroll/gradcheck';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { assembleGemm, generatedModule, generatedPath } from '../scripts/assemble-gemm.ts';
import { gemmJs } from '../src/gemm.ts';
import { gemm, gemmKernel, setGemmKernel } from '../src/gemm-select.ts';
import { gemmWasm, loadGemmWasm } from '../src/gemm-wasm.ts';

describe('the committed WebAssembly bytes', () => {
  it('are what src/gemm.wat assembles to (run scripts/assemble-gemm.ts after editing it)', async () => {
    const committed = readFileSync(generatedPath, 'utf8');
    expect(committed).toBe(generatedModule(await assembleGemm()));
  });
});

/**
 * Sizes that reach past the kernel's blocks (64 rows of op(a), 256 values of p), so
 * the packing of partial blocks and the accumulation over several blocks of p are
 * exercised, with every remainder of m and n mod 4 (the edge tiles).
 */
const blockedCase = fc
  .record({
    m: fc.integer({ min: 1, max: 140 }),
    n: fc.integer({ min: 1, max: 21 }),
    k: fc.oneof(fc.integer({ min: 1, max: 12 }), fc.integer({ min: 250, max: 530 })),
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

describe('gemmWasm', () => {
  it('loads here (Node 20 has WebAssembly SIMD)', () => {
    expect(loadGemmWasm()).toHaveProperty('gemm');
  });

  it('gives the same bits as gemmJs, also on shapes that cross its blocks', () => {
    fc.assert(
      fc.property(blockedCase, ({ options, a, b, c }) => {
        const viaJs = Float64Array.from(c);
        const viaWasm = Float64Array.from(c);
        gemmJs(viaJs, a, b, options);
        gemmWasm(viaWasm, a, b, options);
        // Both add the products in the order p = 0, 1, …, k − 1 from zero, then add c;
        // f64x2.mul and f64x2.add round exactly as * and + do.
        expect(viaWasm).toEqual(viaJs);
      }),
      { numRuns: 40, seed: 15 },
    );
  });

  it('keeps nothing from one call to the next (a smaller call after a larger one)', () => {
    const big = new Float64Array(300 * 300).fill(1);
    gemmWasm(new Float64Array(300 * 300), big, big, { m: 300, n: 300, k: 300 });
    const c = new Float64Array(4);
    gemmWasm(c, Float64Array.from([1, 2, 3, 4]), Float64Array.from([5, 6, 7, 8]), {
      m: 2,
      n: 2,
      k: 2,
    });
    expect(Array.from(c)).toEqual([19, 22, 43, 50]); // [1 2; 3 4]·[5 6; 7 8]
  });
});

describe('gemm: the choice of kernel', () => {
  it('is wasm by default here, can be forced to js and back, and names a bad choice', () => {
    expect(gemmKernel()).toBe('wasm');
    try {
      setGemmKernel('js');
      expect(gemmKernel()).toBe('js');
      const c = new Float64Array(64 * 64);
      gemm(c, new Float64Array(64 * 64).fill(1), new Float64Array(64 * 64).fill(0.5), {
        m: 64,
        n: 64,
        k: 64,
      });
      expect(c.every((x) => x === 32)).toBe(true);
      setGemmKernel('wasm');
      expect(gemmKernel()).toBe('wasm');
      expect(() => setGemmKernel('gpu' as 'js')).toThrow(
        `setGemmKernel: kernel must be 'js', 'wasm' or 'auto', got "gpu"`,
      );
    } finally {
      setGemmKernel('auto');
    }
    expect(gemmKernel()).toBe('wasm');
  });
});
