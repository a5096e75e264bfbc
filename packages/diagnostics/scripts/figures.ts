/**
 * Makes the figures of docs/07-vanishing-and-exploding-gradients.md from scratch:
 *
 *   npx tsx scripts/figures.ts [outDir = ../../docs/figures] [--quick]
 *
 * Every number comes from a seeded run, so the same command makes the same figures.
 * --quick shortens the training runs (the test uses it to check that this still runs).
 */

import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { unroll } from '@unroll/bptt';
import { GRUCell, Linear, LSTMCell, RNNCell } from '@unroll/cells';
import { Adam, clipGradNorm, SGD } from '@unroll/optim';
import { add, fromData, linear, mse, narrow, Rng, randn, sum, type Tensor } from '@unroll/tensor';
import {
  captureGradientFlow,
  gradientNormChart,
  heatmap,
  histogram,
  lossChart,
  measureGradientFlow,
  saturation,
} from '../src/index.ts';

type Cell = RNNCell | LSTMCell | GRUCell;

/**
 * The adding problem (Le et al. 2015's form): values U(0, 1), two marked — one in each
 * half — target their sum. @unroll/tasks has the full task (AddingProblem), but it sits
 * below diagnostics in the chain of packages, so this script keeps its own few lines.
 */
function addingBatch(batch: number, steps: number, rng: Rng): { x: Tensor; y: Tensor } {
  const x = new Float64Array(batch * steps * 2);
  const y = new Float64Array(batch);
  const half = Math.floor(steps / 2);
  for (let b = 0; b < batch; b++) {
    const first = rng.int(half);
    const second = half + rng.int(steps - half);
    for (let t = 0; t < steps; t++) {
      const value = rng.uniform();
      x[(b * steps + t) * 2] = value;
      if (t === first || t === second) {
        x[(b * steps + t) * 2 + 1] = 1;
        y[b]! += value;
      }
    }
  }
  return { x: fromData(x, [batch, steps, 2]), y: fromData(y, [batch, 1]) };
}

/** Predicting 1, the mean of the target, scores E[(y − 1)²] = 2·Var U(0, 1) = 1/6. */
const ADDING_BASELINE = 1 / 6;

/** Figure 1: hₜ = α hₜ₋₁ + xₜ, loss at T: ‖∂L/∂hₜ‖ ∝ α^(T−t). */
function linearRNN(): string {
  const T = 50;
  const series = [0.5, 0.9, 1, 1.1].map((alpha) => {
    const rng = new Rng(1);
    const whh = fromData(
      Float64Array.from({ length: 16 }, (_, k) => (k % 5 === 0 ? alpha : 0)),
      [4, 4],
      {
        requiresGrad: true,
      },
    );
    const hs: Tensor[] = [];
    let h = randn([2, 4], rng);
    for (let t = 0; t < T; t++) {
      h = add(linear(h, whh), randn([2, 4], rng));
      hs.push(h);
    }
    const flow = captureGradientFlow(hs);
    sum(hs[T - 1]!).backward();
    return { name: `W_hh = ${alpha}·I`, y: flow.norms[0]! };
  });
  return gradientNormChart({ title: 'Linear RNN: ‖∂L/∂hₜ‖ = ‖∂L/∂h_T‖·α^(T−t)', series });
}

