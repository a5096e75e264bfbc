/**
 * steps/*.ts: each one-step function against central differences of itself (every
 * gradient, on random sizes and values, with and without biases), and the steps chained
 * over a sequence against the hand-derived sequence passes of manual/*.ts.
 */

import { arbitraries, assertGradcheck, gradcheck } from '@unroll/gradcheck';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  type CellWeights,
  gruBackward,
  gruForward,
  gruStepBackward,
  gruStepForward,
  lstmBackward,
  lstmForward,
  lstmStepBackward,
  lstmStepForward,
  rnnBackward,
  rnnForward,
  rnnStepBackward,
  rnnStepForward,
  type StepDims,
  type StepGradients,
} from '../src/index.ts';
import { seededRandom, uniformArray } from './random.ts';

type Kind = 'rnn' | 'lstm' | 'gru';
const gateCount: Record<Kind, number> = { rnn: 1, lstm: 4, gru: 3 };

interface StepProblem {
  dims: StepDims;
  weights: CellWeights;
  x: Float64Array;
  hPrev: Float64Array;
  cPrev: Float64Array;
  /** Upstream gradients: L = Σ wH ⊙ h_t + Σ wC ⊙ c_t. */
  wH: Float64Array;
  wC: Float64Array;
}

function makeProblem(kind: Kind, dims: StepDims, bias: boolean, seed: number): StepProblem {
  const random = seededRandom(seed);
  const { batchSize: B, inputSize: I, hiddenSize: H } = dims;
  const G = gateCount[kind] * H;
  return {
    dims,
    weights: {
      weight_ih: uniformArray(random, G * I, 0.8),
      weight_hh: uniformArray(random, G * H, 0.8),
      bias_ih: bias ? uniformArray(random, G, 0.5) : null,
      bias_hh: bias ? uniformArray(random, G, 0.5) : null,
    },
    x: uniformArray(random, B * I),
    hPrev: uniformArray(random, B * H),
    cPrev: uniformArray(random, B * H),
    wH: uniformArray(random, B * H),
    wC: uniformArray(random, B * H),
  };
}

/** The step's loss L = Σ wH ⊙ h (+ Σ wC ⊙ c for the LSTM). */
function stepLoss(kind: Kind, p: StepProblem): number {
  const dot = (a: Float64Array, b: Float64Array) => a.reduce((s, v, i) => s + v * b[i]!, 0);
  if (kind === 'lstm') {
    const { h, c } = lstmStepForward(p.x, p.hPrev, p.cPrev, p.weights, p.dims);
    return dot(h, p.wH) + dot(c, p.wC);
  }
  const { h } =
    kind === 'rnn'
      ? rnnStepForward(p.x, p.hPrev, p.weights, p.dims)
      : gruStepForward(p.x, p.hPrev, p.weights, p.dims);
  return dot(h, p.wH);
}

function stepGradients(kind: Kind, p: StepProblem): StepGradients & { dcPrev?: Float64Array } {
  if (kind === 'lstm') {
    const { cache } = lstmStepForward(p.x, p.hPrev, p.cPrev, p.weights, p.dims);
    return lstmStepBackward(p.wH, p.wC, cache);
  }
  if (kind === 'rnn')
    return rnnStepBackward(p.wH, rnnStepForward(p.x, p.hPrev, p.weights, p.dims).cache);
  return gruStepBackward(p.wH, gruStepForward(p.x, p.hPrev, p.weights, p.dims).cache);
}

const dimsArb = fc.record({
  batchSize: fc.integer({ min: 1, max: 3 }),
  inputSize: fc.integer({ min: 1, max: 3 }),
  hiddenSize: fc.integer({ min: 1, max: 3 }),
});

