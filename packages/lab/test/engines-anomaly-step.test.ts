/**
 * Anomaly mode labels a step by its place in the sequence, firstStep + t + 1, also past
 * a window's first step. The overflow is planted by hand at the window's second step:
 * a bias of 100 saturates h₁ = tanh(…) to 1 in units 0 and 1 (h₀ = 0 takes no part), and
 * W_hh[0][0] = W_hh[0][1] = 10³⁰⁸ then make unit 0's pre-activation at the next step
 * 1·10³⁰⁸ + 1·10³⁰⁸, past the largest double (≈1.8·10³⁰⁸): ∞. The window starts after
 * step 3, so its steps are 4, 5, …; the first non-finite value is born at step 5.
 */

import { AnomalyError } from '@unroll/diagnostics';
import { expect, it } from 'vitest';
import { defaultConfig } from '../src/config.ts';
import { autodiffEngine } from '../src/engines.ts';
import { Trainer } from '../src/trainer.ts';

it('names the sequence step of an overflow at the second step of a window', () => {
  const trainer = new Trainer({
    ...defaultConfig('adding'),
    cell: 'rnn',
    hidden: 4,
    layers: 1,
    seqLen: 7,
    batch: 2,
    evalBatch: 2,
  });
  const cell = trainer.model.cellOf(0);
  cell.bias_ih!.data[0] = 100;
  cell.bias_ih!.data[1] = 100;
  cell.weight_hh.data[0] = 1e308; // W_hh[0][0]
  cell.weight_hh.data[1] = 1e308; // W_hh[0][1]
  let caught: unknown = null;
  try {
    autodiffEngine({ anomaly: true }).runWindow(
      trainer.model,
      trainer.task,
      trainer.task.next(),
      { cut: 3, start: 3, end: 7 },
      null,
    );
  } catch (error) {
    caught = error;
  }
  expect(caught).toBeInstanceOf(AnomalyError);
  const message = (caught as AnomalyError).message;
  expect(message).toMatch(/^anomaly in the forward pass: 'linear' produced/);
  expect(message).toMatch(/ at timestep 5, layer 0;/);
});
