/**
 * tbptt: with k1 = k2 = T it is full BPTT; no gradient crosses a cut; with k2 ≥ T nothing
 * is cut and each update is the full-BPTT gradient of its own steps' loss.
 */

import { Embedding, RNNCell } from '@unroll/cells';
import { arbitraries } from '@unroll/gradcheck';
import { fromData, mul, narrow, Rng, randn, sum, type Tensor } from '@unroll/tensor';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { type TBPTTOptions, type TBPTTWindow, tbptt, unroll } from '../src/index.ts';
import { randomLeaf, seededRandom, uniformArray } from './random.ts';
import { ToyTwoStateCell } from './toy-cells.ts';

function problem(B: number, T: number, I: number, H: number, seed: number) {
  const random = seededRandom(seed);
  const leaf = (shape: number[]) => randomLeaf(random, shape);
  const cell = new ToyTwoStateCell(leaf([H, I]), leaf([H, H]), leaf([H, I]));
  const xs = leaf([B, T, I]);
  const wOut = fromData(uniformArray(random, B * T * H), [B, T, H]);
  const parameters = {
    weight_ih: cell.weight_ih,
    weight_hh: cell.weight_hh,
    weight_f: cell.weight_f,
    xs,
  };
  /** Σ wOut ⊙ outputs over steps [start, end). */
  const lossOf = (outputs: Tensor, start: number, end: number) => {
    const w = new Float64Array(B * (end - start) * H);
    for (let b = 0; b < B; b++) {
      w.set(wOut.data.subarray((b * T + start) * H, (b * T + end) * H), b * (end - start) * H);
    }
    return sum(mul(outputs, fromData(w, [B, end - start, H])));
  };
  /** Runs tbptt without changing the weights; returns the gradients of each update. */
  const run = (k1: number, k2: number) => {
    const grads: Record<string, Float64Array>[] = [];
    const windows: TBPTTWindow[] = [];
    const result = tbptt({
      cell,
      xs,
      k1,
      k2,
      loss: (outputs, w) => lossOf(outputs, w.start, w.end),
      update: (w) => {
        windows.push(w);
        grads.push(snapshot(parameters));
      },
    });
    return { grads, windows, result };
  };
  return { cell, xs, parameters, lossOf, run };
}

/** Copies every gradient and zeroes it (what an optimizer step + zeroGrad would leave). */
function snapshot(parameters: Record<string, Tensor>): Record<string, Float64Array> {
  const out: Record<string, Float64Array> = {};
  for (const [name, p] of Object.entries(parameters)) {
    out[name] = p.grad === null ? new Float64Array(p.size) : p.grad.data.slice();
    p.zeroGrad();
  }
  return out;
}

const dims = fc.record({
  B: fc.integer({ min: 1, max: 3 }),
  T: fc.integer({ min: 1, max: 8 }),
  I: fc.integer({ min: 1, max: 4 }),
  H: fc.integer({ min: 1, max: 4 }),
  seed: arbitraries.seed(),
});

describe('tbptt', () => {
  it('with k1 = k2 = T is exactly full BPTT', () => {
    fc.assert(
      fc.property(dims, ({ B, T, I, H, seed }) => {
        const p = problem(B, T, I, H, seed);
        const { grads, result } = p.run(T, T);
        const full = unroll(p.cell, p.xs);
        const fullLoss = p.lossOf(full.outputs, 0, T);
        fullLoss.backward();
        const expected = snapshot(p.parameters);
        expect(grads.length).toBe(1);
        expect(result.losses).toEqual([fullLoss.item()]);
        for (const name of Object.keys(expected)) {
          expect(grads[0]![name]).toBeAllclose(expected[name]!, { atol: 0, rtol: 0 });
        }
      }),
      { numRuns: 30 },
    );
  });

  it('sends no gradient across a cut: inputs before it get exactly zero', () => {
    fc.assert(
      fc.property(
        dims,
        fc.integer({ min: 1, max: 4 }),
        fc.integer({ min: 0, max: 3 }),
        ({ B, T, I, H, seed }, k1, extra) => {
          const p = problem(B, T, I, H, seed);
          const k2 = k1 + extra;
          const { grads, windows } = p.run(k1, k2);
          expect(windows.map((w) => w.start)).toEqual(
            Array.from({ length: Math.ceil(T / k1) }, (_, i) => i * k1),
          );
          windows.forEach((w, i) => {
            const dxs = grads[i]!.xs!;
            for (let b = 0; b < B; b++) {
              const row = dxs.subarray(b * T * I, (b + 1) * T * I);
              // Steps before the cut, and steps not yet reached, get exactly nothing.
              expect(Array.from(row.subarray(0, w.cut * I))).toEqual(new Array(w.cut * I).fill(0));
              expect(Array.from(row.subarray(w.end * I))).toEqual(
                new Array((T - w.end) * I).fill(0),
              );
            }
            expect(w.cut).toBe(Math.max(0, w.end - k2));
          });
        },
      ),
      { numRuns: 40 },
    );
  });

  it('cuts nothing when k2 covers the whole sequence: each update is full BPTT of its own loss', () => {
    fc.assert(
      fc.property(dims, fc.integer({ min: 1, max: 4 }), ({ B, T, I, H, seed }, k1) => {
        const p = problem(B, T, I, H, seed);
        const { grads, windows } = p.run(k1, Math.max(k1, T));
        windows.forEach((w, i) => {
          const full = unroll(p.cell, p.xs);
          // The loss of the window's steps only, through the whole unrolled graph.
          const mask = new Float64Array(B * T * H);
          for (let b = 0; b < B; b++) mask.fill(1, (b * T + w.start) * H, (b * T + w.end) * H);
          p.lossOf(mul(full.outputs, fromData(mask, [B, T, H])), 0, T).backward();
          const expected = snapshot(p.parameters);
          for (const name of Object.keys(expected)) {
            expect(grads[i]![name]).toBeAllclose(expected[name]!, { atol: 1e-13, rtol: 1e-10 });
          }
        });
      }),
      { numRuns: 30 },
    );
  });

  it('refuses bad k1 and k2 with the reason', () => {
    const p = problem(1, 4, 2, 2, 3);
    const go = (k1: number, k2: number) => () =>
      tbptt({ cell: p.cell, xs: p.xs, k1, k2, loss: (o) => sum(o), update: () => {} });
    expect(go(0, 2)).toThrow('tbptt: k1 must be an integer ≥ 1, got 0');
    expect(go(2, 1.5)).toThrow('tbptt: k2 must be an integer ≥ 1, got 1.5');
    expect(go(3, 2)).toThrow('tbptt: k2 (2) must be ≥ k1 (3)');
  });
});

