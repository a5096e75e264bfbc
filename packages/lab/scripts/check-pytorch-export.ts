/**
 * Does `unroll export --to pytorch` hand PyTorch the run as it is? For each cell and
 * optimizer: train a few steps in unroll, export, then take ONE more step on the same
 * batch twice — in unroll (Trainer.trainStep) and in PyTorch (the exported train.py
 * --step-on) — and compare the weights after it. Equal to 1e-10 means the weights, the
 * optimizer state (Adam's moments and step count, SGD's momentum buffers), the
 * gradient clipping and the loss all crossed over intact. The optimizer state PyTorch
 * saves after its step, read back as `unroll import` reads it, is compared too.
 *
 * Needs Python with PyTorch (not a test dependency, so not part of `npm test`):
 *
 *   npx tsx scripts/check-pytorch-export.ts            (PYTHON=/path/to/python to choose one)
 */

import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadSafetensors, saveSafetensors } from '@unroll/cells';
import { type CellName, defaultConfig, type TaskName, type TrainConfig } from '../src/config.ts';
import { modelFromTensors, readoutOfTask } from '../src/export/layout.ts';
import {
  carriedTensors,
  pytorchFiles,
  readPytorchWeights,
  writeFiles,
} from '../src/export/pytorch.ts';
import { Trainer, windowsOf } from '../src/trainer.ts';

const python = process.env.PYTHON ?? '/usr/bin/python3';
const scratch = mkdtempSync(join(tmpdir(), 'unroll-pytorch-check-'));
const TOLERANCE = 1e-10;

function check(
  cell: CellName,
  task: TaskName,
  optimizer: 'adam' | 'sgd',
  tbptt: [number, number] | null,
) {
  const config: TrainConfig = {
    ...defaultConfig(task),
    cell,
    layers: 2,
    hidden: 8,
    seqLen: task === 'copy' ? 4 : 12,
    batch: 5,
    optimizer,
    lr: optimizer === 'sgd' ? 0.05 : 0.01,
    tbptt,
    clip: 0.5, // small enough that clipping acts in most steps
    seed: 3,
  };
  const trainer = new Trainer(config);
  // The lab's --optimizer sgd has no momentum flag; the optimizer takes it as PyTorch's does.
  if (optimizer === 'sgd') Object.assign(trainer.optimizer.paramGroups[0]!, { momentum: 0.9 });
  for (let i = 0; i < 5; i++) trainer.trainStep();

  const state = trainer.captureState();
  const checkpoint = { config, state, optimizerInput: state.optimizer as never };
  const model = modelFromTensors(cell, readoutOfTask(task), state.parameters, 'run');
  const folder = join(scratch, `${cell}-${task}-${optimizer}`);
  mkdirSync(folder);
  writeFiles(folder, pytorchFiles(model, checkpoint));

  // The batch the next step will draw, saved for PyTorch; then the step in unroll.
  const position = trainer.task.position();
  const batch = trainer.task.next();
  trainer.task.seek(position);
  const I = trainer.task.inputSize;
  // NOTE: the trainer builds its windows from --seq-len, which for copy memory is the
  // delay, not the sequence's length (delay + 20), so it scores only the first steps.
  // PyTorch is given the whole sequence; so is the trainer here, until that is fixed.
  Object.assign(trainer, { windows: windowsOf(batch.steps, tbptt) });
  // The state a char-LM window starts from, when it is not the first of an epoch.
  const start =
    batch.resetState || state.carried === null ? {} : carriedTensors(state.carried, config.hidden);
  writeFileSync(
    join(folder, 'batch.safetensors'),
    saveSafetensors({
      x: { shape: [batch.batchSize, batch.steps, I], data: batch.xs },
      targets: { shape: [...batch.targets.shape], data: batch.targets.data },
      ...start,
    }),
  );
  const step = trainer.trainStep();
  if (!step.ok) throw new Error(step.message);

  const run = spawnSync(
    python,
    [
      join(folder, 'train.py'),
      '--device',
      'cpu',
      '--step-on',
      join(folder, 'batch.safetensors'),
      '--out',
      join(folder, 'after'),
    ],
    { encoding: 'utf8' },
  );
  if (run.status !== 0) throw new Error(`train.py failed:\n${run.stderr}`);
  const torchLoss = Number(/loss (\S+)/.exec(run.stdout)![1]);
  const after = loadSafetensors(readFileSync(join(folder, 'after', 'model.safetensors'))).tensors;
  let worst = 0;
  for (const [name, p] of trainer.model.namedParameters()) {
    const theirs = after[name]!.data;
    for (let i = 0; i < p.data.length; i++)
      worst = Math.max(worst, Math.abs(p.data[i]! - theirs[i]!));
  }
  // The optimizer state PyTorch saved after its step, read back as `unroll import` reads it:
  // every buffer against unroll's, every counter equal.
  const back = readPytorchWeights(
    join(folder, 'after', 'model.safetensors'),
    join(folder, 'after'),
  );
  const ours = trainer.optimizer.stateDict().state;
  let worstState = 0;
  for (const [index, entry] of Object.entries(ours)) {
    for (const [key, value] of Object.entries(entry)) {
      const theirs = back.optimizer!.state[Number(index)]![key];
      if (value instanceof Float64Array) {
        const t = theirs as Float64Array;
        for (let i = 0; i < value.length; i++)
          worstState = Math.max(worstState, Math.abs(value[i]! - t[i]!));
      } else if (value !== theirs) worstState = Infinity;
    }
  }
  const lossDifference = Math.abs(torchLoss - step.line.loss);
  return { worst, worstState, lossDifference, gradNorm: step.line.gradNorm };
}

const rows: string[] = [];
let failed = false;
const cases: [CellName, TaskName, 'adam' | 'sgd', [number, number] | null][] = [];
for (const cell of ['lstm', 'gru', 'rnn'] as const) {
  for (const optimizer of ['adam', 'sgd'] as const) {
    cases.push([cell, 'adding', optimizer, null], [cell, 'copy', optimizer, null]);
  }
}
cases.push(['lstm', 'charlm', 'adam', [4, 8]], ['gru', 'charlm', 'sgd', null]);
console.log(
  `python: ${python}; torch ${spawnSync(python, ['-c', 'import torch; print(torch.__version__)'], { encoding: 'utf8' }).stdout.trim()}`,
);
console.log(
  'cell  task    optimizer        tbptt  ‖g‖ before clip  max |Δθ| after one step  max |Δ state|  |Δ loss|',
);
for (const [cell, task, optimizer, tbptt] of cases) {
  const { worst, worstState, lossDifference, gradNorm } = check(cell, task, optimizer, tbptt);
  const ok = worst <= TOLERANCE && worstState <= TOLERANCE && lossDifference <= TOLERANCE;
  failed ||= !ok;
  const name = optimizer === 'sgd' ? 'sgd momentum 0.9' : 'adam';
  rows.push(
    `${cell.padEnd(5)} ${task.padEnd(7)} ${name.padEnd(17)}${(tbptt?.join(',') ?? '-').padEnd(6)} ${gradNorm.toFixed(3).padStart(15)}  ${worst.toExponential(2).padStart(23)}  ${worstState.toExponential(2).padStart(13)}  ${lossDifference.toExponential(2).padStart(8)}${ok ? '' : '  FAIL'}`,
  );
  console.log(rows[rows.length - 1]);
}
console.log(failed ? `FAILED: some difference above ${TOLERANCE}` : `all within ${TOLERANCE}`);
if (!process.env.KEEP) rmSync(scratch, { recursive: true, force: true });
else console.log(scratch);
process.exitCode = failed ? 1 : 0;
