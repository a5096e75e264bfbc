/**
 * A run as a PyTorch project: a folder that `python train.py` continues training from.
 *
 *   model.safetensors      the parameters under PyTorch's names, float64 (they load with
 *                          `load_state_dict(strict=True)` into torch.nn.LSTM/GRU/RNN and a Linear)
 *   optimizer.safetensors  the optimizer's buffers as tensors `state.<i>.<buffer>` (exp_avg,
 *                          exp_avg_sq, momentum_buffer, square_avg, sum …), and in its
 *                          metadata the rest of `optimizer.state_dict()`: the param_groups
 *                          with PyTorch's option names, and each parameter's step count
 *   run.json               the run's config and the model's sizes (and the char-LM's alphabet)
 *   text.txt               the char-LM's training text (char-LM runs only)
 *   train.py               rebuilds the model with torch.nn, loads both files, trains on
 *
 * unroll's optimizers keep the same buffers as PyTorch's, named the same once written
 * in snake_case, and number the parameters in the same order (the recurrent layer's,
 * then the readout's), so the optimizer state is copied, not translated.
 */

import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { loadSafetensors, SafetensorsError, saveSafetensors } from '@unroll/cells';
import { mobyDickCorpus } from '@unroll/tasks';
import type { Checkpoint } from '../checkpoint.ts';
import type { TrainConfig } from '../config.ts';
import type { LayerState } from '../fast-path.ts';
import { writeFileAtomic } from '../files.ts';
import { type ExportModel, FormatError, type Tensor64 } from './layout.ts';

export const PYTORCH_FILES = {
  model: 'model.safetensors',
  optimizer: 'optimizer.safetensors',
  run: 'run.json',
  text: 'text.txt',
  carried: 'carried.safetensors',
  script: 'train.py',
} as const;

/** unroll's option names → PyTorch's (the rest are the same word). */
const PYTORCH_OPTION = {
  weightDecay: 'weight_decay',
  lrDecay: 'lr_decay',
  initialAccumulatorValue: 'initial_accumulator_value',
  initialLr: 'initial_lr',
} as const;
const UNROLL_OPTION = Object.fromEntries(Object.entries(PYTORCH_OPTION).map(([a, b]) => [b, a]));

