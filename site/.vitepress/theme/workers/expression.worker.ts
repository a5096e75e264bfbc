/**
 * Chapter 2's worker: reads the expression and the input values, runs the forward
 * pass and backward() of @unroll/scalar, and answers with the graph drawn as SVG, or
 * with the reason it could not.
 */

import { topologicalOrder, type Value } from '@unroll/scalar';
import { buildExpression, parseValues } from './expression.ts';
import { type DrawnNode, graphSvg } from './graph-svg.ts';

export interface ExpressionRequest {
  expression: string;
  values: string;
}

export type ExpressionReply =
  | { ok: true; svg: string; output: number; grads: Record<string, number> }
  | { ok: false; field: 'expression' | 'values'; message: string };

function answer({ expression, values }: ExpressionRequest): ExpressionReply {
  let inputs: Map<string, number>;
  try {
    inputs = parseValues(values);
  } catch (error) {
    return { ok: false, field: 'values', message: (error as Error).message };
  }
  let root: Value;
  try {
    root = buildExpression(expression, inputs);
    root.backward();
  } catch (error) {
    return { ok: false, field: 'expression', message: (error as Error).message };
  }
  const order = topologicalOrder(root);
  if (order.length > 80) {
    return {
      ok: false,
      field: 'expression',
      message: `the graph has ${order.length} nodes; at most 80 fit in the figure`,
    };
  }
  const ids = new Map<Value, number>(order.map((v, i) => [v, i]));
  const nodes: DrawnNode[] = order.map((v, i) => ({
    id: i,
    title: v.op === '' ? v.label : `${v.op}${v === root ? '  (output)' : ''}`,
    data: v.data,
    grad: v.grad,
    parents: v.parents.map((p) => ids.get(p)!),
  }));
  const grads: Record<string, number> = {};
  for (const v of order) if (v.op === '' && inputs.has(v.label)) grads[v.label] = v.grad;
  return {
    ok: true,
    svg: graphSvg(nodes, `${expression} = ${root.data}`),
    output: root.data,
    grads,
  };
}

self.onmessage = (event: MessageEvent<ExpressionRequest>) => {
  self.postMessage(answer(event.data));
};
