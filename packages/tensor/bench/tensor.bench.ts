/// <reference types="node" />
/**
 * Speed of @unroll/tensor, run by `npm run bench` in this package.
 *
 *   matmul       gemm against the plain i-j-k loop (gemmReference) on 128×128, 512×512
 *                and the four products of an LSTM step (batch 32, input 32, hidden 128:
 *                gates = x·W_ihᵀ and h·W_hhᵀ forward, dh = dGates·W_hh and
 *                dW_hh = dGatesᵀ·h backward), h·W_hhᵀ for a batch of one row (as
 *                when sampling), plus matmul and linear through the Tensor API
 *   elementwise  add, mul, tanh, sigmoid on 10^6 entries through the Tensor API
 *   softmax      along the last axis of a [1000, 1000] tensor
 *   random       Rng draws
 *
 * Every figure is the median of several timed samples after a warm-up that lets the
 * JIT compile the code. Machine speed varies 2–3× from day to day, so the ratio of
 * gemm to the plain loop, measured in the same run, is the figure to compare.
 * Prints a table and writes bench/results/tensor.json.
 */

import { mkdirSync, writeFileSync } from 'node:fs';
import { cpus } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { type GemmOptions, gemm, gemmReference } from '../src/gemm.ts';
import { Rng } from '../src/random.ts';

const SAMPLES = 7;
const SAMPLE_MS = 60; // each sample repeats the call for at least this long
const WARMUP_MS = 150;

/**
 * Median seconds per call of each function. The functions are warmed up (so the JIT
 * has compiled them), then timed in alternating samples, so that a change in machine
 * load during the run affects all of them alike and their ratio stays meaningful.
 */
function secondsPerCall(...runs: (() => void)[]): number[] {
  const repeats = runs.map((run) => {
    let calls = 0;
    const start = performance.now();
    while (calls < 3 || performance.now() - start < WARMUP_MS) {
      run();
      calls++;
    }
    return Math.max(1, Math.ceil(SAMPLE_MS / ((performance.now() - start) / calls)));
  });
  const samples = runs.map((): number[] => []);
  for (let s = 0; s < SAMPLES; s++) {
    runs.forEach((run, i) => {
      const start = performance.now();
      for (let r = 0; r < repeats[i]!; r++) run();
      samples[i]!.push((performance.now() - start) / repeats[i]! / 1000);
    });
  }
  return samples.map((times) => times.sort((x, y) => x - y)[SAMPLES >> 1]!);
}

/** Median seconds per call of one function. */
function secondsPerCallOf(run: () => void): number {
  return secondsPerCall(run)[0]!;
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
  gemmGflops: number;
  plainLoopGflops: number;
  ratio: number;
}

const matmulRows: MatmulRow[] = [];
for (const { name, options } of products) {
  const { m, n, k, transA = false, transB = false } = options;
  const a = randomArray(m * k);
  const b = randomArray(k * n);
  const c = new Float64Array(m * n);
  const flops = 2 * m * n * k;
  const [gemmSeconds, plainLoopSeconds] = secondsPerCall(
    () => gemm(c, a, b, options),
    () => gemmReference(c, a, b, options),
  );
  const gemmGflops = flops / gemmSeconds! / 1e9;
  const plainLoopGflops = flops / plainLoopSeconds! / 1e9;
  matmulRows.push({
    name,
    product: describeProduct(options),
    m,
    n,
    k,
    transA,
    transB,
    gemmGflops,
    plainLoopGflops,
    ratio: gemmGflops / plainLoopGflops,
  });
  console.error(`  ${name}: ${gemmGflops.toFixed(2)} GFLOP/s`);
}

// --- the Tensor API -----------------------------------------------------------

interface ThroughputRow {
  section: string;
  name: string;
  unit: string;
  value: number;
}
const throughputRows: ThroughputRow[] = [];
const skipped: string[] = [];

function record(section: string, name: string, unit: string, value: number): void {
  throughputRows.push({ section, name, unit, value });
  console.error(`  ${name}: ${value.toFixed(1)} ${unit}`);
}

type TensorApi = typeof import('../src/index.ts');
let api: Partial<TensorApi> = {};
try {
  api = await import('../src/index.ts');
} catch (error) {
  skipped.push(`the Tensor API did not load (${(error as Error).message.split('\n')[0]})`);
}

