/**
 * A run's model as a Keras / TensorFlow.js LayersModel: `model.json` (the layers and a
 * weights manifest) and `weights.bin` (every weight, float32, little-endian, in the
 * manifest's order) — what `tf.loadLayersModel` reads and what `tensorflowjs_converter`
 * makes from a Keras model and back.
 *
 *   Sequential [ LSTM l0 (return_sequences) … LSTM l(L−1) , Dense readout ]
 *
 * Keras keeps one layer's gates in its columns, transposed from PyTorch's rows, and
 * (except the reset-after GRU) one bias:
 *
 *   kernel            [I, G·H] = weight_ihᵀ      (blocks: LSTM i f c o, GRU z r h)
 *   recurrent_kernel  [H, G·H] = weight_hhᵀ
 *   bias              [G·H]    = bias_ih + bias_hh    (GRU reset_after: [2, 3H] = [bias_ih; bias_hh])
 *
 * Two traps. The gate activation must be written out as `sigmoid`: TensorFlow.js's
 * default recurrent activation is the hard sigmoid, which would load silently and
 * compute something else. And the GRU: Keras has both forms, `reset_after: true`
 * (PyTorch's: n = tanh(W_n x + b_in + r ⊙ (U_n h + b_hn))) and `reset_after: false`
 * (Cho et al.'s: n = tanh(W_n x + U_n (r ⊙ h) + b_n)); TensorFlow.js implements only the
 * second. No choice of weights turns one into the other — r multiplies U_n h in one
 * and h inside U_n(·) in the other, which differ whenever U_n is not diagonal — so a
 * run's GRU goes to Keras (as reset_after) but not to TensorFlow.js.
 *
 * Reading back (import): the summed bias cannot be split, so it comes back as
 * bias_ih = b, bias_hh = 0, which computes the same; a file written from it again is
 * the same file, byte for byte.
 */

import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import type { CellName } from '../config.ts';
import {
  BLOCKS_FROM_PYTORCH,
  type ExportModel,
  FormatError,
  GATE_BLOCKS,
  inverseOrder,
  type Readout,
  reorderBlocks,
  type Tensor64,
  transpose,
} from './layout.ts';

export const KERAS_FILES = { model: 'model.json', weights: 'weights.bin' } as const;

const LAYER_CLASS = { rnn: 'SimpleRNN', lstm: 'LSTM', gru: 'GRU' } as const;

/** Why `model` cannot be written for `target`, or null when it can. */
export function kerasRefusal(model: ExportModel, target: 'tfjs' | 'keras'): string | null {
  if (model.cell === 'gru' && target === 'tfjs') {
    return "TensorFlow.js's GRU is Cho et al.'s form (the reset gate applied to h before the recurrent product); unroll's GRU is PyTorch's (applied after it), and no weights turn one into the other — export it --to keras (Keras has PyTorch's form as reset_after) or --to onnx";
  }
  return null;
}

interface WeightSpec {
  name: string;
  shape: number[];
  dtype: 'float32';
}