/** Figure 2: the five cells of the chapter at initialisation, loss on the last step. */
function cellsAtInit(): string {
  const [T, H, I, B] = [100, 32, 4, 8];
  const x = randn([B, T, I], new Rng(1));
  const models: [string, Cell][] = [
    ['RNN (tanh)', new RNNCell({ inputSize: I, hiddenSize: H, rng: new Rng(2) })],
    [
      'RNN, orthogonal W_hh',
      new RNNCell({ inputSize: I, hiddenSize: H, rng: new Rng(2), recurrentInit: 'orthogonal' }),
    ],
    ['LSTM', new LSTMCell({ inputSize: I, hiddenSize: H, rng: new Rng(2) })],
    [
      'LSTM, forget bias 1',
      new LSTMCell({ inputSize: I, hiddenSize: H, rng: new Rng(2), forgetBias: 1 }),
    ],
    ['GRU', new GRUCell({ inputSize: I, hiddenSize: H, rng: new Rng(2) })],
  ];
  const series = models.map(([name, cell]) => {
    const { norms } = measureGradientFlow(cell, x, (out) => {
      const last = narrow(out, 1, T - 1, 1);
      return sum(last.mul(last));
    });
    return { name, y: norms[0]! };
  });
  return gradientNormChart({
    title: `At initialisation: gradient reaching each step (T = ${T}, H = ${H})`,
    series,
  });
}

interface Run {
  losses: number[];
  /** Rows of ‖∂L/∂hₜ‖, one every `every` steps. */
  flow: number[][];
  flowSteps: number[];
  gradientNorms: number[];
}

/** Trains `cell` and a linear readout of its last h on the adding problem. */
function trainAdding(
  cell: Cell,
  options: { steps: number; T: number; seed: number; every?: number; clip: number | null },
  makeOptimizer: (params: Tensor[]) => { zeroGrad(): void; step(): void },
): Run {
  const rng = new Rng(options.seed);
  const readout = new Linear({ inFeatures: cell.hiddenSize, outFeatures: 1, rng: rng.fork() });
  const params = [...cell.parameters(), ...readout.parameters()];
  const optimizer = makeOptimizer(params);
  const run: Run = { losses: [], flow: [], flowSteps: [], gradientNorms: [] };
  for (let step = 0; step < options.steps; step++) {
    const { x, y } = addingBatch(32, options.T, rng);
    const { states, final } = unroll(cell, x);
    const loss = mse(readout.forward(final.h), y);
    const record = options.every !== undefined && step % options.every === 0;
    const flow = record ? captureGradientFlow(states.map((s) => s.h)) : null;
    optimizer.zeroGrad();
    loss.backward();
    if (flow) {
      run.flow.push(flow.norms[0]!);
      run.flowSteps.push(step);
      flow.remove();
    }
    run.losses.push(loss.item());
    run.gradientNorms.push(clipGradNorm(params, options.clip ?? Number.MAX_VALUE));
    optimizer.step();
  }
  return run;
}

/** A moving average over `window` steps, for readable loss curves. */
function smooth(values: number[], window: number): number[] {
  return values.map((_, i) => {
    const from = Math.max(0, i - window + 1);
    const part = values.slice(from, i + 1);
    return part.reduce((a, b) => a + b, 0) / part.length;
  });
}

