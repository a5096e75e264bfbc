/**
 * The bridge between Values and the judge: an expression is given as a function of
 * its leaves, so that it can be rebuilt at any point x — once to run backward(), and
 * 2·len(x) more times for the central differences.
 */

import { assertGradcheck, gradcheck } from '@unroll/gradcheck';
import { Value } from '../src/index.ts';

/** Builds an expression from leaves; returns the output Value. */
export type Expression = (leaves: Value[]) => Value;

/** The output's data at x, with fresh leaves. */
export function valueAt(expression: Expression, x: Float64Array): number {
  return expression(Array.from(x, (xi) => new Value(xi))).data;
}

/** ∂out/∂leaf for every leaf at x, as computed by backward(). */
export function backwardGradient(expression: Expression, x: Float64Array): Float64Array {
  const leaves = Array.from(x, (xi) => new Value(xi));
  expression(leaves).backward();
  return Float64Array.from(leaves, (leaf) => leaf.grad);
}

/** Throws the judge's readable message unless backward() agrees with central differences. */
export function assertGradientsMatch(expression: Expression, x: Float64Array, what: string): void {
  const f = (point: Float64Array) => valueAt(expression, point);
  assertGradcheck(gradcheck(f, x, backwardGradient(expression, x), { what }));
}
