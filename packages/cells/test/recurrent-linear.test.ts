/**
 * recurrentLinear, the recurrent projection whose weight gradient is one product over
 * the whole sequence: the same values as `linear` at every step, gradients against
 * central differences (with fan-out, steps that get no gradient, and no bias), the
 * same gradients as per-step `linear` ops, and the usual graph rules (retainGraph,
 * noGrad).
 */

import { arbitraries } from '@unroll/gradcheck';
import {
  add,
  linear,
  mul,
  noGrad,
  Rng,
  randn,
  ShapeError,
  sum,
  type Tensor,
  tanh,
} from '@unroll/tensor';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { type HiddenProjection, recurrentLinear } from '../src/recurrent-linear.ts';
import { checkLeafGradients } from './check.ts';

const problems = fc.record({
  B: fc.integer({ min: 1, max: 3 }),
  H: fc.integer({ min: 1, max: 4 }),
  T: fc.integer({ min: 1, max: 4 }),
  bias: fc.boolean(),
  seed: arbitraries.seed(),
});
type Problem = typeof problems extends fc.Arbitrary<infer P> ? P : never;

/**
 * A small recurrence h_t = tanh(x_t + project(h_{t−1})) with fan-out everywhere: step t
 * projects h_{t−1} twice (two nodes share one input), uses the projection twice, and
 * only steps t ≥ 1 reach the loss through their outputs, so step 0's output gets
 * gradient only through the recurrence — and the last step's second projection none.
 */
function recurrence(p: Problem, makeProjection: (W: Tensor, b: Tensor | null) => HiddenProjection) {
  const rng = new Rng(p.seed);
  const W = randn([p.H, p.H], rng, { requiresGrad: true });
  const b = p.bias ? randn([p.H], rng, { requiresGrad: true }) : null;
  const h0 = randn([p.B, p.H], rng, { requiresGrad: true });
  const xs = Array.from({ length: p.T }, () => randn([p.B, p.H], rng));
  const readout = randn([p.B, p.H], rng);
  const loss = () => {
    const project = makeProjection(W, b);
    let h = h0;
    let total: Tensor | null = null;
    xs.forEach((x, t) => {
      const once = project(h);
      const unused = project(h); // a second step on the same h_{t−1}
      const next = tanh(add(x, add(once, mul(once, 0.5))));
      if (t < p.T - 1) h = add(next, mul(unused, 0.1));
      else h = next;
      if (t >= 1) total = total === null ? sum(mul(h, readout)) : add(total, sum(mul(h, readout)));
    });
    return total ?? sum(mul(h, readout));
  };
  const leaves: [string, Tensor][] = [
    ['W', W],
    ['h0', h0],
  ];
  if (b !== null) leaves.push(['b', b]);
  return { loss, leaves, W, b, h0 };
}

const perStepLinear = (W: Tensor, b: Tensor | null) => (h: Tensor) => linear(h, W, b);

