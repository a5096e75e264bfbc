/**
 * Checkpoints: everything a run needs to continue bit for bit, in ONE safetensors file.
 *
 *   tensors   the model's parameters under PyTorch's names (weight_ih_l0 …, readout.weight),
 *             the optimizer's buffers (optimizer.<parameter>.exp_avg, …), and for the
 *             char-LM the hidden state carried into the next window (carried.h, carried.c)
 *   metadata  unroll.format   'checkpoint-v2'
 *             unroll.config   the run's config (JSON)
 *             unroll.state    JSON: step, the optimizer's counters and options, the
 *                             schedule, the data position (generator words or text window)
 *             unroll.sha256   a hash of the config, the state and every tensor's name,
 *                             shape and bytes
 *
 * One file, so one atomic rename publishes all of it: there is no moment at which the
 * weights are new and the step count old. The hash catches what the format's own
 * checks cannot — bytes flipped inside the tensor data, or a digit of the step count or
 * of a generator's state changed in the JSON — so a damaged file is refused with a
 * reason instead of resuming from garbage. PyTorch's reader ignores the metadata,
 * so the same file loads there as plain weights.
 */

import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import {
  loadSafetensors,
  SafetensorsError,
  type SafetensorsInput,
  saveSafetensors,
} from '@unroll/cells';
import type {
  OptimizerStateDict,
  OptimizerStateDictInput,
  SchedulerStateDict,
} from '@unroll/optim';
import { checkConfigShape, type TrainConfig } from './config.ts';
import type { LayerState } from './fast-path.ts';
import type { DataPosition } from './task-adapters.ts';

/** v2: the hash covers the config and the state too (v1's covered the tensors only). */
export const CHECKPOINT_FORMAT = 'checkpoint-v2';

/** The whole state of a run between two steps. */
export interface TrainingState {
  /** Steps completed. */
  step: number;
  /** Parameter name → shape and values, in the model's order. */
  parameters: Record<string, { shape: number[]; data: Float64Array }>;
  optimizer: OptimizerStateDict;
  scheduler: SchedulerStateDict | null;
  data: DataPosition;
  /** The char-LM's state carried into the next window (null for the other tasks). */
  carried: LayerState[] | null;
}

/** A checkpoint that cannot be used; the message says why. */
export class CheckpointError extends Error {
  override name = 'CheckpointError';
}

