/**
 * gemm: the one matrix-multiply entry point of the engine, and the choice of kernel.
 *
 *   c[m×n] = op(a) · op(b)        or, with accumulate,   c += op(a) · op(b)
 *
 * Two kernels implement this contract (see gemm.ts for the strides and the flags):
 *   'js'    gemmJs in gemm.ts: 4×4 register tiles in plain TypeScript, the reference
 *           that chapter 3 explains;
 *   'wasm'  gemmWasm in gemm-wasm.ts: the WebAssembly SIMD kernel of gemm.wat, with
 *           f64x2 vectors, packed panels and k blocked for the cache; about 3–4× faster
 *           on the products of a recurrent network.
 * They give the same bits (gemm.wat says how), and a property test holds them to it. 'wasm' is chosen when this module
 * loads if the runtime supports WebAssembly SIMD (Node ≥ 16.4, current browsers).
 * `setGemmKernel('js')` forces the reference kernel, for teaching and for debugging;
 * the `unroll` command and the benchmarks read the environment variable UNROLL_GEMM.
 *
 * Small products stay on the TypeScript kernel even when 'wasm' is chosen: below
 * WASM_MIN_FLOPS, or with fewer than 4 rows or columns (a batch of one row, as when
 * sampling), copying the operands into WebAssembly memory costs more than it saves.
 */

import { type GemmOptions, gemmJs } from './gemm.ts';
import { gemmWasm, loadGemmWasm } from './gemm-wasm.ts';

export type GemmKernelName = 'js' | 'wasm';

/** The multiply-adds (m·n·k) below which the TypeScript kernel is faster anyway. */
const WASM_MIN_MULTIPLY_ADDS = 8192;

const loaded = loadGemmWasm();
let useWasm = 'gemm' in loaded;

/**
 * c[m×n] (+)= op(a) · op(b) with the selected kernel (see gemm.ts for the options).
 * Every matmul, linear layer and recurrent pass in the engine comes through here.
 */
export function gemm(c: Float64Array, a: Float64Array, b: Float64Array, options: GemmOptions) {
  const { m, n, k } = options;
  if (wasmRuns(m, n, k)) {
    gemmWasm(c, a, b, options);
  } else {
    gemmJs(c, a, b, options);
  }
}

/** Does a product of these sizes go to the WebAssembly kernel? (gemm-packed.ts asks too.) */
export function wasmRuns(m: number, n: number, k: number): boolean {
  return useWasm && m >= 4 && n >= 4 && m * n * k >= WASM_MIN_MULTIPLY_ADDS;
}

/** The kernel `gemm` runs: 'wasm' (WebAssembly SIMD) or 'js' (the TypeScript reference). */
export function gemmKernel(): GemmKernelName {
  return useWasm ? 'wasm' : 'js';
}

/**
 * Choose the kernel: 'js', 'wasm', or 'auto' (wasm where the runtime supports it).
 * Asking for 'wasm' where it cannot run is an error that says why.
 */
export function setGemmKernel(kernel: GemmKernelName | 'auto'): void {
  if (kernel === 'js') {
    useWasm = false;
  } else if (kernel === 'wasm') {
    if ('unavailable' in loaded) throw new Error(`setGemmKernel('wasm'): ${loaded.unavailable}`);
    useWasm = true;
  } else if (kernel === 'auto') {
    useWasm = 'gemm' in loaded;
  } else {
    throw new RangeError(
      `setGemmKernel: kernel must be 'js', 'wasm' or 'auto', got ${JSON.stringify(kernel)}`,
    );
  }
}
