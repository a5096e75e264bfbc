/**
 * One training step through @unroll/cells' autograd path — a stacked layer over T
 * steps, a Linear readout at every step, MSE, backward, SGD — for LSTM, GRU and RNN
 * at B=32, T=50, I=32, H=128, O=32 and at B=1, T=50, I=16, H=32, O=16. Median of 10
 * steps after 2 warm-up steps. Prints a table; writes bench/results/layers.json.
 */

import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { mean, mul, Rng, randn, sub } from '@unroll/tensor';
import { GRU, Linear, LSTM, RNN } from '../src/index.ts';

const WARMUP = 2;
const REPEATS = 10;
const sizes = [
  { name: 'big', B: 32, T: 50, I: 32, H: 128, O: 32 },
  { name: 'small', B: 1, T: 50, I: 16, H: 32, O: 16 },
];
const kinds = { lstm: LSTM, gru: GRU, rnn: RNN };

const rows: { size: string; cell: string; ms: number; forwardMs: number }[] = [];
for (const { name, B, T, I, H, O } of sizes) {
  for (const [cell, Layer] of Object.entries(kinds)) {
    const rng = new Rng(1);
    const layer = new Layer({ inputSize: I, hiddenSize: H, rng });
    const readout = new Linear({ inFeatures: H, outFeatures: O, rng });
    const x = randn([B, T, I], rng);
    const target = randn([B, T, O], rng);
    const parameters = [...layer.parameters(), ...readout.parameters()];
    let forwardMs = 0;
    const step = () => {
      const start = performance.now();
      const { output } = layer.forward(x);
      const diff = sub(readout.forward(output), target);
      const loss = mean(mul(diff, diff));
      forwardMs = performance.now() - start;
      loss.backward();
      for (const p of parameters) {
        const g = p.grad!.data;
        for (let i = 0; i < g.length; i++) p.data[i]! -= 0.01 * g[i]!;
        p.zeroGrad();
      }
    };
    for (let i = 0; i < WARMUP; i++) step();
    const times: number[] = [];
    const forwards: number[] = [];
    for (let i = 0; i < REPEATS; i++) {
      const start = performance.now();
      step();
      times.push(performance.now() - start);
      forwards.push(forwardMs);
    }
    const median = (xs: number[]) => {
      const s = [...xs].sort((a, b) => a - b);
      return (s[(s.length - 1) >> 1]! + s[s.length >> 1]!) / 2;
    };
    rows.push({
      size: `${name} B=${B} T=${T} I=${I} H=${H} O=${O}`,
      cell,
      ms: median(times),
      forwardMs: median(forwards),
    });
    console.error(`  ${name} ${cell}: ${median(times).toFixed(1)} ms`);
  }
}

console.log('| size | layer | ms / training step (median) | of which forward |');
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
  `${JSON.stringify({ warmup: WARMUP, repeats: REPEATS, node: process.version, rows }, null, 2)}\n`,
);
