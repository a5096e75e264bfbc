/// <reference types="node" />
/**
 * Speed of @unroll/tensor, run by `npm run bench` in this package.
 *
 *   matmul       the WebAssembly SIMD kernel (gemmWasm, copies in and out included) and
 *                the TypeScript one (gemmJs) against the plain i-j-k loop (gemmReference)
 *                on 128×128, 512×512
 *                and the four products of an LSTM step (batch 32, input 32, hidden 128:
 *                gates = x·W_ihᵀ and h·W_hhᵀ forward, dh = dGates·W_hh and
 *                dW_hh = dGatesᵀ·h backward), h·W_hhᵀ for a batch of one row (as
 *                when sampling), the two per-step products with W_hh packed once
 *                (gemmPacked), plus matmul and linear through the Tensor API
 *   elementwise  add, mul, tanh, sigmoid on 10^6 entries through the Tensor API, and
 *                forward + backward of sub, tanh and a broadcast mul (the engine, the
 *                backward rules and sumToShape)
 *   softmax      along the last axis of a [1000, 1000] tensor
 *   random       Rng draws
 *
 * Every figure is the median of several timed samples after a warm-up that lets the
 * JIT compile the code, timed by the CPU time of this process (which includes the
 * garbage collector's helper threads: a real cost of ops that allocate). The JSON
 * also has wall-clock figures. Machine speed varies 2–3× from day to day, so the
 * ratio of gemm to the plain loop, measured in the same run, is the figure to compare.
 * Prints a table and writes bench/results/tensor.json.
 */

import { mkdirSync, writeFileSync } from 'node:fs';
import { cpus, loadavg } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { type GemmOptions, gemmJs, gemmReference } from '../src/gemm.ts';
import { gemmPacked, packRight } from '../src/gemm-packed.ts';
import { gemmKernel, setGemmKernel } from '../src/gemm-select.ts';
import { gemmWasm } from '../src/gemm-wasm.ts';
import * as t from '../src/index.ts';
import { Rng } from '../src/random.ts';

// UNROLL_GEMM=js|wasm|auto picks the kernel that the Tensor API rows run through gemm.
setGemmKernel((process.env.UNROLL_GEMM ?? 'auto') as Parameters<typeof setGemmKernel>[0]);

const SAMPLES = 7;
const SAMPLE_MS = 60; // each sample repeats the call for at least this long
const WARMUP_MS = 150;

/**
 * Milliseconds of CPU time this process has used. Other engineers' programs share this
 * 2-core machine; CPU time leaves out the time the benchmark waits for a core, so a
 * busy machine changes it much less than it changes wall-clock time.
 */
function cpuMs(): number {
  const { user, system } = process.cpuUsage();
  return (user + system) / 1000;
}

/** Median seconds per call, by CPU time (the figure reported) and by the wall clock. */
interface Timing {
  cpu: number;
  wall: number;
}

function median(xs: number[]): number {
  return xs.sort((x, y) => x - y)[xs.length >> 1]!;
}

/**
 * Time each function: warm it up (so the JIT has compiled it), then take SAMPLES
 * samples of each in turn, so that any change in machine load during the run affects
 * all of them alike and their ratio stays meaningful.
 */
function secondsPerCall(...runs: (() => void)[]): Timing[] {
  const repeats = runs.map((run) => {
    let calls = 0;
    const start = cpuMs();
    while (calls < 3 || cpuMs() - start < WARMUP_MS) {
      run();
      calls++;
    }
    return Math.max(1, Math.ceil(SAMPLE_MS / ((cpuMs() - start) / calls)));
  });
  const cpu = runs.map((): number[] => []);
  const wall = runs.map((): number[] => []);
  for (let s = 0; s < SAMPLES; s++) {
    runs.forEach((run, i) => {
      const cpuStart = cpuMs();
      const wallStart = performance.now();
      for (let r = 0; r < repeats[i]!; r++) run();
      wall[i]!.push((performance.now() - wallStart) / repeats[i]! / 1000);
      cpu[i]!.push((cpuMs() - cpuStart) / repeats[i]! / 1000);
    });
  }
  return runs.map((_, i) => ({ cpu: median(cpu[i]!), wall: median(wall[i]!) }));
}

const rng = new Rng(2024);
function randomArray(length: number): Float64Array {
  return Float64Array.from({ length }, () => rng.uniform() * 2 - 1);
}

/** "[32,128]·[512,128]ᵀ": the stored operand shapes and which one is transposed. */
function describeProduct({ m, n, k, transA = false, transB = false }: GemmOptions): string {
  const a = transA ? `[${k},${m}]ᵀ` : `[${m},${k}]`;
  const b = transB ? `[${n},${k}]ᵀ` : `[${k},${n}]`;
  return `${a}·${b}`;
}

// --- matmul: gemm against the plain loop --------------------------------------

