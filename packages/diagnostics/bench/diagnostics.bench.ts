/// <reference types="node" />
/**
 * What the diagnostics cost, run by `npm run bench` in this package:
 *
 *   flow      one LSTM training step (B 32, T 50, I 32, H 128; forward, MSE on the last
 *             state, backward) plain, with captureGradientFlow's hooks, and inside
 *             detectAnomalies — the overhead of watching, as a ratio to the plain step
 *   weights   spectralRadius and largestSingularValue of a 128×128 block, and
 *             analyzeRecurrentWeights of that LSTM (four gates)
 *   jacobian  jacobianNorms of an RNN (H 32, T 50): exact, and by power iteration
 *   gates     saturation of the LSTM over one batch
 *   plots     a 200 × 100 heat map and a 4-series, 100-point log line chart
 *
 * Each figure is the median CPU time of 5 runs (7 interleaved rounds for the steps)
 * after a warm-up run (CPU time, not wall clock: other programs share the machine). Prints a table and writes
 * bench/results/diagnostics.json.
 */

import { mkdirSync, writeFileSync } from 'node:fs';
import { cpus } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { unroll } from '@unroll/bptt';
import { LSTMCell, RNNCell } from '@unroll/cells';
import { mse, Rng, randn } from '@unroll/tensor';
import {
  analyzeRecurrentWeights,
  captureGradientFlow,
  cellRecurrence,
  detectAnomalies,
  gradientNormChart,
  heatmap,
  jacobianNorms,
  largestSingularValue,
  saturation,
  spectralRadius,
} from '../src/index.ts';

function cpuMs(): number {
  const { user, system } = process.cpuUsage();
  return (user + system) / 1000;
}

function time(run: () => unknown, samples = 5): number {
  run();
  const times: number[] = [];
  for (let i = 0; i < samples; i++) {
    const start = cpuMs();
    run();
    times.push(cpuMs() - start);
  }
  return times.sort((a, b) => a - b)[samples >> 1]!;
}

const rng = new Rng(0);
const [B, T, I, H] = [32, 50, 32, 128];
const lstm = new LSTMCell({ inputSize: I, hiddenSize: H, rng });
const x = randn([B, T, I], rng);
const target = randn([B, H], rng);

function trainingStep(watch: 'plain' | 'hooks' | 'anomaly'): void {
  const body = () => {
    const { states } = unroll(lstm, x);
    const flow = watch === 'hooks' ? captureGradientFlow(states.map((s) => s.h)) : null;
    mse(states[T - 1]!.h, target).backward();
    flow?.remove();
    for (const p of lstm.parameters()) p.zeroGrad();
  };
  if (watch === 'anomaly') detectAnomalies(body);
  else body();
}

const rows: { name: string; ms: number; note?: string }[] = [];
// The three kinds of step take turns, so a change in machine load hits them alike.
const watches = ['plain', 'hooks', 'anomaly'] as const;
const stepTimes = watches.map(() => [] as number[]);
for (const watch of watches) trainingStep(watch); // warm-up
for (let round = 0; round < 7; round++) {
  watches.forEach((watch, k) => {
    const start = cpuMs();
    trainingStep(watch);
    stepTimes[k]!.push(cpuMs() - start);
  });
}
const [plain, hooks, anomaly] = stepTimes.map((t) => t.sort((a, b) => a - b)[t.length >> 1]!) as [
  number,
  number,
  number,
];
rows.push({ name: 'LSTM step, plain', ms: plain });
rows.push({
  name: 'LSTM step, captureGradientFlow',
  ms: hooks,
  note: `×${(hooks / plain).toFixed(2)}`,
});
rows.push({
  name: 'LSTM step, detectAnomalies',
  ms: anomaly,
  note: `×${(anomaly / plain).toFixed(2)}`,
});
const block = { data: lstm.weight_hh.data.subarray(0, H * H), rows: H, cols: H };
rows.push({ name: 'spectralRadius 128×128', ms: time(() => spectralRadius(block)) });
rows.push({ name: 'largestSingularValue 128×128', ms: time(() => largestSingularValue(block)) });
rows.push({
  name: 'analyzeRecurrentWeights LSTM H=128',
  ms: time(() => analyzeRecurrentWeights(lstm)),
});
const rnn = new RNNCell({ inputSize: 4, hiddenSize: 32, rng });
const recurrence = cellRecurrence(rnn, randn([1, 50, 4], rng));
for (const method of ['exact', 'power-iteration'] as const) {
  rows.push({
    name: `jacobianNorms RNN H=32 T=50, ${method}`,
    ms: time(
      () => jacobianNorms(recurrence.step, recurrence.initialState, recurrence.steps, { method }),
      3,
    ),
  });
}
rows.push({ name: 'saturation LSTM B=32 T=50 H=128', ms: time(() => saturation(lstm, x)) });
const grid = Array.from({ length: 200 }, (_, i) =>
  Array.from({ length: 100 }, (_, j) => 10 ** (-(i + j) / 20)),
);
rows.push({ name: 'heatmap 200×100', ms: time(() => heatmap({ title: 'h', values: grid })) });
const series = [0.5, 0.8, 0.9, 1.1].map((a) => ({
  name: `${a}`,
  y: Array.from({ length: 100 }, (_, t) => a ** (100 - t)),
}));
rows.push({ name: 'gradientNormChart 4×100', ms: time(() => gradientNormChart({ series })) });

console.log(`@unroll/diagnostics on ${cpus()[0]?.model ?? 'unknown CPU'} (median CPU ms)`);
for (const r of rows)
  console.log(`${r.name.padEnd(42)} ${r.ms.toFixed(1).padStart(9)} ms ${r.note ?? ''}`);
const dir = join(dirname(fileURLToPath(import.meta.url)), 'results');
mkdirSync(dir, { recursive: true });
writeFileSync(
  join(dir, 'diagnostics.json'),
  `${JSON.stringify({ date: new Date().toISOString(), rows }, null, 2)}\n`,
);
