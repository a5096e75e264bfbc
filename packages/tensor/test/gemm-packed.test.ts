import { arbitraries } from '@unroll/gradcheck';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { gemmJs } from '../src/gemm.ts';
import { gemmPacked, packRight } from '../src/gemm-packed.ts';
import { gemmKernel, setGemmKernel } from '../src/gemm-select.ts';
import { gemmWasmMemoryBytes } from '../src/gemm-wasm.ts';
import { blockedDimensions, gemmOptions } from './gemm-cases.ts';

/**
 * A right operand used by several products in a row, as W_hh is by the steps of a
 * pass, on sizes that cross the kernel's blocks (64 rows, 256 values of p) and leave
 * every remainder of m and n mod 4.
 */
const packedCase = gemmOptions(blockedDimensions).chain((options) =>
  fc.record({
    options: fc.constant(options),
    b: arbitraries.float64Array(options.k * options.n),
    steps: fc.array(
      fc.record({
        a: arbitraries.float64Array(options.m * options.k),
        c: arbitraries.float64Array(options.m * options.n),
      }),
      { minLength: 1, maxLength: 3 },
    ),
  }),
);

describe('gemmPacked', () => {
  it('gives the same bits as gemmJs at every use of one packed operand', () => {
    expect(gemmKernel()).toBe('wasm');
    fc.assert(
      fc.property(packedCase, ({ options, b, steps }) => {
        const { m, n, k, transA, transB, accumulate } = options;
        const right = packRight(b, { k, n, transB });
        for (const { a, c } of steps) {
          const viaJs = Float64Array.from(c);
          const viaPacked = Float64Array.from(c);
          gemmJs(viaJs, a, b, options);
          gemmPacked(viaPacked, a, right, { m, transA, accumulate });
          expect(viaPacked).toEqual(viaJs);
        }
      }),
      { numRuns: 40, seed: 15 },
    );
  });

  it('stays right when more operands are in use than are kept packed', () => {
    // Seven 8×8 operands used round-robin: each use may find its operand pushed out.
    const k = 8;
    const n = 8;
    const m = 128; // 8192 multiply-adds: the WebAssembly kernel's size
    const rights = Array.from({ length: 7 }, (_, r) =>
      packRight(
        Float64Array.from({ length: k * n }, (_, e) => ((r + 1) * (e + 3)) % 11),
        { k, n },
      ),
    );
    const a = Float64Array.from({ length: m * k }, (_, e) => (e % 7) - 3);
    for (let round = 0; round < 3; round++) {
      for (const right of rights) {
        const expected = new Float64Array(m * n);
        const got = new Float64Array(m * n);
        gemmJs(expected, a, right.b, { m, n, k });
        gemmPacked(got, a, right, { m });
        expect(got).toEqual(expected);
      }
    }
  });

  it('does not grow the module memory from one pass to the next', () => {
    // A "pass": pack a fresh W_hh-sized operand and use it for a few steps.
    const H = 64;
    const G = 4 * H;
    const pass = (seed: number) => {
      const weight = Float64Array.from({ length: G * H }, (_, e) => ((e * seed) % 13) / 13);
      const right = packRight(weight, { k: H, n: G, transB: true });
      const c = new Float64Array(8 * G);
      for (let t = 0; t < 3; t++) {
        gemmPacked(c, new Float64Array(8 * H).fill(t), right, { m: 8, accumulate: true });
      }
    };
    pass(1);
    const after = gemmWasmMemoryBytes();
    expect(after).toBeGreaterThan(0);
    for (let seed = 2; seed < 200; seed++) pass(seed);
    expect(gemmWasmMemoryBytes()).toBe(after);
  });

  it("runs the TypeScript kernel on b itself under setGemmKernel('js')", () => {
    // The packed copy is made on the WebAssembly kernel's first use. Changing b
    // afterwards (which callers must not do) shows which kernel multiplied.
    const m = 32;
    const k = 32;
    const n = 32;
    const b = new Float64Array(k * n).fill(1);
    const a = new Float64Array(m * k).fill(1);
    const right = packRight(b, { k, n });
    const c = new Float64Array(m * n);
    gemmPacked(c, a, right, { m });
    expect(c[0]).toBe(32);
    b.fill(2);
    gemmPacked(c, a, right, { m });
    expect(c[0]).toBe(32); // the copy packed before b changed
    try {
      setGemmKernel('js');
      gemmPacked(c, a, right, { m });
      expect(c[0]).toBe(64); // b as it is now
    } finally {
      setGemmKernel('auto');
    }
  });

  it('names the argument and the sizes when they do not fit', () => {
    expect(() => packRight(new Float64Array(5), { k: 2, n: 3 })).toThrow(
      'packRight: b has 5 entries, too few for k×n = 2×3 = 6',
    );
    expect(() => packRight(new Float64Array(6), { k: -1, n: 3 })).toThrow(
      'packRight: k must be a non-negative integer, got -1',
    );
    const right = packRight(new Float64Array(64 * 64), { k: 64, n: 64 });
    expect(() =>
      gemmPacked(new Float64Array(64 * 64), new Float64Array(10), right, { m: 64 }),
    ).toThrow('gemm: a has 10 entries, too few for m×k = 64×64 = 4096');
  });
});
