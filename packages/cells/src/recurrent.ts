/**
 * Stacked sequence layers — RNN, LSTM, GRU — with PyTorch's options, parameter names
 * and packed-sequence semantics.
 *
 * Layer l, direction d is one cell; its parameters are named weight_ih_l{l},
 * weight_hh_l{l}, bias_ih_l{l}, bias_hh_l{l}, with `_reverse` for the backward
 * direction. Layer 0 reads x [.., I]; layer l > 0 reads layer l − 1's output [.., D·H]
 * (both directions concatenated, forward first), after dropout when training.
 *
 *   x_1 ──► cell_l0 ──► cell_l0 ──► … ──► h_T (forward)     output_t = [→h_t, ←h_t]
 *   x_1 ◄── cell_l0_reverse ◄── … ◄──── (reverse starts at the last valid step)
 *
 * Variable lengths (PyTorch's pack_padded_sequence): for a sequence of length ℓ, steps
 * t ≥ ℓ are padding. A 0/1 mask m_t [B, 1] gives, at those steps,
 *   state_t  = m_t ? newState : state_{t−1}    (so the final state is the one at ℓ − 1)
 *   output_t = m_t ? h_new : 0                 (0 past the end, and not −0)
 * The reverse direction walks t = T − 1 … 0; its state stays at the initial state
 * through the padding and starts at t = ℓ − 1, each sequence at its own last step.
 * Masks are exact (0 or 1), so gradients match packing; steps where every sequence
 * is still running build no mask at all.
 *
 * Speed: x W_ihᵀ + b_ih is one matmul over all T·B rows per layer and direction,
 * unbound into steps (unbind.ts); each step then costs one [B, H]·[H, G·H] matmul and
 * the cell's elementwise gates. In the backward pass the same holds for the weights:
 * W_ih's gradient is one product over the T·B rows (linear's), and so is W_hh's, which
 * the steps' projections h_{t−1} W_hhᵀ + b_hh share (recurrent-linear.ts) instead of
 * each adding a product of their own B rows.
 */

import {
  concat,
  fromData,
  mul,
  type OpContext,
  Rng,
  stack,
  type Tensor,
  transpose,
  where,
  withOpContext,
} from '@unroll/tensor';
import {
  type CellOptions,
  type HiddenState,
  type LSTMState,
  type RecurrentCell,
  type RecurrentInit,
  recurrentInits,
} from './cell.ts';
import { GRUCell } from './gru-cell.ts';
import { LSTMCell } from './lstm-cell.ts';
import { Module } from './module.ts';
import { booleanOption, checkKeys, choiceOption, integerOption, rangeOption } from './options.ts';
import { RNNCell } from './rnn-cell.ts';
import { unbind } from './unbind.ts';

export interface RecurrentOptions {
  inputSize: number;
  hiddenSize: number;
  numLayers?: number;
  bias?: boolean;
  /** x and output are [B, T, ·] (default true) rather than [T, B, ·]. */
  batchFirst?: boolean;
  /** Dropout probability on the outputs of every layer but the last, in training only. */
  dropout?: number;
  bidirectional?: boolean;
  recurrentInit?: RecurrentInit;
  /** Initial weights, then dropout masks (a fork), come from it (default: seeded with 0). */
  rng?: Rng;
}

export interface ForwardOptions {
  /** Each sequence's length, in batch order, each in 1..T. */
  lengths?: ArrayLike<number>;
}

/** output [B, T, D·H] (batchFirst) or [T, B, D·H]; h [L·D, B, H] at each sequence's end. */
export interface SequenceOutput {
  output: Tensor;
  h: Tensor;
}

export interface LSTMSequenceOutput extends SequenceOutput {
  c: Tensor;
}

const layerKeys = [
  'inputSize',
  'hiddenSize',
  'numLayers',
  'bias',
  'batchFirst',
  'dropout',
  'bidirectional',
  'recurrentInit',
  'rng',
];

abstract class StackedRecurrent<S extends HiddenState> extends Module {
  readonly inputSize: number;
  readonly hiddenSize: number;
  readonly numLayers: number;
  readonly bias: boolean;
  readonly batchFirst: boolean;
  readonly dropout: number;
  readonly bidirectional: boolean;
  /** cells[layer][direction]: the cells whose parameters this layer registers. */
  readonly cells: RecurrentCell<S>[][] = [];
  private readonly dropoutRng: Rng;

