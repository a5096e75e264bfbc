/**
 * What the three recurrent cells share: PyTorch's parameters and their initialisation,
 * the input projection, the checks on x and the state, and the check of the inputs
 * of the fused LSTM and GRU steps.
 *
 * A cell with G gates (RNN 1, GRU 3, LSTM 4) and hidden size H holds
 *   weight_ih [G·H, I]   weight_hh [G·H, H]   bias_ih [G·H]   bias_hh [G·H]
 * with the gates stacked in row blocks in PyTorch's order (LSTM i, f, g, o; GRU r, z, n).
 * So one matmul computes every gate's pre-activation at once:
 *   x W_ihᵀ + b_ih   [B, G·H]   (the input's part; `projectInput`)
 *   h W_hhᵀ + b_hh   [B, G·H]   (the recurrent part, inside each step)
 * and a step splits the sum into its gates. The input's part does not depend on the
 * state, so a sequence layer computes it for all T steps in one matmul and calls
 * `stepProjected` — the costly work left inside the time loop is one [B, H]·[H, G·H]
 * product per step.
 */

import { formatShape, linear, Rng, ShapeError, type Tensor, zeros } from '@unroll/tensor';
import { identityInit, orthogonalInit, uniformInit } from './init.ts';
import { Module } from './module.ts';
import { booleanOption, checkKeys, choiceOption, integerOption } from './options.ts';
import { type HiddenProjection, recurrentLinear } from './recurrent-linear.ts';

/**
 * weight_hh's initialisation: 'uniform' is PyTorch's U(−1/√H, 1/√H); 'orthogonal' makes
 * each gate's H×H block orthogonal; 'identity' makes each block I and both biases 0
 * (with nonlinearity 'relu' this is the IRNN of Le et al. 2015).
 */
export type RecurrentInit = 'uniform' | 'orthogonal' | 'identity';

export const recurrentInits: readonly RecurrentInit[] = ['uniform', 'orthogonal', 'identity'];

export interface CellOptions {
  inputSize: number;
  hiddenSize: number;
  bias?: boolean;
  recurrentInit?: RecurrentInit;
  /** Where the initial weights come from (default: a generator seeded with 0). */
  rng?: Rng;
}

export const cellOptionKeys = ['inputSize', 'hiddenSize', 'bias', 'recurrentInit', 'rng'] as const;

/** The state of an RNN or GRU cell. */
export interface HiddenState {
  h: Tensor;
}

/** The state of an LSTM cell: the hidden state h and the cell state c. */
export interface LSTMState {
  h: Tensor;
  c: Tensor;
}

export abstract class RecurrentCell<S extends HiddenState> extends Module {
  readonly inputSize: number;
  readonly hiddenSize: number;
  /** G: how many gate blocks the weights stack. */
  readonly gateCount: number;
  /** The tensors of a state: h (and c, for an LSTM). */
  protected readonly stateNames: readonly string[] = ['h'];
  readonly weight_ih: Tensor;
  readonly weight_hh: Tensor;
  readonly bias_ih: Tensor | null;
  readonly bias_hh: Tensor | null;

  protected constructor(
    protected readonly owner: string,
    options: CellOptions,
    gateCount: number,
    extraKeys: readonly string[] = [],
  ) {
    super();
    checkKeys(owner, options, [...cellOptionKeys, ...extraKeys]);
    this.inputSize = integerOption(owner, 'inputSize', options.inputSize);
    this.hiddenSize = integerOption(owner, 'hiddenSize', options.hiddenSize);
    this.gateCount = gateCount;
    const hasBias = booleanOption(owner, 'bias', options.bias, true);
    const init = choiceOption(
      owner,
      'recurrentInit',
      options.recurrentInit,
      recurrentInits,
      'uniform',
    );
    const rng = options.rng ?? new Rng(0);
    const G = gateCount * this.hiddenSize;
    const make = (name: string, shape: number[]) =>
      this.registerParameter(name, zeros(shape, { requiresGrad: true }));
    this.weight_ih = make('weight_ih', [G, this.inputSize]);
    this.weight_hh = make('weight_hh', [G, this.hiddenSize]);
    this.bias_ih = hasBias ? make('bias_ih', [G]) : null;
    this.bias_hh = hasBias ? make('bias_hh', [G]) : null;

    // PyTorch's default for every parameter, drawn in the order of namedParameters().
    const k = 1 / Math.sqrt(this.hiddenSize);
    for (const parameter of this.parameters()) uniformInit(parameter, k, rng);
    if (init === 'orthogonal') orthogonalInit(this.weight_hh, rng, { blocks: gateCount });
    if (init === 'identity') {
      identityInit(this.weight_hh, { blocks: gateCount });
      this.bias_ih?.data.fill(0);
      this.bias_hh?.data.fill(0);
    }
  }