const products: { name: string; options: GemmOptions }[] = [
  { name: 'square 128', options: { m: 128, n: 128, k: 128 } },
  { name: 'square 512', options: { m: 512, n: 512, k: 512 } },
  { name: 'LSTM x·W_ihᵀ', options: { m: 32, n: 512, k: 32, transB: true } },
  { name: 'LSTM h·W_hhᵀ', options: { m: 32, n: 512, k: 128, transB: true } },
  { name: 'LSTM dGates·W_hh', options: { m: 32, n: 128, k: 512 } },
  { name: 'LSTM dGatesᵀ·h', options: { m: 512, n: 128, k: 32, transA: true } },
  // The weight gradient over a whole sequence: T·B = 50·32 rows summed in one product.
  { name: 'LSTM Σ_t dGatesᵀ·h', options: { m: 512, n: 128, k: 1600, transA: true } },
  { name: 'batch of 1: h·W_hhᵀ', options: { m: 1, n: 512, k: 128, transB: true } },
];

interface MatmulRow {
  name: string;
  product: string;
  m: number;
  n: number;
  k: number;
  transA: boolean;
  transB: boolean;
  /** GFLOP/s by CPU time (2·m·n·k flops per call). */
  wasmGflops: number;
  gemmGflops: number;
  plainLoopGflops: number;
  /** gemmJs's time over gemmWasm's. */
  wasmRatio: number;
  /** The plain loop's time over gemmJs's. */
  ratio: number;
  /** The same by wall-clock time, which a busy machine lowers. */
  wallClock: { wasmGflops: number; gemmGflops: number; plainLoopGflops: number };
}

const matmulRows: MatmulRow[] = [];
for (const { name, options } of products) {
  const { m, n, k, transA = false, transB = false } = options;
  const a = randomArray(m * k);
  const b = randomArray(k * n);
  const c = new Float64Array(m * n);
  const gflops = (seconds: number) => (2 * m * n * k) / seconds / 1e9;
  const [wasm, tiled, plain] = secondsPerCall(
    () => gemmWasm(c, a, b, options),
    () => gemmJs(c, a, b, options),
    () => gemmReference(c, a, b, options),
  );
  matmulRows.push({
    name,
    product: describeProduct(options),
    m,
    n,
    k,
    transA,
    transB,
    wasmGflops: gflops(wasm!.cpu),
    gemmGflops: gflops(tiled!.cpu),
    plainLoopGflops: gflops(plain!.cpu),
    wasmRatio: tiled!.cpu / wasm!.cpu,
    ratio: plain!.cpu / tiled!.cpu,
    wallClock: {
      wasmGflops: gflops(wasm!.wall),
      gemmGflops: gflops(tiled!.wall),
      plainLoopGflops: gflops(plain!.wall),
    },
  });
  console.error(
    `  ${name}: wasm ${gflops(wasm!.cpu).toFixed(2)}, js ${gflops(tiled!.cpu).toFixed(2)} GFLOP/s`,
  );
}

// --- the Tensor API and the generator ---------------------------------------

interface ThroughputRow {
  section: string;
  name: string;
  unit: string;
  /** By CPU time. */
  value: number;
  wallClockValue: number;
}
const throughputRows: ThroughputRow[] = [];

/** Time `run` and record `work / seconds / 1e6` or `/ 1e9`, as the unit says. */
function throughput(section: string, name: string, unit: string, work: number, run: () => void) {
  const [timing] = secondsPerCall(run);
  const scale = unit.startsWith('G') ? 1e9 : 1e6;
  const value = work / timing!.cpu / scale;
  throughputRows.push({ section, name, unit, value, wallClockValue: work / timing!.wall / scale });
  console.error(`  ${name}: ${value.toFixed(1)} ${unit}`);
}

{
  const a = t.fromData(randomArray(128 * 128), [128, 128]);
  const b = t.fromData(randomArray(128 * 128), [128, 128]);
  throughput('matmul', 'matmul(a, b) 128×128', 'GFLOP/s', 2 * 128 ** 3, () => t.matmul(a, b));
  const x = t.fromData(randomArray(32 * 128), [32, 128]);
  const w = t.fromData(randomArray(512 * 128), [512, 128]);
  const bias = t.fromData(randomArray(512), [512]);
  const name = 'linear(x[32,128], W[512,128], b)';
  throughput('matmul', name, 'GFLOP/s', 2 * 32 * 128 * 512, () => t.linear(x, w, bias));
}

{
  // A recurrent pass's per-step products with W_hh packed once (gemmPacked): the copy
  // and the packing of W_hh that gemmWasm does on every call above are gone.
  const h = randomArray(32 * 128);
  const dGates = randomArray(32 * 512);
  const W_hh = randomArray(512 * 128);
  const W_hhT = packRight(W_hh, { k: 128, n: 512, transB: true });
  const W_hhPacked = packRight(W_hh, { k: 512, n: 128 });
  const gates = new Float64Array(32 * 512);
  const dh = new Float64Array(32 * 128);
  const flops = 2 * 32 * 128 * 512;
  throughput('matmul', 'LSTM h·W_hhᵀ, W_hh packed once', 'GFLOP/s', flops, () =>
    gemmPacked(gates, h, W_hhT, { m: 32 }),
  );
  throughput('matmul', 'LSTM dGates·W_hh, W_hh packed once', 'GFLOP/s', flops, () =>
    gemmPacked(dh, dGates, W_hhPacked, { m: 32 }),
  );
}

