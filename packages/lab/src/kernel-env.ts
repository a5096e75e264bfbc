/**
 * UNROLL_GEMM=js|wasm|auto chooses the matrix-multiply kernel of every unroll command
 * (and of the worker threads of `unroll train --threads`): 'wasm' is the WebAssembly
 * SIMD kernel, the default where the runtime has it; 'js' the TypeScript reference.
 */

import { setGemmKernel } from '@unroll/tensor';

export function applyGemmEnvironment(value = process.env.UNROLL_GEMM): void {
  if (value === undefined || value === '') return;
  if (value !== 'js' && value !== 'wasm' && value !== 'auto') {
    throw new Error(`UNROLL_GEMM must be js, wasm or auto, got ${JSON.stringify(value)}`);
  }
  setGemmKernel(value);
}
