/**
 * Graders of chapters 1–3: central differences, the scalar engine's backward rules and
 * its topological order, unbroadcasting, and the fused softmax–cross-entropy backward.
 */

import { numericalGradient } from '@unroll/gradcheck';
import { topologicalOrder, Value } from '@unroll/scalar';
import { crossEntropy, fromData, sumToShape } from '@unroll/tensor';
import { Failure, type Grader } from '../grading/check.ts';
import {
  between,
  call,
  centralDifference,
  type Dims,
  expectArray,
  expectClose,
  forCases,
  seededRandom,
  uniform,
} from '../grading/judge.ts';

const drawLength = (random: () => number): Dims => ({ n: between(random, 1, 8) });

export const centralDifferenceGrader: Grader = {
  id: 'central-difference',
  checks: [
    {
      // f(x) = Σ aᵢxᵢ² + bᵢxᵢ: a central difference of a quadratic is exact (its error is ε²f‴/6 = 0).
      name: 'gradient of a quadratic',
      run(seed) {
        forCases(seed, { edges: [{ n: 1 }], draw: drawLength }, ({ n }, caseSeed) => {
          const random = seededRandom(caseSeed);
          const a = uniform(random, n!, 2);
          const b = uniform(random, n!, 2);
          const x = uniform(random, n!, 2);
          const f = (v: Float64Array) =>
            v.reduce((s, vi, i) => s + a[i]! * vi * vi + b[i]! * vi, 0);
          const exact = x.map((xi, i) => 2 * a[i]! * xi + b[i]!);
          const got = call('numericalGradient', () => numericalGradient(f, x));
          expectClose('∂f/∂x', exact, got, [n!], {
            expectedFrom: 'exact derivative',
            atol: 1e-7,
            rtol: 1e-7,
          });
        });
      },
    },
    {
      // On f = Σ xᵢ³ a one-sided difference is off by about 3xᵢε (3e-6); a central one by ε² (1e-12).
      name: 'central, not one-sided',
      run(seed) {
        forCases(seed, { draw: drawLength }, ({ n }, caseSeed) => {
          const x = uniform(seededRandom(caseSeed), n!, 2).map((v) => v + Math.sign(v));
          const got = call('numericalGradient', () =>
            numericalGradient((v) => v.reduce((s, vi) => s + vi ** 3, 0), x),
          );
          expectClose(
            '∂(Σx³)/∂x',
            x.map((v) => 3 * v * v),
            got,
            [n!],
            {
              expectedFrom: 'exact derivative 3x²',
              atol: 1e-8,
              rtol: 1e-8,
            },
          );
        });
      },
    },
    {
      name: 'x restored exactly',
      run(seed) {
        const x = uniform(seededRandom(seed), 6, 3).map((v) => v * Math.PI);
        const before = x.slice();
        call('numericalGradient', () =>
          numericalGradient((v) => v.reduce((s, vi) => s + Math.sin(vi), 0), x),
        );
        for (let i = 0; i < x.length; i++) {
          if (!Object.is(x[i], before[i])) {
            throw new Failure(
              `x[${i}] was ${before[i]} before and ${x[i]} after: restore the saved value itself (x + ε − ε is not always x)`,
            );
          }
        }
      },
    },
    {
      name: 'eps option',
      run() {
        // With eps = 0.5 on f = x³ at x = 1: ((1.5)³ − (0.5)³) / 1 = 3.25 (the default eps gives ≈ 3).
        const got = call('numericalGradient', () =>
          numericalGradient((v) => v[0]! ** 3, Float64Array.of(1), { eps: 0.5 }),
        );
        expectClose('∂(x³)/∂x with eps 0.5', [3.25], got, [1], {
          expectedFrom: 'hand computation',
          atol: 1e-12,
          rtol: 1e-12,
        });
      },
    },
  ],
};

