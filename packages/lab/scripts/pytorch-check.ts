/**
 * The first half of checking that a checkpoint means the same thing to PyTorch:
 * unroll's predictions for 4 sequences of the run's task, written next to the
 * checkpoint as pytorch-check.json. Then scripts/pytorch-check.py loads the checkpoint
 * into torch.nn.{RNN,LSTM,GRU} + torch.nn.Linear and compares.
 *
 *   npx tsx scripts/pytorch-check.ts runs/<run> && python3 scripts/pytorch-check.py runs/<run>
 */

import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { predict } from '../src/engines.ts';
import { openRun } from '../src/saved-run.ts';
import { makeTask, runGenerators } from '../src/task-adapters.ts';

const folder = process.argv[2];
if (folder === undefined) throw new Error('usage: tsx scripts/pytorch-check.ts RUN_FOLDER');
const trainer = openRun(folder);
const generators = runGenerators(12345);
const task = makeTask({ ...trainer.config, evalBatch: 4 }, generators.data, generators.eval);
const batch = task.evalBatch;
const predictions = predict(trainer.model, task, batch);
writeFileSync(
  join(folder, 'pytorch-check.json'),
  JSON.stringify({
    cell: trainer.config.cell,
    layers: trainer.config.layers,
    hidden: trainer.config.hidden,
    readout: task.readout,
    inputShape: [batch.batchSize, batch.steps, trainer.model.spec.inputSize],
    inputs: Array.from(batch.xs),
    predictionShape: predictions.shape,
    predictions: Array.from(predictions.data),
  }),
);
console.log(`wrote ${join(folder, 'pytorch-check.json')}`);
