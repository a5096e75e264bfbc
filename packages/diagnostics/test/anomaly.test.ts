import { unroll } from '@unroll/bptt';
import { LSTMCell, RNNCell } from '@unroll/cells';
import {
  add,
  fromData,
  linear,
  mul,
  narrow,
  opContext,
  Rng,
  randn,
  setOpObserver,
  sqrt,
  sum,
  type Tensor,
  tanh,
  tensor,
  uniform,
  withOpContext,
} from '@unroll/tensor';
import { describe, expect, it } from 'vitest';
import { describeContext, detectAnomalies } from '../src/anomaly.ts';
import { catchAnomaly } from './catch-anomaly.ts';
import { fill, linearReluRNN } from './linear-relu-rnn.ts';

function weights(seed: number, rows: number, cols: number, scale: number): Tensor {
  const data = randn([rows, cols], new Rng(seed)).data.map((v) => v * scale);
  return fromData(data, [rows, cols], { requiresGrad: true });
}

/** A two-layer tanh RNN whose loop labels each step, as unroll does. */
function twoLayerRNN(xs: Tensor[], extra?: (h: Tensor, t: number, layer: number) => Tensor | null) {
  const w = [
    { ih: weights(1, 4, 3, 0.5), hh: weights(2, 4, 4, 0.5) },
    { ih: weights(3, 4, 4, 0.5), hh: weights(4, 4, 4, 0.5) },
  ];
  const extras: Tensor[] = [];
  let inputs = xs;
  w.forEach((layerWeights, layer) => {
    let h = tensor([
      [0, 0, 0, 0],
      [0, 0, 0, 0],
    ]);
    const outputs: Tensor[] = [];
    inputs.forEach((x, i) => {
      withOpContext({ timestep: i + 1, layer }, () => {
        h = tanh(add(linear(x, layerWeights.ih), linear(h, layerWeights.hh)));
        const e = extra?.(h, i + 1, layer);
        if (e) extras.push(e);
      });
      outputs.push(h);
    });
    inputs = outputs;
  });
  return { last: inputs[inputs.length - 1]!, extras };
}

describe('detectAnomalies', () => {
  it('names the timestep, layer, op and entry of a NaN injected into the input at a known step', () => {
    for (const bad of [1, 4, 7]) {
      const rng = new Rng(0);
      const xs = Array.from({ length: 8 }, () => randn([2, 3], rng));
      xs[bad - 1]!.data[4] = Number.NaN; // batch element 1, feature 1
      const error = catchAnomaly(() => twoLayerRNN(xs));
      expect(error.phase).toBe('forward');
      expect(error.op).toBe('linear');
      expect(error.context).toEqual({ timestep: bad, layer: 0 });
      expect(error.index).toEqual([1, 0]);
      expect(error.message).toBe(
        `anomaly in the forward pass: 'linear' produced NaN at [1, 0] of its output of shape [2, 4] at timestep ${bad}, layer 0; its input 0 (shape [2, 3], a leaf) already held NaN at [1, 1]`,
      );
    }
  });

  it('finds where an overflow is born, in the layer where it happens', () => {
    const rng = new Rng(0);
    const xs = Array.from({ length: 6 }, () => randn([2, 3], rng));
    // layer 1 keeps a running product 1e100·(1e70)ᵗ, which passes 1.8e308 at timestep 3
    let running: Tensor = tensor(1e100);
    const error = catchAnomaly(() =>
      twoLayerRNN(xs, (h, _t, layer) => {
        if (layer !== 1) return null;
        running = mul(running, 1e70);
        return sum(mul(h, running));
      }),
    );
    expect(error.op).toBe('mul');
    expect(error.value).toBe(Number.POSITIVE_INFINITY);
    expect(error.context).toEqual({ timestep: 3, layer: 1 });
    expect(error.message).toContain('its inputs were all finite');
  });

  it('catches a gradient that becomes infinite in the backward pass, and says where its op ran', () => {
    const rng = new Rng(0);
    const xs = Array.from({ length: 5 }, () => randn([2, 3], rng));
    const error = catchAnomaly(() => {
      // √(0·h) is 0 going forward, but its derivative 1/(2√0) is infinite
      const { last, extras } = twoLayerRNN(xs, (h, t, layer) =>
        t === 3 && layer === 0 ? sum(sqrt(mul(h, 0))) : null,
      );
      let loss = sum(last);
      for (const e of extras) loss = add(loss, e);
      loss.backward();
    });
    expect(error.phase).toBe('backward');
    expect(error.op).toBe('sqrt');
    expect(error.context).toEqual({ timestep: 3, layer: 0 });
    expect(Math.abs(error.value)).toBe(Number.POSITIVE_INFINITY); // ±, by the sign of 0·h
    expect(error.message).toBe(
      `anomaly in the backward pass: the backward of 'sqrt' produced ${error.value} at [0, 0] of the gradient for its input 0 (shape [2, 4]) at timestep 3, layer 0`,
    );
  });

  it('lets a healthy run through untouched and restores the previous observer', () => {
    let outer = 0;
    setOpObserver({ forward: () => void outer++ });
    const rng = new Rng(0);
    const xs = Array.from({ length: 3 }, () => randn([2, 3], rng));
    const value = detectAnomalies(() => sum(twoLayerRNN(xs).last).item());
    expect(Number.isFinite(value)).toBe(true);
    expect(outer).toBe(0);
    tensor(1).add(1);
    expect(outer).toBe(1);
    setOpObserver(null);
    expect(opContext()).toEqual({});
  });

  it('restores the previous observer after an anomaly too', () => {
    catchAnomaly(() => mul(tensor(0), Number.POSITIVE_INFINITY));
    expect(setOpObserver(null)).toBeNull();
  });

  it('describes contexts in reading order', () => {
    expect(describeContext({ direction: 'reverse', layer: 2, timestep: 9 })).toBe(
      ' at timestep 9, layer 2, direction reverse',
    );
    expect(describeContext({})).toBe('');
  });
});