/** Runs the backward step of `build(a, b)` with a random upstream gradient on fresh leaves. */
function scalarRule(
  what: string,
  build: (a: Value, b: Value) => Value,
  f: (a: number, b: number) => number,
  seed: number,
  inputs: 1 | 2,
): void {
  forCases(seed, { draw: () => ({}), runs: 5 }, (_dims, caseSeed) => {
    const random = seededRandom(caseSeed);
    const values = uniform(random, 2, 2);
    const upstream = 2 * random() - 1;
    const a = new Value(values[0]!);
    const b = new Value(values[1]!);
    const out = call(what, () => build(a, b));
    out.grad = upstream;
    call(`${what}'s backward`, () => out.backwardStep());
    const expected = centralDifference(() => upstream * f(values[0]!, values[1]!), values);
    const got = inputs === 2 ? [a.grad, b.grad] : [a.grad];
    const names = inputs === 2 ? '[∂L/∂a, ∂L/∂b]' : '∂L/∂a';
    expectClose(`${what}: ${names}`, expected.slice(0, inputs), got, [inputs], {
      expectedFrom: 'central difference',
    });
  });
}

export const valueMulTanhGrader: Grader = {
  id: 'value-mul-tanh',
  checks: [
    {
      name: 'mul backward',
      run: (seed) =>
        scalarRule(
          'a.mul(b)',
          (a, b) => a.mul(b),
          (a, b) => a * b,
          seed,
          2,
        ),
    },
    {
      name: 'tanh backward',
      run: (seed) =>
        scalarRule(
          'a.tanh()',
          (a) => a.tanh(),
          (a) => Math.tanh(a),
          seed,
          1,
        ),
    },
    {
      name: 'accumulates (a·a)',
      run(seed) {
        // a·a: both parents are a, so a.grad must receive b·g and a·g: 2a·g in all.
        const x = 2 * seededRandom(seed)() - 1;
        const a = new Value(x);
        const out = call('a.mul(a)', () => a.mul(a));
        out.grad = 1;
        call("a.mul(a)'s backward", () => out.backwardStep());
        if (Math.abs(a.grad - 2 * x) > 1e-12) {
          throw new Failure(
            `∂(a·a)/∂a at a = ${x}: expected ${2 * x} (2a: each use of a adds its share), got ${a.grad} (yours); add into .grad with +=, never assign`,
          );
        }
      },
    },
  ],
};

interface Node {
  parents: Node[];
  visitMark: number;
  name: number;
}

/** A random DAG of n nodes; node i's parents all have smaller numbers; the root is the last. */
function randomGraph(n: number, random: () => number): Node[] {
  const nodes: Node[] = [];
  for (let i = 0; i < n; i++) {
    const parents: Node[] = [];
    for (let j = 0; j < i; j++) if (random() < 0.35 || j === i - 1) parents.push(nodes[j]!);
    if (parents.length > 1 && random() < 0.3) parents.push(parents[0]!); // the same parent twice (a·a)
    nodes.push({ parents, visitMark: 0, name: i });
  }
  return nodes;
}

function checkOrder(order: unknown, root: Node, reachable: number): void {
  if (!Array.isArray(order))
    throw new Failure(`topologicalOrder returned ${typeof order}, not an array`);
  const position = new Map<Node, number>();
  order.forEach((node, k) => {
    if (position.has(node))
      throw new Failure(`node ${node.name} is listed twice (at ${position.get(node)} and ${k})`);
    position.set(node, k);
  });
  if (order.length !== reachable) {
    throw new Failure(
      `expected ${reachable} nodes (each reachable node once), got ${order.length}`,
    );
  }
  if (order[order.length - 1] !== root) throw new Failure('the root must come last');
  for (const node of order as Node[]) {
    for (const parent of node.parents) {
      if (!position.has(parent))
        throw new Failure(`node ${parent.name}, a parent of ${node.name}, is missing`);
      if (position.get(parent)! > position.get(node)!) {
        throw new Failure(`node ${node.name} is listed before its parent ${parent.name}`);
      }
    }
  }
}

