import { GRU, LSTM, LSTMCell } from '@unroll/cells';
import {
  add,
  fromData,
  linear,
  mul,
  Rng,
  rand,
  randn,
  sum,
  type Tensor,
  tanh,
  tensor,
  uniform,
} from '@unroll/tensor';
import { describe, expect, it } from 'vitest';
import { captureGradientFlow, measureGradientFlow } from '../src/flow.ts';
import { gradientVerdict } from '../src/verdict.ts';
import { linearReluRNN } from './linear-relu-rnn.ts';

/** hₜ = tanh(W_ih xₜ + b + W_hh hₜ₋₁), returning [h₁..h_T] still in the graph. */
function tanhRNN(
  params: { wih: Tensor; whh: Tensor; b: Tensor },
  xs: Tensor[],
  h0: Tensor,
): Tensor[] {
  const hs: Tensor[] = [];
  let h = h0;
  for (const x of xs) {
    h = tanh(add(linear(x, params.wih, params.b), linear(h, params.whh)));
    hs.push(h);
  }
  return hs;
}

function makeParams(seed: number, I: number, H: number) {
  const rng = new Rng(seed);
  return {
    wih: randn([H, I], rng, { requiresGrad: true }),
    whh: fromData(
      randn([H, H], rng).data.map((v) => 0.6 * v),
      [H, H],
      { requiresGrad: true },
    ),
    b: randn([H], rng, { requiresGrad: true }),
  };
}

describe('captureGradientFlow', () => {
  it('measures ‖∂L/∂hₜ‖ ∝ α^(T−t) for the linear RNN hₜ = α hₜ₋₁ + xₜ with the loss at T', () => {
    for (const alpha of [0.5, 0.9, 1.2]) {
      const T = 12;
      const rng = new Rng(1);
      const xs = Array.from({ length: T }, () => randn([3, 4], rng));
      const whh = fromData(
        new Float64Array([alpha, 0, 0, 0, 0, alpha, 0, 0, 0, 0, alpha, 0, 0, 0, 0, alpha]),
        [4, 4],
        {
          requiresGrad: true,
        },
      );
      const hs: Tensor[] = [];
      let h = randn([3, 4], rng);
      for (const x of xs) {
        h = add(linear(h, whh), x);
        hs.push(h);
      }
      const flow = captureGradientFlow(hs);
      const c = randn([3, 4], rng);
      sum(mul(hs[T - 1]!, c)).backward();
      const last = flow.norms[0]![T - 1]!;
      expect(last).toBeAllclose(Math.hypot(...c.data), { rtol: 1e-12 });
      const ratios = flow.norms[0]!.map((g) => g / last);
      expect(ratios).toBeAllclose(
        Array.from({ length: T }, (_, i) => alpha ** (T - (i + 1))),
        { rtol: 1e-12, atol: 0 },
      );
      expect(flow.seen).toBe(T);
    }
  });

  it('sees the complete ∂L/∂hₜ when hₜ gets gradient from two places: ‖c‖ (1 + α + … + α^(T−t))', () => {
    // hₜ = α hₜ₋₁ + xₜ and L = Σₜ Σ c ⊙ hₜ: hₜ collects c from its own term and α·∂L/∂hₜ₊₁.
    const [T, alpha] = [10, 0.7];
    const rng = new Rng(4);
    const whh = fromData(
      Float64Array.from({ length: 9 }, (_, k) => (k % 4 === 0 ? alpha : 0)),
      [3, 3],
      { requiresGrad: true },
    );
    const c = randn([2, 3], rng);
    const hs: Tensor[] = [];
    let h = randn([2, 3], rng);
    let loss: Tensor | null = null;
    for (let t = 0; t < T; t++) {
      h = add(linear(h, whh), randn([2, 3], rng));
      hs.push(h);
      const term = sum(mul(h, c));
      loss = loss === null ? term : add(loss, term);
    }
    const flow = captureGradientFlow(hs);
    loss!.backward();
    const expected = Array.from({ length: T }, (_, i) => {
      let geometric = 0;
      for (let k = 0; k <= T - (i + 1); k++) geometric += alpha ** k;
      return Math.hypot(...c.data) * geometric;
    });
    expect(flow.norms[0]).toBeAllclose(expected, { rtol: 1e-12, atol: 0 });
    expect(flow.seen).toBe(T);
  });

  it('leaves every parameter gradient bit for bit as it is without the hooks', () => {
    const run = (capture: boolean) => {
      const params = makeParams(5, 3, 6);
      const rng = new Rng(9);
      const xs = Array.from({ length: 15 }, () => randn([2, 3], rng));
      const hs = tanhRNN(params, xs, randn([2, 6], rng));
      const flow = capture ? captureGradientFlow(hs) : null;
      // a loss at every step, so every hₜ gets gradient from two places
      let loss = sum(mul(hs[0]!, hs[0]!));
      for (const h of hs.slice(1)) loss = add(loss, sum(mul(h, h)));
      loss.backward();
      return { grads: [params.wih, params.whh, params.b].map((p) => p.grad!.data), flow };
    };
    const plain = run(false);
    const hooked = run(true);
    plain.grads.forEach((g, k) => {
      const h = hooked.grads[k]!;
      expect(
        Buffer.from(h.buffer, h.byteOffset, h.byteLength).equals(
          Buffer.from(g.buffer, g.byteOffset, g.byteLength),
        ),
      ).toBe(true);
    });
    expect(hooked.flow!.norms[0]!.every((g) => g > 0)).toBe(true);
  });

  it('records one row per layer, 0 where no gradient arrives, and stops after remove()', () => {
    const p0 = makeParams(1, 2, 3);
    const p1 = makeParams(2, 3, 3);
    const rng = new Rng(3);
    const xs = Array.from({ length: 5 }, () => randn([1, 2], rng));
    const layer0 = tanhRNN(p0, xs, tensor([[0, 0, 0]]));
    const layer1 = tanhRNN(p1, layer0, tensor([[0, 0, 0]]));
    const flow = captureGradientFlow([layer0, layer1]);
    sum(layer1[2]!).backward(undefined, { retainGraph: true }); // loss at t = 3 only
    expect(flow.norms).toHaveLength(2);
    expect(flow.norms[1]!.slice(3)).toEqual([0, 0]);
    expect(flow.norms[0]!.slice(3)).toEqual([0, 0]);
    expect(flow.norms[0]!.slice(0, 3).every((g) => g > 0)).toBe(true);
    flow.reset();
    flow.remove();
    sum(layer1[4]!).backward();
    expect(flow.norms.flat().every((g) => g === 0)).toBe(true);
  });

  it('refuses a state that no gradient can reach', () => {
    expect(() => captureGradientFlow([tensor([[1]]), tensor([[2]])])).toThrow(
      'captureGradientFlow: the state at t = 1 (layer 0) does not require grad, so no gradient will reach it; run the forward pass outside noGrad with parameters that require grad',
    );
  });
});