const camelToSnake = (key: string) => key.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`);
const snakeToCamel = (key: string) => key.replace(/_([a-z])/g, (_, c: string) => c.toUpperCase());

export const TORCH_OPTIMIZER = {
  sgd: 'SGD',
  adam: 'Adam',
  rmsprop: 'RMSprop',
  adagrad: 'Adagrad',
} as const;

/**
 * train.py's text: beside this module when it runs from src/, and in the shipped src/
 * when it runs compiled from dist/ (tsc copies no Python).
 */
function trainScript(): string {
  for (const where of ['./train.py', '../../src/export/train.py']) {
    const url = new URL(where, import.meta.url);
    if (existsSync(url)) return readFileSync(url, 'utf8');
  }
  throw new Error('train.py is missing from the installed package (expected in src/export/)');
}

/** The files of the PyTorch folder, as name → bytes (written by the caller, atomically). */
export function pytorchFiles(
  model: ExportModel,
  checkpoint: Checkpoint,
): Record<string, Uint8Array | string> {
  const { config, state } = checkpoint;
  // train.py regenerates the shipped tasks' data (and carries the Moby-Dick text); the data
  // of a run on the user's own file, or of the forecast task, is not something it can rebuild.
  if (config.text !== undefined || config.series !== undefined || config.task === 'forecast') {
    throw new FormatError(
      `train.py continues the shipped tasks only (adding, copy, order, and charlm on the shipped text); this run trains on ${config.text !== undefined ? `the text file ${config.text.file}` : 'a forecast series'}: export it --to onnx, tfjs or keras, or load its checkpoint.safetensors in PyTorch directly`,
    );
  }
  const names = Object.keys(model.tensors);
  const buffers: Record<string, Tensor64> = {};
  // Counters (step) and absent buffers (null) stay out of the tensors, as in PyTorch.
  const scalars: Record<string, Record<string, number | null>> = {};
  for (const [index, entry] of Object.entries(state.optimizer.state)) {
    const shape = model.tensors[names[Number(index)]!]!.shape;
    for (const [key, value] of Object.entries(entry)) {
      if (value instanceof Float64Array || Array.isArray(value)) {
        buffers[`state.${index}.${camelToSnake(key)}`] = { shape, data: Float64Array.from(value) };
      } else (scalars[index] ??= {})[camelToSnake(key)] = value as number | null;
    }
  }
  const paramGroups = state.optimizer.paramGroups.map((group) => {
    const out: Record<string, unknown> = {};
    for (const [key, value] of Object.entries(group)) {
      out[PYTORCH_OPTION[key as keyof typeof PYTORCH_OPTION] ?? key] = value;
    }
    return out;
  });
  const optimizer = {
    type: TORCH_OPTIMIZER[config.optimizer],
    param_names: names,
    param_groups: paramGroups,
    scalars,
  };
  const run = {
    format: 'unroll-pytorch-v1',
    config,
    step: state.step,
    /** Where the data stream stands (the char-LM's text window). */
    data: state.data,
    model: {
      cell: model.cell,
      layers: model.layers,
      hidden_size: model.hiddenSize,
      input_size: model.inputSize,
      output_size: model.outputSize,
      readout: model.readout,
    },
    alphabet: config.task === 'charlm' ? mobyDickCorpus().vocabulary.chars : null,
  };
  const files: Record<string, Uint8Array | string> = {
    [PYTORCH_FILES.model]: saveSafetensors(model.tensors, { format: 'pt' }),
    [PYTORCH_FILES.optimizer]: saveSafetensors(buffers, { optimizer: JSON.stringify(optimizer) }),
    [PYTORCH_FILES.run]: `${JSON.stringify(run, null, 2)}\n`,
    [PYTORCH_FILES.script]: trainScript(),
  };
  if (config.task === 'charlm') {
    const { vocabulary, train } = mobyDickCorpus();
    files[PYTORCH_FILES.text] = vocabulary.decode(train);
  }
  if (state.carried !== null)
    files[PYTORCH_FILES.carried] = saveSafetensors(carriedTensors(state.carried, model.hiddenSize));
  return files;
}

/** The per-layer states as PyTorch's h (and c) of shape [L, B, H]: layer-major, then batch. */
export function carriedTensors(
  carried: readonly LayerState[],
  hiddenSize: number,
): Record<string, Tensor64> {
  const L = carried.length;
  const size = carried[0]!.h.length; // B·H
  const join = (part: 'h' | 'c') => {
    const data = new Float64Array(L * size);
    carried.forEach((s, l) => {
      data.set(s[part]!, l * size);
    });
    return { shape: [L, size / hiddenSize, hiddenSize], data };
  };
  return carried[0]!.c === undefined ? { h: join('h') } : { h: join('h'), c: join('c') };
}

/** What an imported PyTorch folder (or a lone state dict) holds. */
export interface PytorchWeights {
  tensors: Record<string, Tensor64>;
  /** The optimizer state in unroll's form, when the folder has one. */
  optimizer: {
    type: string;
    state: Record<number, Record<string, number | Float64Array | null>>;
    paramGroups: Record<string, unknown>[];
  } | null;
}

function readSafetensors(path: string) {
  let bytes: Uint8Array;
  try {
    bytes = readFileSync(path);
  } catch (error) {
    throw new FormatError(`cannot read ${path}: ${(error as Error).message}`);
  }
  try {
    return loadSafetensors(bytes);
  } catch (error) {
    if (error instanceof SafetensorsError) throw new FormatError(`${path}: ${error.message}`);
    throw error;
  }
}

/**
 * Reads a state dict (a .safetensors file) and, beside it, an exported optimizer.safetensors
 * if there is one. The tensors are widened to float64 (a float32 state dict is accepted).
 */
export function readPytorchWeights(path: string, folder: string | null): PytorchWeights {
  const file = readSafetensors(path);
  const tensors: Record<string, Tensor64> = {};
  for (const [name, t] of Object.entries(file.tensors)) {
    tensors[name] = { shape: [...t.shape], data: t.data };
  }
  if (folder === null) return { tensors, optimizer: null };
  const optimizerFile = readSafetensors(join(folder, PYTORCH_FILES.optimizer));
  const where = join(folder, PYTORCH_FILES.optimizer);
  let meta: {
    type: string;
    param_groups: Record<string, unknown>[];
    scalars: Record<string, Record<string, number | null>>;
  };
  try {
    meta = JSON.parse(optimizerFile.metadata.optimizer ?? '');
  } catch {
    throw new FormatError(`${where}: its metadata has no 'optimizer' JSON`);
  }
  const state: Record<number, Record<string, number | Float64Array | null>> = {};
  for (const [name, t] of Object.entries(optimizerFile.tensors)) {
    const match = /^state\.(\d+)\.([a-z_]+)$/.exec(name);
    if (match === null) throw new FormatError(`${where}: unexpected tensor '${name}'`);
    const entry = (state[Number(match[1])] ??= {});
    entry[snakeToCamel(match[2]!)] = t.data;
  }
  for (const [index, entry] of Object.entries(meta.scalars ?? {})) {
    for (const [key, value] of Object.entries(entry)) {
      (state[Number(index)] ??= {})[snakeToCamel(key)] = value;
    }
  }
  const paramGroups = (meta.param_groups ?? []).map((group) => {
    const out: Record<string, unknown> = {};
    for (const [key, value] of Object.entries(group)) out[UNROLL_OPTION[key] ?? key] = value;
    return out;
  });
  return { tensors, optimizer: { type: meta.type, state, paramGroups } };
}

/** Writes each file of `files` into `folder`, each atomically. */
export function writeFiles(folder: string, files: Record<string, Uint8Array | string>): void {
  for (const [name, contents] of Object.entries(files)) {
    writeFileAtomic(join(folder, name), contents);
  }
}

export type { TrainConfig };
