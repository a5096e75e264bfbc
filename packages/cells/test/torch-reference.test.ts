/**
 * unroll against PyTorch, float64: outputs, final states and every gradient of a fixed
 * loss agree to about 1e-10 relative. The numbers come from
 * scripts/make-torch-references.py (committed with its output in test/fixtures/).
 */

import { mul, stack, sum, type Tensor } from '@unroll/tensor';
import { describe, expect, it } from 'vitest';
import {
  GRU,
  GRUCell,
  LSTM,
  LSTMCell,
  loadSafetensors,
  type Module,
  RNN,
  RNNCell,
  unbind,
} from '../src/index.ts';
import {
  leaf,
  readCases,
  readFixtureBytes,
  TORCH_TOLERANCE,
  type TorchCase,
} from './torch-fixtures.ts';

// biome-ignore lint/suspicious/noExplicitAny: the fixture's options are the constructors' own.
const constructors: Record<TorchCase['module'], new (options: any) => Module> = {
  RNNCell,
  LSTMCell,
  GRUCell,
  RNN,
  LSTM,
  GRU,
};

const grads = (module: Module) => Object.fromEntries(module.namedParameters());

function expectGradients(c: TorchCase, found: Record<string, Tensor>) {
  expect(Object.keys(found).sort()).toEqual(Object.keys(c.grad).sort());
  for (const [name, tensor] of Object.entries(found)) {
    expect(tensor.grad, `d(loss)/d(${name})`).not.toBeNull();
    expect(tensor.grad!, `d(loss)/d(${name})`).toBeAllclose(c.grad[name]!, TORCH_TOLERANCE);
  }
}

describe('cells match PyTorch', () => {
  for (const c of readCases('torch-cells.json')) {
    it(c.name, () => {
      const cell = new constructors[c.module](c.options) as RNNCell | LSTMCell | GRUCell;
      cell.loadStateDict(c.parameters);
      const x = leaf(c.x, true);
      const h0 = leaf(c.h0!, true);
      const c0 = c.c0 === undefined ? undefined : leaf(c.c0, true);
      let state = c0 === undefined ? { h: h0 } : { h: h0, c: c0 };
      const hs: Tensor[] = [];
      const cs: Tensor[] = [];
      for (const xt of unbind(x)) {
        state = (cell as LSTMCell).step(xt, state as { h: Tensor; c: Tensor });
        hs.push(state.h);
        if ('c' in state) cs.push(state.c);
      }
      let loss = sum(mul(stack(hs), leaf(c.lossWeights.h)));
      if (cs.length > 0) loss = loss.add(sum(mul(stack(cs), leaf(c.lossWeights.c!))));
      loss.backward();

      expect(stack(hs)).toBeAllclose(c.h, TORCH_TOLERANCE);
      if (c.c !== undefined) expect(stack(cs)).toBeAllclose(c.c, TORCH_TOLERANCE);
      expect(loss.item()).toBeAllclose(c.loss, TORCH_TOLERANCE);
      expectGradients(c, { x, h0, ...(c0 ? { c0 } : {}), ...grads(cell) });
    });
  }
});

/** Runs a layer case; returns the outputs and the leaves whose gradients PyTorch recorded. */
function runLayer(c: TorchCase, layer: RNN | LSTM | GRU) {
  const x = leaf(c.x, true);
  const h0 = c.h0 === undefined ? undefined : leaf(c.h0, true);
  const c0 = c.c0 === undefined ? undefined : leaf(c.c0, true);
  const state0 = h0 === undefined ? undefined : c0 === undefined ? { h: h0 } : { h: h0, c: c0 };
  const result = (layer as LSTM).forward(
    x,
    state0 as { h: Tensor; c: Tensor },
    c.lengths ? { lengths: c.lengths } : {},
  );
  return { result, leaves: { x, ...(h0 ? { h0 } : {}), ...(c0 ? { c0 } : {}) } };
}

describe('stacked layers match PyTorch (several layers, bidirectional, packed lengths)', () => {
  for (const c of readCases('torch-layers.json')) {
    it(c.name, () => {
      const layer = new constructors[c.module](c.options) as RNN | LSTM | GRU;
      layer.loadStateDict(c.parameters);
      const { result, leaves } = runLayer(c, layer);
      let loss = sum(mul(result.output, leaf(c.lossWeights.output!)));
      loss = loss.add(sum(mul(result.h, leaf(c.lossWeights.h))));
      if (c.c !== undefined) loss = loss.add(sum(mul(result.c, leaf(c.lossWeights.c!))));
      loss.backward();

      expect(result.output).toBeAllclose(c.output!, TORCH_TOLERANCE);
      expect(result.h).toBeAllclose(c.h, TORCH_TOLERANCE);
      if (c.c !== undefined) expect(result.c).toBeAllclose(c.c, TORCH_TOLERANCE);
      expect(loss.item()).toBeAllclose(c.loss, TORCH_TOLERANCE);
      expectGradients(c, { ...leaves, ...grads(layer) });
    });
  }
});

describe('a safetensors file written from PyTorch', () => {
  it('loads into an LSTM that then reproduces PyTorch outputs', () => {
    const file = loadSafetensors(readFixtureBytes('torch-lstm.safetensors'));
    expect(file.metadata).toEqual({ format: 'pt', case: 'lstm-2-layers-bidirectional-packed' });
    const c = readCases('torch-layers.json').find((k) => k.name === file.metadata.case)!;
    const layer = new LSTM(c.options as unknown as ConstructorParameters<typeof LSTM>[0]);
    layer.loadStateDict(file.tensors);
    const { result } = runLayer(c, layer);
    expect(result.output).toBeAllclose(c.output!, TORCH_TOLERANCE);
    expect(result.h).toBeAllclose(c.h, TORCH_TOLERANCE);
    expect(result.c).toBeAllclose(c.c!, TORCH_TOLERANCE);
  });
});
