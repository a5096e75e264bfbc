/**
 * The stacked layers: gradients against central differences on random small problems
 * (several layers, both directions, variable lengths, given or zero initial states),
 * PyTorch's packed-sequence semantics as properties, layouts, dropout, errors, and the
 * op context that labels every step.
 */

import { arbitraries } from '@unroll/gradcheck';
import {
  add,
  linear,
  mul,
  narrow,
  noGrad,
  type OpContext,
  Rng,
  randn,
  setOpObserver,
  sum,
  type Tensor,
  transpose,
} from '@unroll/tensor';
import fc from 'fast-check';
import { afterEach, describe, expect, it } from 'vitest';
import { GRU, LSTM, RNN, type RNNCell } from '../src/index.ts';
import { checkLeafGradients } from './check.ts';
import { readCases } from './torch-fixtures.ts';

const problem = fc
  .record({
    B: fc.integer({ min: 1, max: 3 }),
    T: fc.integer({ min: 1, max: 6 }),
    I: fc.integer({ min: 1, max: 5 }),
    H: fc.integer({ min: 1, max: 5 }),
    L: fc.integer({ min: 1, max: 3 }),
    bidirectional: fc.boolean(),
    batchFirst: fc.boolean(),
    withState: fc.boolean(),
    withLengths: fc.boolean(),
    seed: arbitraries.seed(),
  })
  .chain((p) =>
    fc
      .array(fc.integer({ min: 1, max: p.T }), { minLength: p.B, maxLength: p.B })
      .map((lengths) => ({ ...p, lengths: p.withLengths ? lengths : undefined })),
  );
type Problem = typeof problem extends fc.Arbitrary<infer P> ? P : never;

type Kind = 'rnn-tanh' | 'rnn-relu' | 'lstm' | 'gru' | 'gru-reset-before';

function makeLayer(kind: Kind, p: Problem, rng: Rng) {
  const options = {
    inputSize: p.I,
    hiddenSize: p.H,
    numLayers: p.L,
    bidirectional: p.bidirectional,
    batchFirst: p.batchFirst,
    rng,
  };
  if (kind === 'lstm') return new LSTM(options);
  if (kind === 'gru') return new GRU(options);
  if (kind === 'gru-reset-before') return new GRU({ ...options, resetAfter: false });
  return new RNN({ ...options, nonlinearity: kind === 'rnn-relu' ? 'relu' : 'tanh' });
}

/** A random problem for a layer: leaves, and loss = Σ wOut ⊙ output + Σ wH ⊙ h (+ Σ wC ⊙ c). */
function setUp(kind: Kind, p: Problem) {
  const rng = new Rng(p.seed);
  const layer = makeLayer(kind, p, rng);
  const D = p.bidirectional ? 2 : 1;
  const x = randn(p.batchFirst ? [p.B, p.T, p.I] : [p.T, p.B, p.I], rng, { requiresGrad: true });
  const h0 = randn([p.L * D, p.B, p.H], rng, { requiresGrad: true });
  const c0 = randn([p.L * D, p.B, p.H], rng, { requiresGrad: true });
  const outShape = p.batchFirst ? [p.B, p.T, D * p.H] : [p.T, p.B, D * p.H];
  const wOut = randn(outShape, rng);
  const wH = randn([p.L * D, p.B, p.H], rng);
  const wC = randn([p.L * D, p.B, p.H], rng);
  const isLSTM = layer instanceof LSTM;
  const state0 = p.withState ? (isLSTM ? { h: h0, c: c0 } : { h: h0 }) : undefined;
  const run = () =>
    (layer as LSTM).forward(x, state0 as { h: Tensor; c: Tensor }, { lengths: p.lengths });
  const loss = () => {
    const { output, h, c } = run();
    const total = add(sum(mul(output, wOut)), sum(mul(h, wH)));
    return isLSTM ? add(total, sum(mul(c, wC))) : total;
  };
  const leaves: [string, Tensor][] = [['x', x], ...layer.namedParameters()];
  if (p.withState) leaves.push(['h0', h0]);
  if (p.withState && isLSTM) leaves.push(['c0', c0]);
  return { layer, loss, leaves, run, x };
}

/** The smallest |pre-activation| any relu cell of the layer sees while `run` runs. */
function distanceFromKink(layer: RNN, run: () => void): number {
  let smallest = Number.POSITIVE_INFINITY;
  const cells = layer.cells.flat() as RNNCell[];
  for (const cell of cells) {
    const step = cell.stepProjected.bind(cell);
    cell.stepProjected = (xW, state) => {
      noGrad(() => {
        const raw = add(xW, linear(state.h, cell.weight_hh, cell.bias_hh));
        for (const value of raw.data) smallest = Math.min(smallest, Math.abs(value));
      });
      return step(xW, state);
    };
  }
  run();
  for (const cell of cells) delete (cell as Partial<RNNCell>).stepProjected;
  return smallest;
}

