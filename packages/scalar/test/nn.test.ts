import { arbitraries, assertGradcheck, gradcheck } from '@unroll/gradcheck';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { Layer, MLP, Neuron, Random, sum } from '../src/index.ts';

describe('Neuron, Layer and MLP', () => {
  it('own (inputs + 1) parameters per neuron, labelled by layer and neuron', () => {
    const model = new MLP(3, [4, 4, 1]);
    expect(model.parameters()).toHaveLength(4 * (3 + 1) + 4 * (4 + 1) + 1 * (4 + 1));
    expect(new Layer(3, 2, { random: new Random(0) }).parameters()).toHaveLength(8);
    expect(
      model
        .parameters()
        .map((p) => p.label)
        .slice(0, 5),
    ).toEqual(['l0.n0.w0', 'l0.n0.w1', 'l0.n0.w2', 'l0.n0.b', 'l0.n1.w0']);
  });

  it('start from U(−1/√inputs, 1/√inputs), the same weights for the same seed', () => {
    const weights = (seed: number) => new MLP(9, [5, 1], { seed }).parameters().map((p) => p.data);
    const first = new MLP(9, [5, 1], { seed: 4 }).layers[0]!.parameters();
    expect(first.every((p) => Math.abs(p.data) <= 1 / 3)).toBe(true);
    expect(weights(4)).toEqual(weights(4));
    expect(weights(4)).not.toEqual(weights(5));
  });

  it('compute φ(w·x + b)', () => {
    const neuron = new Neuron(2, { activation: 'tanh', random: new Random(1) });
    const [w0, w1] = neuron.weights.map((w) => w.data) as [number, number];
    const z = w0 * 0.5 + w1 * -2 + neuron.bias.data;
    expect(neuron.forward([0.5, -2]).data).toBeAllclose(Math.tanh(z));
  });

  it('with a linear last layer: the MLP output is unbounded, not squashed', () => {
    const model = new MLP(1, [3, 1], { seed: 2, activation: 'sigmoid' });
    for (const p of model.layers[1]!.parameters()) p.data = 10;
    expect(model.forward([0])[0]!.data).toBeGreaterThan(10);
  });

  it.each(['tanh', 'sigmoid'] as const)(
    'give ∂L/∂parameters that agree with central differences (%s)',
    (activation) => {
      // L = Σ outputs²; f(θ) rewrites the model's parameters to θ and runs it again.
      fc.assert(
        fc.property(
          arbitraries.seed(),
          arbitraries.float64Array(3, { min: -2, max: 2 }),
          (seed, x) => {
            const model = new MLP(3, [4, 3, 2], { seed, activation });
            const parameters = model.parameters();
            const loss = () => sum(model.forward(Array.from(x)).map((o) => o.mul(o)));
            const f = (theta: Float64Array) => {
              parameters.forEach((p, i) => {
                p.data = theta[i]!;
              });
              return loss().data;
            };
            const theta = Float64Array.from(parameters, (p) => p.data);
            loss().backward();
            const analytic = parameters.map((p) => p.grad);
            assertGradcheck(gradcheck(f, theta, analytic, { what: 'd(Σ MLP(x)²)/dθ' }));
          },
        ),
        { numRuns: 30 },
      );
    },
  );

  it('zeroGrad() clears every parameter', () => {
    const model = new MLP(2, [3, 1], { seed: 1 });
    model.forward([1, -1])[0]!.backward();
    expect(model.parameters().some((p) => p.grad !== 0)).toBe(true);
    model.zeroGrad();
    expect(model.parameters().every((p) => p.grad === 0)).toBe(true);
  });

  it('refuse wrong sizes and unknown activations with a message naming them', () => {
    const random = new Random(0);
    expect(() => new MLP(2, [3, 0])).toThrow(
      'MLP: every layer size (got [3, 0]) must be a positive integer, got 0',
    );
    expect(() => new MLP(2, [])).toThrow('MLP: needs at least one layer size, got []');
    expect(() => new MLP(1.5, [1])).toThrow(
      'MLP: the number of inputs must be a positive integer, got 1.5',
    );
    expect(() => new Neuron(2, { activation: 'gelu' as never, random })).toThrow(
      "Neuron: unknown activation 'gelu' (expected one of tanh, relu, sigmoid, linear)",
    );
    expect(() => new MLP(2, [3, 1]).forward([1, 2, 3])).toThrow(
      'Neuron.forward: expected 2 inputs, got 3',
    );
    expect(() => new Neuron(0, { random })).toThrow(
      'Neuron: the number of inputs must be a positive integer, got 0',
    );
    expect(() => new Layer(2, 0, { random })).toThrow(
      'Layer: the number of outputs must be a positive integer, got 0',
    );
  });

  it('label the parameters of an unnamed neuron n.… and of an unnamed layer l.…', () => {
    const random = new Random(0);
    const neuron = new Neuron(2, { random });
    expect([...neuron.weights, neuron.bias].map((p) => p.label)).toEqual(['n.w0', 'n.w1', 'n.b']);
    const layer = new Layer(1, 2, { random });
    expect(layer.parameters().map((p) => p.label)).toEqual([
      'l.n0.w0',
      'l.n0.b',
      'l.n1.w0',
      'l.n1.b',
    ]);
  });
});
