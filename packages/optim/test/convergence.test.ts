/**
 * Convergence on convex quadratics f(θ) = ½θᵀAθ − bᵀθ (A symmetric positive
 * definite, minimum at θ* = A⁻¹b, gradient Aθ − b): every optimizer brings the
 * loss down; plain SGD follows the closed form of gradient descent on a quadratic;
 * and a whole training loop through autograd works end to end.
 */

import { Rng, type Tensor, tensor } from '@unroll/tensor';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { Adagrad, Adam, AdamW, clipGradNorm, RMSprop, SGD } from '../src/index.ts';

interface Quadratic {
  n: number;
  /** A = MᵀM/n + μI, row-major n×n. */
  A: number[];
  b: number[];
  theta0: number[];
  /** An upper bound on A's largest eigenvalue (its Frobenius norm). */
  lipschitz: number;
}

const quadratics: fc.Arbitrary<Quadratic> = fc
  .record({
    n: fc.integer({ min: 1, max: 8 }),
    seed: fc.nat(),
    mu: fc.double({ min: 0.1, max: 1, noNaN: true }),
  })
  .map(({ n, seed, mu }) => {
    const rng = new Rng(seed);
    const M = Array.from({ length: n * n }, () => rng.normal());
    const A = new Array(n * n).fill(0);
    for (let i = 0; i < n; i++) {
      for (let j = 0; j < n; j++) {
        let s = 0;
        for (let k = 0; k < n; k++) s += M[k * n + i]! * M[k * n + j]!;
        A[i * n + j] = s / n + (i === j ? mu : 0);
      }
    }
    const b = Array.from({ length: n }, () => rng.normal());
    const theta0 = Array.from({ length: n }, () => 3 * rng.normal());
    const lipschitz = Math.sqrt(A.reduce((acc, a) => acc + a * a, 0));
    return { n, A, b, theta0, lipschitz };
  });

const Av = (q: Quadratic, x: ArrayLike<number>) =>
  Array.from({ length: q.n }, (_, i) => {
    let s = 0;
    for (let j = 0; j < q.n; j++) s += q.A[i * q.n + j]! * x[j]!;
    return s;
  });
const loss = (q: Quadratic, x: ArrayLike<number>) =>
  Av(q, x).reduce((acc, ax, i) => acc + 0.5 * ax * x[i]! - q.b[i]! * x[i]!, 0);
const gradient = (q: Quadratic, x: ArrayLike<number>) => Av(q, x).map((ax, i) => ax - q.b[i]!);

/** The loss's lowest value, found by many exact-line-search steps (conjugate directions are not needed). */
function minimumLoss(q: Quadratic): number {
  const x = [...q.theta0];
  for (let it = 0; it < 2000; it++) {
    const g = gradient(q, x);
    const gg = g.reduce((a, v) => a + v * v, 0);
    if (gg < 1e-30) break;
    const gAg = Av(q, g).reduce((a, v, i) => a + v * g[i]!, 0);
    for (let i = 0; i < q.n; i++) x[i]! -= (gg / gAg) * g[i]!;
  }
  return loss(q, x);
}

type Make = (params: Tensor[], q: Quadratic) => { step(): void };
const optimizers: [string, Make][] = [
  ['SGD, lr = 1/L', (p, q) => new SGD(p, { lr: 1 / q.lipschitz })],
  ['SGD with momentum', (p, q) => new SGD(p, { lr: 0.5 / q.lipschitz, momentum: 0.5 })],
  [
    'SGD with Nesterov momentum',
    (p, q) => new SGD(p, { lr: 0.5 / q.lipschitz, momentum: 0.5, nesterov: true }),
  ],
  ['Adagrad', (p) => new Adagrad(p, { lr: 0.5 })],
  ['RMSprop', (p) => new RMSprop(p, { lr: 0.1 })],
  [
    'RMSprop centered with momentum',
    (p) => new RMSprop(p, { lr: 0.05, centered: true, momentum: 0.5 }),
  ],
  ['Adam', (p) => new Adam(p, { lr: 0.05 })],
  ['Adam with AMSGrad', (p) => new Adam(p, { lr: 0.05, amsgrad: true })],
  ['AdamW', (p) => new AdamW(p, { lr: 0.05, weightDecay: 1e-3 })],
];

