/**
 * How many graph nodes per second the scalar engine builds (forward) and
 * differentiates (backward, including the topological sort).
 *
 *   chain (tanh)   y = tanh(tanh(… tanh(x)))           one node per op
 *   chain (·r)     y = x·r·r·…·r, r a plain number     two nodes per op: r becomes a leaf
 *   wide MLP       one sample through MLP(64, [256, 256, 1])
 *
 * Each case runs once to warm up, then `REPEATS` times; the table shows the median.
 * Results go to bench/results/scalar.json.
 */

import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { MLP, Random, topologicalOrder, Value } from '../src/index.ts';

const REPEATS = 5;

interface Case {
  name: string;
  /** Builds the graph and returns its output. */
  forward: () => Value;
}

const cases: Case[] = [
  {
    name: 'chain (tanh), 1,000,000 ops',
    forward: () => {
      let y = new Value(0.5);
      for (let i = 0; i < 1_000_000; i++) y = y.tanh();
      return y;
    },
  },
  {
    name: 'chain (·r), 1,000,000 ops',
    forward: () => {
      let y = new Value(0.5);
      for (let i = 0; i < 1_000_000; i++) y = y.mul(1 + 1e-6);
      return y;
    },
  },
  (() => {
    const model = new MLP(64, [256, 256, 1], { seed: 0, activation: 'tanh' });
    const random = new Random(1);
    const x = Array.from({ length: 64 }, () => random.normal());
    return { name: 'wide MLP 64-256-256-1, 1 sample', forward: () => model.forward(x)[0]! };
  })(),
];

interface Result {
  name: string;
  nodes: number;
  forwardMs: number;
  backwardMs: number;
  nodesPerSecond: number;
}

function median(xs: number[]): number {
  const sorted = [...xs].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)]!;
}

function measure({ name, forward }: Case): Result {
  const forwardMs: number[] = [];
  const backwardMs: number[] = [];
  const totalMs: number[] = [];
  let nodes = 0;
  for (let run = 0; run <= REPEATS; run++) {
    const t0 = performance.now();
    const out = forward();
    const t1 = performance.now();
    out.backward();
    const t2 = performance.now();
    if (run === 0) {
      nodes = topologicalOrder(out).length; // warm-up run: count, do not time
      continue;
    }
    forwardMs.push(t1 - t0);
    backwardMs.push(t2 - t1);
    totalMs.push(t2 - t0);
  }
  return {
    name,
    nodes,
    forwardMs: median(forwardMs),
    backwardMs: median(backwardMs),
    nodesPerSecond: nodes / (median(totalMs) / 1000),
  };
}

const results = cases.map(measure);

const rows = [
  ['case', 'nodes', 'forward ms', 'backward ms', 'nodes/s (fwd+bwd)'],
  ...results.map((r) => [
    r.name,
    r.nodes.toLocaleString('en-US'),
    r.forwardMs.toFixed(1),
    r.backwardMs.toFixed(1),
    `${(r.nodesPerSecond / 1e6).toFixed(2)} M`,
  ]),
];
const widths = rows[0]!.map((_, c) => Math.max(...rows.map((row) => row[c]!.length)));
for (const row of rows) {
  console.log(
    row
      .map((cell, c) => (c === 0 ? cell.padEnd(widths[c]!) : cell.padStart(widths[c]!)))
      .join('  '),
  );
}

const file = join(dirname(fileURLToPath(import.meta.url)), 'results', 'scalar.json');
mkdirSync(dirname(file), { recursive: true });
writeFileSync(
  file,
  `${JSON.stringify({ node: process.version, date: new Date().toISOString(), repeats: REPEATS, results }, null, 2)}\n`,
);
console.log(`\nwrote ${file}`);
