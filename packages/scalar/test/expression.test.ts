/**
 * Random expressions, judged at every leaf by central differences.
 *
 * fast-check builds trees up to depth 6 of every operation over three shared
 * leaves, so gradients meet along many paths, through interior nodes used twice,
 * and through constants given as plain numbers. Every operation is kept in its
 * smooth domain by construction: log, division and fractional powers only see
 * u² + ½ ≥ ½ ("positive(u)") instead of u. The remaining hazards (an exp that
 * overflows, a relu input near its kink) are filtered out by evaluating the tree
 * at its point before it is used.
 */

import { arbitraries } from '@unroll/gradcheck';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { topologicalOrder, Value, type ValueLike } from '../src/index.ts';
import { assertGradientsMatch } from './helpers.ts';

const LEAVES = 3;
const MAX_DEPTH = 6;

type UnaryOp = 'neg' | 'exp' | 'log' | 'tanh' | 'sigmoid' | 'relu' | 'pow';
type BinaryOp = 'add' | 'sub' | 'mul' | 'div';

type Expr =
  | { kind: 'leaf'; index: number }
  | { kind: 'const'; value: number }
  | { kind: 'unary'; op: UnaryOp; exponent: number; arg: Expr }
  | { kind: 'binary'; op: BinaryOp; left: Expr; right: Expr }
  /** `arg op arg` on one and the same node: fan-out at an interior node. */
  | { kind: 'twice'; op: BinaryOp; arg: Expr };

const terminal: fc.Arbitrary<Expr> = fc.oneof(
  { weight: 3, arbitrary: fc.record({ kind: fc.constant('leaf'), index: fc.nat(LEAVES - 1) }) },
  {
    weight: 1,
    arbitrary: fc.record({
      kind: fc.constant('const'),
      value: arbitraries.value({ min: -2, max: 2 }),
    }),
  },
);
const unaryOp = fc.constantFrom<UnaryOp>('neg', 'exp', 'log', 'tanh', 'sigmoid', 'relu', 'pow');
const binaryOp = fc.constantFrom<BinaryOp>('add', 'sub', 'mul', 'div');
const exponent = fc.constantFrom(2, 3, -1, 0.5, 1.5, -0.5);

/** compound(n): an operation whose arguments have depth ≤ n − 1 (so n ≥ 1). */
const compound: fc.Memo<Expr> = fc.memo((n) =>
  fc.oneof(
    {
      weight: 2,
      arbitrary: fc.record({ kind: fc.constant('unary'), op: unaryOp, exponent, arg: expr(n - 1) }),
    },
    {
      weight: 3,
      arbitrary: fc.record({
        kind: fc.constant('binary'),
        op: binaryOp,
        left: expr(n - 1),
        right: expr(n - 1),
      }),
    },
    {
      weight: 1,
      arbitrary: fc.record({ kind: fc.constant('twice'), op: binaryOp, arg: expr(n - 1) }),
    },
  ),
);

/** expr(n): a tree of depth ≤ n, where a terminal has depth 0. */
const expr: fc.Memo<Expr> = fc.memo((n) =>
  n <= 0
    ? terminal
    : fc.oneof({ weight: 1, arbitrary: terminal }, { weight: 5, arbitrary: compound(n) }),
);

function depth(e: Expr): number {
  switch (e.kind) {
    case 'leaf':
    case 'const':
      return 0;
    case 'unary':
    case 'twice':
      return 1 + depth(e.arg);
    case 'binary':
      return 1 + Math.max(depth(e.left), depth(e.right));
  }
}

/** u² + ½: a smooth, positive stand-in for u where an op needs a positive input. */
const positive = (u: Value) => u.mul(u).add(0.5);

/** A constant operand stays a plain number, to exercise the number-accepting path. */
function operand(e: Expr, leaves: Value[]): ValueLike {
  return e.kind === 'const' ? e.value : build(e, leaves);
}

function binary(op: BinaryOp, a: Value, b: ValueLike): Value {
  if (op !== 'div') return a[op](b);
  return a.div(typeof b === 'number' ? b * b + 0.5 : positive(b));
}

function build(e: Expr, leaves: Value[]): Value {
  switch (e.kind) {
    case 'leaf':
      return leaves[e.index]!;
    case 'const':
      return new Value(e.value);
    case 'unary': {
      const u = build(e.arg, leaves);
      if (e.op === 'log') return positive(u).log();
      if (e.op === 'pow') {
        return Number.isInteger(e.exponent) && e.exponent > 0
          ? u.pow(e.exponent)
          : positive(u).pow(e.exponent);
      }
      return u[e.op]();
    }
    case 'binary':
      return binary(e.op, build(e.left, leaves), operand(e.right, leaves));
    case 'twice': {
      const u = build(e.arg, leaves);
      return binary(e.op, u, u);
    }
  }
}

/** Every intermediate value moderate, and every relu input clear of its kink. */
function wellBehaved(e: Expr, point: Float64Array): boolean {
  const out = build(
    e,
    Array.from(point, (x) => new Value(x)),
  );
  return topologicalOrder(out).every(
    (node) =>
      Math.abs(node.data) <= 1e3 && (node.op !== 'relu' || Math.abs(node.parents[0]!.data) >= 1e-2),
  );
}

const cases = fc
  .record({
    tree: compound(MAX_DEPTH),
    point: arbitraries.float64Array(LEAVES, { min: -2, max: 2 }),
  })
  .filter(({ tree, point }) => wellBehaved(tree, point));

describe('random expression trees', () => {
  it('have gradients that agree with central differences at every leaf', () => {
    fc.assert(
      fc.property(cases, ({ tree, point }) => {
        expect(depth(tree)).toBeLessThanOrEqual(MAX_DEPTH);
        assertGradientsMatch((leaves) => build(tree, leaves), point, 'd(tree)/d(leaves)');
      }),
      { numRuns: 300 },
    );
  });
});