const describeProblem = (p: Problem) =>
  `B=${p.B} T=${p.T} I=${p.I} H=${p.H} L=${p.L}${p.bidirectional ? ' bidirectional' : ''}${p.lengths ? ` lengths=[${p.lengths}]` : ''}`;

describe('stacked layers: gradients agree with central differences', () => {
  const kinds: Kind[] = ['rnn-tanh', 'rnn-relu', 'lstm', 'gru', 'gru-reset-before'];
  for (const kind of kinds) {
    it(kind, () => {
      fc.assert(
        fc.property(problem, (p) => {
          const { layer, loss, leaves, run } = setUp(kind, p);
          if (kind === 'rnn-relu') fc.pre(distanceFromKink(layer as RNN, run) > 1e-3);
          checkLeafGradients(leaves, loss, `${kind} ${describeProblem(p)}`);
        }),
        { numRuns: kind === 'gru-reset-before' ? 12 : 20 },
      );
    }, 60_000); // generous: the machine may be busy; the usual run takes 1–2 s
  }
});

describe("variable lengths follow PyTorch's packed sequences", () => {
  it('each sequence gives what it gives alone, cut to its length; outputs past it are 0', () => {
    const kinds: Kind[] = ['rnn-tanh', 'lstm', 'gru'];
    fc.assert(
      fc.property(problem, fc.constantFrom(...kinds), (p0, kind) => {
        const p = { ...p0, withState: false, batchFirst: true };
        const lengths = p.lengths ?? new Array(p.B).fill(p.T);
        const { layer, x } = setUp(kind, { ...p, lengths });
        const all = (layer as LSTM).forward(x, undefined, { lengths });
        for (let b = 0; b < p.B; b++) {
          const length = lengths[b]!;
          const alone = (layer as LSTM).forward(narrow(narrow(x, 0, b, 1), 1, 0, length));
          const row = narrow(all.output, 0, b, 1);
          expect(narrow(row, 1, 0, length)).toBeAllclose(alone.output, {
            rtol: 1e-12,
            atol: 1e-14,
          });
          if (length < p.T) {
            // +0 exactly (toEqual tells −0 from 0), as pad_packed_sequence pads
            const padding = Array.from(narrow(row, 1, length, p.T - length).data);
            expect(padding, `sequence ${b}, past step ${length}`).toEqual(
              new Array(padding.length).fill(0),
            );
          }
          expect(narrow(all.h, 1, b, 1)).toBeAllclose(alone.h, { rtol: 1e-12, atol: 1e-14 });
          if (all.c)
            expect(narrow(all.c, 1, b, 1)).toBeAllclose(alone.c, { rtol: 1e-12, atol: 1e-14 });
        }
      }),
      { numRuns: 40 },
    );
  });

  it('lengths equal to T change nothing', () => {
    const p = {
      B: 2,
      T: 4,
      I: 3,
      H: 2,
      L: 2,
      bidirectional: true,
      batchFirst: true,
      withState: true,
      withLengths: false,
      seed: 5,
      lengths: undefined,
    };
    const { layer, x } = setUp('lstm', p);
    const plain = (layer as LSTM).forward(x);
    const full = (layer as LSTM).forward(x, undefined, { lengths: [4, 4] });
    expect(full.output).toBeAllclose(plain.output, { rtol: 0, atol: 0 });
    expect(full.c).toBeAllclose(plain.c, { rtol: 0, atol: 0 });
  });
});

