/**
 * One training step — forward over T steps, a Linear readout at every step, MSE,
 * full BPTT, SGD — for LSTM, GRU and RNN at two sizes: on unroll's autodiff path
 * (@unroll/cells layers, backward() through the graph recorded step by step), on the
 * autodiff path with the recurrence as one op (`unrollFused`), on the hand-derived
 * path (src/manual, no graph) — on gemm's default kernel and, once more, on its
 * TypeScript one — and on the peers from npm that run in the same process:
 * TensorFlow.js's pure-JS cpu backend (float32) and brain.js (float32, one sequence
 * at a time: B sequences per step). PyTorch is timed by bench/torch_step.py, by hand.
 *
 * Median of 10 steps after a warm-up of 3 steps and at least 1.5 CPU seconds. The
 * implementations then take turns, one step each per round, so a burst of load from
 * other processes slows all of them alike and the ratios stay fair. Beside wall-clock time the table shows the process's CPU time
 * per step, which a busy machine inflates much less (it still counts V8's background
 * threads, such as the garbage collector's). Prints a table and writes
 * bench/results/bptt.json.
 *
 * Last, the character-level language model step of torch_step.py (Embedding, LSTM,
 * Linear readout, cross-entropy; charlm-step.ts) on the autodiff path, in its own table.
 *
 * Arguments pick a subset: `npm run bench -- big lstm` runs only the big LSTM,
 * `npm run bench -- charlm` only the language model; `quick` times 3 steps instead of
 * 10 (for a busy machine). The warm-up keeps the JavaScript engine's compiler out of
 * the figures: a 100 ms autodiff step runs up to 1.7× slower for its first ten or so
 * steps, until V8 has optimised its loops and sized its heap.
 */

import { mkdirSync, writeFileSync } from 'node:fs';
import { loadavg } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gemmKernel, setGemmKernel } from '@unroll/tensor';
import { autodiffStep } from './autodiff-step.ts';
import { brainjsStep } from './brainjs-step.ts';
import { charlmSize, charlmStep } from './charlm-step.ts';
import { manualStep } from './manual-step.ts';
import { type BenchCell, type BenchSize, cells, makeProblem, sizes } from './sizes.ts';
import { tfjsStep, useTfjsCpu } from './tfjs-step.ts';

const QUICK = process.argv.includes('quick');
const WARMUP = 3;
/** Warm-up also lasts at least this much CPU time: a fast step needs more steps to warm up. */
const WARMUP_CPU_MS = 1500;
const REPEATS = QUICK ? 3 : 10;

/** Runs `step` WARMUP times, and on until it has had WARMUP_CPU_MS of CPU time. */
function warmUp(step: () => number): void {
  const start = process.cpuUsage();
  for (let done = 0; ; done++) {
    const cpu = process.cpuUsage(start);
    if (done >= WARMUP && (cpu.user + cpu.system) / 1000 >= WARMUP_CPU_MS) return;
    step();
  }
}

interface Row {
  cell: BenchCell;
  size: BenchSize;
  implementation: string;
  /** Median wall-clock ms per step, the fastest step, and the median CPU ms per step. */
  ms: number;
  minMs: number;
  cpuMs: number;
  /** The loss after the last step (the implementations agree to float32 precision). */
  loss: number;
}

const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  return (s[(s.length - 1) >> 1]! + s[s.length >> 1]!) / 2;
};

// UNROLL_GEMM=js|wasm|auto picks gemm's kernel for the unroll rows (default: wasm where
// the runtime has WebAssembly SIMD). One hand-derived row always runs the js kernel, so
// the two kernels are compared in the same run.
setGemmKernel((process.env.UNROLL_GEMM ?? 'auto') as Parameters<typeof setGemmKernel>[0]);
const kernel = gemmKernel();
const withJsKernel =
  (step: () => number): (() => number) =>
  () => {
    setGemmKernel('js');
    try {
      return step();
    } finally {
      setGemmKernel(kernel);
    }
  };

const wanted = process.argv.slice(2);
const picked = <T extends string>(all: readonly T[]) =>
  all.some((x) => wanted.includes(x)) ? all.filter((x) => wanted.includes(x)) : all;
const sizeNames = picked([...sizes.map((s) => s.name), 'charlm']);

/** Median wall ms, fastest ms, median CPU ms and the last loss of `step`. */
function timeSteps(step: () => number) {
  const times: number[] = [];
  const cpuTimes: number[] = [];
  let loss = Number.NaN;
  warmUp(step);
  for (let round = 0; round < REPEATS; round++) {
    const cpuStart = process.cpuUsage();
    const start = performance.now();
    loss = step();
    times.push(performance.now() - start);
    const cpu = process.cpuUsage(cpuStart);
    cpuTimes.push((cpu.user + cpu.system) / 1000);
  }
  return { ms: median(times), minMs: Math.min(...times), cpuMs: median(cpuTimes), loss };
}

