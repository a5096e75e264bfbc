/**
 * The hand-derived passes give the same bits on either gemm kernel. The WebAssembly
 * kernel multiplies every step by a W_hh packed once per pass (packRight), the
 * TypeScript one by W_hh itself; both add each dot product in the same order, so every
 * output and gradient must be identical, not merely close. The sizes make every
 * product big enough for the WebAssembly kernel (m·n·k ≥ 8192, m, n ≥ 4) and leave
 * edge tiles (H = 26 is not a multiple of 4).
 */

import { gemmKernel, setGemmKernel } from '@unroll/tensor';
import { afterEach, describe, expect, it } from 'vitest';
import {
  type CellWeights,
  gruBackward,
  gruForward,
  lstmBackward,
  lstmForward,
  rnnBackward,
  rnnForward,
  type SequenceDims,
} from '../../src/index.ts';
import { seededRandom, uniformArray } from '../random.ts';

const dims: SequenceDims = { batchSize: 16, steps: 6, inputSize: 7, hiddenSize: 26 };
const { batchSize: B, steps: T, inputSize: I, hiddenSize: H } = dims;

function weightsFor(gates: number, seed: number): CellWeights {
  const random = seededRandom(seed);
  return {
    weight_ih: uniformArray(random, gates * H * I, 0.5),
    weight_hh: uniformArray(random, gates * H * H, 0.5),
    bias_ih: uniformArray(random, gates * H, 0.5),
    bias_hh: uniformArray(random, gates * H, 0.5),
  };
}

const random = seededRandom(7);
const xs = uniformArray(random, B * T * I);
const h0 = uniformArray(random, B * H);
const c0 = uniformArray(random, B * H);
const dOutput = uniformArray(random, B * T * H);
const dhT = uniformArray(random, B * H);
const dcT = uniformArray(random, B * H);

/** Everything a pass returns, as plain arrays of numbers. */
type Run = () => Record<string, Float64Array | null>;

const runs: Record<string, Run> = {
  lstm: () => {
    const weights = weightsFor(4, 1);
    const tape = lstmForward(weights, xs, { h: h0, c: c0 }, dims);
    const grads = lstmBackward(weights, tape, dOutput, { dhT, dcT });
    return { output: tape.output, cT: tape.cT, ...grads, dxs: grads.dxs };
  },
  'gru (reset after)': () => {
    const weights = weightsFor(3, 2);
    const tape = gruForward(weights, xs, h0, dims);
    const grads = gruBackward(weights, tape, dOutput, { dhT });
    return { output: tape.output, ...grads, dxs: grads.dxs };
  },
  'gru (reset before)': () => {
    const weights = weightsFor(3, 3);
    const tape = gruForward(weights, xs, h0, dims, { resetAfter: false });
    const grads = gruBackward(weights, tape, dOutput, { dhT });
    return { output: tape.output, ...grads, dxs: grads.dxs };
  },
  rnn: () => {
    const weights = weightsFor(1, 4);
    const tape = rnnForward(weights, xs, h0, dims);
    const grads = rnnBackward(weights, tape, dOutput, { dhT });
    return { output: tape.output, ...grads, dxs: grads.dxs };
  },
};

describe('the hand-derived passes on the two gemm kernels', () => {
  afterEach(() => setGemmKernel('auto'));

  for (const [name, run] of Object.entries(runs)) {
    it(`${name}: the same bits from 'wasm' and 'js'`, () => {
      setGemmKernel('wasm');
      expect(gemmKernel()).toBe('wasm');
      const viaWasm = run();
      setGemmKernel('js');
      const viaJs = run();
      expect(Object.keys(viaWasm).length).toBeGreaterThan(5);
      for (const [key, value] of Object.entries(viaJs)) expect(viaWasm[key], key).toEqual(value);
    });
  }
});