export const topologicalOrderGrader: Grader = {
  id: 'topological-order',
  checks: [
    {
      name: 'parents before children',
      run(seed) {
        forCases(
          seed,
          { edges: [{ n: 1 }, { n: 2 }], runs: 6, draw: (r) => ({ n: between(r, 3, 30) }) },
          ({ n }, caseSeed) => {
            const nodes = randomGraph(n!, seededRandom(caseSeed));
            const root = nodes[nodes.length - 1]!;
            const reachable = new Set<Node>();
            const stack = [root];
            while (stack.length > 0) {
              const node = stack.pop()!;
              if (reachable.has(node)) continue;
              reachable.add(node);
              stack.push(...node.parents);
            }
            checkOrder(
              call('topologicalOrder', () => topologicalOrder(root)),
              root,
              reachable.size,
            );
          },
        );
      },
    },
    {
      name: 'second walk of the same graph',
      run(seed) {
        const nodes = randomGraph(12, seededRandom(seed));
        const root = nodes[nodes.length - 1]!;
        const first = call('topologicalOrder', () => topologicalOrder(root)) as unknown as Node[];
        const second = call('topologicalOrder (second walk)', () => topologicalOrder(root));
        checkOrder(second, root, Array.isArray(first) ? first.length : 0);
      },
    },
    {
      name: 'deep chain (100,000 nodes, no recursion)',
      run() {
        let node: Node = { parents: [], visitMark: 0, name: 0 };
        const first = node;
        for (let i = 1; i < 100_000; i++) node = { parents: [node], visitMark: 0, name: i };
        const order = call('topologicalOrder on a 100,000-node chain', () =>
          topologicalOrder(node),
        );
        if (
          !Array.isArray(order) ||
          order.length !== 100_000 ||
          order[0] !== first ||
          order[99_999] !== node
        ) {
          throw new Failure(
            'on a chain of 100,000 nodes the order must be the chain itself, first node first',
          );
        }
      },
    },
  ],
};

/** A pair of shapes where `small` broadcasts to `big`. */
function broadcastPair(random: () => number): { big: number[]; small: number[] } {
  const rank = between(random, 1, 3);
  const big = Array.from({ length: rank }, () => between(random, 1, 4));
  const keep = between(random, 0, rank);
  const small = big.slice(rank - keep).map((d) => (random() < 0.5 ? 1 : d));
  return { big, small };
}

/** The reference: each entry of g added into the entry of `small` it was broadcast from. */
function unbroadcast(g: Float64Array, big: number[], small: number[]): Float64Array {
  const out = new Float64Array(small.reduce((a, b) => a * b, 1));
  const index = new Array(big.length).fill(0);
  for (let flat = 0; flat < g.length; flat++) {
    let target = 0;
    for (let d = 0; d < small.length; d++) {
      const bigD = big.length - small.length + d;
      target = target * small[d]! + (small[d] === 1 ? 0 : index[bigD]!);
    }
    out[target]! += g[flat]!;
    for (let d = big.length - 1; d >= 0; d--) {
      if (++index[d]! < big[d]!) break;
      index[d] = 0;
    }
  }
  return out;
}