describe('on random convex quadratics', () => {
  it.each(optimizers)(
    '%s brings the loss at least 90% of the way down to its minimum in 300 steps',
    (_name, make) => {
      fc.assert(
        fc.property(quadratics, (q) => {
          const [theta] = [tensor(q.theta0, { requiresGrad: true })];
          const opt = make([theta!], q);
          const best = minimumLoss(q);
          const gap0 = loss(q, theta!.data) - best;
          for (let t = 0; t < 300; t++) {
            theta!.grad = tensor(gradient(q, theta!.data));
            opt.step();
          }
          const gap = loss(q, theta!.data) - best;
          expect(gap).toBeLessThanOrEqual(0.1 * gap0 + 1e-12);
        }),
        { numRuns: 25 },
      );
    },
  );

  it('SGD with lr ≤ 1/L lowers the loss at every single step', () => {
    fc.assert(
      fc.property(quadratics, fc.double({ min: 0.05, max: 1, noNaN: true }), (q, fraction) => {
        const theta = tensor(q.theta0, { requiresGrad: true });
        const opt = new SGD([theta], { lr: fraction / q.lipschitz });
        let previous = loss(q, theta.data);
        for (let t = 0; t < 50; t++) {
          theta.grad = tensor(gradient(q, theta.data));
          opt.step();
          const now = loss(q, theta.data);
          expect(now).toBeLessThanOrEqual(previous + 1e-12 * Math.abs(previous));
          previous = now;
        }
      }),
      { numRuns: 50 },
    );
  });
});

describe('the closed form of gradient descent on a quadratic', () => {
  // On f(θ) = ½ Σ aᵢ(θᵢ − cᵢ)², each coordinate obeys θᵢ ← θᵢ − η aᵢ(θᵢ − cᵢ),
  // so θᵢ(t) = cᵢ + (1 − η aᵢ)ᵗ (θᵢ(0) − cᵢ); as η → 0 with ηt = τ fixed, this tends
  // to the gradient flow cᵢ + e^(−aᵢτ)(θᵢ(0) − cᵢ).
  const diagonal = fc.array(
    fc.record({
      a: fc.double({ min: 0.1, max: 5, noNaN: true }),
      c: fc.double({ min: -3, max: 3, noNaN: true }),
      start: fc.double({ min: -3, max: 3, noNaN: true }),
    }),
    { minLength: 1, maxLength: 6 },
  );

  it('SGD matches cᵢ + (1 − ηaᵢ)ᵗ(θᵢ(0) − cᵢ) step by step', () => {
    fc.assert(
      fc.property(diagonal, fc.double({ min: 1e-4, max: 0.1, noNaN: true }), (terms, lr) => {
        const theta = tensor(
          terms.map((d) => d.start),
          { requiresGrad: true },
        );
        const opt = new SGD([theta], { lr });
        for (let t = 1; t <= 100; t++) {
          theta.grad = tensor(terms.map((d, i) => d.a * (theta.data[i]! - d.c)));
          opt.step();
          const closed = terms.map((d) => d.c + (1 - lr * d.a) ** t * (d.start - d.c));
          expect(theta.data).toBeAllclose(closed, { atol: 1e-12, rtol: 1e-10 });
        }
      }),
      { numRuns: 30 },
    );
  });

  it('with a small lr, SGD follows the gradient flow cᵢ + e^(−aᵢτ)(θᵢ(0) − cᵢ) to O(η)', () => {
    fc.assert(
      fc.property(diagonal, (terms) => {
        const lr = 1e-4;
        const tau = 1;
        const theta = tensor(
          terms.map((d) => d.start),
          { requiresGrad: true },
        );
        const opt = new SGD([theta], { lr });
        for (let t = 0; t < tau / lr; t++) {
          theta.grad = tensor(terms.map((d, i) => d.a * (theta.data[i]! - d.c)));
          opt.step();
        }
        const flow = terms.map((d) => d.c + Math.exp(-d.a * tau) * (d.start - d.c));
        // The per-coordinate error is about ½ η a² τ e^(−aτ) |θ(0) − c| ≤ 1e-3 here.
        expect(theta.data).toBeAllclose(flow, { atol: 2e-3, rtol: 0 });
      }),
      { numRuns: 10 },
    );
  });
});

describe('a training loop through autograd', () => {
  it('fits y = Wx with Adam and gradient clipping, from backward() to step()', () => {
    const rng = new Rng(7);
    const wTrue = [
      [1.5, -2],
      [0.5, 1],
    ];
    const xs = Array.from({ length: 16 }, () => [rng.normal(), rng.normal()]);
    const x = tensor(xs);
    const y = tensor(xs.map(([a, b]) => wTrue.map(([p, q]) => p! * a! + q! * b!)));
    const W = tensor(
      [
        [0, 0],
        [0, 0],
      ],
      { requiresGrad: true },
    );
    const opt = new Adam([W], { lr: 0.05 });
    const lossAt = () => x.matmul(W.transpose()).sub(y).pow(2).mean();
    const first = lossAt().item();
    for (let step = 0; step < 400; step++) {
      opt.zeroGrad();
      lossAt().backward();
      clipGradNorm([W], 1);
      opt.step();
    }
    expect(lossAt().item()).toBeLessThan(1e-6 * first);
    expect(W.data).toBeAllclose(wTrue.flat(), { atol: 1e-3, rtol: 0 });
    expect(W.grad).not.toBeNull();
    opt.zeroGrad();
    expect(W.grad).toBeNull();
  });
});