  protected constructor(
    protected readonly owner: string,
    options: RecurrentOptions,
    extraKeys: readonly string[],
    makeCell: (options: CellOptions) => RecurrentCell<S>,
  ) {
    super();
    checkKeys(owner, options, [...layerKeys, ...extraKeys]);
    this.inputSize = integerOption(owner, 'inputSize', options.inputSize);
    this.hiddenSize = integerOption(owner, 'hiddenSize', options.hiddenSize);
    this.numLayers = integerOption(owner, 'numLayers', options.numLayers ?? 1);
    this.bias = booleanOption(owner, 'bias', options.bias, true);
    this.batchFirst = booleanOption(owner, 'batchFirst', options.batchFirst, true);
    this.dropout = rangeOption(owner, 'dropout', options.dropout, [0, 1], 0);
    this.bidirectional = booleanOption(owner, 'bidirectional', options.bidirectional, false);
    const recurrentInit = choiceOption<RecurrentInit>(
      owner,
      'recurrentInit',
      options.recurrentInit,
      recurrentInits,
      'uniform',
    );
    const rng = options.rng ?? new Rng(0);
    const directions = this.bidirectional ? 2 : 1;
    for (let l = 0; l < this.numLayers; l++) {
      const row: RecurrentCell<S>[] = [];
      for (let d = 0; d < directions; d++) {
        const cell = makeCell({
          inputSize: l === 0 ? this.inputSize : directions * this.hiddenSize,
          hiddenSize: this.hiddenSize,
          bias: this.bias,
          recurrentInit,
          rng,
        });
        const suffix = `_l${l}${d === 1 ? '_reverse' : ''}`;
        for (const [name, parameter] of cell.namedParameters()) {
          this.registerParameter(name + suffix, parameter);
        }
        row.push(cell);
      }
      this.cells.push(row);
    }
    this.dropoutRng = rng.fork();
  }

  /** Runs every layer and direction; returns the output and the L·D final states. */
  protected run(x: Tensor, state0: S | undefined, lengths: ArrayLike<number> | undefined) {
    const { owner } = this;
    if (x.rank !== 3 || x.shape[2] !== this.inputSize) {
      const layout = this.batchFirst ? 'batch, time' : 'time, batch';
      throw new RangeError(
        `${owner}.forward: x must be [${layout}, inputSize = ${this.inputSize}], got [${x.shape.join(', ')}]`,
      );
    }
    // Time-major [T, B, F], so that each step's rows are contiguous. Moving x costs
    // less than moving its projection, which is G·H wide.
    let input = this.batchFirst ? transpose(x, 0, 1) : x;
    const [T, B] = input.shape as [number, number];
    if (T === 0 || B === 0)
      throw new RangeError(`${owner}.forward: x has no time steps or no batch`);
    const masks = lengths === undefined ? null : stepMasks(owner, lengths, T, B);
    const directions = this.bidirectional ? 2 : 1;
    const initial = this.initialStates(state0, B);

    const finals: S[] = [];
    for (let l = 0; l < this.numLayers; l++) {
      // Layers feed each other time-major; the last one stacks its steps straight into
      // the output's layout, [B, T, ·] when batchFirst (one copy, not a stack then a transpose).
      const timeAxis = l === this.numLayers - 1 && this.batchFirst ? 1 : 0;
      if (l > 0 && this.dropout > 0 && this.training) input = this.dropOut(input);
      const outputs: Tensor[] = [];
      for (let d = 0; d < directions; d++) {
        const cell = this.cells[l]![d]!;
        // Ops are labelled with layer, direction and timestep, for anomaly detection.
        const label: OpContext = d === 0 ? { layer: l } : { layer: l, direction: 'reverse' };
        const xW = unbind(withOpContext(label, () => cell.projectInput(input))); // T × [B, G·H]
        const projectHidden = cell.sequenceProjection(); // h W_hhᵀ + b_hh, W_hh's gradient once
        let state = initial[l * directions + d]!;
        const hs: Tensor[] = new Array(T);
        for (let s = 0; s < T; s++) {
          const t = d === 0 ? s : T - 1 - s;
          const previous = state;
          const next = withOpContext({ ...label, timestep: t + 1 }, () =>
            cell.stepProjected(xW[t]!, previous, projectHidden),
          );
          const m = masks?.[t] ?? null;
          hs[t] = m === null ? next.h : where(m, next.h, 0);
          state = m === null ? next : keepWhere(m, next, state);
        }
        finals.push(state);
        outputs.push(stack(hs, timeAxis));
      }
      input = directions === 2 ? concat(outputs, 2) : outputs[0]!;
    }
    return { output: input, finals };
  }

  /** Each cell's starting state: slices of state0's [L·D, B, H] tensors, or zeros. */
  private initialStates(state0: S | undefined, batch: number): S[] {
    const count = this.numLayers * (this.bidirectional ? 2 : 1);
    const cell = this.cells[0]![0]!;
    if (state0 === undefined) {
      return Array.from({ length: count }, () => cell.initialState(batch));
    }
    const expected = [count, batch, this.hiddenSize];
    const template = cell.initialState(1);
    const slices: Record<string, Tensor[]> = {};
    for (const key of Object.keys(template)) {
      const t = (state0 as unknown as Record<string, Tensor | undefined>)[key];
      if (t === undefined || t.rank !== 3 || t.shape.some((n, i) => n !== expected[i])) {
        throw new RangeError(
          `${this.owner}.forward: state0.${key} must be [numLayers·directions = ${count}, batch = ${batch}, hiddenSize = ${this.hiddenSize}], got ${t === undefined ? 'nothing' : `[${t.shape.join(', ')}]`}`,
        );
      }
      slices[key] = unbind(t);
    }
    return Array.from({ length: count }, (_, k) => {
      const state: Record<string, Tensor> = {};
      for (const key of Object.keys(slices)) state[key] = slices[key]![k]!;
      return state as unknown as S;
    });
  }

