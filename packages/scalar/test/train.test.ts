import { arbitraries, assertGradcheck, gradcheck } from '@unroll/gradcheck';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { accuracy, evaluate, fit, hingeLoss, MLP, twoMoons, Value, xor } from '../src/index.ts';

describe('hingeLoss', () => {
  it('is the mean of max(0, 1 − y·s)', () => {
    const scores = [2, -0.5, 0.3].map((s) => new Value(s));
    // max(0, 1 − 2) = 0, max(0, 1 + 0.5) = 1.5, max(0, 1 + 0.3) = 1.3
    expect(hingeLoss(scores, [1, 1, -1]).data).toBeAllclose(2.8 / 3);
  });

  it('has gradient −y/N where the margin is violated, 0 elsewhere (vs central differences)', () => {
    const labels = [1, -1, 1, -1];
    fc.assert(
      fc.property(
        arbitraries.float64Array(4, { min: -3, max: 3, avoid: [-1, 1], margin: 0.01 }),
        (s) => {
          const f = (x: Float64Array) =>
            hingeLoss(
              Array.from(x, (v) => new Value(v)),
              labels,
            ).data;
          const scores = Array.from(s, (v) => new Value(v));
          hingeLoss(scores, labels).backward();
          assertGradcheck(
            gradcheck(
              f,
              s,
              scores.map((v) => v.grad),
              { what: 'd(hinge)/d(scores)' },
            ),
          );
        },
      ),
    );
  });

  it('refuses scores and labels of different lengths', () => {
    expect(() => hingeLoss([new Value(1)], [1, -1])).toThrow(
      'hingeLoss: needs as many labels as scores, at least one: got 1 scores, 2 labels',
    );
  });
});

describe('accuracy', () => {
  it('counts scores on the side of their label', () => {
    const scores = [0.2, -3, 0.1, -0.1].map((s) => new Value(s));
    expect(accuracy(scores, [1, -1, -1, 1])).toBe(0.5);
  });
});

describe('fit', () => {
  it('learns XOR to 100% training accuracy', () => {
    const model = new MLP(2, [4, 1], { seed: 0, activation: 'tanh' });
    const result = fit(model, xor(), { steps: 200, learningRate: 0.5 });
    expect(result.accuracy).toBe(1);
  });

  // A generous timeout: the test asserts accuracy, not speed, on a busy 2-core machine.
  it('separates two moons (the npm run demo script) to 100%, the loss falling by 100×', {
    timeout: 30_000,
  }, () => {
    const data = twoMoons(40, { noise: 0.1, seed: 0 });
    const model = new MLP(2, [8, 8, 1], { seed: 0, activation: 'relu' });
    const losses: number[] = [];
    const result = fit(model, data, {
      steps: 150,
      learningRate: (step) => 1 - (0.9 * step) / 150,
      onStep: (_step, { loss }) => losses.push(loss),
    });
    expect(result.accuracy).toBe(1);
    expect(result.loss).toBeLessThan(losses[0]! / 100);
  });

  it('with 0 steps only evaluates, and refuses a negative step count', () => {
    const model = new MLP(2, [3, 1]);
    const before = model.parameters().map((p) => p.data);
    const result = fit(model, xor(), { steps: 0 });
    expect(model.parameters().map((p) => p.data)).toEqual(before);
    expect(result.loss).toBe(evaluate(model, xor()).loss.data);
    expect(() => fit(model, xor(), { steps: -1 })).toThrow(
      'fit: steps must be a non-negative integer, got -1',
    );
  });

  it('needs a model with one output', () => {
    expect(() => evaluate(new MLP(2, [3, 2]), xor())).toThrow(
      'evaluate: the model must have 1 output, it has 2',
    );
  });
});
