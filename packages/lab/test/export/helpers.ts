/**
 * For the export tests: a small trained-looking model of each cell, and the outputs
 * unroll computes for a batch, to compare with another runtime's.
 */

import { type CellName, defaultConfig, type TaskName, type TrainConfig } from '../../src/config.ts';
import { predict } from '../../src/engines.ts';
import { type ExportModel, modelFromTensors, readoutOfTask } from '../../src/export/layout.ts';
import { Trainer } from '../../src/trainer.ts';

/** A trainer of `cell` on `task` (2 layers, H = 5, T = 6), its weights moved off their initial draw. */
export function smallTrainer(cell: CellName, task: TaskName, overrides: Partial<TrainConfig> = {}) {
  const seqLen = task === 'order' ? 10 : task === 'copy' ? 2 : 6;
  const config: TrainConfig = {
    ...defaultConfig(task),
    cell,
    layers: 2,
    hidden: 5,
    seqLen,
    batch: 3,
    evalBatch: 4,
    steps: 3,
    seed: 7,
    ...overrides,
  };
  const trainer = new Trainer(config);
  // Three Adam steps: the biases differ from each other and from zero, as after training.
  for (let i = 0; i < 3; i++) trainer.trainStep();
  return trainer;
}

export function exportModelOf(trainer: Trainer): ExportModel {
  const parameters = trainer.captureState().parameters;
  const tensors = Object.fromEntries(
    Object.entries(parameters).map(([k, v]) => [k, { shape: v.shape, data: v.data }]),
  );
  return modelFromTensors(trainer.config.cell, readoutOfTask(trainer.config.task), tensors, 'test');
}

/** unroll's predictions for the held-out batch: its inputs [B, T, I] and outputs. */
export function unrollOutputs(trainer: Trainer) {
  const batch = trainer.task.evalBatch;
  const y = predict(trainer.model, trainer.task, batch);
  return { batch, x: batch.xs, y: y.data, shape: y.shape };
}

/** The largest |a_i − b_i|. */
export function maxAbsDifference(a: ArrayLike<number>, b: ArrayLike<number>): number {
  if (a.length !== b.length) throw new Error(`lengths differ: ${a.length} and ${b.length}`);
  let worst = 0;
  for (let i = 0; i < a.length; i++) worst = Math.max(worst, Math.abs(a[i]! - b[i]!));
  return worst;
}
