/**
 * Opening a saved run: for `sample` and `diagnose`, the model with its checkpoint's
 * weights; for `train --resume`, the whole training state and the metrics lines up to
 * it, checked before anything is written. A missing, damaged or inconsistent file is a
 * CheckpointError naming the file and what is wrong with it.
 */

import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { UsageError } from './args.ts';
import {
  type Checkpoint,
  CheckpointError,
  configDifferences,
  readCheckpoint,
} from './checkpoint.ts';
import { checkConfigShape, type TrainConfig } from './config.ts';
import { EXPERIMENT_FILE } from './experiment-report.ts';
import { loadRunData } from './run-data.ts';
import { displayPath, FILES, metricsUpTo, readJson, readMetrics, userPath } from './run-folder.ts';
import { checkFolderReadable } from './run-writer.ts';
import { Trainer } from './trainer.ts';

/** The run folder named by --run, or a usage error when there is none. */
export function runFolderFlag(value: string | undefined, usage: string, what: string): string {
  if (value === undefined) throw new UsageError(`missing --run DIR: the run folder ${what}`, usage);
  const folder = userPath(value);
  if (!checkFolderReadable(folder) || !existsSync(join(folder, FILES.config))) {
    throw new UsageError(
      `invalid value '${value}' for --run: expected a run folder (with ${FILES.config})`,
      usage,
    );
  }
  return folder;
}

/** The run's config.json, checked field by field. */
export function readRunConfig(folder: string): TrainConfig {
  const path = join(folder, FILES.config);
  if (!existsSync(path))
    throw new CheckpointError(`${folder} has no ${FILES.config}: not a run folder`);
  return checkConfigShape(readJson(path), path);
}

/** The run's checkpoint, refused when it was written by a run of another config. */
export function readRunCheckpoint(folder: string, config: TrainConfig): Checkpoint {
  const checkpoint = readCheckpoint(join(folder, FILES.checkpoint));
  // --anomaly changes how a step is checked, not what it computes: not a difference.
  const differences = configDifferences(config, checkpoint.config, ['anomaly']);
  if (differences.length > 0) {
    throw new CheckpointError(
      `${FILES.checkpoint} belongs to another run: ${FILES.config} and the checkpoint differ in ${differences.join(', ')}`,
    );
  }
  return checkpoint;
}

/** The run's trainer with the checkpoint's weights and step (the optimizer state is not needed). */
export function openRun(folder: string): Trainer {
  const config = readRunConfig(folder);
  const checkpoint = readRunCheckpoint(folder, config);
  loadRunData(folder, config);
  const trainer = new Trainer(config);
  trainer.model.loadStateDict(checkpoint.state.parameters);
  trainer.step = checkpoint.state.step;
  return trainer;
}

/**
 * The trainer of the run in `folder` at its checkpoint, and the metrics lines up to it;
 * throws, having written nothing, when any part is missing, damaged or inconsistent.
 */
export function openForResume(
  folder: string,
  options: {
    anomaly?: boolean | undefined;
    restart?: boolean | undefined;
    threads?: number | undefined;
  } = {},
): { trainer: Trainer; kept: string } {
  if (existsSync(join(folder, EXPERIMENT_FILE))) {
    throw new CheckpointError(
      `${displayPath(folder)} is an experiment: resume its runs one at a time (unroll train --resume ${displayPath(join(folder, '<run>'))})`,
    );
  }
  const saved = readRunConfig(folder);
  const config = options.anomaly === true ? { ...saved, anomaly: true } : saved;
  loadRunData(folder, config);
  const threads = options.threads ?? 1;
  if (options.restart === true) return { trainer: new Trainer(config, { threads }), kept: '' };
  const lines = readMetrics(join(folder, FILES.metrics));
  const last = lines[lines.length - 1]?.step ?? 0;
  if (!existsSync(join(folder, FILES.checkpoint))) {
    // The first checkpoint comes at step min(checkpointEvery, steps), and every run that
    // ends (finished, stopped, failed) writes one before its summary.
    const firstCheckpoint = Math.min(config.checkpointEvery, config.steps);
    const ended = existsSync(join(folder, FILES.summary));
    if (last >= firstCheckpoint || ended) {
      const evidence =
        last >= firstCheckpoint
          ? `${FILES.metrics} reaches step ${last} and the first checkpoint is written at step ${firstCheckpoint}`
          : `the run ended (it has a ${FILES.summary}), and every run writes a checkpoint before it ends`;
      throw new CheckpointError(
        `${FILES.checkpoint} is missing, but ${evidence}; to train again from step 0, add --restart`,
      );
    }
    // Killed before its first checkpoint, or never started (an experiment's run that a stop
    // kept from starting): nothing to continue from, so begin again. The lines it wrote
    // will be written again, identically.
    return { trainer: new Trainer(config, { threads }), kept: '' };
  }
  const checkpoint = readRunCheckpoint(folder, config);
  const trainer = new Trainer(config, { threads });
  trainer.restoreState(checkpoint.state);
  if (last < checkpoint.state.step) {
    throw new CheckpointError(
      `${FILES.metrics} ends at step ${last}, before the checkpoint's step ${checkpoint.state.step}`,
    );
  }
  return { trainer, kept: metricsUpTo(lines, checkpoint.state.step) };
}
