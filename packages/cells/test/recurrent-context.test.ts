/**
 * The stacked layers label the ops of every step with layer, timestep (1-based) and,
 * for the backward direction, 'reverse', through the tensor engine's op context, so
 * an observer — anomaly detection — can say where an op ran.
 */

import { type OpContext, Rng, randn, setOpObserver } from '@unroll/tensor';
import { afterEach, describe, expect, it } from 'vitest';
import { RNN } from '../src/index.ts';

afterEach(() => {
  setOpObserver(null);
});

describe('stacked layers op context', () => {
  it('labels each step of each layer and direction', () => {
    const rnn = new RNN({ inputSize: 2, hiddenSize: 3, numLayers: 2, bidirectional: true });
    const x = randn([1, 3, 2], new Rng(1));
    const seen: { op: string; context: OpContext }[] = [];
    setOpObserver({ forward: (op, _output, _inputs, context) => seen.push({ op, context }) });
    rnn.forward(x);
    const steps = seen.filter((s) => s.op === 'tanh').map((s) => s.context);
    const walk = (layer: number) => [
      { layer, timestep: 1 },
      { layer, timestep: 2 },
      { layer, timestep: 3 },
      { layer, direction: 'reverse', timestep: 3 },
      { layer, direction: 'reverse', timestep: 2 },
      { layer, direction: 'reverse', timestep: 1 },
    ];
    expect(steps).toEqual([...walk(0), ...walk(1)]);
    // each direction's input projection, computed once for all steps, carries its layer
    const projections = seen.filter((s) => s.op === 'linear' && s.context.timestep === undefined);
    expect(projections.map((s) => s.context)).toEqual([
      { layer: 0 },
      { layer: 0, direction: 'reverse' },
      { layer: 1 },
      { layer: 1, direction: 'reverse' },
    ]);
  });
});