await useTfjsCpu();
const rows: Row[] = [];
for (const size of sizes.filter((s) => sizeNames.includes(s.name))) {
  for (const cell of picked(cells)) {
    const problem = makeProblem(size, cell);
    const tfjs = tfjsStep(problem);
    const contenders: [string, () => number][] = [
      ['unroll autodiff, layer (f64)', autodiffStep(problem)],
      ['unroll autodiff, fused op (f64)', autodiffStep(problem, { fused: true })],
      ['unroll hand-derived (f64)', manualStep(problem)],
      ['unroll hand-derived (f64), js kernel', withJsKernel(manualStep(problem))],
      ['tfjs cpu (f32)', tfjs.step],
      ['brain.js 1.6.1 (f32)', brainjsStep(problem)],
    ];
    const times = contenders.map((): number[] => []);
    const cpuTimes = contenders.map((): number[] => []);
    const losses = contenders.map(() => Number.NaN);
    for (const [, step] of contenders) warmUp(step);
    for (let round = 0; round < REPEATS; round++) {
      contenders.forEach(([, step], i) => {
        const cpuStart = process.cpuUsage();
        const start = performance.now();
        losses[i] = step();
        times[i]!.push(performance.now() - start);
        const cpu = process.cpuUsage(cpuStart);
        cpuTimes[i]!.push((cpu.user + cpu.system) / 1000);
      });
    }
    tfjs.dispose();
    contenders.forEach(([implementation], i) => {
      const row = {
        cell,
        size,
        implementation,
        ms: median(times[i]!),
        minMs: Math.min(...times[i]!),
        cpuMs: median(cpuTimes[i]!),
        loss: losses[i]!,
      };
      rows.push(row);
      console.error(`  ${size.name} ${cell} ${implementation}: ${row.ms.toFixed(1)} ms`);
    });
  }
}

const describeSize = (s: BenchSize) =>
  `B=${s.batchSize} T=${s.steps} I=${s.inputSize} H=${s.hiddenSize} O=${s.outputSize}`;
const lines = [
  '| size | cell | implementation | ms / step (median) | fastest step | CPU ms / step | × faster than tfjs-cpu | × faster than brain.js |',
  '|---|---|---|---:|---:|---:|---:|---:|',
];
for (const row of rows) {
  const tfjs = rows.find(
    (r) => r.size === row.size && r.cell === row.cell && r.implementation.startsWith('tfjs'),
  )!;
  const brainjs = rows.find(
    (r) => r.size === row.size && r.cell === row.cell && r.implementation.startsWith('brain.js'),
  )!;
  // By CPU time, which other programs on a shared machine disturb much less.
  const ratio = (tfjs.cpuMs / row.cpuMs).toFixed(1);
  const brainRatio = (brainjs.cpuMs / row.cpuMs).toFixed(1);
  lines.push(
    `| ${describeSize(row.size)} | ${row.cell.toUpperCase()} | ${row.implementation} | ${row.ms.toFixed(1)} | ${row.minMs.toFixed(1)} | ${row.cpuMs.toFixed(1)} | ${ratio} | ${brainRatio} |`,
  );
}
let charlm: ReturnType<typeof timeSteps> | null = null;
let charlmFused: ReturnType<typeof timeSteps> | null = null;
if (sizeNames.includes('charlm')) {
  charlm = timeSteps(charlmStep());
  console.error(`  charlm unroll autodiff, layer: ${charlm.ms.toFixed(1)} ms`);
  charlmFused = timeSteps(charlmStep(1, { fused: true }));
  console.error(`  charlm unroll autodiff, fused op: ${charlmFused.ms.toFixed(1)} ms`);
}

const load = loadavg().map((x) => x.toFixed(2));
console.log(`gemm kernel: ${kernel} (the "js kernel" row: js); load average ${load.join(' ')}`);
if (rows.length > 0) console.log(lines.join('\n'));
if (charlm !== null && charlmFused !== null) {
  const { vocabulary: V, embedding: E, hidden: H, batch: B, steps: T } = charlmSize;
  const step = `char-LM: Embedding ${V}→${E}, LSTM ${H}, Linear ${V}, cross-entropy, B=${B} T=${T}`;
  const row = (implementation: string, t: ReturnType<typeof timeSteps>) =>
    `| ${step} | ${implementation} | ${t.ms.toFixed(1)} | ${t.minMs.toFixed(1)} | ${t.cpuMs.toFixed(1)} |`;
  console.log(
    [
      '',
      '| step | implementation | ms / step (median) | fastest step | CPU ms / step |',
      '|---|---|---:|---:|---:|',
      row('unroll autodiff, layer (f64)', charlm),
      row('unroll autodiff, fused op (f64)', charlmFused),
    ].join('\n'),
  );
}

const resultsDir = join(dirname(fileURLToPath(import.meta.url)), 'results');
mkdirSync(resultsDir, { recursive: true });
writeFileSync(
  join(resultsDir, 'bptt.json'),
  `${JSON.stringify({ warmup: WARMUP, repeats: REPEATS, node: process.version, gemmKernel: kernel, loadAverage: loadavg(), date: new Date().toISOString(), results: rows, charlm, charlmFused }, null, 2)}\n`,
);