/** model.json's object and weights.bin's bytes. */
export function kerasFiles(model: ExportModel, target: 'tfjs' | 'keras') {
  const refusal = kerasRefusal(model, target);
  if (refusal !== null) throw new FormatError(refusal);
  const { cell, layers, hiddenSize: H, inputSize: I, outputSize: O, tensors } = model;
  const G = GATE_BLOCKS[cell];
  const order = BLOCKS_FROM_PYTORCH.keras[cell];
  const specs: WeightSpec[] = [];
  const values: Float64Array[] = [];
  const add = (name: string, shape: number[], data: Float64Array) => {
    specs.push({ name, shape, dtype: 'float32' });
    values.push(data);
  };
  const layerConfigs: unknown[] = [];
  for (let l = 0; l < layers; l++) {
    const inSize = l === 0 ? I : H;
    const name = `${cell}_l${l}`;
    const t = (key: string) => tensors[`${key}_l${l}`]!.data;
    // kernel = (weight_ih with its blocks in Keras's order)ᵀ
    add(
      `${name}/kernel`,
      [inSize, G * H],
      transpose(reorderBlocks(t('weight_ih'), H, inSize, order), G * H, inSize),
    );
    add(
      `${name}/recurrent_kernel`,
      [H, G * H],
      transpose(reorderBlocks(t('weight_hh'), H, H, order), G * H, H),
    );
    const bIh = reorderBlocks(t('bias_ih'), H, 1, order);
    const bHh = reorderBlocks(t('bias_hh'), H, 1, order);
    if (cell === 'gru') {
      const both = new Float64Array(2 * G * H);
      both.set(bIh, 0);
      both.set(bHh, G * H);
      add(`${name}/bias`, [2, G * H], both);
    } else
      add(
        `${name}/bias`,
        [G * H],
        bIh.map((b, i) => b + bHh[i]!),
      );
    layerConfigs.push({
      class_name: LAYER_CLASS[cell],
      config: {
        name,
        trainable: true,
        dtype: 'float32',
        ...(l === 0 ? { batch_input_shape: [null, null, I] } : {}),
        units: H,
        activation: 'tanh',
        // Written out: TensorFlow.js's default is the hard sigmoid.
        ...(cell === 'rnn' ? {} : { recurrent_activation: 'sigmoid' }),
        ...(cell === 'gru' ? { reset_after: true } : {}),
        ...(cell === 'lstm' ? { unit_forget_bias: false } : {}),
        use_bias: true,
        return_sequences: l < layers - 1 || model.readout === 'every',
        return_state: false,
        go_backwards: false,
        stateful: false,
        unroll: false,
      },
    });
  }
  add('readout/kernel', [H, O], transpose(tensors['readout.weight']!.data, O, H));
  add('readout/bias', [O], tensors['readout.bias']!.data);
  layerConfigs.push({
    class_name: 'Dense',
    config: {
      name: 'readout',
      trainable: true,
      dtype: 'float32',
      units: O,
      activation: 'linear',
      use_bias: true,
    },
  });
  const json = {
    format: 'layers-model',
    generatedBy: 'unroll',
    convertedBy: null,
    modelTopology: {
      class_name: 'Sequential',
      config: { name: `unroll_${cell}`, layers: layerConfigs },
      keras_version: 'tfjs-layers 4.22.0',
      backend: 'tensor_flow.js',
    },
    weightsManifest: [{ paths: [KERAS_FILES.weights], weights: specs }],
  };
  const total = values.reduce((n, v) => n + v.length, 0);
  const weights = new Float32Array(total);
  let at = 0;
  for (const v of values) {
    weights.set(v, at);
    at += v.length;
  }
  return { json, weights: new Uint8Array(weights.buffer) };
}

const CELL_OF_CLASS: Record<string, CellName> = { SimpleRNN: 'rnn', LSTM: 'lstm', GRU: 'gru' };

/**
 * Reads a LayersModel (model.json and the weight files its manifest names) as tensors
 * under PyTorch's names, checking the layers against `cell`. Throws FormatError naming
 * the first thing that does not fit.
 */
