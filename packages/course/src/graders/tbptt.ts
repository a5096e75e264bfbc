/**
 * The grader of truncated BPTT (chapter 6): the student's `tbptt` drives a toy cell,
 * h_t = tanh(x_t·W_x + h_{t−1}·W_h), over random sequences with random k1 ≤ k2, and each
 * window is compared with what TBPTT(k1, k2) means: the window's loss is that of its k1
 * newest steps, its graph begins k2 steps before its end at a detached state, and the
 * gradient that reaches W_x and W_h is the central difference of exactly that loss.
 */

import { tbptt } from '@unroll/bptt';
import { fromData, matmul, mul, sum, type Tensor, tanh } from '@unroll/tensor';
import { Failure, type Grader, type GraderCheck } from '../grading/check.ts';
import {
  between,
  call,
  centralDifference,
  type Dims,
  expectClose,
  forCases,
  seededRandom,
  uniform,
} from '../grading/judge.ts';

interface Problem {
  B: number;
  T: number;
  I: number;
  H: number;
  k1: number;
  k2: number;
  xs: Float64Array;
  wx: Float64Array;
  wh: Float64Array;
  /** The loss is Σ lossWeights ⊙ h over the window's new steps. */
  lossWeights: Float64Array;
}

function problem(dims: Dims, caseSeed: number): Problem {
  const random = seededRandom(caseSeed);
  const { B, T, I, H, k1, extra } = dims as Record<string, number>;
  return {
    B: B!,
    T: T!,
    I: I!,
    H: H!,
    k1: k1!,
    k2: k1! + extra!,
    xs: uniform(random, B! * T! * I!),
    wx: uniform(random, I! * H!, 0.8),
    wh: uniform(random, H! * H!, 0.8),
    lossWeights: uniform(random, B! * T! * H!),
  };
}

/** h_{t+1} from h_t, entry by entry: tanh(x_t·W_x + h_t·W_h). */
function referenceStep(
  p: Problem,
  wx: Float64Array,
  wh: Float64Array,
  h: Float64Array,
  t: number,
): Float64Array {
  const next = new Float64Array(p.B * p.H);
  for (let b = 0; b < p.B; b++) {
    for (let j = 0; j < p.H; j++) {
      let a = 0;
      for (let i = 0; i < p.I; i++) a += p.xs[(b * p.T + t) * p.I + i]! * wx[i * p.H + j]!;
      for (let k = 0; k < p.H; k++) a += h[b * p.H + k]! * wh[k * p.H + j]!;
      next[b * p.H + j] = Math.tanh(a);
    }
  }
  return next;
}

/** The states h_0 … h_T of the whole sequence. */
function referenceStates(p: Problem): Float64Array[] {
  const hs: Float64Array[] = [new Float64Array(p.B * p.H)];
  for (let t = 0; t < p.T; t++) hs.push(referenceStep(p, p.wx, p.wh, hs[t]!, t));
  return hs;
}

interface Window {
  start: number;
  end: number;
  cut: number;
  index: number;
}

function referenceWindows(p: Problem): Window[] {
  const windows: Window[] = [];
  for (let start = 0, index = 0; start < p.T; start += p.k1, index++) {
    const end = Math.min(start + p.k1, p.T);
    windows.push({ start, end, cut: Math.max(0, end - p.k2), index });
  }
  return windows;
}

/** The window's loss as a function of the weights, from the detached state at its cut. */
function windowLoss(
  p: Problem,
  w: Window,
  hCut: Float64Array,
  wx: Float64Array,
  wh: Float64Array,
): number {
  let h = hCut;
  let loss = 0;
  for (let t = w.cut; t < w.end; t++) {
    h = referenceStep(p, wx, wh, h, t);
    if (t < w.start) continue;
    for (let b = 0; b < p.B; b++) {
      for (let j = 0; j < p.H; j++)
        loss += p.lossWeights[(b * p.T + t) * p.H + j]! * h[b * p.H + j]!;
    }
  }
  return loss;
}

interface Seen {
  windows: Window[];
  losses: unknown;
  gradients: { wx: Float64Array | null; wh: Float64Array | null }[];
  final: unknown;
}