describe.each(['rnn', 'lstm', 'gru'] as const)('%s step', (kind) => {
  it('every gradient matches central differences of the step', () => {
    fc.assert(
      fc.property(dimsArb, fc.boolean(), arbitraries.seed(), (dims, bias, seed) => {
        const p = makeProblem(kind, dims, bias, seed);
        const grads = stepGradients(kind, p);
        const inputs: [string, Float64Array, Float64Array | null | undefined][] = [
          ['x', p.x, grads.dx],
          ['hPrev', p.hPrev, grads.dhPrev],
          ['weight_ih', p.weights.weight_ih, grads.weight_ih],
          ['weight_hh', p.weights.weight_hh, grads.weight_hh],
        ];
        if (bias) {
          inputs.push(['bias_ih', p.weights.bias_ih!, grads.bias_ih]);
          inputs.push(['bias_hh', p.weights.bias_hh!, grads.bias_hh]);
        }
        if (kind === 'lstm') inputs.push(['cPrev', p.cPrev, grads.dcPrev]);
        for (const [name, array, analytic] of inputs) {
          assertGradcheck(
            gradcheck(() => stepLoss(kind, p), array, analytic!, {
              what: `${kind} step d(L)/d(${name}), dims ${JSON.stringify(dims)}, seed ${seed}`,
            }),
          );
        }
        if (!bias) expect([grads.bias_ih, grads.bias_hh]).toEqual([null, null]);
      }),
      { seed: 11, numRuns: 25 },
    );
  });

  it('chained over T steps, equals the hand-derived sequence pass', () => {
    fc.assert(
      fc.property(dimsArb, fc.integer({ min: 1, max: 4 }), arbitraries.seed(), (dims, T, seed) => {
        const { batchSize: B, inputSize: I, hiddenSize: H } = dims;
        const p = makeProblem(kind, dims, true, seed);
        const random = seededRandom(seed + 1);
        const xs = uniformArray(random, B * T * I); // [B, T, I]
        const dOutput = uniformArray(random, B * T * H); // [B, T, H]
        const sequenceDims = { ...dims, steps: T };
        const at = (a: Float64Array, t: number, F: number) => {
          const out = new Float64Array(B * F);
          for (let b = 0; b < B; b++)
            out.set(a.subarray((b * T + t) * F, (b * T + t + 1) * F), b * F);
          return out;
        };
        // Forward step by step, keeping each cache.
        let h = p.hPrev;
        let c = p.cPrev;
        const caches: unknown[] = [];
        const outputs: Float64Array[] = [];
        for (let t = 0; t < T; t++) {
          if (kind === 'lstm') {
            const step = lstmStepForward(at(xs, t, I), h, c, p.weights, dims);
            ({ h, c } = step);
            caches.push(step.cache);
          } else {
            const step =
              kind === 'rnn'
                ? rnnStepForward(at(xs, t, I), h, p.weights, dims)
                : gruStepForward(at(xs, t, I), h, p.weights, dims);
            h = step.h;
            caches.push(step.cache);
          }
          outputs.push(h);
        }
        // Backward step by step: each step's ∂L_t/∂h_t plus what came back from t+1.
        let dh: Float64Array = new Float64Array(B * H);
        let dc: Float64Array = new Float64Array(B * H);
        let dWih = new Float64Array(p.weights.weight_ih.length);
        let dWhh = new Float64Array(p.weights.weight_hh.length);
        for (let t = T - 1; t >= 0; t--) {
          const upstream = at(dOutput, t, H).map((v, k) => v + dh[k]!);
          let grads: StepGradients;
          if (kind === 'lstm') {
            const g = lstmStepBackward(upstream, dc, caches[t] as never);
            dc = g.dcPrev;
            grads = g;
          } else {
            grads =
              kind === 'rnn'
                ? rnnStepBackward(upstream, caches[t] as never)
                : gruStepBackward(upstream, caches[t] as never);
          }
          dh = grads.dhPrev;
          dWih = dWih.map((v, k) => v + grads.weight_ih[k]!);
          dWhh = dWhh.map((v, k) => v + grads.weight_hh[k]!);
        }
        const tape =
          kind === 'lstm'
            ? lstmForward(p.weights, xs, { h: p.hPrev, c: p.cPrev }, sequenceDims)
            : kind === 'rnn'
              ? rnnForward(p.weights, xs, p.hPrev, sequenceDims)
              : gruForward(p.weights, xs, p.hPrev, sequenceDims);
        const sequence =
          kind === 'lstm'
            ? lstmBackward(p.weights, tape as never, dOutput)
            : kind === 'rnn'
              ? rnnBackward(p.weights, tape as never, dOutput)
              : gruBackward(p.weights, tape as never, dOutput);
        expect(h).toBeAllclose(tape.hT, { atol: 1e-12, rtol: 1e-10 });
        expect(dh).toBeAllclose(sequence.dh0, { atol: 1e-12, rtol: 1e-10 });
        expect(dWih).toBeAllclose(sequence.weight_ih, { atol: 1e-12, rtol: 1e-10 });
        expect(dWhh).toBeAllclose(sequence.weight_hh, { atol: 1e-12, rtol: 1e-10 });
        if (kind === 'lstm') {
          expect(dc).toBeAllclose((sequence as unknown as { dc0: Float64Array }).dc0, {
            atol: 1e-12,
            rtol: 1e-10,
          });
        }
      }),
      { seed: 12, numRuns: 20 },
    );
  });
});
