/** unroll over no steps: refused up front, with a message that names unroll and T. */

import { fromData, tensor } from '@unroll/tensor';
import { describe, expect, it } from 'vitest';
import { unroll } from '../src/index.ts';
import { ToyRNNCell } from './toy-cells.ts';

describe('unroll over T = 0', () => {
  it('is refused, naming unroll, T and the shape', () => {
    const cell = new ToyRNNCell(
      tensor(
        [
          [0.1, 0.2, 0.3],
          [0.4, 0.5, 0.6],
        ],
        { requiresGrad: true },
      ),
      tensor(
        [
          [0.1, 0],
          [0, 0.1],
        ],
        { requiresGrad: true },
      ),
      tensor([0, 0], { requiresGrad: true }),
    );
    const xs = fromData(new Float64Array(0), [2, 0, 3]);
    expect(() => unroll(cell, xs)).toThrow(
      'unroll: xs has T = 0 steps ([2,0,3]); expected at least one step',
    );
  });
});