/** Runs the student's tbptt on the toy cell, recording what it does. */
function runStudent(p: Problem): Seen {
  const Wx = fromData(p.wx.slice(), [p.I, p.H], { requiresGrad: true });
  const Wh = fromData(p.wh.slice(), [p.H, p.H], { requiresGrad: true });
  const cell = {
    step: (x: Tensor, state?: { h: Tensor }) => ({
      h: tanh(
        matmul(x, Wx).add(
          matmul(state?.h ?? fromData(new Float64Array(p.B * p.H), [p.B, p.H]), Wh),
        ),
      ),
    }),
    initialState: (batch: number) => ({ h: fromData(new Float64Array(batch * p.H), [batch, p.H]) }),
  };
  const seen: Seen = { windows: [], losses: null, gradients: [], final: null };
  const result = call('tbptt', () =>
    tbptt({
      cell,
      xs: fromData(p.xs, [p.B, p.T, p.I]),
      k1: p.k1,
      k2: p.k2,
      loss: (outputs, window) => {
        seen.windows.push({ ...window });
        const weights = new Float64Array(outputs.size);
        const steps = window.end - window.start;
        for (let b = 0; b < p.B; b++) {
          for (let s = 0; s < steps; s++) {
            for (let j = 0; j < p.H; j++) {
              weights[(b * steps + s) * p.H + j] =
                p.lossWeights[(b * p.T + window.start + s) * p.H + j]!;
            }
          }
        }
        if (outputs.size !== weights.length) {
          throw new Failure(
            `window ${window.index}: outputs has ${outputs.size} entries, expected [${p.B}, ${steps}, ${p.H}] (the window's new steps)`,
          );
        }
        return sum(mul(outputs, fromData(weights, outputs.shape)));
      },
      update: () => {
        seen.gradients.push({
          wx: Wx.grad?.data.slice() ?? null,
          wh: Wh.grad?.data.slice() ?? null,
        });
        Wx.grad = null;
        Wh.grad = null;
      },
    }),
  );
  seen.losses = result?.losses;
  seen.final = result?.final?.h?.data;
  return seen;
}

const draw = (r: () => number): Dims => ({
  B: between(r, 1, 2),
  T: between(r, 1, 9),
  I: between(r, 1, 2),
  H: between(r, 1, 3),
  k1: between(r, 1, 4),
  extra: between(r, 0, 4),
});

const EDGES: Dims[] = [
  { B: 1, T: 1, I: 1, H: 1, k1: 1, extra: 0 },
  { B: 1, T: 7, I: 1, H: 1, k1: 3, extra: 2 },
];

const describeWindow = (w: Window | undefined) =>
  w === undefined ? 'none' : `{ start ${w.start}, end ${w.end}, cut ${w.cut}, index ${w.index} }`;

function check(name: string, body: (p: Problem, seen: Seen) => void): GraderCheck {
  return {
    name,
    run(seed) {
      forCases(seed, { edges: EDGES, runs: 5, draw }, (dims, caseSeed) => {
        const p = problem(dims, caseSeed);
        body(p, runStudent(p));
      });
    },
  };
}

export const tbpttGrader: Grader = {
  id: 'tbptt-cut',
  checks: [
    check('windows', (p, seen) => {
      const expected = referenceWindows(p);
      for (let n = 0; n < Math.max(expected.length, seen.windows.length); n++) {
        const [e, g] = [expected[n], seen.windows[n]];
        if (
          e?.start !== g?.start ||
          e?.end !== g?.end ||
          e?.cut !== g?.cut ||
          e?.index !== g?.index
        ) {
          throw new Failure(
            `window ${n} of T = ${p.T}, k1 = ${p.k1}, k2 = ${p.k2}: expected ${describeWindow(e)} (reference), got ${describeWindow(g)} (yours)`,
          );
        }
      }
    }),
    check('losses', (p, seen) => {
      const hs = referenceStates(p);
      const expected = referenceWindows(p).map((w) => windowLoss(p, w, hs[w.cut]!, p.wx, p.wh));
      expectClose(
        `the losses (T = ${p.T}, k1 = ${p.k1}, k2 = ${p.k2})`,
        expected,
        seen.losses,
        [expected.length],
        {
          expectedFrom: 'reference',
          atol: 1e-10,
          rtol: 1e-8,
        },
      );
    }),
    check('gradient of each window', (p, seen) => {
      const hs = referenceStates(p);
      const windows = referenceWindows(p);
      if (seen.gradients.length !== windows.length) {
        throw new Failure(
          `update was called ${seen.gradients.length} times, expected ${windows.length} (once per window)`,
        );
      }
      windows.forEach((w, n) => {
        const wx = p.wx.slice();
        const wh = p.wh.slice();
        const loss = () => windowLoss(p, w, hs[w.cut]!, wx, wh);
        const what = (param: string) =>
          `∂L/∂${param} of window ${n} { start ${w.start}, end ${w.end} } with k2 = ${p.k2}`;
        expectClose(what('W_x'), centralDifference(loss, wx), seen.gradients[n]!.wx, [p.I, p.H], {
          expectedFrom: `central difference through steps ${w.cut}…${w.end - 1}`,
        });
        expectClose(what('W_h'), centralDifference(loss, wh), seen.gradients[n]!.wh, [p.H, p.H], {
          expectedFrom: `central difference through steps ${w.cut}…${w.end - 1}`,
        });
      });
    }),
    check('final state', (p, seen) => {
      expectClose('final.h', referenceStates(p)[p.T]!, seen.final, [p.B, p.H], {
        expectedFrom: 'reference',
        atol: 1e-10,
        rtol: 1e-8,
      });
    }),
  ],
};
