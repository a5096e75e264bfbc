/**
 * Opening a finished (or stopped) run for `sample` and `diagnose`: its config and the
 * model with the weights of its checkpoint. A missing or damaged file is a
 * CheckpointError naming the file and what is wrong with it.
 */

import { existsSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { UsageError } from './args.ts';
import { CheckpointError, configDifferences, readCheckpoint } from './checkpoint.ts';
import { checkConfigShape } from './config.ts';
import { FILES, readJson, userPath } from './run-folder.ts';
import { Trainer } from './trainer.ts';

/** The run folder named by --run, or a usage error when there is none. */
export function runFolderFlag(value: string | undefined, usage: string, what: string): string {
  if (value === undefined) throw new UsageError(`missing --run DIR: the run folder ${what}`, usage);
  const folder = userPath(value);
  if (
    !existsSync(folder) ||
    !statSync(folder).isDirectory() ||
    !existsSync(join(folder, FILES.config))
  ) {
    throw new UsageError(
      `invalid value '${value}' for --run: expected a run folder (with ${FILES.config})`,
      usage,
    );
  }
  return folder;
}

/** The run's trainer with the checkpoint's weights and step (the optimizer state is not needed). */
export function openRun(folder: string): Trainer {
  const configPath = join(folder, FILES.config);
  const config = checkConfigShape(readJson(configPath), configPath);
  const checkpoint = readCheckpoint(join(folder, FILES.checkpoint));
  const differences = configDifferences(config, checkpoint.config);
  if (differences.length > 0) {
    throw new CheckpointError(
      `${FILES.checkpoint} belongs to another run: ${FILES.config} and the checkpoint differ in ${differences.join(', ')}`,
    );
  }
  const trainer = new Trainer(config);
  trainer.model.loadStateDict(checkpoint.state.parameters);
  trainer.step = checkpoint.state.step;
  return trainer;
}