export function readKerasModel(
  path: string,
  cell: CellName,
): { tensors: Record<string, Tensor64>; readout: Readout } {
  const fail = (why: string): never => {
    throw new FormatError(`${path}: ${why}`);
  };
  let json: {
    modelTopology?: {
      config?: { layers?: { class_name: string; config: Record<string, unknown> }[] };
    };
    weightsManifest?: { paths: string[]; weights: WeightSpec[] }[];
  };
  try {
    json = JSON.parse(readFileSync(path, 'utf8'));
  } catch (error) {
    return fail(`not a LayersModel model.json (${(error as Error).message})`);
  }
  const layerList = json.modelTopology?.config?.layers;
  const manifest = json.weightsManifest;
  if (!Array.isArray(layerList) || !Array.isArray(manifest)) {
    fail('not a LayersModel model.json (no modelTopology.config.layers or weightsManifest)');
  }
  // The weights: every group's files, concatenated, sliced in the order of its specs.
  const values = new Map<string, { shape: number[]; data: Float64Array }>();
  for (const group of manifest!) {
    const bytes = Buffer.concat(
      group.paths.map((p) => {
        try {
          return readFileSync(join(dirname(path), p));
        } catch (error) {
          return fail(`cannot read its weights file ${p}: ${(error as Error).message}`);
        }
      }),
    );
    let offset = 0;
    for (const spec of group.weights) {
      if (spec.dtype !== 'float32')
        fail(`weight '${spec.name}' is ${spec.dtype}; expected float32`);
      const count = spec.shape.reduce((a, b) => a * b, 1);
      if (offset + 4 * count > bytes.length) fail(`its weights file ends inside '${spec.name}'`);
      const view = new DataView(bytes.buffer, bytes.byteOffset + offset, 4 * count);
      const data = new Float64Array(count);
      for (let i = 0; i < count; i++) data[i] = view.getFloat32(4 * i, true);
      values.set(spec.name, { shape: spec.shape, data });
      offset += 4 * count;
    }
  }
  const recurrent = layerList!.filter((layer) => layer.class_name in CELL_OF_CLASS);
  const dense = layerList!.filter((layer) => layer.class_name === 'Dense');
  const other = layerList!.find(
    (layer) => !(layer.class_name in CELL_OF_CLASS) && layer.class_name !== 'Dense',
  );
  if (other !== undefined)
    fail(`layer class ${other.class_name} is not one unroll has (SimpleRNN, LSTM, GRU, Dense)`);
  if (
    recurrent.length === 0 ||
    dense.length !== 1 ||
    layerList![layerList!.length - 1] !== dense[0]
  ) {
    fail('expected recurrent layers followed by one Dense readout');
  }
  const G = GATE_BLOCKS[cell];
  const inverse = inverseOrder(BLOCKS_FROM_PYTORCH.keras[cell]);
  const tensors: Record<string, Tensor64> = {};
  const weightOf = (layer: string, key: string, shape: number[]) => {
    const w = values.get(`${layer}/${key}`) ?? fail(`no weight '${layer}/${key}' in the manifest`);
    if (w.shape.join(',') !== shape.join(',')) {
      fail(
        `weight '${layer}/${key}' has shape [${w.shape.join(', ')}], expected [${shape.join(', ')}]`,
      );
    }
    return w.data;
  };
  let H = 0;
  recurrent.forEach((layer, l) => {
    const name = String(layer.config.name);
    if (CELL_OF_CLASS[layer.class_name] !== cell) {
      fail(
        `layer '${name}' is a ${layer.class_name}, but --cell is ${cell} (${LAYER_CLASS[cell]})`,
      );
    }
    const c = layer.config;
    if (c.activation !== 'tanh')
      fail(`layer '${name}' has activation ${String(c.activation)}; unroll's cells use tanh`);
    if (cell !== 'rnn' && c.recurrent_activation !== 'sigmoid') {
      fail(
        `layer '${name}' has recurrent_activation ${String(c.recurrent_activation ?? 'hard_sigmoid (the default)')}; unroll's gates use sigmoid`,
      );
    }
    if (cell === 'gru' && c.reset_after !== true) {
      fail(
        `layer '${name}' is Cho et al.'s GRU (reset_after false), which unroll's GRU (PyTorch's form) cannot express`,
      );
    }
    if (c.use_bias === false) fail(`layer '${name}' has no bias; unroll's cells have one`);
    H = Number(c.units);
    const hk =
      values.get(`${name}/kernel`)?.shape ?? fail(`no weight '${name}/kernel' in the manifest`);
    const inSize = hk[0]!;
    const kernel = weightOf(name, 'kernel', [inSize, G * H]);
    const recurrentKernel = weightOf(name, 'recurrent_kernel', [H, G * H]);
    const bias = weightOf(name, 'bias', cell === 'gru' ? [2, G * H] : [G * H]);
    const back = (data: Float64Array, cols: number) =>
      reorderBlocks(transpose(data, cols, G * H), H, cols, inverse);
    tensors[`weight_ih_l${l}`] = { shape: [G * H, inSize], data: back(kernel, inSize) };
    tensors[`weight_hh_l${l}`] = { shape: [G * H, H], data: back(recurrentKernel, H) };
    const bIh = reorderBlocks(bias.subarray(0, G * H), H, 1, inverse);
    const bHh =
      cell === 'gru' ? reorderBlocks(bias.subarray(G * H), H, 1, inverse) : new Float64Array(G * H);
    tensors[`bias_ih_l${l}`] = { shape: [G * H], data: bIh };
    tensors[`bias_hh_l${l}`] = { shape: [G * H], data: bHh };
  });
  const readoutName = String(dense[0]!.config.name);
  if ((dense[0]!.config.activation ?? 'linear') !== 'linear') {
    fail(
      `the Dense layer '${readoutName}' has activation ${String(dense[0]!.config.activation)}; unroll's readout is linear`,
    );
  }
  const O = Number(dense[0]!.config.units);
  tensors['readout.weight'] = {
    shape: [O, H],
    data: transpose(weightOf(readoutName, 'kernel', [H, O]), H, O),
  };
  tensors['readout.bias'] = { shape: [O], data: weightOf(readoutName, 'bias', [O]).slice() };
  const last = recurrent[recurrent.length - 1]!.config;
  return { tensors, readout: last.return_sequences === true ? 'every' : 'last' };
}
