/**
 * Optimizer steps per second over 1,000,000 parameters (one [1000, 1000] tensor),
 * for each optimizer and the options that change its inner loop.
 *
 * A step reads and writes a few float64 arrays once each and does a handful of
 * flops per entry. The table gives the memory traffic it sustains, GB/s = (bytes
 * read + bytes written per entry) × entries × steps per second, next to a plain
 * Float64Array copy (16 bytes per entry), about the most this machine's memory does
 * from JavaScript. Where the figure falls far short of the copy, the loop is bound
 * by its arithmetic (a square root and two divisions per entry for Adam), not by memory.
 *
 * After 5 warm-up steps each, the cases take turns, 3 timed steps at a time over 6
 * rounds, so that a busy moment of the machine falls on all of them alike; the table
 * gives the median and the best of the 18. Prints the table and writes
 * bench/results/optim.json.
 */

import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Rng, randn, type Tensor } from '@unroll/tensor';
import { Adagrad, Adam, AdamW, RMSprop, SGD } from '../src/index.ts';

const N = 1_000_000;
const WARMUP = 5;
const ROUNDS = 6;
const STEPS_PER_ROUND = 3;

interface Case {
  name: string;
  /** float64 arrays read + written per entry per step: θ, g, and the state buffers. */
  accesses: number;
  make(params: Tensor[]): { step(): void };
}

// θ read and written and g read are 3 accesses; each state buffer adds a read and a write.
const cases: Case[] = [
  { name: 'SGD', accesses: 3, make: (p) => new SGD(p, { lr: 1e-3 }) },
  {
    name: 'SGD weightDecay',
    accesses: 3,
    make: (p) => new SGD(p, { lr: 1e-3, weightDecay: 1e-4 }),
  },
  { name: 'SGD momentum', accesses: 5, make: (p) => new SGD(p, { lr: 1e-3, momentum: 0.9 }) },
  {
    name: 'SGD nesterov',
    accesses: 5,
    make: (p) => new SGD(p, { lr: 1e-3, momentum: 0.9, nesterov: true }),
  },
  { name: 'Adagrad', accesses: 5, make: (p) => new Adagrad(p) },
  { name: 'RMSprop', accesses: 5, make: (p) => new RMSprop(p) },
  {
    name: 'RMSprop centered momentum',
    accesses: 9,
    make: (p) => new RMSprop(p, { centered: true, momentum: 0.9 }),
  },
  { name: 'Adam', accesses: 7, make: (p) => new Adam(p) },
  { name: 'Adam amsgrad', accesses: 9, make: (p) => new Adam(p, { amsgrad: true }) },
  { name: 'AdamW', accesses: 7, make: (p) => new AdamW(p) },
];

interface Timed {
  name: string;
  bytesPerParameter: number;
  step: () => void;
  seconds: number[];
}

// The reference point: copying one Float64Array of N entries into another.
const source = new Float64Array(N).fill(1);
const target = new Float64Array(N);
const timed: Timed[] = [
  {
    name: 'Float64Array copy (baseline)',
    bytesPerParameter: 16,
    step: () => target.set(source),
    seconds: [],
  },
];
const rng = new Rng(1);
for (const c of cases) {
  const theta = randn([1000, 1000], rng, { requiresGrad: true });
  theta.grad = randn([1000, 1000], rng);
  const opt = c.make([theta]);
  timed.push({
    name: c.name,
    bytesPerParameter: 8 * c.accesses,
    step: () => opt.step(),
    seconds: [],
  });
}

for (const t of timed) for (let i = 0; i < WARMUP; i++) t.step();
for (let round = 0; round < ROUNDS; round++) {
  for (const t of timed) {
    for (let i = 0; i < STEPS_PER_ROUND; i++) {
      const start = performance.now();
      t.step();
      t.seconds.push((performance.now() - start) / 1000);
    }
  }
}

const rows = timed.map((t) => {
  const sorted = [...t.seconds].sort((x, y) => x - y);
  const n = sorted.length;
  const median = (sorted[(n - 1) >> 1]! + sorted[n >> 1]!) / 2;
  const best = sorted[0]!;
  return {
    name: t.name,
    msPerStep: median * 1000,
    stepsPerSecond: 1 / median,
    nsPerParameter: (median * 1e9) / N,
    bytesPerParameter: t.bytesPerParameter,
    gigabytesPerSecond: (t.bytesPerParameter * N) / median / 1e9,
    bestMsPerStep: best * 1000,
    bestGigabytesPerSecond: (t.bytesPerParameter * N) / best / 1e9,
  };
});

const pad = (s: string, n: number) => s.padEnd(n);
const num = (x: number, digits: number, n: number) => x.toFixed(digits).padStart(n);
console.log(
  `\noptimizer step over ${N.toLocaleString('en-US')} float64 parameters (Node ${process.version})\n`,
);
console.log(
  `${pad('optimizer', 28)} ${'ms/step'.padStart(8)} ${'steps/s'.padStart(8)} ${'ns/param'.padStart(9)} ${'B/param'.padStart(8)} ${'GB/s'.padStart(6)} ${'best GB/s'.padStart(10)}`,
);
for (const r of rows) {
  console.log(
    `${pad(r.name, 28)} ${num(r.msPerStep, 2, 8)} ${num(r.stepsPerSecond, 1, 8)} ${num(r.nsPerParameter, 2, 9)} ${num(r.bytesPerParameter, 0, 8)} ${num(r.gigabytesPerSecond, 2, 6)} ${num(r.bestGigabytesPerSecond, 2, 10)}`,
  );
}

const out = join(dirname(fileURLToPath(import.meta.url)), 'results', 'optim.json');
mkdirSync(dirname(out), { recursive: true });
const settings = { parameters: N, warmup: WARMUP, rounds: ROUNDS, stepsPerRound: STEPS_PER_ROUND };
writeFileSync(out, `${JSON.stringify({ ...settings, node: process.version, rows }, null, 2)}\n`);
console.log(`\nwrote ${out}`);