describe('measureGradientFlow', () => {
  it('gives ‖∂L/∂hₜ‖ = ‖c‖ α^(T−t) on top and β (T−t+1) α^(T−t) ‖c‖ one layer down', () => {
    const [H, T, alpha, beta] = [3, 9, 0.8, 0.5];
    const rnn = linearReluRNN(H, alpha, beta, 2);
    const x = rand([2, T, H], new Rng(1)); // positive: relu stays linear
    const c = uniform([2, H], 0.5, 1.5, new Rng(2));
    // L = Σ c ⊙ h_T of the top layer
    const { norms } = measureGradientFlow(rnn, x, (out) =>
      sum(mul(out, fromData(maskLast(2, T, H, c), [2, T, H]))),
    );
    const norm = Math.hypot(...c.data);
    const top = Array.from({ length: T }, (_, i) => norm * alpha ** (T - (i + 1)));
    const below = Array.from(
      { length: T },
      (_, i) => norm * beta * (T - i) * alpha ** (T - (i + 1)),
    );
    expect(norms[1]).toBeAllclose(top, { rtol: 1e-12, atol: 0 });
    expect(norms[0]).toBeAllclose(below, { rtol: 1e-12, atol: 0 });
    expect(gradientVerdict(norms[1]!).decayRate).toBeAllclose(alpha, { rtol: 1e-12 });
  });

  it('leaves every gradient the weights already had exactly as it was', () => {
    const rnn = linearReluRNN(2, 0.9, 1, 1);
    const x = rand([1, 4, 2], new Rng(3));
    const [, whh] = rnn.namedParameters().find(([n]) => n === 'weight_hh_l0')!;
    const before = fromData(Float64Array.of(1, 2, 3, 4), [2, 2]);
    whh.grad = before;
    measureGradientFlow(rnn, x, (out) => sum(out));
    expect(whh.grad).toBe(before);
    expect(Array.from(whh.grad!.data)).toEqual([1, 2, 3, 4]);
    const [, bias] = rnn.namedParameters().find(([n]) => n === 'bias_hh_l0')!;
    expect(bias.grad).toBeNull();
  });

  it('also measures ‖∂L/∂cₜ‖ for an LSTM, for a single cell as for a stack, and not for a GRU', () => {
    const rng = new Rng(5);
    const x = randn([2, 6, 3], rng);
    const cell = new LSTMCell({ inputSize: 3, hiddenSize: 4, rng });
    const flow = measureGradientFlow(cell, x, (out) => sum(mul(out, out)));
    expect(flow.norms).toHaveLength(1);
    expect(flow.cellNorms![0]).toHaveLength(6);
    expect(flow.cellNorms![0]!.every((g) => g > 0)).toBe(true);
    const stack = new LSTM({ inputSize: 3, hiddenSize: 4, numLayers: 3, rng });
    expect(measureGradientFlow(stack, x, (out) => sum(out)).cellNorms).toHaveLength(3);
    // A GRU carries only h: one row per layer, every step reached, and no cell norms.
    const gru = measureGradientFlow(
      new GRU({ inputSize: 3, hiddenSize: 4, numLayers: 2, rng }),
      x,
      (out) => sum(out),
    );
    expect(gru.norms.map((row) => row.length)).toEqual([6, 6]);
    expect(gru.norms.flat().every((g) => g > 0)).toBe(true);
    expect(gru.cellNorms).toBeUndefined();
  });
});

/** A [B, T, H] array that is c at t = T and 0 elsewhere. */
function maskLast(B: number, T: number, H: number, c: Tensor): Float64Array {
  const m = new Float64Array(B * T * H);
  for (let b = 0; b < B; b++)
    for (let h = 0; h < H; h++) m[(b * T + T - 1) * H + h] = c.data[b * H + h]!;
  return m;
}
