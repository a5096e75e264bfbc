/**
 * One training step through @unroll/cells' autograd path — a stacked layer over T
 * steps, a Linear readout at every step, MSE, backward, SGD — for LSTM, GRU and RNN
 * at B=32, T=50, I=32, H=128, O=32 and at B=1, T=50, I=16, H=32, O=16.
 *
 * After 2 warm-up steps each, the six cases take turns, one step at a time, for 10
 * rounds, so that a busy moment of this shared machine falls on all of them alike; the
 * table gives the median of the 10. Steps are timed by the CPU time of this process
 * (process.cpuUsage, which leaves out the time spent waiting for a core, and includes
 * the garbage collector's helper threads); the JSON has wall-clock medians too.
 * Prints a table; writes bench/results/layers.json.
 */

import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { mean, mul, Rng, randn, sub } from '@unroll/tensor';
import { GRU, Linear, LSTM, RNN } from '../src/index.ts';

const WARMUP = 2;
const ROUNDS = 10;
const sizes = [
  { name: 'big', B: 32, T: 50, I: 32, H: 128, O: 32 },
  { name: 'small', B: 1, T: 50, I: 16, H: 32, O: 16 },
];
const kinds = { lstm: LSTM, gru: GRU, rnn: RNN };

/** Milliseconds of CPU time this process has used. */
function cpuMs(): number {
  const { user, system } = process.cpuUsage();
  return (user + system) / 1000;
}

interface Case {
  size: string;
  cell: string;
  /** One training step; returns the CPU milliseconds its forward pass took. */
  step: () => number;
  cpu: number[];
  forward: number[];
  wall: number[];
}

const cases: Case[] = [];
for (const { name, B, T, I, H, O } of sizes) {
  for (const [cell, Layer] of Object.entries(kinds)) {
    const rng = new Rng(1);
    const layer = new Layer({ inputSize: I, hiddenSize: H, rng });
    const readout = new Linear({ inFeatures: H, outFeatures: O, rng });
    const x = randn([B, T, I], rng);
    const target = randn([B, T, O], rng);
    const parameters = [...layer.parameters(), ...readout.parameters()];
    const step = () => {
      const start = cpuMs();
      const { output } = layer.forward(x);
      const diff = sub(readout.forward(output), target);
      const loss = mean(mul(diff, diff));
      const forwardMs = cpuMs() - start;
      loss.backward();
      for (const p of parameters) {
        const g = p.grad!.data;
        for (let i = 0; i < g.length; i++) p.data[i]! -= 0.01 * g[i]!;
        p.zeroGrad();
      }
      return forwardMs;
    };
    cases.push({
      size: `${name} B=${B} T=${T} I=${I} H=${H} O=${O}`,
      cell,
      step,
      cpu: [],
      forward: [],
      wall: [],
    });
  }
}

for (const c of cases) for (let i = 0; i < WARMUP; i++) c.step();
for (let round = 0; round < ROUNDS; round++) {
  for (const c of cases) {
    const cpuStart = cpuMs();
    const wallStart = performance.now();
    c.forward.push(c.step());
    c.cpu.push(cpuMs() - cpuStart);
    c.wall.push(performance.now() - wallStart);
  }
  console.error(`  round ${round + 1} of ${ROUNDS}`);
}

const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  return (s[(s.length - 1) >> 1]! + s[s.length >> 1]!) / 2;
};
const rows = cases.map((c) => ({
  size: c.size,
  cell: c.cell,
  ms: median(c.cpu),
  forwardMs: median(c.forward),
  wallMs: median(c.wall),
}));

console.log('| size | layer | ms / training step (median, CPU time) | of which forward |');
console.log('|---|---|---:|---:|');
for (const r of rows) {
  console.log(
    `| ${r.size} | ${r.cell.toUpperCase()} | ${r.ms.toFixed(1)} | ${r.forwardMs.toFixed(1)} |`,
  );
}
const dir = join(dirname(fileURLToPath(import.meta.url)), 'results');
mkdirSync(dir, { recursive: true });
writeFileSync(
  join(dir, 'layers.json'),
  `${JSON.stringify(
    {
      warmup: WARMUP,
      rounds: ROUNDS,
      node: process.version,
      timer: 'CPU time of this process (process.cpuUsage); wallMs by performance.now()',
      rows,
    },
    null,
    2,
  )}\n`,
);
