import { describe, expect, it } from 'vitest';
import { toDot, toMermaid, Value } from '../src/index.ts';

/** The nodes (id → label) and edges (from → to) of a DOT text. */
function parseDot(dot: string) {
  const nodes = new Map<string, string>();
  const edges: string[] = [];
  for (const line of dot.split('\n')) {
    const node = /^ {2}(n\d+) \[label="(.*)"\];$/.exec(line);
    if (node) nodes.set(node[1]!, node[2]!);
    const edge = /^ {2}(n\d+) -> (n\d+);$/.exec(line);
    if (edge) edges.push(`${edge[1]}->${edge[2]}`);
  }
  return { nodes, edges };
}

function parseMermaid(text: string) {
  const nodes = new Map<string, string>();
  const edges: string[] = [];
  for (const line of text.split('\n')) {
    const node = /^ {2}(n\d+)\["(.*)"\]$/.exec(line);
    if (node) nodes.set(node[1]!, node[2]!);
    const edge = /^ {2}(n\d+) --> (n\d+)$/.exec(line);
    if (edge) edges.push(`${edge[1]}->${edge[2]}`);
  }
  return { nodes, edges };
}

/** c = a·b + a with a = 2, b = −3, after backward: ∂c/∂a = b + 1 = −2, ∂c/∂b = a = 2. */
function example() {
  const a = new Value(2, 'a');
  const b = new Value(-3, 'b');
  const c = a.mul(b).add(a).named('c');
  c.backward();
  return c;
}

describe('toDot', () => {
  it('draws one record per Value with its label, op, data and grad, inputs first', () => {
    const dot = toDot(example());
    expect(dot.startsWith('digraph {\n  rankdir=LR;\n  node [shape=record];\n')).toBe(true);
    expect(dot.endsWith('\n}')).toBe(true);
    const { nodes } = parseDot(dot);
    expect([...nodes.entries()]).toEqual([
      ['n0', '{ a | data 2.0000 | grad -2.0000 }'],
      ['n1', '{ b | data -3.0000 | grad 2.0000 }'],
      ['n2', '{ (*) | data -6.0000 | grad 1.0000 }'],
      ['n3', '{ c (+) | data -4.0000 | grad 1.0000 }'],
    ]);
  });

  it('draws one arrow per use of an input', () => {
    expect(parseDot(toDot(example())).edges).toEqual(['n0->n2', 'n1->n2', 'n2->n3', 'n0->n3']);
    const x = new Value(3, 'x');
    const { nodes, edges } = parseDot(toDot(x.mul(x)));
    expect(nodes.size).toBe(2);
    expect(edges).toEqual(['n0->n1', 'n0->n1']);
  });

  it('counts nodes and edges of a larger graph, and shows constants as leaves', () => {
    // y = tanh(x·2 + 1)·x: Values x, 2, x·2, 1, +, tanh, · → 7 nodes; 2 + 2 + 1 + 2 = 7 edges.
    const x = new Value(0.5, 'x');
    const y = x.mul(2).add(1).tanh().mul(x);
    const { nodes, edges } = parseDot(toDot(y, { digits: 2, direction: 'TB' }));
    expect(nodes.size).toBe(7);
    expect(edges).toHaveLength(7);
    expect(nodes.get('n1')).toBe('{ leaf | data 2.00 | grad 0.00 }');
    expect(toDot(y)).toContain('rankdir=LR;');
    expect(toDot(y, { direction: 'TB' })).toContain('rankdir=TB;');
  });

  it('escapes the characters DOT records give a meaning to', () => {
    const v = new Value(1, 'x{0}|<y>"');
    expect(parseDot(toDot(v)).nodes.get('n0')).toBe(
      '{ x\\{0\\}\\|\\<y\\>\\" | data 1.0000 | grad 0.0000 }',
    );
  });
});

describe('toMermaid', () => {
  it('draws the same nodes and edges as a flowchart', () => {
    const text = toMermaid(example());
    expect(text.split('\n')[0]).toBe('flowchart LR');
    const { nodes, edges } = parseMermaid(text);
    expect(nodes.get('n0')).toBe('a<br/>data 2.0000<br/>grad -2.0000');
    expect(nodes.get('n3')).toBe('c (+)<br/>data -4.0000<br/>grad 1.0000');
    expect(nodes.size).toBe(4);
    expect(edges).toEqual(['n0->n2', 'n1->n2', 'n2->n3', 'n0->n3']);
    expect(text.split('\n')).toHaveLength(1 + 4 + 4);
  });

  it('turns quotes and angle brackets into entity codes', () => {
    expect(parseMermaid(toMermaid(new Value(0, 'say "<hi>"'))).nodes.get('n0')).toBe(
      'say #quot;#lt;hi#gt;#quot;<br/>data 0.0000<br/>grad 0.0000',
    );
  });
});

describe('graph export refuses', () => {
  it('graphs larger than maxNodes, and a bad digits option', () => {
    let y = new Value(1);
    for (let i = 0; i < 600; i++) y = y.add(1);
    expect(() => toDot(y)).toThrow(
      'toDot: the graph has 1201 nodes, more than maxNodes (1000); pass a larger maxNodes to export it anyway',
    );
    expect(parseDot(toDot(y, { maxNodes: 2000 })).nodes.size).toBe(1201);
    expect(() => toMermaid(y, { digits: -1 })).toThrow(
      'toMermaid: digits must be an integer in [0, 20], got -1',
    );
  });
});