describe('layouts, names and modes', () => {
  it('batchFirst: false is the same layer on time-major tensors', () => {
    const rng = new Rng(7);
    const options = { inputSize: 3, hiddenSize: 4, numLayers: 2, bidirectional: true };
    const batchFirst = new GRU({ ...options, rng: new Rng(1) });
    const timeMajor = new GRU({ ...options, batchFirst: false, rng: new Rng(1) });
    const x = randn([2, 5, 3], rng);
    const a = batchFirst.forward(x, undefined, { lengths: [5, 2] });
    const b = timeMajor.forward(transpose(x, 0, 1), undefined, { lengths: [5, 2] });
    expect(transpose(b.output, 0, 1)).toBeAllclose(a.output, { rtol: 0, atol: 0 });
    expect(b.h).toBeAllclose(a.h, { rtol: 0, atol: 0 });
  });

  it("parameters are named and ordered exactly as PyTorch's", () => {
    for (const c of readCases('torch-layers.json')) {
      const Layer = { RNN, LSTM, GRU }[c.module as 'RNN' | 'LSTM' | 'GRU'];
      const layer = new Layer(c.options as never);
      expect(layer.namedParameters().map(([n, t]) => [n, t.shape])).toEqual(
        Object.entries(c.parameters).map(([n, t]) => [n, t.shape]),
      );
    }
  });

  it('dropout acts between layers in training only: layer 2 reads mask ⊙ output₁ / (1 − p)', () => {
    const p = 0.4;
    const layer = new LSTM({
      inputSize: 3,
      hiddenSize: 8,
      numLayers: 2,
      dropout: p,
      rng: new Rng(2),
    });
    const x = randn([4, 6, 3], new Rng(3));
    const seen: Tensor[] = [];
    const second = layer.cells[1]![0]!;
    const project = second.projectInput.bind(second);
    second.projectInput = (input) => {
      seen.push(input);
      return project(input);
    };
    const evaluation = layer.eval().forward(x);
    const training = layer.train().forward(x);
    const [clean, dropped] = seen as [Tensor, Tensor];
    let zeros = 0;
    for (let i = 0; i < clean.size; i++) {
      if (dropped.data[i] === 0) zeros++;
      else expect(dropped.data[i]).toBeAllclose(clean.data[i]! / (1 - p), { rtol: 1e-14, atol: 0 });
    }
    expect(zeros / clean.size).toBeGreaterThan(p - 0.1);
    expect(zeros / clean.size).toBeLessThan(p + 0.1);
    expect(training.output).not.toBeAllclose(evaluation.output);
    const undropped = new LSTM({ inputSize: 3, hiddenSize: 8, numLayers: 2, rng: new Rng(2) });
    expect(undropped.forward(x).output).toBeAllclose(evaluation.output, { rtol: 0, atol: 0 });
  });

  it('dropout masks come from the layer’s seeded generator: same seed, same masks', () => {
    const make = () =>
      new GRU({ inputSize: 2, hiddenSize: 3, numLayers: 3, dropout: 0.5, rng: new Rng(9) });
    const x = randn([2, 4, 2], new Rng(1));
    expect(make().forward(x).output).toBeAllclose(make().forward(x).output, { rtol: 0, atol: 0 });
  });
});

describe('stacked layers: errors name the problem', () => {
  const layer = new LSTM({ inputSize: 3, hiddenSize: 2, numLayers: 2 });
  const rng = new Rng(1);
  it('bad options', () => {
    expect(() => new LSTM({ inputSize: 3, hiddenSize: 2, dropout: 1 })).toThrow(
      'LSTM: dropout must be in [0, 1), got 1',
    );
    expect(() => new GRU({ inputSize: 3, hiddenSize: 2, numLayers: 0 })).toThrow(
      'GRU: numLayers must be an integer ≥ 1, got 0',
    );
    expect(() => new RNN({ inputSize: 3, hiddenSize: 2, layers: 2 } as never)).toThrow(
      "RNN: unknown option 'layers'",
    );
  });

  it('bad x, lengths and state0', () => {
    expect(() => layer.forward(randn([2, 5], rng))).toThrow(
      'LSTM.forward: x must be [batch, time, inputSize = 3], got [2, 5]',
    );
    const x = randn([2, 5, 3], rng);
    expect(() => layer.forward(x, undefined, { lengths: [5] })).toThrow(
      'LSTM.forward: lengths has 1 entries but the batch has 2',
    );
    expect(() => layer.forward(x, undefined, { lengths: [5, 6] })).toThrow(
      'LSTM.forward: lengths[1] = 6 must be an integer in 1..5 (the number of steps)',
    );
    expect(() => layer.forward(x, undefined, { lengths: [0, 2] })).toThrow('lengths[0] = 0');
    expect(() => layer.forward(x, { h: randn([2, 2, 2], rng) } as never)).toThrow(
      'LSTM.forward: state0.c must be [numLayers·directions = 2, batch = 2, hiddenSize = 2], got nothing',
    );
    expect(() => layer.forward(x, { h: randn([1, 2, 2], rng), c: randn([2, 2, 2], rng) })).toThrow(
      'state0.h must be [numLayers·directions = 2, batch = 2, hiddenSize = 2], got [1, 2, 2]',
    );
  });
});

describe('stacked layers op context', () => {
  // The stacked layers label the ops of every step with layer, timestep (1-based) and,
  // for the backward direction, 'reverse', through the tensor engine's op context, so
  // an observer — anomaly detection — can say where an op ran.
  afterEach(() => {
    setOpObserver(null);
  });

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