describe('tbptt: which state a window starts from', () => {
  it('starts each window from the state first computed at its cut (k2 ≥ 2·k1), not from a later recomputation', () => {
    // k1 = 1, k2 = 3: the window ending at step e starts at e − 3, a step that the windows
    // ending there, one later and two later all computed, each with different weights.
    const rng = new Rng(4);
    const rnn = new RNNCell({ inputSize: 2, hiddenSize: 3, rng });
    const starts: Float64Array[] = [];
    let windowStarting = false;
    const cell = {
      initialState: (b: number) => rnn.initialState(b),
      step: (x: Tensor, state?: { h: Tensor }) => {
        if (windowStarting) starts.push(state!.h.data.slice());
        windowStarting = false;
        return rnn.step(x, state);
      },
    };
    const xs = randn([2, 8, 2], rng);
    const online: Float64Array[] = []; // h_e as first computed: the newest output of the window ending at e
    tbptt({
      cell,
      xs,
      k1: 1,
      k2: 3,
      loss: (outputs, w) => {
        online[w.end] = outputs.data.slice();
        return sum(mul(outputs, outputs));
      },
      update: () => {
        for (const p of rnn.parameters()) {
          for (let i = 0; i < p.size; i++) p.data[i]! -= 0.3 * p.grad!.data[i]!;
          p.zeroGrad();
        }
        windowStarting = true;
      },
    });
    // Windows 3…7 end at 4…8 and start at cuts 1…5.
    for (let end = 4; end <= 8; end++) {
      expect(starts[end - 2], `window ending at ${end}`).toEqual(online[end - 3]);
    }
  });

  it('trains through an Embedding when xs is a function of the window: each window has its own graph', () => {
    const rng = new Rng(5);
    const embedding = new Embedding({ numEmbeddings: 5, embeddingDim: 2, rng });
    const rnn = new RNNCell({ inputSize: 2, hiddenSize: 3, rng });
    const ids = fromData(Float64Array.from([0, 3, 1, 4, 2, 2, 1, 0]), [1, 8]);
    const windowIds = (from: number, to: number) => narrow(ids, 1, from, to - from);
    const run = (xs: TBPTTOptions<{ h: Tensor }>['xs']) => {
      const grads: Float64Array[] = [];
      tbptt({
        cell: rnn,
        xs,
        steps: 8,
        k1: 2,
        k2: 4,
        loss: (outputs) => sum(mul(outputs, outputs)),
        update: () => {
          grads.push(embedding.weight.grad!.data.slice());
          embedding.weight.zeroGrad();
          for (const p of rnn.parameters()) p.zeroGrad();
        },
      });
      return grads;
    };
    const perWindow = run((from, to) => embedding.forward(windowIds(from, to)));
    expect(perWindow).toHaveLength(4);
    // One graph through the embedding for the whole sequence: the second window finds it freed.
    const whole = embedding.forward(ids);
    expect(() => run(whole)).toThrow(/freed/);
    // Each window's embedding gradient reaches exactly the ids of its k2 steps.
    const touched = (g: Float64Array) =>
      [0, 1, 2, 3, 4].filter((id) => g[2 * id] !== 0 || g[2 * id + 1] !== 0);
    expect(touched(perWindow[1]!)).toEqual(
      [0, 1, 2, 3, 4].filter((id) => [0, 3, 1, 4].includes(id)),
    );
    expect(touched(perWindow[3]!)).toEqual([0, 1, 2]);
  });
});
