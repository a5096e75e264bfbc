/**
 * A character-level LSTM in one screen: min-char-rnn's loop with the LSTM's cell
 * (chapter 5, eqs. 5.2–5.5) and its hand-derived BPTT (chapter 6, eqs. 6.8–6.12). No
 * autodiff, no tensors. Gates are stacked i, f, g, o in the rows of Wxh [4H, V] and
 * Whh [4H, H], as in PyTorch, so the tests can compare with @unroll/bptt's lstmBackward.
 *
 *   forward   [ĩ f̃ g̃ õ] = x_t Wxhᵀ + hs[t−1] Whhᵀ + bh;  i, f, o = σ(·), g = tanh(·)
 *             cs[t] = f ⊙ cs[t−1] + i ⊙ g,   hs[t] = o ⊙ tanh(cs[t]),   then softmax as in min-char-rnn
 *   backward  dh = dy Why + dhnext;  dc = dcnext + dh ⊙ o ⊙ (1 − tanh² cs[t])
 *             dõ = dh ⊙ tanh(cs[t]) ⊙ o(1 − o);  dĩ = dc ⊙ g ⊙ i(1 − i)
 *             df̃ = dc ⊙ cs[t−1] ⊙ f(1 − f);      dg̃ = dc ⊙ i ⊙ (1 − g²)
 *             dcnext = dc ⊙ f;   dhnext = [dĩ df̃ dg̃ dõ] Whh;   dWhh += dgatesᵀ hs[t−1]
 * Run: npx tsx docs/examples/min-char-lstm.ts [iterations]
 */

import { adagradStep, type RNNParams } from './min-char-rnn.ts';

const sigmoid = (a: number) => 1 / (1 + Math.exp(-a));

export function initParams(V: number, H: number, random: () => number): RNNParams {
  const small = (n: number) => Float64Array.from({ length: n }, () => (random() - 0.5) * 0.02);
  return {
    Wxh: small(4 * H * V),
    Whh: small(4 * H * H),
    Why: small(V * H),
    bh: new Float64Array(4 * H),
    by: new Float64Array(V),
  };
}

export function lossFun(
  p: RNNParams,
  inputs: number[],
  targets: number[],
  hprev: Float64Array,
  cprev: Float64Array,
) {
  const H = hprev.length;
  const V = p.by.length;
  const T = inputs.length;
  const hs = [Float64Array.from(hprev)];
  const cs = [Float64Array.from(cprev)];
  const gates: Float64Array[] = []; // the activated i, f, g, o of every step, [4H]
  const ps: Float64Array[] = [];
  let loss = 0;
  for (let t = 0; t < T; t++) {
    const a = new Float64Array(4 * H);
    for (let r = 0; r < 4 * H; r++) {
      let s = p.Wxh[r * V + inputs[t]!]! + p.bh[r]!;
      for (let k = 0; k < H; k++) s += p.Whh[r * H + k]! * hs[t]![k]!;
      a[r] = r >= 2 * H && r < 3 * H ? Math.tanh(s) : sigmoid(s);
    }
    const c = new Float64Array(H);
    const h = new Float64Array(H);
    for (let j = 0; j < H; j++) {
      c[j] = a[H + j]! * cs[t]![j]! + a[j]! * a[2 * H + j]!;
      h[j] = a[3 * H + j]! * Math.tanh(c[j]!);
    }
    gates.push(a);
    cs.push(c);
    hs.push(h);
    const y = new Float64Array(V);
    let max = -Infinity;
    for (let v = 0; v < V; v++) {
      let s = p.by[v]!;
      for (let j = 0; j < H; j++) s += p.Why[v * H + j]! * h[j]!;
      max = Math.max(max, (y[v] = s));
    }
    let total = 0;
    for (let v = 0; v < V; v++) total += y[v] = Math.exp(y[v]! - max);
    for (let v = 0; v < V; v++) y[v]! /= total;
    ps.push(y);
    loss -= Math.log(y[targets[t]!]!);
  }
  const g = initParams(V, H, () => 0.5); // all zeros
  let dhnext = new Float64Array(H);
  const dcnext = new Float64Array(H);
  for (let t = T - 1; t >= 0; t--) {
    const dy = Float64Array.from(ps[t]!);
    dy[targets[t]!]! -= 1;
    const [a, h, c, cPrev] = [gates[t]!, hs[t + 1]!, cs[t + 1]!, cs[t]!];
    const dh = Float64Array.from(dhnext);
    for (let v = 0; v < V; v++) {
      g.by[v]! += dy[v]!;
      for (let j = 0; j < H; j++) {
        g.Why[v * H + j]! += dy[v]! * h[j]!;
        dh[j]! += dy[v]! * p.Why[v * H + j]!;
      }
    }
    const dgates = new Float64Array(4 * H);
    for (let j = 0; j < H; j++) {
      const [i, f, gg, o] = [a[j]!, a[H + j]!, a[2 * H + j]!, a[3 * H + j]!];
      const tanhC = Math.tanh(c[j]!);
      const dc = dcnext[j]! + dh[j]! * o * (1 - tanhC * tanhC);
      dgates[j] = dc * gg * i * (1 - i);
      dgates[H + j] = dc * cPrev[j]! * f * (1 - f);
      dgates[2 * H + j] = dc * i * (1 - gg * gg);
      dgates[3 * H + j] = dh[j]! * tanhC * o * (1 - o);
      dcnext[j] = dc * f;
    }
    dhnext = new Float64Array(H);
    for (let r = 0; r < 4 * H; r++) {
      g.bh[r]! += dgates[r]!;
      g.Wxh[r * V + inputs[t]!]! += dgates[r]!;
      for (let k = 0; k < H; k++) {
        g.Whh[r * H + k]! += dgates[r]! * hs[t]![k]!;
        dhnext[k]! += dgates[r]! * p.Whh[r * H + k]!;
      }
    }
  }
  return { loss, grads: g, h: hs[T]!, c: cs[T]! };
}

/** Trains on the shipped text, 25 characters at a time; returns the smoothed loss. */
export function train(text: string, iterations: number, H = 64, log = (_: string) => {}): number {
  const chars = [...new Set(text)].sort();
  const V = chars.length;
  const ids = Array.from(text, (ch) => chars.indexOf(ch));
  let seed = 1;
  const random = () => ((seed = (seed * 16807) % 2147483647) - 1) / 2147483646; // Park–Miller
  const p = initParams(V, H, random);
  for (let j = H; j < 2 * H; j++) p.bh[j] = 1; // forget bias 1 (Jozefowicz et al. 2015)
  const memory = initParams(V, H, () => 0.5); // zeros: Adagrad's sums
  let smooth = -Math.log(1 / V) * 25;
  let [h, c] = [new Float64Array(H), new Float64Array(H)];
  for (let n = 0, at = 0; n < iterations; n++, at += 25) {
    if (at + 26 > ids.length) [at, h, c] = [0, new Float64Array(H), new Float64Array(H)];
    const step = lossFun(p, ids.slice(at, at + 25), ids.slice(at + 1, at + 26), h, c);
    [h, c] = [step.h, step.c];
    smooth = smooth * 0.999 + step.loss * 0.001;
    adagradStep(p, step.grads, memory, 0.1);
    if (n % 1000 === 0) log(`iteration ${n}: smoothed loss ${smooth.toFixed(2)}`);
  }
  return smooth;
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const { mobyDick } = await import('@unroll/tasks');
  train(mobyDick().text, Number(process.argv[2] ?? 20000), 64, console.log);
}
