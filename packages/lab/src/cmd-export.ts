/**
 * `unroll export --run DIR --to pytorch|onnx|tfjs|keras [--out PATH]`: a run's trained
 * model in another framework's format.
 *
 *   pytorch  a folder: weights, optimizer state, run.json, train.py (export/pytorch.ts)
 *   onnx     one .onnx file (export/onnx.ts)
 *   tfjs     a folder: model.json + weights.bin for tf.loadLayersModel (export/keras.ts)
 *   keras    the same LayersModel, with Keras's reset-after GRU allowed
 *
 * Everything is checked and built in memory first; then a folder is written under a
 * temporary name and renamed into place, so a refused or failed export leaves nothing.
 */

import { existsSync, mkdirSync, readFileSync, renameSync, rmSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { type CommandSpec, parseFlags, UsageError } from './args.ts';
import type { Checkpoint } from './checkpoint.ts';
import { KERAS_FILES, kerasFiles, kerasRefusal } from './export/keras.ts';
import { type ExportModel, modelFromTensors, readoutOfTask } from './export/layout.ts';
import { onnxModel } from './export/onnx.ts';
import { PYTORCH_FILES, pytorchFiles, writeFiles } from './export/pytorch.ts';
import { makeFolders, writeFileAtomic } from './files.ts';
import type { Io } from './main.ts';
import { displayPath, userPath } from './run-folder.ts';
import { readRunCheckpoint, readRunConfig, runFolderFlag } from './saved-run.ts';

export const EXPORT_FORMATS = ['pytorch', 'onnx', 'tfjs', 'keras'] as const;
type ExportFormat = (typeof EXPORT_FORMATS)[number];

export const exportCommand = {
  name: 'export',
  summary:
    "Write a run's trained model for another framework: a PyTorch folder that continues training (train.py, one GPU or many), an ONNX model, or a TensorFlow.js / Keras LayersModel.",
  usage: `unroll export --run DIR --to ${EXPORT_FORMATS.join('|')} [--out PATH]`,
  flags: {
    run: {
      kind: 'string',
      placeholder: 'DIR',
      help: 'the run folder (its checkpoint.safetensors)',
    },
    to: { kind: 'choice', choices: EXPORT_FORMATS, help: 'the format to write' },
    out: {
      kind: 'string',
      placeholder: 'PATH',
      help: 'where to write: a folder (pytorch, tfjs, keras) or a file (onnx); default inside the run folder',
    },
  },
  examples: [
    'unroll export --run runs/2025-01-31_10-22-05-lstm-charlm-T64 --to pytorch',
    'unroll export --run DIR --to onnx --out model.onnx',
    'unroll export --run DIR --to tfjs --out web/model',
  ],
} as const satisfies CommandSpec;

/** The version recorded as the ONNX file's producer_version. */
function labVersion(): string {
  const path = new URL('../package.json', import.meta.url);
  return (JSON.parse(readFileSync(path, 'utf8')) as { version: string }).version;
}

const DEFAULT_OUT: Record<ExportFormat, string> = {
  pytorch: 'pytorch',
  onnx: 'model.onnx',
  tfjs: 'tfjs',
  keras: 'keras',
};

/** The files of the export, by name (a lone file for onnx); throws FormatError when it cannot be expressed. */
export function exportFiles(
  format: ExportFormat,
  model: ExportModel,
  checkpoint: Checkpoint,
): Record<string, Uint8Array | string> {
  switch (format) {
    case 'pytorch':
      return pytorchFiles(model, checkpoint);
    case 'onnx':
      return { 'model.onnx': onnxModel(model, labVersion()) };
    case 'tfjs':
    case 'keras': {
      const { json, weights } = kerasFiles(model, format);
      return {
        [KERAS_FILES.model]: `${JSON.stringify(json, null, 1)}\n`,
        [KERAS_FILES.weights]: weights,
      };
    }
  }
}

/** Writes the files as the folder `out`, all at once: a temporary folder renamed into place. */
function publishFolder(out: string, files: Record<string, Uint8Array | string>): void {
  const temporary = join(dirname(out), `.${basename(out)}.${process.pid}.tmp`);
  mkdirSync(temporary);
  try {
    writeFiles(temporary, files);
    renameSync(temporary, out);
  } catch (error) {
    rmSync(temporary, { recursive: true, force: true });
    throw error;
  }
}

export async function runExport(argv: readonly string[], io: Io): Promise<number> {
  const flags = parseFlags(argv, exportCommand);
  const usage = exportCommand.usage;
  const folder = runFolderFlag(flags.run, usage, 'to export');
  const format = flags.to;
  if (format === undefined) {
    throw new UsageError(`missing --to FORMAT: one of ${EXPORT_FORMATS.join(', ')}`, usage);
  }
  const out = flags.out === undefined ? join(folder, DEFAULT_OUT[format]) : userPath(flags.out);
  if (existsSync(out)) {
    throw new UsageError(
      `invalid value '${flags.out ?? displayPath(out)}' for --out: it exists already (remove it or choose another path)`,
      usage,
    );
  }
  let files: Record<string, Uint8Array | string>;
  let model: ExportModel;
  try {
    const config = readRunConfig(folder);
    const checkpoint = readRunCheckpoint(folder, config);
    const parameters = checkpoint.state.parameters;
    model = modelFromTensors(config.cell, readoutOfTask(config.task), parameters, 'the checkpoint');
    if (format === 'tfjs' || format === 'keras') {
      const refusal = kerasRefusal(model, format);
      if (refusal !== null) {
        io.stderr.write(`unroll export: cannot export a ${model.cell} to ${format}: ${refusal}\n`);
        return 1;
      }
    }
    files = exportFiles(format, model, checkpoint);
  } catch (error) {
    if (error instanceof UsageError) throw error;
    io.stderr.write(`unroll export: cannot export ${flags.run}: ${(error as Error).message}\n`);
    return 1;
  }
  try {
    makeFolders(dirname(out));
    if (format === 'onnx') writeFileAtomic(out, files['model.onnx']!);
    else publishFolder(out, files);
  } catch (error) {
    io.stderr.write(
      `unroll export: cannot write ${displayPath(out)}: ${(error as Error).message}\n`,
    );
    return 1;
  }
  const shown = displayPath(out);
  const what = `${model.layers}-layer ${model.cell.toUpperCase()} (hidden ${model.hiddenSize}) and its readout`;
  io.stdout.write(`wrote ${shown}: ${what} as ${format}\n`);
  if (format === 'pytorch') {
    io.stdout.write(
      `continue training:  python ${join(shown, PYTORCH_FILES.script)} --steps 1000\n` +
        `on N GPUs:          torchrun --nproc_per_node N ${join(shown, PYTORCH_FILES.script)} --ddp\n`,
    );
  }
  return 0;
}