const ENTRIES = 1_000_000;
{
  const x = t.fromData(randomArray(ENTRIES), [1000, 1000]);
  const y = t.fromData(randomArray(ENTRIES), [1000, 1000]);
  const row = t.fromData(randomArray(1000), [1000]);
  const unit = 'M entries/s';
  throughput('elementwise', 'add(x, y)', unit, ENTRIES, () => t.add(x, y));
  throughput('elementwise', 'mul(x, y)', unit, ENTRIES, () => t.mul(x, y));
  throughput('elementwise', 'tanh(x)', unit, ENTRIES, () => t.tanh(x));
  throughput('elementwise', 'sigmoid(x)', unit, ENTRIES, () => t.sigmoid(x));
  throughput('elementwise', 'add(x, row) broadcast', unit, ENTRIES, () => t.add(x, row));
}

{
  // Forward and backward: the engine's walk, each rule, and (for the row) sumToShape.
  const x = t.fromData(randomArray(ENTRIES), [1000, 1000], { requiresGrad: true });
  const y = t.fromData(randomArray(ENTRIES), [1000, 1000], { requiresGrad: true });
  const row = t.fromData(randomArray(1000), [1000], { requiresGrad: true });
  const gradOutput = t.fromData(randomArray(ENTRIES), [1000, 1000]);
  const step = (out: () => t.Tensor, leaves: t.Tensor[]) => () => {
    for (const leaf of leaves) leaf.zeroGrad();
    out().backward(gradOutput);
  };
  const unit = 'M entries/s';
  const section = 'backward';
  throughput(
    section,
    'sub(x, y) + backward',
    unit,
    ENTRIES,
    step(() => t.sub(x, y), [x, y]),
  );
  throughput(
    section,
    'tanh(x) + backward',
    unit,
    ENTRIES,
    step(() => t.tanh(x), [x]),
  );
  const broadcast = step(() => t.mul(x, row), [x, row]);
  throughput(section, 'mul(x, row) + backward', unit, ENTRIES, broadcast);
}

{
  const x = t.fromData(randomArray(ENTRIES), [1000, 1000]);
  const name = 'softmax(x[1000,1000], -1)';
  throughput('softmax', name, 'M entries/s', ENTRIES, () => t.softmax(x, -1));
}

const DRAWS = 100_000;
const draws = (draw: () => number) => () => {
  for (let i = 0; i < DRAWS; i++) draw();
};
throughput(
  'random',
  'rng.nextUint32()',
  'M draws/s',
  DRAWS,
  draws(() => rng.nextUint32()),
);
throughput(
  'random',
  'rng.uniform()',
  'M draws/s',
  DRAWS,
  draws(() => rng.uniform()),
);
throughput(
  'random',
  'rng.normal()',
  'M draws/s',
  DRAWS,
  draws(() => rng.normal()),
);

// --- report -------------------------------------------------------------------

function table(header: string[], rows: string[][]): string {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
  const line = (cells: string[]) =>
    cells
      .map((cell, i) => (i === 0 ? cell.padEnd(widths[i]!) : cell.padStart(widths[i]!)))
      .join('  ');
  return [line(header), widths.map((w) => '-'.repeat(w)).join('  '), ...rows.map(line)].join('\n');
}

const machine = `${cpus()[0]?.model ?? 'unknown CPU'}, Node ${process.version}`;
const load = loadavg().map((x) => x.toFixed(2));
console.log(`\n@unroll/tensor on ${machine}; rates by CPU time of this process`);
console.log(
  `load average ${load.join(' ')}; the Tensor API rows ran gemm's ${gemmKernel()} kernel\n`,
);
console.log(
  table(
    [
      'matmul (float64)',
      'product',
      'wasm GFLOP/s',
      'js GFLOP/s',
      'plain loop',
      'wasm ÷ js',
      'js ÷ plain',
    ],
    matmulRows.map((r) => [
      r.name,
      r.product,
      r.wasmGflops.toFixed(2),
      r.gemmGflops.toFixed(2),
      r.plainLoopGflops.toFixed(2),
      `${r.wasmRatio.toFixed(1)}×`,
      `${r.ratio.toFixed(1)}×`,
    ]),
  ),
);
console.log();
console.log(
  table(
    ['operation', 'throughput', 'unit'],
    throughputRows.map((r) => [r.name, r.value.toFixed(1), r.unit]),
  ),
);

const resultsDir = join(dirname(fileURLToPath(import.meta.url)), 'results');
mkdirSync(resultsDir, { recursive: true });
const file = join(resultsDir, 'tensor.json');
writeFileSync(
  file,
  `${JSON.stringify(
    {
      date: new Date().toISOString(),
      node: process.version,
      cpu: cpus()[0]?.model ?? 'unknown',
      timer: 'CPU time of this process (process.cpuUsage); wallClock fields by performance.now()',
      samples: SAMPLES,
      loadAverage: loadavg(),
      gemmKernel: gemmKernel(),
      matmul: matmulRows,
      throughput: throughputRows,
    },
    null,
    2,
  )}\n`,
);
console.log(`\nwrote ${file}`);
