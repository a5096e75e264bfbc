import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { type GraphNode, topologicalOrder, Value } from '../src/index.ts';

interface TestNode extends GraphNode<TestNode> {
  name: number;
  parents: TestNode[];
}

/**
 * A random DAG: node i takes its parents (repeats allowed, as in x·x) among nodes
 * 0 … i−1, so no cycle can form. The last node is the root.
 */
const dag = fc
  .integer({ min: 1, max: 30 })
  .chain((size) =>
    fc.tuple(
      ...Array.from({ length: size }, (_, i) =>
        i === 0
          ? fc.constant([] as number[])
          : fc.array(fc.integer({ min: 0, max: i - 1 }), { maxLength: 3 }),
      ),
    ),
  )
  .map((parentLists) => {
    const nodes: TestNode[] = [];
    parentLists.forEach((parents, name) => {
      nodes.push({ name, parents: parents.map((p) => nodes[p]!), visitMark: 0 });
    });
    return nodes;
  });

/** The textbook recursive version, the reference for small graphs. */
function recursiveOrder(root: TestNode): TestNode[] {
  const order: TestNode[] = [];
  const seen = new Set<TestNode>();
  const visit = (node: TestNode) => {
    if (seen.has(node)) return;
    seen.add(node);
    for (const parent of node.parents) visit(parent);
    order.push(node);
  };
  visit(root);
  return order;
}

describe('topologicalOrder', () => {
  it('lists every reachable node once, each after all of its parents, the root last', () => {
    fc.assert(
      fc.property(dag, (nodes) => {
        const root = nodes[nodes.length - 1]!;
        const order = topologicalOrder(root);
        const position = new Map(order.map((node, i) => [node, i]));
        expect(position.size).toBe(order.length);
        expect(order[order.length - 1]).toBe(root);
        for (const node of order) {
          for (const parent of node.parents) {
            expect(position.get(parent)).toBeLessThan(position.get(node)!);
          }
        }
      }),
    );
  });

  it('is the order of the recursive depth-first search', () => {
    fc.assert(
      fc.property(dag, (nodes) => {
        const root = nodes[nodes.length - 1]!;
        expect(topologicalOrder(root).map((n) => n.name)).toEqual(
          recursiveOrder(root).map((n) => n.name),
        );
      }),
    );
  });

  it('gives the same order when walked twice (the visit marks need no clearing)', () => {
    fc.assert(
      fc.property(dag, (nodes) => {
        const root = nodes[nodes.length - 1]!;
        expect(topologicalOrder(root)).toEqual(topologicalOrder(root));
      }),
    );
  });

  it('lists x once in x·x, and a shared interior node once', () => {
    const x = new Value(2, 'x');
    const square = x.mul(x);
    const out = square.add(square);
    expect(topologicalOrder(out)).toEqual([x, square, out]);
  });
});