const camelToSnake = (key: string) => key.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`);
const snakeToCamel = (key: string) => key.replace(/_([a-z])/g, (_, c: string) => c.toUpperCase());

/** sha256 over the config and state JSON, then every tensor's name, shape and float64 bytes. */
function digest(
  config: string,
  state: string,
  tensors: Record<string, { shape: readonly number[]; data: ArrayLike<number> }>,
) {
  const hash = createHash('sha256');
  hash.update(`${config}\n${state}\n`);
  for (const [name, { shape, data }] of Object.entries(tensors)) {
    hash.update(`${name}[${shape.join(',')}]`);
    const bytes = Float64Array.from(data);
    hash.update(new Uint8Array(bytes.buffer));
  }
  return hash.digest('hex');
}

/** The checkpoint of `state` as safetensors bytes. */
export function encodeCheckpoint(config: TrainConfig, state: TrainingState): Uint8Array {
  const names = Object.keys(state.parameters);
  const tensors: Record<string, SafetensorsInput> = { ...state.parameters };
  // Buffers become tensors named after their parameter; counters and nulls stay in JSON.
  const scalars: Record<string, Record<string, number | null>> = {};
  for (const [index, entry] of Object.entries(state.optimizer.state)) {
    const name = names[Number(index)]!;
    const shape = state.parameters[name]!.shape;
    scalars[name] = {};
    for (const [key, value] of Object.entries(entry)) {
      if (value instanceof Float64Array) {
        tensors[`optimizer.${name}.${camelToSnake(key)}`] = { shape, data: value };
      } else scalars[name]![key] = value;
    }
  }
  if (state.carried !== null) {
    const L = state.carried.length;
    const size = state.carried[0]!.h.length;
    const join = (part: 'h' | 'c') => {
      const out = new Float64Array(L * size);
      state.carried!.forEach((s, l) => {
        out.set(s[part]!, l * size);
      });
      return { shape: [L, size], data: out };
    };
    tensors['carried.h'] = join('h');
    if (state.carried[0]!.c !== undefined) tensors['carried.c'] = join('c');
  }
  const meta = {
    step: state.step,
    parameterNames: names,
    optimizer: { paramGroups: state.optimizer.paramGroups, scalars },
    scheduler: state.scheduler,
    data: state.data,
  };
  const configJson = JSON.stringify(config);
  const stateJson = JSON.stringify(meta);
  return saveSafetensors(tensors, {
    'unroll.format': CHECKPOINT_FORMAT,
    'unroll.config': configJson,
    'unroll.state': stateJson,
    'unroll.sha256': digest(configJson, stateJson, tensors),
  });
}

export interface Checkpoint {
  config: TrainConfig;
  state: TrainingState;
  /** The optimizer's state dict in the form its loadStateDict takes. */
  optimizerInput: OptimizerStateDictInput;
}

/** Reads and checks a checkpoint file; throws CheckpointError with the reason. */
export function readCheckpoint(path: string): Checkpoint {
  let bytes: Uint8Array;
  try {
    bytes = readFileSync(path);
  } catch (error) {
    throw new CheckpointError(`cannot read ${path}: ${(error as Error).message}`);
  }
  return decodeCheckpoint(bytes, path);
}

export function decodeCheckpoint(bytes: Uint8Array, path = 'the file'): Checkpoint {
  const fail = (why: string): never => {
    throw new CheckpointError(`${path} is not a usable checkpoint: ${why}`);
  };
  let file: ReturnType<typeof loadSafetensors>;
  try {
    file = loadSafetensors(bytes);
  } catch (error) {
    if (!(error instanceof SafetensorsError)) throw error;
    return fail(`${error.message.replace(/^loadSafetensors: /, '')} (truncated or damaged)`);
  }
  const { tensors, metadata } = file;
  const format = metadata['unroll.format'];
  if (format === undefined) fail('its metadata has no unroll.format (a plain weights file?)');
  if (format !== CHECKPOINT_FORMAT) {
    fail(`it is in the format '${format}'; this version of unroll reads '${CHECKPOINT_FORMAT}'`);
  }
  const configJson = metadata['unroll.config'] ?? '';
  const stateJson = metadata['unroll.state'] ?? '';
  if (digest(configJson, stateJson, tensors) !== metadata['unroll.sha256']) {
    fail('its contents do not match the sha256 written with them (the file is damaged)');
  }
  let config: TrainConfig;
  let meta: {
    step: number;
    parameterNames: string[];
    optimizer: {
      paramGroups: OptimizerStateDict['paramGroups'];
      scalars: Record<string, Record<string, number | null>>;
    };
    scheduler: SchedulerStateDict | null;
    data: DataPosition;
  };
  try {
    config = checkConfigShape(JSON.parse(configJson), 'unroll.config');
    meta = JSON.parse(stateJson);
  } catch (error) {
    return fail(`its metadata does not parse: ${(error as Error).message}`);
  }
  if (!Number.isInteger(meta.step) || meta.step < 0 || !Array.isArray(meta.parameterNames)) {
    fail('its metadata has no step count or parameter list');
  }
  const parameters: TrainingState['parameters'] = {};
  for (const name of meta.parameterNames) {
    const t = tensors[name];
    if (t === undefined) fail(`parameter '${name}' is listed but missing`);
    parameters[name] = { shape: t!.shape, data: t!.data };
  }
  const optimizerState: OptimizerStateDictInput['state'] = {};
  meta.parameterNames.forEach((name, index) => {
    const scalars = meta.optimizer.scalars[name];
    if (scalars === undefined) return; // never stepped
    const entry: Record<string, number | Float64Array | null> = { ...scalars };
    const prefix = `optimizer.${name}.`;
    for (const [key, t] of Object.entries(tensors)) {
      if (key.startsWith(prefix)) entry[snakeToCamel(key.slice(prefix.length))] = t.data;
    }
    optimizerState[index] = entry;
  });
  let carried: LayerState[] | null = null;
  const carriedH = tensors['carried.h'];
  if (carriedH !== undefined) {
    const [L, size] = carriedH.shape as [number, number];
    const carriedC = tensors['carried.c'];
    carried = Array.from({ length: L }, (_, l) => {
      const h = carriedH.data.slice(l * size, (l + 1) * size);
      return carriedC === undefined
        ? { h }
        : { h, c: carriedC.data.slice(l * size, (l + 1) * size) };
    });
  }
  const optimizerInput = { state: optimizerState, paramGroups: meta.optimizer.paramGroups };
  return {
    config,
    optimizerInput,
    state: {
      step: meta.step,
      parameters,
      optimizer: optimizerInput as unknown as OptimizerStateDict,
      scheduler: meta.scheduler,
      data: meta.data,
      carried,
    },
  };
}

/** The fields where two configs differ, as 'cell lstm ≠ gru, hidden 8 ≠ 16'. */
export function configDifferences(a: TrainConfig, b: TrainConfig, ignore: readonly string[] = []) {
  const out: string[] = [];
  for (const key of Object.keys(a) as (keyof TrainConfig)[]) {
    if (ignore.includes(key)) continue;
    const [x, y] = [JSON.stringify(a[key]), JSON.stringify(b[key])];
    if (x !== y) out.push(`${key} ${x} ≠ ${y}`);
  }
  return out;
}