export const sumToShapeGrader: Grader = {
  id: 'sum-to-shape',
  checks: [
    {
      name: 'to a scalar',
      run(seed) {
        forCases(
          seed,
          { draw: (r) => ({ rows: between(r, 1, 4), cols: between(r, 2, 4) }) },
          ({ rows, cols }, caseSeed) => {
            const g = uniform(seededRandom(caseSeed), rows! * cols!);
            const got = call('sumToShape', () => sumToShape(g, [rows!, cols!], []));
            expectClose('sumToShape to []', unbroadcast(g, [rows!, cols!], []), got, [1], {
              expectedFrom: 'reference',
            });
          },
        );
      },
    },
    {
      name: 'missing leading dims',
      run(seed) {
        forCases(
          seed,
          { draw: (r) => ({ a: between(r, 2, 3), b: between(r, 1, 3), c: between(r, 2, 4) }) },
          ({ a, b, c }, caseSeed) => {
            const g = uniform(seededRandom(caseSeed), a! * b! * c!);
            const got = call('sumToShape', () => sumToShape(g, [a!, b!, c!], [c!]));
            expectClose(
              `sumToShape [${a}, ${b}, ${c}] → [${c}]`,
              unbroadcast(g, [a!, b!, c!], [c!]),
              got,
              [c!],
              { expectedFrom: 'reference' },
            );
          },
        );
      },
    },
    {
      name: 'size-1 dims kept',
      run(seed) {
        forCases(
          seed,
          { draw: (r) => ({ a: between(r, 2, 4), b: between(r, 2, 4) }) },
          ({ a, b }, caseSeed) => {
            const g = uniform(seededRandom(caseSeed), a! * b!);
            for (const small of [
              [a!, 1],
              [1, b!],
            ]) {
              const got = call('sumToShape', () => sumToShape(g, [a!, b!], small));
              expectClose(
                `sumToShape [${a}, ${b}] → [${small}]`,
                unbroadcast(g, [a!, b!], small),
                got,
                small,
                { expectedFrom: 'reference' },
              );
            }
          },
        );
      },
    },
    {
      name: 'random broadcasts',
      run(seed) {
        forCases(
          seed,
          { runs: 12, draw: (r) => ({ pair: Math.floor(r() * 2 ** 31) }) },
          ({ pair }, caseSeed) => {
            const { big, small } = broadcastPair(seededRandom(pair!));
            const g = uniform(
              seededRandom(caseSeed),
              big.reduce((x, y) => x * y, 1),
            );
            const got = call('sumToShape', () => sumToShape(g, big, small));
            const size = small.reduce((x, y) => x * y, 1);
            expectClose(
              `sumToShape [${big}] → [${small}]`,
              unbroadcast(g, big, small),
              got,
              [size],
              { expectedFrom: 'reference' },
            );
          },
        );
      },
    },
  ],
};

function crossEntropyCase(reduction: 'mean' | 'sum' | 'none', ignore: boolean) {
  return (dims: Dims, caseSeed: number) => {
    const { N, C } = dims as { N: number; C: number };
    const random = seededRandom(caseSeed);
    const z = uniform(random, N * C, 3);
    const targets = Array.from({ length: N }, () => between(random, 0, C - 1));
    if (ignore) targets[0] = -100;
    const upstream = uniform(random, reduction === 'none' ? N : 1);
    const value = (logits: Float64Array) => {
      const out = crossEntropy(fromData(logits, [N, C]), targets, { reduction }).data;
      let total = 0;
      for (let i = 0; i < out.length; i++)
        total += Number.isNaN(out[i]!) ? 0 : upstream[i]! * out[i]!;
      return total;
    };
    const expected = centralDifference(() => value(z), z);
    const logits = fromData(z.slice(), [N, C], { requiresGrad: true });
    call('crossEntropy backward', () => {
      const loss = crossEntropy(logits, targets, { reduction });
      loss.backward(fromData(upstream, loss.shape));
    });
    const grad = expectArray('∂L/∂logits', logits.grad?.data, [N, C]);
    expectClose(
      `∂L/∂logits (reduction '${reduction}'${ignore ? ', row 0 ignored' : ''})`,
      expected,
      grad,
      [N, C],
      {
        expectedFrom: 'central difference',
      },
    );
  };
}

const drawLogits = (r: () => number): Dims => ({ N: between(r, 1, 4), C: between(r, 2, 5) });

export const crossEntropyBackwardGrader: Grader = {
  id: 'cross-entropy-backward',
  checks: [
    {
      name: "reduction 'mean'",
      run: (seed) =>
        forCases(
          seed,
          { edges: [{ N: 1, C: 2 }], draw: drawLogits },
          crossEntropyCase('mean', false),
        ),
    },
    {
      name: "reduction 'sum'",
      run: (seed) => forCases(seed, { draw: drawLogits }, crossEntropyCase('sum', false)),
    },
    {
      name: "reduction 'none'",
      run: (seed) => forCases(seed, { draw: drawLogits }, crossEntropyCase('none', false)),
    },
    {
      name: 'ignored rows',
      run: (seed) =>
        forCases(
          seed,
          { draw: (r) => ({ N: between(r, 2, 4), C: between(r, 2, 4) }) },
          crossEntropyCase('mean', true),
        ),
    },
  ],
};
