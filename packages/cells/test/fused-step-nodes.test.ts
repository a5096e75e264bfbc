/**
 * The fused steps in a printed graph: lstmUpdate's two nodes and gruUpdate's one carry
 * the names `toString()` and the engine's errors show ('lstm.c', 'lstm.h', 'gru.h'),
 * and setForgetBias leaves a cell without biases as it is (there is no bias to set).
 */

import { fromData, type Tensor, zeros } from '@unroll/tensor';
import { describe, expect, it } from 'vitest';
import { gruUpdate, lstmUpdate, setForgetBias } from '../src/index.ts';

const leaf = (shape: number[]) => zeros(shape, { requiresGrad: true }) as Tensor;

describe('the fused steps name their graph nodes', () => {
  it("lstmUpdate makes 'lstm.c' and 'lstm.h', h fed by c", () => {
    const { h, c } = lstmUpdate(leaf([2, 12]), leaf([2, 12]), leaf([2, 3]));
    expect(String(c)).toMatch(/← lstm\.c$/);
    expect(String(h)).toMatch(/← lstm\.h$/);
    expect(h.node!.inputs[2]).toBe(c);
  });
  it("gruUpdate makes 'gru.h'", () => {
    expect(String(gruUpdate(leaf([2, 9]), leaf([2, 9]), leaf([2, 3])))).toMatch(/← gru\.h$/);
  });
});

describe('setForgetBias', () => {
  it('leaves a cell without biases as it is', () => {
    const cell = { hiddenSize: 3, bias_ih: null, bias_hh: null };
    expect(() => setForgetBias(cell, 1)).not.toThrow();
    expect(cell).toEqual({ hiddenSize: 3, bias_ih: null, bias_hh: null });
    const half = { hiddenSize: 1, bias_ih: fromData(new Float64Array(4), [4]), bias_hh: null };
    setForgetBias(half, 2);
    expect(Array.from(half.bias_ih.data)).toEqual([0, 2, 0, 0]);
  });
});
