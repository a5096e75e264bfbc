/**
 * unrollFused's shape checks, one per way a shape can be wrong (the rank, the feature
 * size, the batch, the hidden size of a state), and the names of its graph nodes — the
 * names that `toString()` and the engine's errors show, so a user can tell the fused
 * recurrence apart in a printed graph.
 */

import { LSTMCell, RNNCell } from '@unroll/cells';
import { fromData, type Tensor } from '@unroll/tensor';
import { describe, expect, it } from 'vitest';
import { unrollFused } from '../src/index.ts';

const cell = new RNNCell({ inputSize: 2, hiddenSize: 3 });
const zeros = (shape: number[]) =>
  fromData(new Float64Array(shape.reduce((a, b) => a * b, 1)), shape);

describe('unrollFused refuses a shape that is wrong in one way only', () => {
  it('xs of rank 4, or of rank 3 with another feature size', () => {
    expect(() => unrollFused(cell, zeros([2, 3, 2, 1]))).toThrow(
      'unrollFused: xs must be [batch, steps, inputSize = 2], got [2,3,2,1]',
    );
    expect(() => unrollFused(cell, zeros([2, 3, 4]))).toThrow(
      'unrollFused: xs must be [batch, steps, inputSize = 2], got [2,3,4]',
    );
  });
  it('a state of rank 3, or with another hidden size, for h and for an LSTM’s c', () => {
    const xs = zeros([2, 3, 2]);
    expect(() => unrollFused(cell, xs, { h: zeros([2, 3, 1]) })).toThrow(
      'unrollFused: state0.h must be [2, 3], got [2,3,1]',
    );
    expect(() => unrollFused(cell, xs, { h: zeros([2, 4]) })).toThrow(
      'unrollFused: state0.h must be [2, 3], got [2,4]',
    );
    const lstm = new LSTMCell({ inputSize: 2, hiddenSize: 3 });
    expect(() => unrollFused(lstm, xs, { h: zeros([2, 3]), c: zeros([2, 5]) })).toThrow(
      'unrollFused: state0.c must be [2, 3], got [2,5]',
    );
  });
});

describe('unrollFused in a printed graph', () => {
  it('names each visible output by what it carries, and the recurrence they come from', () => {
    const lstm = new LSTMCell({ inputSize: 2, hiddenSize: 3 });
    const { outputs, final } = unrollFused(lstm, zeros([2, 3, 2]));
    const named: [Tensor, string][] = [
      [outputs, 'unrollFused.dOutput'],
      [final.h, 'unrollFused.dhT'],
      [final.c!, 'unrollFused.dcT'],
    ];
    for (const [tensor, op] of named) {
      expect(String(tensor)).toMatch(new RegExp(`← ${op.replace('.', '\\.')}$`));
      expect(tensor.node!.inputs[0]!.node!.op).toBe('unrollFused');
    }
  });
});
