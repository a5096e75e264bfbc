/**
 * export/layout.ts: the gate orders of the frameworks, as their documentation states
 * them (PyTorch nn.LSTM/nn.GRU, Keras LSTM/GRU, ONNX LSTM/GRU operators), the block
 * permutation and its inverse, and the name-and-shape check that every import goes through.
 */

import { describe, expect, it } from 'vitest';
import {
  BLOCKS_FROM_PYTORCH,
  expectedShapes,
  inverseOrder,
  modelFromTensors,
  reorderBlocks,
  type Tensor64,
  transpose,
} from '../../src/export/layout.ts';

// The blocks by name, in each framework's documented order.
const PYTORCH = { lstm: ['i', 'f', 'g', 'o'], gru: ['r', 'z', 'n'] };
const ONNX = { lstm: ['i', 'o', 'f', 'g'], gru: ['z', 'r', 'n'] }; // ONNX calls g "c", n "h"
const KERAS = { lstm: ['i', 'f', 'g', 'o'], gru: ['z', 'r', 'n'] }; // Keras calls g "c", n "h"

describe('gate orders', () => {
  for (const cell of ['lstm', 'gru'] as const) {
    it(`${cell}: ONNX's and Keras's blocks are PyTorch's, reordered as documented`, () => {
      const named = (order: number[]) => order.map((k) => PYTORCH[cell][k]);
      expect(named(BLOCKS_FROM_PYTORCH.onnx[cell])).toEqual(ONNX[cell]);
      expect(named(BLOCKS_FROM_PYTORCH.keras[cell])).toEqual(KERAS[cell]);
    });
  }

  it('reorders whole blocks of rows, and the inverse order puts them back', () => {
    // H = 2 rows per block, C = 3 columns: block k holds the values 10k + row·3 + col.
    const G = 4;
    const data = Float64Array.from(
      { length: G * 2 * 3 },
      (_, i) => 10 * Math.floor(i / 6) + (i % 6),
    );
    const order = BLOCKS_FROM_PYTORCH.onnx.lstm;
    const moved = reorderBlocks(data, 2, 3, order);
    expect([...moved.subarray(6, 12)]).toEqual([30, 31, 32, 33, 34, 35]); // ONNX's 2nd block is o (PyTorch's 4th)
    expect([...reorderBlocks(moved, 2, 3, inverseOrder(order))]).toEqual([...data]);
  });

  it('transposes a row-major matrix', () => {
    expect([...transpose([1, 2, 3, 4, 5, 6], 2, 3)]).toEqual([1, 4, 2, 5, 3, 6]);
  });
});

describe('modelFromTensors', () => {
  const tensorsOf = (cell: 'lstm' | 'gru' | 'rnn', layers: number) => {
    const out: Record<string, Tensor64> = {};
    for (const [name, shape] of expectedShapes(cell, layers, 3, 2, 1)) {
      out[name] = { shape, data: new Float64Array(shape.reduce((a, b) => a * b, 1)) };
    }
    return out;
  };

  it('reads the sizes from the tensors', () => {
    const model = modelFromTensors('gru', 'every', tensorsOf('gru', 2), 'file');
    expect([model.layers, model.hiddenSize, model.inputSize, model.outputSize]).toEqual([
      2, 3, 2, 1,
    ]);
  });

  it('names the first mismatch: another cell, a missing tensor, a wrong shape, an extra one', () => {
    expect(() => modelFromTensors('lstm', 'last', tensorsOf('gru', 1), 'f')).toThrow(
      "f: 'weight_hh_l0' has shape [9, 3]; a lstm with hidden size H has [4·H, H] (4 gate blocks): is --cell right?",
    );
    const missing = tensorsOf('rnn', 2);
    delete missing.bias_ih_l1;
    expect(() => modelFromTensors('rnn', 'last', missing, 'f')).toThrow(
      "f: no tensor 'bias_ih_l1' (expected shape [3])",
    );
    const reshaped = tensorsOf('rnn', 1);
    reshaped['readout.bias'] = { shape: [1, 1], data: new Float64Array(1) };
    expect(() => modelFromTensors('rnn', 'last', reshaped, 'f')).toThrow(
      "f: 'readout.bias' has shape [1, 1], expected [1]",
    );
    const extra = {
      ...tensorsOf('rnn', 1),
      'optimizer.x': { shape: [1], data: new Float64Array(1) },
    };
    expect(() => modelFromTensors('rnn', 'last', extra, 'f')).toThrow(
      "f: unexpected tensor 'optimizer.x' in a 1-layer rnn",
    );
  });
});
