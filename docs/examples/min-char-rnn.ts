/**
 * A character-level vanilla RNN in one screen, after Karpathy's min-char-rnn: no
 * autodiff, no tensors, only loops over Float64Arrays. The whole of BPTT is `lossFun`.
 *
 *   forward   hs[t] = tanh(x_t Wxhᵀ + hs[t−1] Whhᵀ + bh)      (eq. 5.1; x_t one-hot)
 *             ys[t] = hs[t] Whyᵀ + by,  ps[t] = softmax(ys[t]),  loss = −Σ_t log ps[t][target_t]
 *   backward  dy = ps[t] − onehot(target_t)                    (softmax + log loss, eq. 3.6)
 *             dh = dy Why + dhnext                              (eq. 6.2)
 *             dhraw = dh ⊙ (1 − hs[t]²)                        (eq. 6.4)
 *             dWxh += dhrawᵀ x_t,  dWhh += dhrawᵀ hs[t−1],  dbh += dhraw   (eq. 6.6)
 *             dhnext = dhraw Whh                                (eq. 6.5)
 *
 * Weights are [out, in] as in PyTorch (Wxh is weight_ih, Whh weight_hh), so the tests can
 * hand the same arrays to @unroll/bptt's rnnBackward and compare. Unlike the original,
 * hs[0] is the previous state (no hs[−1]), and softmax subtracts the max first.
 * Run: npx tsx docs/examples/min-char-rnn.ts [iterations]
 */

export interface RNNParams {
  Wxh: Float64Array; // [H, V]
  Whh: Float64Array; // [H, H]
  Why: Float64Array; // [V, H]
  bh: Float64Array; // [H]
  by: Float64Array; // [V]
}

export function initParams(V: number, H: number, random: () => number): RNNParams {
  const small = (n: number) => Float64Array.from({ length: n }, () => (random() - 0.5) * 0.02);
  return {
    Wxh: small(H * V),
    Whh: small(H * H),
    Why: small(V * H),
    bh: new Float64Array(H),
    by: new Float64Array(V),
  };
}

/** Forward and backward over one chunk: inputs and targets are character ids. */
export function lossFun(p: RNNParams, inputs: number[], targets: number[], hprev: Float64Array) {
  const H = p.bh.length;
  const V = p.by.length;
  const T = inputs.length;
  const hs = [Float64Array.from(hprev)];
  const ps: Float64Array[] = [];
  let loss = 0;
  for (let t = 0; t < T; t++) {
    const h = new Float64Array(H);
    for (let j = 0; j < H; j++) {
      let a = p.Wxh[j * V + inputs[t]!]! + p.bh[j]!; // x_t is one-hot: one column of Wxh
      for (let k = 0; k < H; k++) a += p.Whh[j * H + k]! * hs[t]![k]!;
      h[j] = Math.tanh(a);
    }
    hs.push(h);
    const y = new Float64Array(V);
    let max = -Infinity;
    for (let v = 0; v < V; v++) {
      let s = p.by[v]!;
      for (let j = 0; j < H; j++) s += p.Why[v * H + j]! * h[j]!;
      y[v] = s;
      max = Math.max(max, s);
    }
    let total = 0;
    for (let v = 0; v < V; v++) total += y[v] = Math.exp(y[v]! - max); // shift by the max: no overflow
    for (let v = 0; v < V; v++) y[v]! /= total;
    ps.push(y);
    loss -= Math.log(y[targets[t]!]!);
  }
  const g: RNNParams = {
    Wxh: new Float64Array(H * V),
    Whh: new Float64Array(H * H),
    Why: new Float64Array(V * H),
    bh: new Float64Array(H),
    by: new Float64Array(V),
  };
  let dhnext = new Float64Array(H);
  for (let t = T - 1; t >= 0; t--) {
    const dy = Float64Array.from(ps[t]!);
    dy[targets[t]!]! -= 1;
    const h = hs[t + 1]!;
    const dh = Float64Array.from(dhnext);
    for (let v = 0; v < V; v++) {
      g.by[v]! += dy[v]!;
      for (let j = 0; j < H; j++) {
        g.Why[v * H + j]! += dy[v]! * h[j]!;
        dh[j]! += dy[v]! * p.Why[v * H + j]!;
      }
    }
    const dhraw = dh.map((d, j) => d * (1 - h[j]! * h[j]!));
    dhnext = new Float64Array(H);
    for (let j = 0; j < H; j++) {
      g.bh[j]! += dhraw[j]!;
      g.Wxh[j * V + inputs[t]!]! += dhraw[j]!;
      for (let k = 0; k < H; k++) {
        g.Whh[j * H + k]! += dhraw[j]! * hs[t]![k]!;
        dhnext[k]! += dhraw[j]! * p.Whh[j * H + k]!;
      }
    }
  }
  return { loss, grads: g, h: hs[T]! };
}

/** Adagrad on every parameter, after clipping each gradient entry to [−5, 5] as the original does. */
export function adagradStep(p: RNNParams, g: RNNParams, memory: RNNParams, lr: number): void {
  for (const name of Object.keys(p) as (keyof RNNParams)[]) {
    const [param, grad, mem] = [p[name], g[name], memory[name]];
    for (let k = 0; k < param.length; k++) {
      const d = Math.max(-5, Math.min(5, grad[k]!));
      mem[k]! += d * d;
      param[k]! -= (lr * d) / Math.sqrt(mem[k]! + 1e-8);
    }
  }
}

/** Trains on the shipped Moby-Dick text, 25 characters at a time; returns the smoothed loss. */
export function train(text: string, iterations: number, H = 64, log = (_: string) => {}): number {
  const chars = [...new Set(text)].sort();
  const V = chars.length;
  const ids = Array.from(text, (ch) => chars.indexOf(ch));
  let seed = 1;
  const random = () => ((seed = (seed * 16807) % 2147483647) - 1) / 2147483646; // Park–Miller
  const p = initParams(V, H, random);
  const memory = initParams(V, H, () => 0.5); // (0.5 − 0.5)·0.02: Adagrad's sums start at 0
  let smooth = -Math.log(1 / V) * 25;
  let h = new Float64Array(H);
  for (let n = 0, at = 0; n < iterations; n++, at += 25) {
    if (at + 26 > ids.length) [at, h] = [0, new Float64Array(H)];
    const step = lossFun(p, ids.slice(at, at + 25), ids.slice(at + 1, at + 26), h);
    h = step.h;
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