describe('recurrentLinear', () => {
  it('computes h Wᵀ + b at every step, exactly as linear does', () => {
    fc.assert(
      fc.property(problems, (p) => {
        const rng = new Rng(p.seed);
        const W = randn([3, p.H], rng, { requiresGrad: true });
        const b = p.bias ? randn([3], rng) : null;
        const project = recurrentLinear(W, b);
        for (let t = 0; t < p.T; t++) {
          const h = randn([p.B, p.H], rng);
          expect(project(h)).toBeAllclose(linear(h, W, b), { rtol: 0, atol: 0 });
        }
      }),
      { numRuns: 20 },
    );
  });

  it('backward: central differences, with fan-out, unused steps and optional bias', () => {
    fc.assert(
      fc.property(problems, (p) => {
        const { loss, leaves } = recurrence(p, recurrentLinear);
        checkLeafGradients(leaves, loss, `recurrentLinear B=${p.B} H=${p.H} T=${p.T}`);
      }),
      { numRuns: 40 },
    );
  });

  it('gives the gradients of per-step linear ops (one product instead of T)', () => {
    fc.assert(
      fc.property(problems, (p) => {
        const grads = (make: typeof perStepLinear) => {
          const { loss, leaves } = recurrence(p, make);
          loss().backward();
          return leaves.map(([, t]) => t.grad!);
        };
        const shared = grads(recurrentLinear);
        const perStep = grads(perStepLinear);
        shared.forEach((g, k) => {
          expect(g).toBeAllclose(perStep[k]!, { rtol: 1e-12, atol: 1e-14 });
        });
      }),
      { numRuns: 30 },
    );
  });

  it('at sizes that run on the WebAssembly kernel with W packed once per pass, and packed again after W changes', () => {
    // B = 4 rows, W [128, 32]: each step's two products are large enough for gemm.wat.
    const rng = new Rng(11);
    const W = randn([128, 32], rng, { requiresGrad: true });
    const b = randn([128], rng, { requiresGrad: true });
    const h0 = randn([4, 32], rng, { requiresGrad: true });
    const down = randn([128, 32], rng).mul(0.1); // back from 128 to 32 features
    const pass = (make: typeof perStepLinear) => {
      for (const t of [W, b, h0]) t.zeroGrad();
      const project = make(W, b);
      let h = h0;
      const outputs: Tensor[] = [];
      for (let t = 0; t < 3; t++) {
        const y = project(h);
        outputs.push(y);
        h = tanh(linear(y, down.transpose()));
      }
      sum(mul(h, h)).backward();
      return [...outputs, W.grad!, b.grad!, h0.grad!];
    };
    for (let update = 0; update < 2; update++) {
      const shared = pass(recurrentLinear);
      const perStep = pass(perStepLinear);
      shared.forEach((t, k) => {
        expect(t, `update ${update}, result ${k}`).toBeAllclose(perStep[k]!, {
          rtol: 1e-12,
          atol: 1e-14,
        });
      });
      for (let i = 0; i < W.size; i++) W.data[i]! -= 0.5 * W.grad!.data[i]!; // as an optimizer would
    }
  });

  it('a graph kept with retainGraph can be walked again: gradients add up', () => {
    const p = { B: 2, H: 3, T: 3, bias: true, seed: 4 };
    const { loss, W, b } = recurrence(p, recurrentLinear);
    const total = loss();
    total.backward(undefined, { retainGraph: true });
    const once = [Array.from(W.grad!.data), Array.from(b!.grad!.data)];
    total.backward();
    expect(Array.from(W.grad!.data)).toEqual(once[0]!.map((g) => 2 * g));
    expect(Array.from(b!.grad!.data)).toEqual(once[1]!.map((g) => 2 * g));
  });

  it('a second pass that reaches fewer steps uses only its own gradients', () => {
    const grads = (make: typeof perStepLinear) => {
      const rng = new Rng(7);
      const W = randn([3, 3], rng, { requiresGrad: true });
      const b = randn([3], rng, { requiresGrad: true });
      const project = make(W, b);
      const hs = [randn([2, 3], rng)];
      for (let t = 0; t < 3; t++) hs.push(tanh(project(hs[t]!)));
      sum(hs[3]!).backward(undefined, { retainGraph: true }); // reaches every step
      sum(hs[1]!).backward(); // reaches the first step only
      return [W.grad!, b.grad!];
    };
    const perStep = grads(perStepLinear);
    grads(recurrentLinear).forEach((g, k) => {
      expect(g).toBeAllclose(perStep[k]!, { rtol: 1e-12, atol: 1e-14 });
    });
  });

  it('records nothing under noGrad, and the weights need not require a gradient', () => {
    const rng = new Rng(2);
    const W = randn([4, 3], rng, { requiresGrad: true });
    const h = randn([2, 3], rng, { requiresGrad: true });
    expect(noGrad(() => recurrentLinear(W, null)(h)).node).toBeNull();
    const frozen = randn([4, 3], rng);
    const y = recurrentLinear(frozen, null)(h);
    sum(y).backward();
    expect(frozen.grad).toBeNull();
    // d(Σ h Wᵀ)/dh = 1 W: every row of dh is the column sums of W
    const columnSums = [0, 1, 2].map((j) =>
      [0, 1, 2, 3].reduce((s, i) => s + frozen.data[i * 3 + j]!, 0),
    );
    for (const [k, g] of h.grad!.data.entries()) expect(g).toBeCloseTo(columnSums[k % 3]!, 14);
  });

  it('refuses an h of the wrong width, naming both shapes', () => {
    const project = recurrentLinear(randn([4, 3], new Rng(1)), null);
    expect(() => project(randn([2, 5], new Rng(1)))).toThrow(ShapeError);
    expect(() => project(randn([2, 5], new Rng(1)))).toThrow(
      'recurrentLinear: hPrev must be [batch, 3] to match weight [4,3], got [2,5]',
    );
  });
});
