/**
 * Graders of chapter 4: SGD with momentum, Adam with bias correction, clipping by the
 * global norm. Each runs the student's optimizer for a few steps on random parameters
 * and gradients and compares the parameters after every step with the update rules as
 * PyTorch documents them, written out here entry by entry.
 */

import { Adam, AdamW, clipGradNorm, SGD } from '@unroll/optim';
import { fromData, type Tensor } from '@unroll/tensor';
import { Failure, type Grader } from '../grading/check.ts';
import {
  between,
  call,
  type Dims,
  expectClose,
  forCases,
  seededRandom,
  uniform,
} from '../grading/judge.ts';

interface Stepper {
  step(): void;
}

/** Runs `steps` steps of the student's optimizer and of `reference`, comparing after each. */
function compareSteps(
  what: string,
  make: (params: Tensor[]) => Stepper,
  reference: (
    theta: Float64Array,
    grad: Float64Array,
    state: Record<string, Float64Array | number>,
  ) => void,
  { n, steps }: Dims,
  caseSeed: number,
): void {
  const random = seededRandom(caseSeed);
  const start = uniform(random, n!, 2);
  const param = fromData(start.slice(), [n!], { requiresGrad: true });
  const optimizer = call(`new ${what}`, () => make([param]));
  const theta = start.slice();
  const state: Record<string, Float64Array | number> = {};
  for (let k = 1; k <= steps!; k++) {
    const grad = uniform(random, n!, 1.5);
    param.grad = fromData(grad.slice(), [n!]);
    call(`${what}.step()`, () => optimizer.step());
    reference(theta, grad, state);
    expectClose(`θ after step ${k}`, theta, param.data, [n!], {
      expectedFrom: 'reference update',
      atol: 1e-10,
      rtol: 1e-8,
    });
  }
}

const draw = (random: () => number): Dims => ({
  n: between(random, 1, 5),
  steps: between(random, 2, 5),
});

function sgdReference(
  lr: number,
  mu: number,
  dampening: number,
  lambda: number,
  nesterov: boolean,
) {
  return (
    theta: Float64Array,
    grad: Float64Array,
    state: Record<string, Float64Array | number>,
  ) => {
    const first = state.buffer === undefined;
    const buffer = (state.buffer ??= new Float64Array(theta.length)) as Float64Array;
    for (let i = 0; i < theta.length; i++) {
      const g = grad[i]! + lambda * theta[i]!;
      buffer[i] = first ? g : mu * buffer[i]! + (1 - dampening) * g;
      theta[i] = theta[i]! - lr * (nesterov ? g + mu * buffer[i]! : buffer[i]!);
    }
  };
}

function sgdCheck(
  name: string,
  options: { momentum: number; dampening?: number; weightDecay?: number; nesterov?: boolean },
) {
  return {
    name,
    run(seed: number) {
      forCases(seed, { edges: [{ n: 1, steps: 3 }], draw }, (dims, caseSeed) => {
        const { momentum, dampening = 0, weightDecay = 0, nesterov = false } = options;
        compareSteps(
          'SGD',
          (params) => new SGD(params, { lr: 0.1, momentum, dampening, weightDecay, nesterov }),
          sgdReference(0.1, momentum, dampening, weightDecay, nesterov),
          dims,
          caseSeed,
        );
      });
    },
  };
}

export const sgdMomentumGrader: Grader = {
  id: 'sgd-momentum',
  checks: [
    sgdCheck('momentum', { momentum: 0.9 }),
    sgdCheck('nesterov', { momentum: 0.8, nesterov: true }),
    sgdCheck('dampening', { momentum: 0.7, dampening: 0.3 }),
    sgdCheck('weight decay with momentum', { momentum: 0.9, weightDecay: 0.05 }),
  ],
};

function adamReference(
  lr: number,
  beta1: number,
  beta2: number,
  eps: number,
  lambda: number,
  decoupled: boolean,
  amsgrad: boolean,
) {
  return (
    theta: Float64Array,
    grad: Float64Array,
    state: Record<string, Float64Array | number>,
  ) => {
    const n = theta.length;
    const m = (state.m ??= new Float64Array(n)) as Float64Array;
    const v = (state.v ??= new Float64Array(n)) as Float64Array;
    const vMax = (state.vMax ??= new Float64Array(n)) as Float64Array;
    const t = (state.t = ((state.t as number | undefined) ?? 0) + 1);
    for (let i = 0; i < n; i++) {
      if (decoupled) theta[i] = theta[i]! * (1 - lr * lambda);
      const g = grad[i]! + (decoupled ? 0 : lambda * theta[i]!);
      m[i] = beta1 * m[i]! + (1 - beta1) * g;
      v[i] = beta2 * v[i]! + (1 - beta2) * g * g;
      vMax[i] = Math.max(vMax[i]!, v[i]!);
      const mHat = m[i]! / (1 - beta1 ** t);
      const vHat = (amsgrad ? vMax[i]! : v[i]!) / (1 - beta2 ** t);
      theta[i] = theta[i]! - (lr * mHat) / (Math.sqrt(vHat) + eps);
    }
  };
}

