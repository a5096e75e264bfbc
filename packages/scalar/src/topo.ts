/**
 * Topological order of an expression graph, built without recursion.
 *
 * Backpropagation must visit a node only after every node that uses it has pushed
 * its share of the gradient into it. Listing the graph so that each node comes
 * after all of its parents (inputs), then walking that list backwards, does exactly
 * that.
 *
 * The textbook version is a recursive depth-first search. Each nested call costs a
 * stack frame, so a chain of 10,000 operations already overflows Node's stack. Here
 * the call stack is replaced by two arrays we manage ourselves: the nodes on the
 * current path, and for each of them the index of the next parent to visit.
 */

/** Anything with inputs: a Value, or a test double of one. */
export interface GraphNode<T> {
  readonly parents: readonly T[];
  /** Scratch space of topologicalOrder: the number of the last walk that reached this node. */
  visitMark: number;
}

// NOTE: a Set of visited nodes is the obvious bookkeeping, but hashing a million
// objects costs about a microsecond each; stamping each node with the number of the
// current walk costs almost nothing, and needs no clearing between walks.
let walks = 0;

/**
 * Every node reachable from `root`, each once, parents before children; `root` is
 * last. The same order a recursive post-order depth-first search would produce.
 */
export function topologicalOrder<T extends GraphNode<T>>(root: T): T[] {
  // BEGIN EXERCISE topological-order
  const mark = ++walks;
  const order: T[] = [];
  root.visitMark = mark;
  const path: T[] = [root];
  const nextParent: number[] = [0];
  while (path.length > 0) {
    const top = path.length - 1;
    const node = path[top]!;
    const i = nextParent[top]!;
    if (i < node.parents.length) {
      // Descend into the next unvisited parent; come back to `node` afterwards.
      nextParent[top] = i + 1;
      const parent = node.parents[i]!;
      if (parent.visitMark !== mark) {
        parent.visitMark = mark;
        path.push(parent);
        nextParent.push(0);
      }
    } else {
      // All parents are listed, so `node` may now be listed.
      path.pop();
      nextParent.pop();
      order.push(node);
    }
  }
  return order;
  // END EXERCISE topological-order
}
