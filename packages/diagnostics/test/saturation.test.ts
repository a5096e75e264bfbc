import { type CellWeights, gruForward, lstmForward } from '@unroll/bptt';
import { GRU, GRUCell, LSTM, LSTMCell, RNN, RNNCell } from '@unroll/cells';
import { fromData, narrow, noGrad, Rng, randn, type Tensor } from '@unroll/tensor';
import { describe, expect, it } from 'vitest';
import { saturation } from '../src/saturation.ts';

const sigma = (a: number) => 1 / (1 + Math.exp(-a));

function set(t: Tensor | null, values: number[]): void {
  t!.data.set(values);
}

describe('saturation', () => {
  it('counts saturated LSTM gates step by step, from gates it can predict by hand', () => {
    // H = 1, I = 1, no recurrence: each gate is act(a_gate · x + b_gate)
    const cell = new LSTMCell({ inputSize: 1, hiddenSize: 1 });
    const a = { i: 8, f: -1, g: 3, o: 0.1 };
    const b = { i: 0, f: 4, g: 0, o: 0 };
    set(cell.weight_ih, [a.i, a.f, a.g, a.o]);
    set(cell.weight_hh, [0, 0, 0, 0]);
    set(cell.bias_ih, [b.i, b.f, b.g, b.o]);
    set(cell.bias_hh, [0, 0, 0, 0]);
    // x[b, t]: batch 0 and batch 1, 4 steps
    const x = [
      [1, -1, 0.1, 2],
      [-0.5, 0.3, 1, -2],
    ];
    const xs = fromData(Float64Array.from(x.flat()), [2, 4, 1]);
    const [report] = saturation(cell, xs);
    expect(report!.kind).toBe('lstm');
    expect(report!.gates.map((g) => [g.gate, g.activation])).toEqual([
      ['i', 'sigmoid'],
      ['f', 'sigmoid'],
      ['g', 'tanh'],
      ['o', 'sigmoid'],
    ]);
    const expected = (gate: 'i' | 'f' | 'g' | 'o', t: number) => {
      const acts = [0, 1].map((k) => {
        const pre = a[gate] * x[k]![t]! + b[gate];
        return gate === 'g' ? Math.tanh(pre) : sigma(pre);
      });
      const saturated = acts.filter((v) =>
        gate === 'g' ? Math.abs(v) > 0.95 : v < 0.05 || v > 0.95,
      );
      return { fraction: saturated.length / 2, mean: (acts[0]! + acts[1]!) / 2 };
    };
    for (const gate of ['i', 'f', 'g', 'o'] as const) {
      const g = report!.gates.find((r) => r.gate === gate)!;
      expect(g.perStep).toEqual([0, 1, 2, 3].map((t) => expected(gate, t).fraction));
      expect(g.meanPerStep).toBeAllclose(
        [0, 1, 2, 3].map((t) => expected(gate, t).mean),
        { rtol: 1e-12 },
      );
    }
    // i = σ(8x) over x = 1, −1, 0.1, 2, −0.5, 0.3, 1, −2: saturated except at 0.1 and 0.3,
    // high at 1, 2, 1 and low at −1, −0.5, −2
    const i = report!.gates[0]!;
    expect(i.overall).toBe(6 / 8);
    expect([i.low, i.high]).toEqual([3 / 8, 3 / 8]);
    expect(report!.forgetGateMean).toEqual(report!.gates[1]!.meanPerStep);
    expect(report!.activations[1]!.perStep[2]![1]).toBeAllclose(sigma(-1 * 1 + 4), { rtol: 1e-14 });
  });

  it('recomputes the gates the cells use: they rebuild each cell’s next state exactly', () => {
    const rng = new Rng(3);
    const xs = randn([2, 5, 3], rng);
    const step = (t: number) => narrow(xs, 1, t, 1).reshape([2, 3]);
    const close = (a: Float64Array, b: Float64Array) =>
      expect(a).toBeAllclose(b, { rtol: 1e-13, atol: 1e-15 });

    const lstm = new LSTMCell({ inputSize: 3, hiddenSize: 4, rng });
    const [l] = saturation(lstm, xs);
    let state = lstm.initialState(2);
    for (let t = 0; t < 5; t++) {
      const [i, f, g, o] = l!.activations.map((a) => a.perStep[t]!);
      const next = noGrad(() => lstm.step(step(t), state));
      const c = state.c.data.map((cPrev, k) => f![k]! * cPrev + i![k]! * g![k]!);
      close(next.c.data, c);
      close(
        next.h.data,
        c.map((v, k) => o![k]! * Math.tanh(v)),
      );
      state = next;
    }

    for (const resetAfter of [true, false]) {
      const gru = new GRUCell({ inputSize: 3, hiddenSize: 4, resetAfter, rng });
      const [r] = saturation(gru, xs);
      let h = gru.initialState(2).h;
      for (let t = 0; t < 5; t++) {
        const [, z, n] = r!.activations.map((a) => a.perStep[t]!);
        const next = noGrad(() => gru.step(step(t), { h })).h;
        close(
          next.data,
          h.data.map((hPrev, k) => (1 - z![k]!) * n![k]! + z![k]! * hPrev),
        );
        h = next;
      }
    }

    for (const nonlinearity of ['tanh', 'relu'] as const) {
      const rnn = new RNNCell({ inputSize: 3, hiddenSize: 4, nonlinearity, rng });
      const [r] = saturation(rnn, xs);
      let h = rnn.initialState(2).h;
      for (let t = 0; t < 5; t++) {
        h = noGrad(() => rnn.step(step(t), { h })).h;
        close(h.data, r!.activations[0]!.perStep[t]!);
      }
      expect(r!.gates[0]!.activation).toBe(nonlinearity);
    }
  });

  it('counts relu units at 0 as saturated, since no gradient passes them', () => {
    const cell = new RNNCell({ inputSize: 1, hiddenSize: 2, nonlinearity: 'relu' });
    set(cell.weight_ih, [1, -1]);
    set(cell.weight_hh, [0, 0, 0, 0]);
    set(cell.bias_ih, [0, 0]);
    set(cell.bias_hh, [0, 0]);
    const [report] = saturation(cell, fromData(Float64Array.of(1, -2, 3), [1, 3, 1]));
    // x = 1: [1, 0]; x = −2: [0, 2]; x = 3: [3, 0] — one of two units at 0 each step
    expect(report!.gates[0]!.perStep).toEqual([0.5, 0.5, 0.5]);
  });

  it('reports every layer and direction of a stacked layer, feeding each layer the one below', () => {
    const rng = new Rng(8);
    const xs = randn([3, 4, 2], rng);
    const lstm = new LSTM({ inputSize: 2, hiddenSize: 3, numLayers: 2, bidirectional: true, rng });
    const reports = saturation(lstm, xs);
    expect(reports.map((r) => r.where)).toEqual([
      'layer 0',
      'layer 0 reverse',
      'layer 1',
      'layer 1 reverse',
    ]);
    // the top layer's h at the last step is the module's output there: rebuild it from the gates
    const out = noGrad(() => lstm.forward(xs)).output; // [B, T, 2H]
    const top = reports[2]!;
    const T = 4;
    let c = new Float64Array(9);
    let h = new Float64Array(9);
    for (let t = 0; t < T; t++) {
      const [i, f, g, o] = top.activations.map((a) => a.perStep[t]!);
      c = c.map((cPrev, k) => f![k]! * cPrev + i![k]! * g![k]!);
      h = c.map((v, k) => o![k]! * Math.tanh(v));
    }
    const last = [0, 1, 2].flatMap((b) =>
      Array.from(out.data.subarray(b * T * 6 + (T - 1) * 6, b * T * 6 + (T - 1) * 6 + 3)),
    );
    expect(h).toBeAllclose(last, { rtol: 1e-12, atol: 1e-14 });
    expect(saturation(new GRU({ inputSize: 2, hiddenSize: 3 }), xs)[0]!.kind).toBe('gru');
    expect(saturation(new RNN({ inputSize: 2, hiddenSize: 3, numLayers: 3 }), xs)).toHaveLength(3);
  });

  it('recomputes the same gates as the hand-derived passes of @unroll/bptt (the equations’ other copy)', () => {
    const rng = new Rng(8);
    const [B, T, I, H] = [2, 4, 3, 5];
    const xs = randn([B, T, I], rng);
    const dims = { batchSize: B, steps: T, inputSize: I, hiddenSize: H };
    const weightsOf = (cell: LSTMCell | GRUCell): CellWeights => ({
      weight_ih: cell.weight_ih.data,
      weight_hh: cell.weight_hh.data,
      bias_ih: cell.bias_ih!.data,
      bias_hh: cell.bias_hh!.data,
    });
    /** The tape's gates [T, B, G·H] as saturation's perStep[t] of gate k, [B·H]. */
    const tapeGate = (gates: Float64Array, G: number, t: number, k: number) =>
      Float64Array.from({ length: B * H }, (_, e) => {
        const [b, j] = [Math.floor(e / H), e % H];
        return gates[(t * B + b) * G * H + k * H + j]!;
      });
    const lstm = new LSTMCell({ inputSize: I, hiddenSize: H, rng });
    const lstmTape = lstmForward(weightsOf(lstm), xs.data, null, dims);
    const [lstmReport] = saturation(lstm, xs);
    for (const resetAfter of [true, false]) {
      const gru = new GRUCell({ inputSize: I, hiddenSize: H, resetAfter, rng });
      const gruTape = gruForward(weightsOf(gru), xs.data, null, dims, { resetAfter });
      const [gruReport] = saturation(gru, xs);
      for (let t = 0; t < T; t++) {
        for (let k = 0; k < 3; k++) {
          expect(gruReport!.activations[k]!.perStep[t]!).toBeAllclose(
            tapeGate(gruTape.gates, 3, t, k),
            { rtol: 1e-12, atol: 1e-14 },
          );
        }
      }
    }
    for (let t = 0; t < T; t++) {
      for (let k = 0; k < 4; k++) {
        expect(lstmReport!.activations[k]!.perStep[t]!).toBeAllclose(
          tapeGate(lstmTape.gates, 4, t, k),
          { rtol: 1e-12, atol: 1e-14 },
        );
      }
    }
  });

  it('refuses bad thresholds and inputs', () => {
    const cell = new RNNCell({ inputSize: 1, hiddenSize: 1 });
    const xs = fromData(new Float64Array(2), [1, 2, 1]);
    expect(() => saturation(cell, xs, { sigmoidLow: 0.9, sigmoidHigh: 0.5 })).toThrow(
      'saturation: need 0 < sigmoidLow < sigmoidHigh < 1, got 0.9 and 0.5',
    );
    expect(() => saturation(cell, xs, { tanhAbove: 1 })).toThrow(
      'saturation: tanhAbove must be in (0, 1), got 1',
    );
    expect(() => saturation(cell, fromData(new Float64Array(2), [2, 1]))).toThrow(
      'saturation: xs must be [batch, steps, inputSize], got [2, 1]',
    );
  });
});
