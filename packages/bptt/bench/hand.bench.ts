/**
 * The hand-derived training step alone (bench/manual-step.ts: forward over T steps,
 * readout, MSE, full BPTT, SGD), on gemm's default kernel and on its TypeScript one,
 * at both sizes and for every cell. It is the bench to run right next to
 * bench/torch_step.py: a few seconds, and no other implementation in the process whose
 * garbage the collector would charge to these steps.
 *
 *   npm run bench:hand             (median of 10 steps after 2 warm-up steps)
 *   npm run bench:hand -- quick    (5 steps after 1)
 *   npm run bench:hand -- big lstm (a subset, as in bptt.bench.ts)
 *
 * The two kernels take turns step by step. Prints a table with the process's CPU time
 * per step beside the wall clock, and writes bench/results/hand.json.
 */

import { mkdirSync, writeFileSync } from 'node:fs';
import { loadavg } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gemmKernel, setGemmKernel } from '@unroll/tensor';
import { manualStep } from './manual-step.ts';
import { cells, makeProblem, sizes } from './sizes.ts';

const QUICK = process.argv.includes('quick');
const WARMUP = QUICK ? 1 : 2;
const REPEATS = QUICK ? 5 : 10;

const wanted = process.argv.slice(2);
const picked = <T extends string>(all: readonly T[]) =>
  all.some((x) => wanted.includes(x)) ? all.filter((x) => wanted.includes(x)) : all;
const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  return (s[(s.length - 1) >> 1]! + s[s.length >> 1]!) / 2;
};

setGemmKernel((process.env.UNROLL_GEMM ?? 'auto') as Parameters<typeof setGemmKernel>[0]);
const kernels = [...new Set([gemmKernel(), 'js' as const])];
const rows: {
  size: string;
  cell: string;
  kernel: string;
  ms: number;
  minMs: number;
  cpuMs: number;
}[] = [];
for (const size of sizes.filter((s) => picked(sizes.map((s) => s.name)).includes(s.name))) {
  for (const cell of picked(cells)) {
    const steps = kernels.map(() => manualStep(makeProblem(size, cell)));
    const wall = kernels.map((): number[] => []);
    const cpu = kernels.map((): number[] => []);
    for (let round = 0; round < WARMUP + REPEATS; round++) {
      kernels.forEach((kernel, i) => {
        setGemmKernel(kernel);
        const cpuStart = process.cpuUsage();
        const start = performance.now();
        steps[i]!();
        const elapsed = performance.now() - start;
        const used = process.cpuUsage(cpuStart);
        if (round >= WARMUP) {
          wall[i]!.push(elapsed);
          cpu[i]!.push((used.user + used.system) / 1000);
        }
      });
    }
    kernels.forEach((kernel, i) => {
      const ms = median(wall[i]!);
      const row = {
        size: size.name,
        cell,
        kernel,
        ms,
        minMs: Math.min(...wall[i]!),
        cpuMs: median(cpu[i]!),
      };
      rows.push(row);
    });
  }
}
setGemmKernel('auto');

const load = loadavg().map((x) => x.toFixed(2));
console.log(`hand-derived step, float64, Node ${process.version}; load average ${load.join(' ')}`);
console.log('| size | cell | gemm kernel | ms / step (median) | fastest step | CPU ms / step |');
console.log('|---|---|---|---:|---:|---:|');
for (const r of rows) {
  console.log(
    `| ${r.size} | ${r.cell.toUpperCase()} | ${r.kernel} | ${r.ms.toFixed(1)} | ${r.minMs.toFixed(1)} | ${r.cpuMs.toFixed(1)} |`,
  );
}
const resultsDir = join(dirname(fileURLToPath(import.meta.url)), 'results');
mkdirSync(resultsDir, { recursive: true });
const json = {
  warmup: WARMUP,
  repeats: REPEATS,
  node: process.version,
  loadAverage: loadavg(),
  date: new Date().toISOString(),
  results: rows,
};
writeFileSync(join(resultsDir, 'hand.json'), `${JSON.stringify(json, null, 2)}\n`);
