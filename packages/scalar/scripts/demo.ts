/**
 * `npm run demo` (in packages/scalar): a two-layer perceptron of Values learns to separate two interleaved
 * half moons by gradient descent on the hinge loss.
 */

import { fit, MLP, twoMoons } from '../src/index.ts';

const steps = 150;
const data = twoMoons(40, { noise: 0.1, seed: 0 });
const model = new MLP(2, [8, 8, 1], { seed: 0, activation: 'relu' });

const percent = (x: number) => `${(100 * x).toFixed(1).padStart(5)}%`;
console.log(
  `Training an MLP 2-8-8-1 (relu, ${model.parameters().length} parameters) on ${data.length} two-moons points`,
);
const started = performance.now();
const final = fit(model, data, {
  steps,
  learningRate: (step) => 1 - (0.9 * step) / steps,
  onStep: (step, { loss, accuracy }) => {
    if (step % 25 === 0) {
      console.log(
        `step ${String(step).padStart(3)}  loss ${loss.toFixed(4)}  accuracy ${percent(accuracy)}`,
      );
    }
  },
});
const seconds = ((performance.now() - started) / 1000).toFixed(1);
console.log(
  `final     loss ${final.loss.toFixed(4)}  accuracy ${percent(final.accuracy)}  (${seconds} s)`,
);