  /** x W_ihᵀ + b_ih for x [..., I]: the input's share of every gate, [..., G·H]. */
  projectInput(x: Tensor): Tensor {
    return linear(x, this.weight_ih, this.bias_ih);
  }

  /** h W_hhᵀ + b_hh: the previous state's share of every gate, [B, G·H]. */
  protected readonly projectHidden: HiddenProjection = (hPrev) =>
    linear(hPrev, this.weight_hh, this.bias_hh);

  /**
   * h W_hhᵀ + b_hh for every step of one pass through a sequence, with W_hh's gradient
   * computed once for the whole pass (recurrent-linear.ts): what a layer hands to
   * `stepProjected`.
   */
  sequenceProjection(): HiddenProjection {
    return recurrentLinear(this.weight_hh, this.bias_hh);
  }

  /**
   * One step from the projected input xW = x W_ihᵀ + b_ih [B, G·H] and the state.
   * `projectHidden` computes h W_hhᵀ + b_hh (default: a `linear` op of its own).
   */
  abstract stepProjected(xW: Tensor, state: S, projectHidden?: HiddenProjection): S;

  /** The all-zeros state for a batch (no gradient). */
  abstract initialState(batchSize: number): S;

  /** One step: x [B, I] and the previous state (zeros when left out) → the new state. */
  step(x: Tensor, state?: S): S {
    this.checkInput(x);
    const batch = x.shape[0]!;
    const previous = state ?? this.initialState(batch);
    this.checkState(previous, batch);
    return this.stepProjected(this.projectInput(x), previous);
  }

  /** Same as step. */
  forward(x: Tensor, state?: S): S {
    return this.step(x, state);
  }

  protected zeroState(batchSize: number): Tensor {
    integerOption(`${this.owner}.initialState`, 'batchSize', batchSize);
    return zeros([batchSize, this.hiddenSize]);
  }

  private checkInput(x: Tensor): void {
    if (x.rank !== 2 || x.shape[1] !== this.inputSize) {
      throw new RangeError(
        `${this.owner}.step: x must be [batch, inputSize = ${this.inputSize}], got [${x.shape.join(', ')}]`,
      );
    }
  }

  /** The state must hold each of `stateNames`, each [B, H]. */
  private checkState(state: S, batch: number): void {
    const parts = state as unknown as Record<string, Tensor | undefined>;
    for (const name of this.stateNames) {
      const t = parts[name];
      if (t === undefined) {
        throw new TypeError(
          `${this.owner}.step: the state must be { ${this.stateNames.join(', ')} } (${name} is missing)`,
        );
      }
      if (t.rank !== 2 || t.shape[0] !== batch || t.shape[1] !== this.hiddenSize) {
        throw new RangeError(
          `${this.owner}.step: state.${name} must be [batch = ${batch}, hiddenSize = ${this.hiddenSize}], got [${t.shape.join(', ')}]`,
        );
      }
    }
  }
}

/**
 * Checks the inputs of a fused step (lstmUpdate, gruUpdate): the projections xW and hW,
 * both [B, G·H], and the previous state `prev` [B, H]. Returns [B, H].
 */
export function fusedStepShapes(
  op: string,
  gateCount: number,
  xW: Tensor,
  hW: Tensor,
  prev: Tensor,
  prevName: string,
): [number, number] {
  const [B = 0, GH = 0] = xW.shape;
  const H = GH / gateCount;
  const fits = (t: Tensor, shape: number[]) =>
    t.rank === shape.length && t.shape.every((d, k) => d === shape[k]);
  if (xW.rank !== 2 || !Number.isInteger(H) || !fits(hW, [B, GH]) || !fits(prev, [B, H])) {
    throw new ShapeError(
      `${op}: need xW and hW [B, ${gateCount}H] and ${prevName} [B, H], got ${formatShape(xW.shape)}, ${formatShape(hW.shape)}, ${formatShape(prev.shape)}`,
    );
  }
  return [B, H];
}
