/**
 * unroll labels the ops of each step with its timestep (1-based) through the tensor
 * engine's op context, so an observer — anomaly detection — can say where an op ran.
 */

import { fromData, type OpContext, opContext, setOpObserver } from '@unroll/tensor';
import { afterEach, describe, expect, it } from 'vitest';
import { unroll } from '../src/index.ts';
import { ToyRNNCell } from './toy-cells.ts';

afterEach(() => {
  setOpObserver(null);
});

describe('unroll op context', () => {
  it('labels every op of step t with timestep t, and no op outside the steps', () => {
    const cell = new ToyRNNCell(
      fromData(Float64Array.of(0.5, -0.2), [1, 2]),
      fromData(Float64Array.of(0.3), [1, 1]),
      fromData(Float64Array.of(0.1), [1]),
    );
    const xs = fromData(Float64Array.of(1, 2, 3, 4, 5, 6), [1, 3, 2]);
    const seen: { op: string; context: OpContext }[] = [];
    setOpObserver({ forward: (op, _output, _inputs, context) => seen.push({ op, context }) });
    unroll(cell, xs);
    const steps = seen.filter((s) => s.op === 'tanh').map((s) => s.context);
    expect(steps).toEqual([{ timestep: 1 }, { timestep: 2 }, { timestep: 3 }]);
    // stacking the outputs happens after the loop
    expect(seen.find((s) => s.op === 'stack')?.context).toEqual({});
    expect(opContext()).toEqual({});
  });
});