  /** Inverted dropout: each entry kept with probability 1 − p and scaled by 1/(1 − p). */
  private dropOut(input: Tensor): Tensor {
    const p = this.dropout;
    const mask = new Float64Array(input.size);
    for (let i = 0; i < mask.length; i++) mask[i] = this.dropoutRng.uniform() < p ? 0 : 1 / (1 - p);
    return mul(input, fromData(mask, input.shape.slice()));
  }

  /** Stacks one part (h or c) of the final states into [L·D, B, H]. */
  protected collect(finals: S[], key: keyof S & string): Tensor {
    return stack(
      finals.map((s) => s[key] as Tensor),
      0,
    );
  }
}

/** Per step, a [B, 1] 0/1 mask of the sequences still running, or null when all are. */
function stepMasks(owner: string, lengths: ArrayLike<number>, T: number, B: number) {
  if (lengths.length !== B) {
    throw new RangeError(
      `${owner}.forward: lengths has ${lengths.length} entries but the batch has ${B}`,
    );
  }
  for (let b = 0; b < B; b++) {
    const length = lengths[b]!;
    if (!Number.isInteger(length) || length < 1 || length > T) {
      throw new RangeError(
        `${owner}.forward: lengths[${b}] = ${length} must be an integer in 1..${T} (the number of steps)`,
      );
    }
  }
  const masks: (Tensor | null)[] = new Array(T).fill(null);
  for (let t = 0; t < T; t++) {
    const running = new Float64Array(B);
    let all = true;
    for (let b = 0; b < B; b++) {
      running[b] = t < lengths[b]! ? 1 : 0;
      if (running[b] === 0) all = false;
    }
    if (!all) masks[t] = fromData(running, [B, 1]);
  }
  return masks;
}

/** Each part of the state: the new value where the mask is 1, the previous where 0. */
function keepWhere<S extends HiddenState>(mask: Tensor, next: S, previous: S): S {
  const out: Record<string, Tensor> = {};
  for (const key of Object.keys(next)) {
    const now = (next as unknown as Record<string, Tensor>)[key]!;
    const before = (previous as unknown as Record<string, Tensor>)[key]!;
    out[key] = where(mask, now, before);
  }
  return out as unknown as S;
}

export interface RNNOptions extends RecurrentOptions {
  nonlinearity?: 'tanh' | 'relu';
}

export class RNN extends StackedRecurrent<HiddenState> {
  readonly nonlinearity: 'tanh' | 'relu';

  constructor(options: RNNOptions) {
    const nonlinearity = choiceOption(
      'RNN',
      'nonlinearity',
      options?.nonlinearity,
      ['tanh', 'relu'],
      'tanh',
    );
    super('RNN', options, ['nonlinearity'], (o) => new RNNCell({ ...o, nonlinearity }));
    this.nonlinearity = nonlinearity;
  }

  /** x [B, T, I] (batchFirst) and h0 [L·D, B, H] (zeros when left out). */
  forward(x: Tensor, state0?: HiddenState, options: ForwardOptions = {}): SequenceOutput {
    const { output, finals } = this.run(x, state0, options.lengths);
    return { output, h: this.collect(finals, 'h') };
  }
}

export interface LSTMOptions extends RecurrentOptions {
  /** The forget gate's starting bias (b_if + b_hf) in every layer; see LSTMCell. */
  forgetBias?: number;
}

export class LSTM extends StackedRecurrent<LSTMState> {
  constructor(options: LSTMOptions) {
    const forgetBias = options?.forgetBias;
    super('LSTM', options, ['forgetBias'], (o) =>
      forgetBias === undefined ? new LSTMCell(o) : new LSTMCell({ ...o, forgetBias }),
    );
  }

  /** x [B, T, I] (batchFirst) and { h0, c0 } each [L·D, B, H] (zeros when left out). */
  forward(x: Tensor, state0?: LSTMState, options: ForwardOptions = {}): LSTMSequenceOutput {
    const { output, finals } = this.run(x, state0, options.lengths);
    return { output, h: this.collect(finals, 'h'), c: this.collect(finals, 'c') };
  }
}

export interface GRUOptions extends RecurrentOptions {
  /** true: PyTorch's GRU; false: Cho et al.'s (Keras reset_after=False). See GRUCell. */
  resetAfter?: boolean;
}

export class GRU extends StackedRecurrent<HiddenState> {
  readonly resetAfter: boolean;

  constructor(options: GRUOptions) {
    const resetAfter = booleanOption('GRU', 'resetAfter', options?.resetAfter, true);
    super('GRU', options, ['resetAfter'], (o) => new GRUCell({ ...o, resetAfter }));
    this.resetAfter = resetAfter;
  }

  /** x [B, T, I] (batchFirst) and h0 [L·D, B, H] (zeros when left out). */
  forward(x: Tensor, state0?: HiddenState, options: ForwardOptions = {}): SequenceOutput {
    const { output, finals } = this.run(x, state0, options.lengths);
    return { output, h: this.collect(finals, 'h') };
  }
}
