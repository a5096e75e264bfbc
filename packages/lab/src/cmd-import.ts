/**
 * `unroll import --from pytorch|keras FILE --cell lstm|gru|rnn [--task …]`: weights
 * trained elsewhere as an unroll run folder (config.json + checkpoint.safetensors) that
 * `sample`, `diagnose` and `train --resume` take.
 *
 *   pytorch  FILE is a state dict in safetensors with PyTorch's names (weight_ih_l0 …,
 *            readout.weight, readout.bias), or a folder written by `unroll export --to
 *            pytorch` (or train.py's output beside it): then its run.json and optimizer
 *            state come too, and the round trip run → export → import is the identity.
 *   keras    FILE is a LayersModel model.json (TensorFlow.js, or a Keras model through
 *            tensorflowjs_converter), or its folder.
 *
 * The sizes are read from the tensors and every name and shape is checked against them
 * and against the task (its input and output sizes) before anything is written; the
 * imported run starts at step 0 from those weights (and that optimizer state).
 */

import { existsSync, rmSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { type CommandSpec, parseFlags, UsageError } from './args.ts';
import { encodeCheckpoint } from './checkpoint.ts';
import {
  CELLS,
  type CellName,
  configProblem,
  defaultConfig,
  OPTIMIZERS,
  runName,
  TASKS,
  type TrainConfig,
} from './config.ts';
import { KERAS_FILES, readKerasModel } from './export/keras.ts';
import { FormatError, modelFromTensors, readoutOfTask, type Tensor64 } from './export/layout.ts';
import { PYTORCH_FILES, readPytorchWeights, TORCH_OPTIMIZER } from './export/pytorch.ts';
import { writeFileAtomic } from './files.ts';
import type { Io } from './main.ts';
import {
  createRunFolder,
  defaultRunsFolder,
  displayPath,
  FILES,
  readJson,
  userPath,
  writeJson,
} from './run-folder.ts';
import { Trainer } from './trainer.ts';

export const IMPORT_FORMATS = ['pytorch', 'keras'] as const;

export const importCommand = {
  name: 'import',
  summary:
    'Turn PyTorch weights (safetensors, or a folder from `unroll export --to pytorch`) or a Keras / TensorFlow.js LayersModel into an unroll run folder that sample, diagnose and train --resume take.',
  usage: `unroll import --from ${IMPORT_FORMATS.join('|')} FILE --cell ${CELLS.join('|')} [--task ${TASKS.join('|')}] [--seq-len T] [--batch B] [--steps N] [--optimizer ${OPTIMIZERS.join('|')}] [--lr X] [--seed N] [--out DIR] [--name NAME]`,
  flags: {
    from: {
      kind: 'choice',
      choices: IMPORT_FORMATS,
      help: 'the format of FILE (written right after it)',
    },
    cell: { kind: 'choice', choices: CELLS, help: 'the recurrent cell the weights belong to' },
    task: {
      kind: 'choice',
      choices: TASKS,
      help: "the task to train on (default: the exported run's, else adding)",
    },
    'seq-len': { kind: 'int', min: 1, max: 100000, help: 'T of the new run (default per task)' },
    batch: { kind: 'int', min: 1, max: 4096, help: 'sequences per step (default per task)' },
    steps: {
      kind: 'int',
      min: 1,
      max: 1000000000,
      help: 'training steps of the new run (default per task)',
    },
    optimizer: {
      kind: 'choice',
      choices: OPTIMIZERS,
      help: 'optimizer (default: the exported one, else adam)',
    },
    lr: { kind: 'number', above: 0, max: 100, help: 'learning rate (default per task)' },
    seed: { kind: 'int', min: 0, max: 4294967295, help: 'seed of the data' },
    out: {
      kind: 'string',
      placeholder: 'DIR',
      help: 'parent folder of the run folder (default runs)',
    },
    name: {
      kind: 'string',
      placeholder: 'NAME',
      help: 'run name (default imported-<cell>-<task>-…)',
    },
  },
  examples: [
    'unroll import --from pytorch runs/2025-01-31_10-22-05-lstm-charlm-T64/pytorch --cell lstm',
    'unroll import --from pytorch weights.safetensors --cell gru --task copy --seq-len 20',
    'unroll import --from keras web/model/model.json --cell lstm --task adding',
  ],
} as const satisfies CommandSpec;

/** Takes FILE, the word after `--from FORMAT`, out of the arguments. */
function splitFile(argv: readonly string[]): { file: string | undefined; rest: string[] } {
  const rest = [...argv];
  const at = rest.findIndex((a) => a === '--from' || a.startsWith('--from='));
  if (at === -1) return { file: undefined, rest };
  const fileAt = rest[at]!.includes('=') ? at + 1 : at + 2;
  const file = rest[fileAt];
  if (file === undefined || file.startsWith('--')) return { file: undefined, rest };
  rest.splice(fileAt, 1);
  return { file, rest };
}

interface Imported {
  tensors: Record<string, Tensor64>;
  readout: ReturnType<typeof readoutOfTask> | null;
  optimizer: ReturnType<typeof readPytorchWeights>['optimizer'];
  exportedConfig: TrainConfig | null;
}

function readImport(format: 'pytorch' | 'keras', path: string, cell: CellName): Imported {
  const isFolder = statSync(path).isDirectory();
  if (format === 'keras') {
    const file = isFolder ? join(path, KERAS_FILES.model) : path;
    const { tensors, readout } = readKerasModel(file, cell);
    return { tensors, readout, optimizer: null, exportedConfig: null };
  }
  if (!isFolder) return { ...readPytorchWeights(path, null), readout: null, exportedConfig: null };
  const runFile = join(path, PYTORCH_FILES.run);
  if (!existsSync(runFile)) {
    throw new FormatError(
      `${path} is a folder without ${PYTORCH_FILES.run}: give the .safetensors file itself`,
    );
  }
  const run = readJson(runFile) as { config?: TrainConfig };
  if (run.config?.cell !== cell) {
    throw new FormatError(`${runFile} is a ${String(run.config?.cell)} run, but --cell is ${cell}`);
  }
  const weights = readPytorchWeights(join(path, PYTORCH_FILES.model), path);
  return { ...weights, readout: readoutOfTask(run.config.task), exportedConfig: run.config };
}

export async function runImport(argv: readonly string[], io: Io): Promise<number> {
  const { file, rest } = splitFile(argv);
  const flags = parseFlags(rest, importCommand);
  const usage = importCommand.usage;
  if (flags.from === undefined)
    throw new UsageError(`missing --from ${IMPORT_FORMATS.join('|')} FILE`, usage);
  if (file === undefined) throw new UsageError(`missing FILE after --from ${flags.from}`, usage);
  if (flags.cell === undefined) throw new UsageError(`missing --cell ${CELLS.join('|')}`, usage);
  const path = userPath(file);
  if (!existsSync(path))
    throw new UsageError(`invalid FILE '${file}': no such file or folder`, usage);
  const cell = flags.cell;

  let config: TrainConfig;
  let trainer: Trainer;
  try {
    const imported = readImport(flags.from, path, cell);
    const base = imported.exportedConfig ?? defaultConfig(flags.task ?? 'adding');
    const task = flags.task ?? base.task;
    const fromTask = task === base.task ? base : defaultConfig(task);
    const readout = imported.readout ?? readoutOfTask(task);
    if (readout !== readoutOfTask(task)) {
      const fitting = TASKS.filter((t) => readoutOfTask(t) === readout).join(' or ');
      throw new FormatError(
        `the model reads out ${readout === 'every' ? 'every step' : 'the last step only'} and --task ${task} does not: give --task ${fitting}`,
      );
    }
    const model = modelFromTensors(cell, readout, imported.tensors, file);
    // The exported optimizer comes with its state, unless --optimizer names another.
    let optimizerName: TrainConfig['optimizer'] = flags.optimizer ?? fromTask.optimizer;
    const keepState = imported.optimizer !== null && flags.optimizer === undefined;
    if (keepState) {
      const type = imported.optimizer!.type;
      const known = Object.entries(TORCH_OPTIMIZER).find(([, t]) => t === type);
      if (known === undefined) {
        throw new FormatError(
          `its optimizer is torch.optim.${type}; unroll trains with ${Object.values(TORCH_OPTIMIZER).join(', ')} (give --optimizer to start a new one)`,
        );
      }
      optimizerName = known[0] as TrainConfig['optimizer'];
    }
    const settings = {
      ...fromTask,
      task,
      cell,
      layers: model.layers,
      hidden: model.hiddenSize,
      seqLen: flags['seq-len'] ?? fromTask.seqLen,
      batch: flags.batch ?? fromTask.batch,
      steps: flags.steps ?? fromTask.steps,
      optimizer: optimizerName,
      lr: flags.lr ?? fromTask.lr,
      seed: flags.seed ?? fromTask.seed,
      forgetBias: cell === 'lstm' ? fromTask.forgetBias : null,
    };
    config = {
      ...settings,
      name: flags.name ?? imported.exportedConfig?.name ?? `imported-${runName(settings)}`,
    };
    const problem = configProblem(config);
    if (problem !== null) throw new UsageError(problem, usage);
    trainer = new Trainer(config);
    const { inputSize, outputSize } = trainer.task;
    if (model.inputSize !== inputSize || model.outputSize !== outputSize) {
      throw new FormatError(
        `the weights take inputs of size ${model.inputSize} and give ${model.outputSize} outputs; --task ${task} has ${inputSize} and ${outputSize}`,
      );
    }
    trainer.model.loadStateDict(model.tensors);
    if (keepState) {
      const groups = imported.optimizer!.paramGroups.map(({ params, ...options }) => ({
        ...options,
        params,
      }));
      trainer.optimizer.loadStateDict({
        state: imported.optimizer!.state,
        paramGroups: groups as never,
      });
      // The saved options include the learning rate. --lr, when given, wins; and a cosine
      // schedule starts again from step 0 at config.lr, as the imported run does.
      if (flags.lr !== undefined || config.schedule === 'cosine') {
        for (const group of trainer.optimizer.paramGroups) group.lr = config.lr;
      }
    }
  } catch (error) {
    if (error instanceof UsageError) throw error;
    io.stderr.write(`unroll import: cannot import ${file}: ${(error as Error).message}\n`);
    return 1;
  }
  const parent = flags.out === undefined ? defaultRunsFolder() : userPath(flags.out);
  let folder: string | null = null;
  try {
    folder = createRunFolder(parent, config.name);
    writeJson(join(folder, FILES.config), config);
    writeFileAtomic(
      join(folder, FILES.checkpoint),
      encodeCheckpoint(config, trainer.captureState()),
    );
  } catch (error) {
    if (folder !== null) rmSync(folder, { recursive: true, force: true });
    io.stderr.write(
      `unroll import: cannot write the run folder in ${displayPath(parent)}: ${(error as Error).message}\n`,
    );
    return 1;
  }
  io.stdout.write(
    `wrote ${displayPath(folder)}: a ${config.layers}-layer ${cell.toUpperCase()} (hidden ${config.hidden}) for --task ${config.task}\n` +
      `go on with:  unroll train --resume ${displayPath(folder)}\n`,
  );
  return 0;
}
