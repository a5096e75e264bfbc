/**
 * `unroll train --threads N`: milliseconds per training step with 1 and 2 threads, on
 * the experiment's model (LSTM, 16 hidden units, B = 32, T = 50: a step of about a
 * millisecond), on a big one (128 hidden units: the bptt benchmark's size), and on the
 * character-level language model (LSTM 128 over 65 characters, B = 32, T = 50).
 *
 *   npm run bench:threads            (in packages/lab)
 *
 * Each figure is the median wall-clock time of REPEATS steps after WARMUP, the thread
 * counts taking turns step by step so that load from other programs hits both alike.
 * Wall-clock time is what threads can shorten; the CPU time of the whole process (all
 * its threads) is shown beside it. Prints a table with the load average and writes
 * bench/results/threads.json.
 */

import { mkdirSync, writeFileSync } from 'node:fs';
import { availableParallelism, loadavg } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gemmKernel } from '@unroll/tensor';
import { defaultConfig, type TrainConfig } from '../src/config.ts';
import { applyGemmEnvironment } from '../src/kernel-env.ts';
import { Trainer } from '../src/trainer.ts';

const WARMUP = 3;
const REPEATS = 7;
const THREADS = [1, 2];

applyGemmEnvironment();
const base: TrainConfig = { ...defaultConfig('adding'), cell: 'lstm', seqLen: 50, batch: 32 };
const models: { name: string; config: TrainConfig }[] = [
  { name: 'LSTM H=16 (the experiment)', config: { ...base, hidden: 16 } },
  { name: 'LSTM H=128', config: { ...base, hidden: 128 } },
  {
    // The char-LM step that bptt's bench/torch_step.py times in PyTorch (there with an
    // Embedding of 64; here one-hot inputs of the 65-character vocabulary).
    name: 'char-LM LSTM H=128',
    config: {
      ...defaultConfig('charlm'),
      cell: 'lstm',
      hidden: 128,
      seqLen: 50,
      batch: 32,
      tbptt: null,
    },
  },
];

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[xs.length >> 1]!;
const rows: { model: string; threads: number; ms: number; cpuMs: number }[] = [];
for (const { name, config } of models) {
  const trainers = THREADS.map((threads) => new Trainer(config, { threads }));
  const times = THREADS.map((): number[] => []);
  const cpuTimes = THREADS.map((): number[] => []);
  for (let round = 0; round < WARMUP + REPEATS; round++) {
    trainers.forEach((trainer, i) => {
      const start = performance.now();
      const cpuStart = process.cpuUsage();
      const outcome = trainer.trainStep();
      if (!outcome.ok) throw new Error(outcome.message);
      const cpu = process.cpuUsage(cpuStart);
      if (round >= WARMUP) {
        times[i]!.push(performance.now() - start);
        cpuTimes[i]!.push((cpu.user + cpu.system) / 1000);
      }
    });
  }
  THREADS.forEach((threads, i) => {
    rows.push({ model: name, threads, ms: median(times[i]!), cpuMs: median(cpuTimes[i]!) });
  });
}

const load = loadavg().map((x) => x.toFixed(2));
console.log(
  `gemm kernel ${gemmKernel()}; ${availableParallelism()} cores; load average ${load.join(' ')}`,
);
console.log(
  '| model (B=32, T=50) | threads | ms / step | speed-up | CPU ms / step (all threads) |',
);
console.log('|---|---:|---:|---:|---:|');
for (const row of rows) {
  const one = rows.find((r) => r.model === row.model && r.threads === 1)!;
  console.log(
    `| ${row.model} | ${row.threads} | ${row.ms.toFixed(2)} | ${(one.ms / row.ms).toFixed(2)}× | ${row.cpuMs.toFixed(1)} |`,
  );
}
const resultsDir = join(dirname(fileURLToPath(import.meta.url)), 'results');
mkdirSync(resultsDir, { recursive: true });
writeFileSync(
  join(resultsDir, 'threads.json'),
  `${JSON.stringify({ date: new Date().toISOString(), loadAverage: loadavg(), kernel: gemmKernel(), rows }, null, 2)}\n`,
);
process.exit(0);
