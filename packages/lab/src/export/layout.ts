/**
 * What every export reads from a run, and the gate orders that differ between
 * frameworks.
 *
 * A run's model is a stack of L recurrent layers and a linear readout, with PyTorch's
 * parameter names (model.ts): per layer l
 *
 *   weight_ih_l{l}  [G·H, I or H]    weight_hh_l{l}  [G·H, H]
 *   bias_ih_l{l}    [G·H]            bias_hh_l{l}    [G·H]
 *
 * and readout.weight [O, H], readout.bias [O], where G is the number of gate blocks
 * stacked in the rows: 1 for the tanh RNN, 4 for the LSTM, 3 for the GRU. The
 * frameworks agree on that stacking and disagree on the order of the blocks:
 *
 *   cell   PyTorch (unroll)   Keras / TensorFlow.js   ONNX
 *   LSTM   i f g o            i f c o                 i o f c
 *   GRU    r z n              z r h                   z r h
 *
 * (g, c and n/h are names of the same candidate block). Keras also stores the
 * transposes, kernel = W_ihᵀ, and ONNX stacks the two biases into one vector.
 */

import type { CellName } from '../config.ts';

export const GATE_BLOCKS: Record<CellName, number> = { rnn: 1, lstm: 4, gru: 3 };

/** Where each framework's k-th block is found among PyTorch's blocks. */
export const BLOCKS_FROM_PYTORCH: Record<'onnx' | 'keras', Record<CellName, number[]>> = {
  // ONNX LSTM: i o f c = PyTorch's blocks 0 3 1 2; GRU: z r h = 1 0 2.
  onnx: { rnn: [0], lstm: [0, 3, 1, 2], gru: [1, 0, 2] },
  // Keras LSTM: i f c o is PyTorch's own order; GRU: z r h = 1 0 2.
  keras: { rnn: [0], lstm: [0, 1, 2, 3], gru: [1, 0, 2] },
};

/** Whether a run's last step or every step is read out (model.ts, task-adapters.ts). */
export type Readout = 'last' | 'every';

/** The tasks that read out every step; the others read h_T only. */
export function readoutOfTask(task: string): Readout {
  return task === 'copy' || task === 'charlm' ? 'every' : 'last';
}

export interface Tensor64 {
  shape: number[];
  data: Float64Array;
}

/** A run's model as the exporters see it: sizes, and the tensors under PyTorch's names. */
export interface ExportModel {
  cell: CellName;
  layers: number;
  hiddenSize: number;
  inputSize: number;
  outputSize: number;
  readout: Readout;
  tensors: Record<string, Tensor64>;
}

/** A weights file or a model that does not match what is expected; the message names the first mismatch. */
export class FormatError extends Error {
  override name = 'FormatError';
}

/** The names and shapes a model of these sizes has, in PyTorch's parameter order. */
export function expectedShapes(
  cell: CellName,
  layers: number,
  hiddenSize: number,
  inputSize: number,
  outputSize: number,
): [string, number[]][] {
  const G = GATE_BLOCKS[cell];
  const H = hiddenSize;
  const out: [string, number[]][] = [];
  for (let l = 0; l < layers; l++) {
    out.push([`weight_ih_l${l}`, [G * H, l === 0 ? inputSize : H]]);
    out.push([`weight_hh_l${l}`, [G * H, H]]);
    out.push([`bias_ih_l${l}`, [G * H]]);
    out.push([`bias_hh_l${l}`, [G * H]]);
  }
  out.push(['readout.weight', [outputSize, H]]);
  out.push(['readout.bias', [outputSize]]);
  return out;
}

const shapeText = (shape: readonly number[]) => `[${shape.join(', ')}]`;

/**
 * Reads the sizes of a `cell` model from its tensors (layers from the names, H from
 * weight_hh_l0, I from weight_ih_l0, O from readout.weight) and checks every name and
 * shape against them, in order; throws FormatError naming the first that is missing,
 * extra or of the wrong shape.
 */
export function modelFromTensors(
  cell: CellName,
  readout: Readout,
  tensors: Record<string, Tensor64>,
  where: string,
): ExportModel {
  const fail = (why: string): never => {
    throw new FormatError(`${where}: ${why}`);
  };
  const G = GATE_BLOCKS[cell];
  const hh = tensors.weight_hh_l0;
  if (hh === undefined) fail(`no tensor 'weight_hh_l0' (expected a ${cell} state dict)`);
  if (hh!.shape.length !== 2 || hh!.shape[0] !== G * hh!.shape[1]!) {
    fail(
      `'weight_hh_l0' has shape ${shapeText(hh!.shape)}; a ${cell} with hidden size H has [${G}·H, H] (${G} gate block${G > 1 ? 's' : ''}): is --cell right?`,
    );
  }
  const H = hh!.shape[1]!;
  let layers = 0;
  while (tensors[`weight_hh_l${layers}`] !== undefined) layers++;
  const inputSize = tensors.weight_ih_l0?.shape[1] ?? fail("no tensor 'weight_ih_l0'");
  const outputSize = tensors['readout.weight']?.shape[0] ?? fail("no tensor 'readout.weight'");
  const expected = expectedShapes(cell, layers, H, inputSize, outputSize);
  for (const [name, shape] of expected) {
    const t = tensors[name];
    if (t === undefined) fail(`no tensor '${name}' (expected shape ${shapeText(shape)})`);
    if (shapeText(t!.shape) !== shapeText(shape)) {
      fail(`'${name}' has shape ${shapeText(t!.shape)}, expected ${shapeText(shape)}`);
    }
  }
  const known = new Set(expected.map(([name]) => name));
  const extra = Object.keys(tensors).find((name) => !known.has(name));
  if (extra !== undefined) fail(`unexpected tensor '${extra}' in a ${layers}-layer ${cell}`);
  const kept: Record<string, Tensor64> = {};
  for (const [name] of expected) kept[name] = tensors[name]!;
  return { cell, layers, hiddenSize: H, inputSize, outputSize, readout, tensors: kept };
}

/**
 * A [G·H, C] row-stacked matrix (or a [G·H] vector, C = 1) with its blocks put in
 * another order: block k of the result is block order[k] of `data`.
 */
export function reorderBlocks(
  data: ArrayLike<number>,
  H: number,
  C: number,
  order: readonly number[],
): Float64Array {
  const out = new Float64Array(order.length * H * C);
  const blockSize = H * C;
  order.forEach((from, k) => {
    for (let i = 0; i < blockSize; i++) out[k * blockSize + i] = data[from * blockSize + i]!;
  });
  return out;
}

/** The inverse permutation: where PyTorch's block k sits in the other order. */
export function inverseOrder(order: readonly number[]): number[] {
  const inverse = new Array<number>(order.length);
  order.forEach((from, k) => {
    inverse[from] = k;
  });
  return inverse;
}

/** Aᵀ of a row-major [rows, cols] matrix. */
export function transpose(data: ArrayLike<number>, rows: number, cols: number): Float64Array {
  const out = new Float64Array(rows * cols);
  for (let r = 0; r < rows; r++) {
    for (let c = 0; c < cols; c++) out[c * rows + r] = data[r * cols + c]!;
  }
  return out;
}
