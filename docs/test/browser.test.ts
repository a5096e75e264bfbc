/**
 * The README promises that the engine — every package below the lab — runs unchanged
 * in a browser. Two checks keep that true: each package bundles for the browser
 * platform with nothing left out (a `node:` import would fail the bundle), and the
 * bundle trains a few steps of an LSTM in a fresh JavaScript context that has none
 * of Node's globals (no process, require, Buffer, setImmediate, atob) — on the
 * WebAssembly SIMD gemm kernel, which loads from bytes inside the bundle.
 */

import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { runInNewContext } from 'node:vm';
import { build } from 'esbuild';
import { describe, expect, it } from 'vitest';

const repoDir = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const engine = ['gradcheck', 'scalar', 'tensor', 'optim', 'cells', 'bptt', 'diagnostics', 'tasks'];

async function bundle(contents: string, name: string): Promise<string> {
  const result = await build({
    stdin: { contents, resolveDir: join(repoDir, 'docs'), sourcefile: `${name}.ts`, loader: 'ts' },
    bundle: true,
    platform: 'browser',
    format: 'iife',
    write: false,
    logLevel: 'silent',
    // Read each package's TypeScript source, as everything in this repository does.
    conditions: ['unroll-source'],
  });
  return result.outputFiles[0]!.text;
}

describe('the engine in a browser', () => {
  it.each(engine)('@unroll/%s bundles for the browser with no Node module', async (name) => {
    const code = await bundle(`export * from '@unroll/${name}';`, name);
    expect(code).not.toMatch(/require\(["']node:/);
  });

  it("keeps Tensor's fluent methods, which a side-effect import attaches", async () => {
    // A bundler drops an import it is told has no side effects (package.json's
    // sideEffects), and with it x.reshape, x.add, … . The bundle must keep them.
    const code = await bundle(
      `import { fromData } from '@unroll/tensor';
       globalThis.result = fromData(new Float64Array([1, 2, 3, 4]), [2, 2]).reshape([4]).add(1).sum().item();`,
      'methods',
    );
    const sandbox: Record<string, unknown> = {};
    runInNewContext(code, sandbox);
    expect(sandbox.result).toBe(14); // (1 + 2 + 3 + 4) + 4 · 1
  });

  it('trains an LSTM in a context without Node globals', async () => {
    const code = await bundle(
      `
      import { LSTM, Linear } from '@unroll/cells';
      import { Adam } from '@unroll/optim';
      import { AddingProblem } from '@unroll/tasks';
      import { Rng, gemmKernel, mse, narrow, reshape } from '@unroll/tensor';
      const rng = new Rng(7);
      const task = new AddingProblem({ length: 8 });
      // Large enough that h·W_hhᵀ ([8, 32]·[128, 32]ᵀ) goes to the WebAssembly kernel.
      const lstm = new LSTM({ inputSize: 2, hiddenSize: 32, rng });
      const readout = new Linear({ inFeatures: 32, outFeatures: 1, rng });
      const optimizer = new Adam([...lstm.parameters(), ...readout.parameters()], { lr: 0.01 });
      const losses = [];
      for (let step = 0; step < 5; step++) {
        const batch = task.batch(8, rng);
        const { output } = lstm.forward(batch.inputs);
        const last = reshape(narrow(output, 1, 7, 1), [8, 32]);
        const loss = mse(readout.forward(last), batch.targets);
        optimizer.zeroGrad();
        loss.backward();
        optimizer.step();
        losses.push(loss.item());
      }
      globalThis.result = losses;
      globalThis.kernel = gemmKernel();
      `,
      'train',
    );
    const sandbox: Record<string, unknown> = {};
    runInNewContext(code, sandbox);
    for (const global of ['process', 'require', 'Buffer', 'setImmediate', 'atob']) {
      expect(runInNewContext(`typeof ${global}`, sandbox)).toBe('undefined');
    }
    const losses = sandbox.result as number[];
    expect(losses).toHaveLength(5);
    expect(losses.every(Number.isFinite)).toBe(true);
    expect(sandbox.kernel).toBe('wasm');
  });
});
