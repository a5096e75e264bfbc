/**
 * One training step — forward over T steps, a Linear readout at every step, MSE,
 * full BPTT, SGD — for LSTM, GRU and RNN at two sizes: on unroll's autodiff path
 * (@unroll/cells layers, backward() through the recorded graph), on its hand-derived
 * path (src/manual), and on TensorFlow.js's pure-JS cpu backend. Median of 10 steps after 2 warm-up steps.
 * Prints a table and writes bench/results/bptt.json.
 */

import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { autodiffStep } from './autodiff-step.ts';
import { manualStep } from './manual-step.ts';
import { type BenchCell, type BenchSize, cells, makeProblem, sizes } from './sizes.ts';
import { tfjsStep, useTfjsCpu } from './tfjs-step.ts';

const WARMUP = 2;
const REPEATS = 10;

function medianMs(step: () => number): { ms: number; loss: number } {
  let loss = Number.NaN;
  for (let i = 0; i < WARMUP; i++) loss = step();
  const times: number[] = [];
  for (let i = 0; i < REPEATS; i++) {
    const start = performance.now();
    loss = step();
    times.push(performance.now() - start);
  }
  times.sort((a, b) => a - b);
  const ms = (times[(REPEATS - 1) >> 1]! + times[REPEATS >> 1]!) / 2;
  return { ms, loss };
}

interface Row {
  cell: BenchCell;
  size: BenchSize;
  implementation: string;
  ms: number;
  loss: number;
}

await useTfjsCpu();
const rows: Row[] = [];
for (const size of sizes) {
  for (const cell of cells) {
    const problem = makeProblem(size, cell);
    const run = (implementation: string, step: () => number) => {
      const { ms, loss } = medianMs(step);
      rows.push({ cell, size, implementation, ms, loss });
      console.error(`  ${size.name} ${cell} ${implementation}: ${ms.toFixed(1)} ms`);
    };
    run('unroll autodiff (f64)', autodiffStep(problem));
    run('unroll hand-derived (f64)', manualStep(problem));
    const tfjs = tfjsStep(problem);
    run('tfjs cpu (f32)', tfjs.step);
    tfjs.dispose();
  }
}

const describeSize = (s: BenchSize) =>
  `B=${s.batchSize} T=${s.steps} I=${s.inputSize} H=${s.hiddenSize} O=${s.outputSize}`;
const lines = [
  '| size | cell | implementation | ms / step (median) | × faster than tfjs-cpu |',
  '|---|---|---|---:|---:|',
];
for (const row of rows) {
  const tfjs = rows.find(
    (r) => r.size === row.size && r.cell === row.cell && r.implementation.startsWith('tfjs'),
  )!;
  const ratio = row === tfjs ? '1.0' : (tfjs.ms / row.ms).toFixed(1);
  lines.push(
    `| ${describeSize(row.size)} | ${row.cell.toUpperCase()} | ${row.implementation} | ${row.ms.toFixed(1)} | ${ratio} |`,
  );
}
console.log(lines.join('\n'));

const resultsDir = join(dirname(fileURLToPath(import.meta.url)), 'results');
mkdirSync(resultsDir, { recursive: true });
writeFileSync(
  join(resultsDir, 'bptt.json'),
  `${JSON.stringify(
    {
      warmup: WARMUP,
      repeats: REPEATS,
      node: process.version,
      results: rows.map((r) => ({ ...r, size: r.size })),
    },
    null,
    2,
  )}\n`,
);