describe('detectAnomalies on real layers', () => {
  it('names the step where a relu RNN overflows: α = 1e100 makes hₜ ≈ 10^(100(t−1)), ∞ at t = 5', () => {
    const rnn = linearReluRNN(2, 1e100, 1, 2);
    const x = uniform([1, 8, 2], 0.5, 1, new Rng(1));
    const error = catchAnomaly(() => rnn.forward(x));
    expect(error.phase).toBe('forward');
    expect(error.context).toEqual({ layer: 0, timestep: 5 });
    expect(error.value).toBe(Number.POSITIVE_INFINITY);
    expect(error.message).toMatch(
      /^anomaly in the forward pass: '\w+' produced Infinity at \[0, \d\] of its output of shape \[1, 2\] at timestep 5, layer 0; its inputs were all finite$/,
    );
  });

  it('names the step where the backward pass overflows while the forward pass stays finite', () => {
    // hₜ = 10³⁰ hₜ₋₁ from h₁ ≈ 10⁻²⁵⁰; L = 10¹⁰⁰ Σ h₁₀ ≈ 10¹²⁰. Backward ∂L/∂hₜ = 10¹⁰⁰ 10^(30(10−t)),
    // which passes 1.8e308 first for h₃: in the backward of step 4.
    const rnn = linearReluRNN(2, 1e30, 1, 1);
    const x = fromData(new Float64Array(20), [1, 10, 2]);
    x.data.set([1e-250, 1e-250]);
    const error = catchAnomaly(() => {
      const { output } = rnn.forward(x);
      const loss = mul(sum(narrow(output, 1, 9, 1)), 1e100);
      loss.backward();
    });
    expect(error.phase).toBe('backward');
    expect(error.context).toEqual({ layer: 0, timestep: 4 });
    expect(error.message).toContain('at timestep 4, layer 0');
  });

  it('names the step of an overflow inside unroll, for a cell run on its own', () => {
    const cell = new RNNCell({ inputSize: 2, hiddenSize: 2, nonlinearity: 'relu' });
    fill(cell.weight_hh, (i, j) => (i === j ? 1e100 : 0));
    fill(cell.weight_ih, (i, j) => (i === j ? 1 : 0));
    fill(cell.bias_ih, () => 0);
    fill(cell.bias_hh, () => 0);
    const error = catchAnomaly(() => unroll(cell, uniform([1, 8, 2], 0.5, 1, new Rng(1))));
    expect(error.context).toEqual({ timestep: 5 });
    expect(error.message).toContain('at timestep 5;');
  });

  it('points at the entry of a NaN that came with the data: for x [B, T, I], its timestep', () => {
    const rng = new Rng(2);
    const cell = new LSTMCell({ inputSize: 2, hiddenSize: 3, rng });
    const x = randn([2, 7, 2], rng);
    x.data[(1 * 7 + 5) * 2 + 0] = Number.NaN; // batch 1, timestep 6 (index 5), feature 0
    const error = catchAnomaly(() => unroll(cell, x));
    expect(error.message).toContain(
      'its input 0 (shape [2, 7, 2], a leaf) already held NaN at [1, 5, 0]',
    );
  });
});