function adamCheck(
  name: string,
  options: { weightDecay?: number; decoupled?: boolean; amsgrad?: boolean; firstOnly?: boolean },
) {
  return {
    name,
    run(seed: number) {
      const { weightDecay = 0, decoupled = false, amsgrad = false, firstOnly = false } = options;
      const stepsDraw = firstOnly ? (r: () => number) => ({ n: between(r, 1, 5), steps: 1 }) : draw;
      forCases(seed, { draw: stepsDraw }, (dims, caseSeed) => {
        const settings = { lr: 0.05, betas: [0.9, 0.99] as const, eps: 1e-8, weightDecay, amsgrad };
        compareSteps(
          decoupled ? 'AdamW' : 'Adam',
          (params) => (decoupled ? new AdamW(params, settings) : new Adam(params, settings)),
          adamReference(0.05, 0.9, 0.99, 1e-8, weightDecay, decoupled, amsgrad),
          dims,
          caseSeed,
        );
      });
    },
  };
}

export const adamGrader: Grader = {
  id: 'adam',
  checks: [
    // Bias-corrected, the first step moves every entry by lr·g/|g| = ±lr; uncorrected, by far less.
    adamCheck('first step (bias correction)', { firstOnly: true }),
    adamCheck('several steps', {}),
    adamCheck('L2 weight decay (Adam)', { weightDecay: 0.1 }),
    adamCheck('decoupled weight decay (AdamW)', { weightDecay: 0.1, decoupled: true }),
    adamCheck('amsgrad', { amsgrad: true }),
  ],
};

/** Random gradients on `count` parameters; returns them and the global 2-norm. */
function clipCase(caseSeed: number, count: number, scale: number) {
  const random = seededRandom(caseSeed);
  const grads = Array.from({ length: count }, () => uniform(random, between(random, 1, 4), scale));
  const params = grads.map((g) => {
    const p = fromData(new Float64Array(g.length), [g.length], { requiresGrad: true });
    p.grad = fromData(g.slice(), [g.length]);
    return p;
  });
  const total = Math.sqrt(grads.reduce((s, g) => s + g.reduce((t, v) => t + v * v, 0), 0));
  return { grads, params, total };
}

const drawCount = (r: () => number): Dims => ({ params: between(r, 1, 4) });

export const clipGradNormGrader: Grader = {
  id: 'clip-grad-norm',
  checks: [
    {
      name: 'returns the total norm',
      run(seed) {
        forCases(seed, { draw: drawCount }, ({ params: count }, caseSeed) => {
          const { params, total } = clipCase(caseSeed, count!, 3);
          const got = call('clipGradNorm', () => clipGradNorm(params, 1e9));
          expectClose('the returned norm ‖g‖₂ over all parameters', [total], [got as number], [1], {
            expectedFrom: 'reference',
          });
        });
      },
    },
    {
      name: 'scales down to maxNorm',
      run(seed) {
        forCases(seed, { draw: drawCount }, ({ params: count }, caseSeed) => {
          const { grads, params, total } = clipCase(caseSeed, count!, 3);
          const maxNorm = total / 4;
          call('clipGradNorm', () => clipGradNorm(params, maxNorm));
          const scale = maxNorm / (total + 1e-6);
          params.forEach((p, k) => {
            expectClose(
              `gradient of parameter ${k} after clipping`,
              grads[k]!.map((v) => v * scale),
              p.grad?.data,
              [grads[k]!.length],
              {
                expectedFrom: 'g·maxNorm/(‖g‖ + 1e-6)',
              },
            );
          });
        });
      },
    },
    {
      name: 'leaves small gradients alone',
      run(seed) {
        forCases(seed, { draw: drawCount }, ({ params: count }, caseSeed) => {
          const { grads, params, total } = clipCase(caseSeed, count!, 1);
          call('clipGradNorm', () => clipGradNorm(params, total * 2));
          params.forEach((p, k) => {
            expectClose(
              `gradient of parameter ${k} (norm below maxNorm)`,
              grads[k]!,
              p.grad?.data,
              [grads[k]!.length],
              {
                expectedFrom: 'unchanged',
                atol: 0,
                rtol: 0,
              },
            );
          });
        });
      },
    },
    {
      name: 'other norm types',
      run(seed) {
        forCases(seed, { draw: drawCount }, ({ params: count }, caseSeed) => {
          for (const normType of [1, Number.POSITIVE_INFINITY]) {
            const { grads, params } = clipCase(caseSeed, count!, 2);
            const all = grads.flatMap((g) => [...g].map(Math.abs));
            const expected = normType === 1 ? all.reduce((a, b) => a + b, 0) : Math.max(...all);
            const got = call('clipGradNorm', () => clipGradNorm(params, 1e9, { normType }));
            if (
              typeof got !== 'number' ||
              Math.abs(got - expected) > 1e-9 * Math.max(1, expected)
            ) {
              throw new Failure(
                `total norm of order ${normType}: expected ${expected} (reference), got ${got} (yours)`,
              );
            }
          }
        });
      },
    },
  ],
};
