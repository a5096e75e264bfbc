import { readFileSync } from 'node:fs';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { assembleGemm, generatedModule, generatedPath } from '../scripts/assemble-gemm.ts';
import { gemmJs } from '../src/gemm.ts';
import { gemm, gemmKernel, setGemmKernel } from '../src/gemm-select.ts';
import { gemmWasm, loadGemmWasm } from '../src/gemm-wasm.ts';
import { blockedDimensions, gemmCase } from './gemm-cases.ts';

describe('the committed WebAssembly bytes', () => {
  it('are what src/gemm.wat assembles to (run scripts/assemble-gemm.ts after editing it)', async () => {
    const committed = readFileSync(generatedPath, 'utf8');
    expect(committed).toBe(generatedModule(await assembleGemm()));
  });
});

/** Problems that cross the kernel's blocks of rows and of p (gemm-cases.ts). */
const blockedCase = gemmCase(blockedDimensions);

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