/** Figures 3–5: RNN, LSTM and GRU learning the adding problem; the LSTM's gradient flow and forget gate. */
function addingFigures(steps: number): Record<string, string> {
  const T = 20;
  const adam = (params: Tensor[]) => new Adam(params, { lr: 0.01 });
  const make = {
    RNN: () => new RNNCell({ inputSize: 2, hiddenSize: 16, rng: new Rng(3) }),
    LSTM: () => new LSTMCell({ inputSize: 2, hiddenSize: 16, rng: new Rng(3), forgetBias: 1 }),
    GRU: () => new GRUCell({ inputSize: 2, hiddenSize: 16, rng: new Rng(3) }),
  };
  const every = Math.max(1, Math.floor(steps / 60));
  const runs = Object.entries(make).map(([name, build]) => {
    const cell = build();
    const probe = addingBatch(64, T, new Rng(99)).x;
    const before = saturation(cell, probe)[0]!;
    const run = trainAdding(cell, { steps, T, seed: 7, every, clip: 1 }, adam);
    const after = saturation(cell, probe)[0]!;
    return { name, run, before, after };
  });
  const loss = lossChart({
    title: `Adding problem, T = ${T}: MSE (moving average of 25 steps), Adam, clipped at 1`,
    series: runs.map(({ name, run }) => ({ name, y: smooth(run.losses, 25) })),
    baselines: [{ y: ADDING_BASELINE, label: 'always predict 1 (1/6)' }],
  });
  const lstm = runs.find((r) => r.name === 'LSTM')!;
  const map = heatmap({
    title: 'LSTM on the adding problem: ‖∂L/∂hₜ‖ while it learns',
    xLabel: 'timestep t',
    yLabel: 'training step',
    colorLabel: '‖∂L/∂hₜ‖',
    values: lstm.run.flow,
    rowValues: lstm.run.flowSteps,
  });
  const forget = (report: typeof lstm.before) =>
    report.activations.find((a) => a.gate === 'f')!.perStep.flatMap((v) => Array.from(v));
  const gates = histogram({
    title: 'LSTM forget gate activations on 64 adding-problem sequences',
    xLabel: 'f',
    range: [0, 1],
    bins: 50,
    series: [
      { name: 'at initialisation (bias 1)', values: forget(lstm.before) },
      { name: `after ${steps} training steps`, values: forget(lstm.after) },
    ],
    markers: [
      { x: 0.05, label: 'saturated below 0.05' },
      { x: 0.95, label: 'saturated above 0.95' },
    ],
  });
  return { '07-adding-loss.svg': loss, '07-lstm-heatmap.svg': map, '07-forget-gate.svg': gates };
}

/** Figures 6–7: an RNN whose W_hh is 3·orthogonal, trained by SGD with and without clipping. */
function clippingFigures(steps: number): Record<string, string> {
  const runs = [null, 1].map((clip) => {
    const cell = new RNNCell({
      inputSize: 2,
      hiddenSize: 16,
      rng: new Rng(3),
      recurrentInit: 'orthogonal',
    });
    for (let i = 0; i < cell.weight_hh.size; i++) cell.weight_hh.data[i]! *= 3;
    const run = trainAdding(
      cell,
      { steps, T: 40, seed: 5, clip },
      (params) => new SGD(params, { lr: 0.2, momentum: 0.9 }),
    );
    return { name: clip === null ? 'no clipping' : 'clipped at norm 1', run };
  });
  const title = 'RNN, W_hh = 3·orthogonal, SGD lr 0.2 momentum 0.9, T = 40';
  return {
    '07-clipping-loss.svg': lossChart({
      title: `Loss — ${title}`,
      series: runs.map(({ name, run }) => ({ name, y: run.losses })),
      yScale: 'log',
      baselines: [{ y: ADDING_BASELINE, label: 'always predict 1 (1/6)' }],
    }),
    '07-clipping-norms.svg': lossChart({
      title: 'The clipped run: gradient norm before clipping, every step',
      yLabel: '‖∇L‖',
      series: [{ name: 'clipped at norm 1', y: runs[1]!.run.gradientNorms }],
      yScale: 'log',
      baselines: [{ y: 1, label: 'clipping threshold' }],
    }),
  };
}

/** Writes every figure into `outDir`; returns the file names. */
export function makeFigures(outDir: string, { quick = false }: { quick?: boolean } = {}): string[] {
  const figures: Record<string, string> = {
    '07-linear-rnn.svg': linearRNN(),
    '07-cells-at-init.svg': cellsAtInit(),
    ...addingFigures(quick ? 12 : 600),
    ...clippingFigures(quick ? 12 : 300),
  };
  mkdirSync(outDir, { recursive: true });
  for (const [name, svg] of Object.entries(figures)) writeFileSync(join(outDir, name), `${svg}\n`);
  return Object.keys(figures);
}

if (process.argv[1] !== undefined && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const args = process.argv.slice(2);
  const here = dirname(fileURLToPath(import.meta.url));
  const outDir = args.find((a) => !a.startsWith('--')) ?? join(here, '../../../docs/figures');
  const written = makeFigures(outDir, { quick: args.includes('--quick') });
  console.log(`wrote ${written.length} figures to ${outDir}: ${written.join(', ')}`);
}