/** Run `measure` only if every named export of the Tensor API exists. */
function withApi(what: string, names: (keyof TensorApi)[], measure: (t: TensorApi) => void) {
  const missing = names.filter((name) => typeof api[name] !== 'function');
  if (missing.length > 0) {
    skipped.push(`${what}: ${missing.join(', ')} not in the Tensor API yet`);
    return;
  }
  measure(api as TensorApi);
}

withApi('matmul through the API', ['fromData', 'matmul', 'linear'], (t) => {
  const a = t.fromData(randomArray(128 * 128), [128, 128]);
  const b = t.fromData(randomArray(128 * 128), [128, 128]);
  const seconds = secondsPerCallOf(() => t.matmul(a, b));
  record('matmul', 'matmul(a, b) 128×128', 'GFLOP/s', (2 * 128 ** 3) / seconds / 1e9);
  const x = t.fromData(randomArray(32 * 128), [32, 128]);
  const w = t.fromData(randomArray(512 * 128), [512, 128]);
  const bias = t.fromData(randomArray(512), [512]);
  const linearSeconds = secondsPerCallOf(() => t.linear(x, w, bias));
  record(
    'matmul',
    'linear(x[32,128], W[512,128], b)',
    'GFLOP/s',
    (2 * 32 * 128 * 512) / linearSeconds / 1e9,
  );
});

const ENTRIES = 1_000_000;
withApi('elementwise ops', ['fromData', 'add', 'mul', 'tanh', 'sigmoid'], (t) => {
  const x = t.fromData(randomArray(ENTRIES), [1000, 1000]);
  const y = t.fromData(randomArray(ENTRIES), [1000, 1000]);
  const rate = (run: () => void) => ENTRIES / secondsPerCallOf(run) / 1e6;
  record(
    'elementwise',
    'add(x, y)',
    'M entries/s',
    rate(() => t.add(x, y)),
  );
  record(
    'elementwise',
    'mul(x, y)',
    'M entries/s',
    rate(() => t.mul(x, y)),
  );
  record(
    'elementwise',
    'tanh(x)',
    'M entries/s',
    rate(() => t.tanh(x)),
  );
  record(
    'elementwise',
    'sigmoid(x)',
    'M entries/s',
    rate(() => t.sigmoid(x)),
  );
  const row = t.fromData(randomArray(1000), [1000]);
  record(
    'elementwise',
    'add(x, row) broadcast',
    'M entries/s',
    rate(() => t.add(x, row)),
  );
});

withApi('softmax', ['fromData', 'softmax'], (t) => {
  const x = t.fromData(randomArray(ENTRIES), [1000, 1000]);
  const seconds = secondsPerCallOf(() => t.softmax(x, -1));
  record('softmax', 'softmax(x[1000,1000], -1)', 'M entries/s', ENTRIES / seconds / 1e6);
});

// --- random draws -------------------------------------------------------------

const DRAWS = 100_000;
const drawRate = (draw: () => number) =>
  DRAWS /
  secondsPerCallOf(() => {
    for (let i = 0; i < DRAWS; i++) draw();
  }) /
  1e6;
record(
  'random',
  'rng.nextUint32()',
  'M draws/s',
  drawRate(() => rng.nextUint32()),
);
record(
  'random',
  'rng.uniform()',
  'M draws/s',
  drawRate(() => rng.uniform()),
);
record(
  'random',
  'rng.normal()',
  'M draws/s',
  drawRate(() => rng.normal()),
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

console.log(`\n@unroll/tensor on ${cpus()[0]?.model ?? 'unknown CPU'}, Node ${process.version}\n`);
console.log(
  table(
    ['matmul (float64)', 'product', 'gemm GFLOP/s', 'plain loop GFLOP/s', 'ratio'],
    matmulRows.map((r) => [
      r.name,
      r.product,
      r.gemmGflops.toFixed(2),
      r.plainLoopGflops.toFixed(2),
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
for (const note of skipped) console.log(`skipped: ${note}`);

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
      samples: SAMPLES,
      matmul: matmulRows,
      throughput: throughputRows,
      skipped,
    },
    null,
    2,
  )}\n`,
);
console.log(`\nwrote ${file}`);
