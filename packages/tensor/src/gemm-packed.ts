/**
 * A right operand prepared once for many products: the recurrent weight W_hh, which a
 * pass over T steps multiplies by at every step, forward and backward.
 *
 *   const w = packRight(weight_hh, { k: H, n: G, transB: true });   // op(b) = W_hhᵀ
 *   for (let t = 0; t < T; t++) gemmPacked(pre_t, h_{t−1}, w, { m: B, accumulate: true });
 *
 * gemmPacked(c, a, w, options) is gemm(c, a, b, { ...options, n, k, transB }) with the
 * same kernel choice and the same bits. What it saves is the WebAssembly kernel's
 * setup: plain `gemm` copies b into the module's memory and packs it into panels on
 * every call (gemm.wat), which for a 512×128 W_hh and a batch of 32 rows costs about
 * as much as the product. A packed operand is copied and packed on its first use by the
 * WebAssembly kernel and then stays in the module's memory (gemm-wasm.ts keeps a few
 * such operands and packs one again if it was pushed out). With the TypeScript kernel
 * (`setGemmKernel('js')`, or products too small for WebAssembly) it is just b itself.
 *
 * So b must not change while its packed operand is used: the WebAssembly kernel would
 * go on multiplying by the copy. Pack a weight at the start of each pass over a
 * sequence, after the optimizer's update, and drop it at the end; nothing is freed by
 * hand.
 */

import { checkGemmArguments, gemmJs } from './gemm.ts';
import { wasmRuns } from './gemm-select.ts';
import { gemmWasmPacked } from './gemm-wasm.ts';

/** op(b) [k×n], kept for `gemmPacked`: b itself, and its packed copy once one is made. */
export interface PackedRight {
  readonly b: Float64Array;
  /** Columns of op(b), and of every product's c. */
  readonly n: number;
  /** Rows of op(b): the length of each dot product. */
  readonly k: number;
  /** op(b) = bᵀ: `b` is stored [n×k]. */
  readonly transB: boolean;
}

/** Describe op(b) [k×n] for `gemmPacked` (b [k×n], or [n×k] with transB). */
export function packRight(
  b: Float64Array,
  { k, n, transB = false }: { k: number; n: number; transB?: boolean },
): PackedRight {
  for (const [name, size] of [
    ['k', k],
    ['n', n],
  ] as const) {
    if (!Number.isSafeInteger(size) || size < 0) {
      throw new RangeError(`packRight: ${name} must be a non-negative integer, got ${size}`);
    }
  }
  if (b.length < k * n) {
    const shape = transB ? `n×k = ${n}×${k}` : `k×n = ${k}×${n}`;
    throw new RangeError(`packRight: b has ${b.length} entries, too few for ${shape} = ${k * n}`);
  }
  return { b, n, k, transB };
}

/** c[m×n] (+)= op(a) · op(right): gemm with a right operand prepared by `packRight`. */
export function gemmPacked(
  c: Float64Array,
  a: Float64Array,
  right: PackedRight,
  { m, transA = false, accumulate = false }: { m: number; transA?: boolean; accumulate?: boolean },
): void {
  const { b, n, k, transB } = right;
  if (wasmRuns(m, n, k)) {
    checkGemmArguments(c, a, b, m, n, k, transA, transB);
    gemmWasmPacked(c, a, right, m, transA, accumulate);
  } else {
    gemmJs(c, a, b, { m, n, k, transA, transB, accumulate });
  }
}
