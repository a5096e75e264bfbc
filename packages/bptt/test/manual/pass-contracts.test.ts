/**
 * What every hand-derived pass promises besides its numbers: a missing initial state is
 * the zero state (as in PyTorch, where h_0 defaults to zeros), a gradient of the wrong
 * size is refused with the pass's name and the array's, and each parameter receives a
 * gradient array of its own (an optimizer updating one in place must not move another).
 */

import { describe, expect, it } from 'vitest';
import {
  gruBackward,
  gruForward,
  lstmBackward,
  lstmForward,
  rnnBackward,
  rnnForward,
} from '../../src/index.ts';
import { makeProblem } from './hand-derived.ts';

const dims = { batchSize: 2, steps: 3, inputSize: 4, hiddenSize: 5 };
const BH = dims.batchSize * dims.hiddenSize;

describe('a missing initial state is the zero state', () => {
  const zeros = () => new Float64Array(BH);
  it('rnnForward, tanh and relu', () => {
    for (const kind of ['rnn-tanh', 'rnn-relu'] as const) {
      const p = makeProblem(kind, dims, 3, true);
      const nonlinearity = kind === 'rnn-relu' ? 'relu' : 'tanh';
      const omitted = rnnForward(p.weights, p.xs, null, dims, nonlinearity);
      const given = rnnForward(p.weights, p.xs, zeros(), dims, nonlinearity);
      expect(omitted.output).toEqual(given.output);
      expect(omitted.hT).toEqual(given.hT);
    }
  });
  it('lstmForward', () => {
    const p = makeProblem('lstm', dims, 3, true);
    const omitted = lstmForward(p.weights, p.xs, null, dims);
    const given = lstmForward(p.weights, p.xs, { h: zeros(), c: zeros() }, dims);
    expect(omitted.output).toEqual(given.output);
    expect(omitted.cT).toEqual(given.cT);
  });
  it('gruForward, both forms', () => {
    for (const resetAfter of [true, false]) {
      const p = makeProblem(resetAfter ? 'gru' : 'gru-cho', dims, 3, true);
      const omitted = gruForward(p.weights, p.xs, null, dims, { resetAfter });
      const given = gruForward(p.weights, p.xs, zeros(), dims, { resetAfter });
      expect(omitted.output).toEqual(given.output);
    }
  });
});

describe('sizes are checked with the pass and the array named', () => {
  const wrong = new Float64Array(7);
  it('rnnForward and rnnBackward', () => {
    const p = makeProblem('rnn-tanh', dims, 1, true);
    expect(() => rnnForward(p.weights, p.xs, wrong, dims)).toThrow(
      'rnnForward: h0 has 7 entries, expected [2, 5] = 10',
    );
    const tape = rnnForward(p.weights, p.xs, null, dims);
    expect(() => rnnBackward(p.weights, tape, wrong)).toThrow(
      'rnnBackward: dOutput has 7 entries, expected [2, 3, 5] = 30',
    );
    expect(() => rnnBackward(p.weights, tape, null, { dhT: wrong })).toThrow(
      'rnnBackward: dhT has 7 entries, expected [2, 5] = 10',
    );
  });
  it('a bias of the wrong size', () => {
    const p = makeProblem('rnn-tanh', dims, 1, true);
    expect(() => rnnForward({ ...p.weights, bias_ih: wrong }, p.xs, null, dims)).toThrow(
      'rnnForward: bias_ih has 7 entries, expected [5] = 5',
    );
  });
});

describe('every parameter gradient is an array of its own', () => {
  it('bias_ih and bias_hh, equal in value, are not the same array', () => {
    const rnn = makeProblem('rnn-tanh', dims, 2, true);
    const lstm = makeProblem('lstm', dims, 2, true);
    const gradients = [
      rnnBackward(rnn.weights, rnnForward(rnn.weights, rnn.xs, rnn.h0, dims), rnn.wOut),
      lstmBackward(lstm.weights, lstmForward(lstm.weights, lstm.xs, null, dims), lstm.wOut),
    ];
    for (const g of gradients) {
      expect(g.bias_hh).toEqual(g.bias_ih); // b_ih and b_hh enter the sum the same way
      const before = g.bias_hh![0];
      g.bias_ih![0]! += 1;
      expect(g.bias_hh![0]).toBe(before);
    }
  });
});

describe('the LSTM and GRU passes name the array whose size is wrong', () => {
  const wrong = new Float64Array(7);
  it('lstmForward’s state, lstmBackward’s dhT', () => {
    const p = makeProblem('lstm', dims, 1, true);
    const ok = new Float64Array(BH);
    expect(() => lstmForward(p.weights, p.xs, { h: wrong, c: ok }, dims)).toThrow(
      'lstmForward: state0.h has 7 entries, expected [2, 5] = 10',
    );
    expect(() => lstmForward(p.weights, p.xs, { h: ok, c: wrong }, dims)).toThrow(
      'lstmForward: state0.c has 7 entries, expected [2, 5] = 10',
    );
    const tape = lstmForward(p.weights, p.xs, null, dims);
    expect(() => lstmBackward(p.weights, tape, null, { dhT: wrong })).toThrow(
      'lstmBackward: dhT has 7 entries, expected [2, 5] = 10',
    );
  });
  it('gruForward’s h0, gruBackward’s dOutput and dhT', () => {
    const p = makeProblem('gru', dims, 1, true);
    expect(() => gruForward(p.weights, p.xs, wrong, dims)).toThrow(
      'gruForward: h0 has 7 entries, expected [2, 5] = 10',
    );
    const tape = gruForward(p.weights, p.xs, null, dims);
    expect(() => gruBackward(p.weights, tape, wrong)).toThrow(
      'gruBackward: dOutput has 7 entries, expected [2, 3, 5] = 30',
    );
    expect(() => gruBackward(p.weights, tape, null, { dhT: wrong })).toThrow(
      'gruBackward: dhT has 7 entries, expected [2, 5] = 10',
    );
  });
});
