/**
 * The model every run trains: a stacked recurrent layer (RNN, LSTM or GRU from
 * @unroll/cells) and a linear readout.
 *
 *   x_1 … x_T ──► recurrent layers ──► h_1 … h_T ──► readout ──► ŷ (at T, or at every t)
 *
 * Parameter names are PyTorch's: the recurrent layer's own (`weight_ih_l0`,
 * `weight_hh_l0`, `bias_ih_l0`, `bias_hh_l0`, … `_l1` for the next layer) without a
 * prefix, and `readout.weight`, `readout.bias`. So the checkpoint's recurrent tensors
 * load straight into `torch.nn.LSTM(...).load_state_dict`, and the readout into a
 * `torch.nn.Linear`.
 */

import type { CellWeights } from '@unroll/bptt';
import { GRU, Linear, LSTM, Module, type RecurrentCell, RNN } from '@unroll/cells';
import type { Rng, Tensor } from '@unroll/tensor';
import type { CellName } from './config.ts';

export interface ModelSpec {
  cell: CellName;
  inputSize: number;
  hiddenSize: number;
  layers: number;
  outputSize: number;
  /** LSTM only: start b_if + b_hf at this value (null: PyTorch's default draw). */
  forgetBias: number | null;
}

// biome-ignore lint/suspicious/noExplicitAny: the three cells differ only in their state type.
export type AnyCell = RecurrentCell<any>;

export class SequenceModel extends Module {
  readonly spec: ModelSpec;
  readonly recurrent: RNN | LSTM | GRU;
  readonly readout: Linear;

  constructor(spec: ModelSpec, rng: Rng) {
    super();
    this.spec = spec;
    const options = {
      inputSize: spec.inputSize,
      hiddenSize: spec.hiddenSize,
      numLayers: spec.layers,
      batchFirst: true,
      rng,
    };
    this.recurrent =
      spec.cell === 'rnn'
        ? new RNN(options)
        : spec.cell === 'gru'
          ? new GRU(options)
          : new LSTM(
              spec.forgetBias === null ? options : { ...options, forgetBias: spec.forgetBias },
            );
    // The layer's parameters under their own names (no prefix), as torch.nn.LSTM has them.
    for (const [name, parameter] of this.recurrent.namedParameters()) {
      this.registerParameter(name, parameter);
    }
    this.readout = this.registerModule(
      'readout',
      new Linear({ inFeatures: spec.hiddenSize, outFeatures: spec.outputSize, rng }),
    );
  }

  /** Layer l's cell (its parameters are the model's `…_l{l}`). */
  cellOf(layer: number): AnyCell {
    return this.recurrent.cells[layer]![0]! as AnyCell;
  }

  /** Layer l's parameters as the flat arrays the hand-derived passes read (shared, not copied). */
  weightsOf(layer: number): CellWeights {
    const cell = this.cellOf(layer);
    return {
      weight_ih: cell.weight_ih.data,
      weight_hh: cell.weight_hh.data,
      bias_ih: cell.bias_ih?.data ?? null,
      bias_hh: cell.bias_hh?.data ?? null,
    };
  }

  /** Layer l's four parameter tensors, in the order of CellWeights. */
  parametersOf(layer: number): [Tensor, Tensor, Tensor | null, Tensor | null] {
    const cell = this.cellOf(layer);
    return [cell.weight_ih, cell.weight_hh, cell.bias_ih, cell.bias_hh];
  }

  /** 1 tensor (h) per layer for RNN and GRU, 2 (h, c) for LSTM. */
  get hasCellState(): boolean {
    return this.spec.cell === 'lstm';
  }
}
