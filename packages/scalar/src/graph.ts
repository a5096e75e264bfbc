/**
 * The expression graph behind a Value, as text a viewer can draw: Graphviz DOT
 * (paste into any Graphviz viewer, or `dot -Tsvg`) or Mermaid (paste into a
 * Markdown file or the Mermaid live editor).
 *
 * One box per Value, showing its label and operation, its data and its grad; one
 * arrow per use of a Value as an input. An input used twice, as in x·x, gets two
 * arrows: both uses send a gradient back, and backward() adds them.
 */

import { topologicalOrder } from './topo.ts';
import type { Value } from './value.ts';

export interface GraphOptions {
  /** Decimals of data and grad (default 4). */
  digits?: number;
  /** Direction of the drawing: left to right (default) or top to bottom. */
  direction?: 'LR' | 'TB';
  /** Refuse graphs with more nodes than this (default 1000): no viewer draws them legibly. */
  maxNodes?: number;
}

interface Box {
  id: string;
  title: string;
  data: string;
  grad: string;
}

/** The Graphviz DOT text of the graph that computed `root`. */
export function toDot(root: Value, options: GraphOptions = {}): string {
  const { boxes, edges } = layout(root, options, 'toDot');
  const lines = [
    'digraph {',
    `  rankdir=${options.direction ?? 'LR'};`,
    '  node [shape=record];',
    ...boxes.map(
      (b) => `  ${b.id} [label="{ ${dotText(b.title)} | data ${b.data} | grad ${b.grad} }"];`,
    ),
    ...edges.map(([from, to]) => `  ${from} -> ${to};`),
    '}',
  ];
  return lines.join('\n');
}

/** The Mermaid flowchart text of the graph that computed `root`. */
export function toMermaid(root: Value, options: GraphOptions = {}): string {
  const { boxes, edges } = layout(root, options, 'toMermaid');
  const lines = [
    `flowchart ${options.direction ?? 'LR'}`,
    ...boxes.map(
      (b) => `  ${b.id}["${mermaidText(b.title)}<br/>data ${b.data}<br/>grad ${b.grad}"]`,
    ),
    ...edges.map(([from, to]) => `  ${from} --> ${to}`),
  ];
  return lines.join('\n');
}

/** Boxes in topological order (inputs first) with ids n0, n1, …, and one edge per input use. */
function layout(root: Value, options: GraphOptions, caller: string) {
  const { digits = 4, maxNodes = 1000 } = options;
  if (!Number.isInteger(digits) || digits < 0 || digits > 20) {
    throw new RangeError(`${caller}: digits must be an integer in [0, 20], got ${digits}`);
  }
  const order = topologicalOrder<Value>(root);
  if (order.length > maxNodes) {
    throw new RangeError(
      `${caller}: the graph has ${order.length} nodes, more than maxNodes (${maxNodes}); pass a larger maxNodes to export it anyway`,
    );
  }
  const ids = new Map<Value, string>();
  const boxes: Box[] = order.map((node, i) => {
    const id = `n${i}`;
    ids.set(node, id);
    return {
      id,
      title: titleOf(node),
      data: node.data.toFixed(digits),
      grad: node.grad.toFixed(digits),
    };
  });
  const edges: [string, string][] = [];
  for (const node of order) {
    for (const parent of node.parents) edges.push([ids.get(parent)!, ids.get(node)!]);
  }
  return { boxes, edges };
}

/** 'c (*)' for a named product, '(*)' for an unnamed one, 'a' for a named leaf, 'leaf' otherwise. */
function titleOf(node: Value): string {
  const op = node.op === '' ? '' : `(${node.op})`;
  return [node.label, op].filter((s) => s !== '').join(' ') || 'leaf';
}

/** Inside a DOT record label, these characters have meaning and must be escaped. */
function dotText(text: string): string {
  return text.replace(/[\\"{}|<>]/g, (c) => `\\${c}`);
}

/** Mermaid labels are quoted HTML: quotes and angle brackets become entity codes. */
function mermaidText(text: string): string {
  return text.replace(/"/g, '#quot;').replace(/</g, '#lt;').replace(/>/g, '#gt;');
}
