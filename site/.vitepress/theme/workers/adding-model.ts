/**
 * The model every recurrent figure trains: one cell (tanh RNN, LSTM or GRU) read out
 * by a Linear layer after the last step, on the adding problem, trained as the lab's
 * experiment trains it (Adam, the global gradient norm clipped to 1). Built from the
 * same packages the chapters teach.
 */

import { unroll } from '@unroll/bptt';
import { GRUCell, Linear, LSTMCell, type RecurrentInit, RNNCell } from '@unroll/cells';
import { gateBlocks, spectralRadius } from '@unroll/diagnostics';
import { Adam, clipGradNorm } from '@unroll/optim';
import { ADDING_SOLVED_MSE, type AddingBatch, AddingProblem } from '@unroll/tasks';
import { mse, noGrad, Rng, type Tensor } from '@unroll/tensor';

export type CellName = 'rnn' | 'lstm' | 'gru';
export const CELL_NAMES: readonly CellName[] = ['rnn', 'lstm', 'gru'];
export const MODEL_NAMES: Record<CellName, string> = { rnn: 'tanh RNN', lstm: 'LSTM', gru: 'GRU' };

export interface ModelSettings {
  cell: CellName;
  seqLen: number;
  hidden: number;
  init: RecurrentInit;
  /** Scale each gate's block of weight_hh to this spectral radius (null: leave the init). */
  radius: number | null;
  seed: number;
}

/** The limits the pages enforce, checked again here (a worker trusts no message). */
export const LIMITS = {
  seqLen: { min: 2, max: 200 },
  hidden: { min: 1, max: 128 },
  radius: 10,
  steps: { min: 1, max: 5000 },
} as const;

export function checkSettings(s: ModelSettings): void {
  const bad = (what: string) => {
    throw new RangeError(what);
  };
  if (!CELL_NAMES.includes(s.cell))
    bad(`cell must be one of ${CELL_NAMES.join(', ')}, got ${s.cell}`);
  if (!Number.isInteger(s.seqLen) || s.seqLen < LIMITS.seqLen.min || s.seqLen > LIMITS.seqLen.max) {
    bad(
      `T must be a whole number from ${LIMITS.seqLen.min} to ${LIMITS.seqLen.max}, got ${s.seqLen}`,
    );
  }
  if (!Number.isInteger(s.hidden) || s.hidden < LIMITS.hidden.min || s.hidden > LIMITS.hidden.max) {
    bad(
      `hidden size must be a whole number from ${LIMITS.hidden.min} to ${LIMITS.hidden.max}, got ${s.hidden}`,
    );
  }
  if (s.radius !== null && !(s.radius > 0 && s.radius <= LIMITS.radius)) {
    bad(`spectral radius must be above 0 and at most ${LIMITS.radius}, got ${s.radius}`);
  }
}

export class AddingModel {
  readonly cell: RNNCell | LSTMCell | GRUCell;
  readonly readout: Linear;
  readonly task: AddingProblem;
  readonly rng: Rng;
  readonly optimizer: Adam;
  step = 0;

  constructor(readonly settings: ModelSettings) {
    checkSettings(settings);
    this.rng = new Rng(settings.seed);
    const options = {
      inputSize: 2,
      hiddenSize: settings.hidden,
      recurrentInit: settings.init,
      rng: this.rng,
    };
    this.cell =
      settings.cell === 'rnn'
        ? new RNNCell(options)
        : settings.cell === 'lstm'
          ? new LSTMCell(options)
          : new GRUCell(options);
    if (settings.radius !== null) scaleSpectralRadius(this.cell.weight_hh, settings.radius);
    this.readout = new Linear({ inFeatures: settings.hidden, outFeatures: 1, rng: this.rng });
    this.task = new AddingProblem({ length: settings.seqLen });
    this.optimizer = new Adam(this.parameters(), { lr: 0.01 });
  }

  parameters(): Tensor[] {
    return [...this.cell.parameters(), ...this.readout.parameters()];
  }

  /** The prediction after the last step, [B, 1]. */
  predict(inputs: Tensor): Tensor {
    return this.readout.forward(unroll(this.cell, inputs).final.h);
  }

  /** One step of Adam on a fresh batch; the batch's loss and the norm before clipping. */
  trainStep(batchSize = 32): { loss: number; gradNorm: number } {
    const batch = this.task.batch(batchSize, this.rng);
    const loss = mse(this.predict(batch.inputs), batch.targets);
    this.optimizer.zeroGrad();
    loss.backward();
    const gradNorm = clipGradNorm(this.parameters(), 1);
    this.optimizer.step();
    this.step++;
    return { loss: loss.item(), gradNorm };
  }

  /** Held-out MSE on `batch` (fresh sequences the model never trained on). */
  evaluate(batch: AddingBatch): { loss: number; solved: boolean } {
    const loss = noGrad(() => mse(this.predict(batch.inputs), batch.targets).item());
    return { loss, solved: loss < ADDING_SOLVED_MSE };
  }
}

/**
 * Multiplies each gate's H×H block of weight_hh by ρ_target / ρ(block), so that every
 * block has spectral radius ρ_target: for a tanh RNN, ρ < 1 makes ∂h_T/∂h_t shrink
 * geometrically (at best), ρ well above 1 lets it grow.
 */
export function scaleSpectralRadius(weightHH: Tensor, target: number): void {
  const H = weightHH.shape[1]!;
  const { blocks } = gateBlocks({ shape: weightHH.shape as [number, number], data: weightHH.data });
  blocks.forEach(({ matrix }, k) => {
    const rho = spectralRadius(matrix, { seed: 1 }).value;
    if (rho === 0) return;
    const factor = target / rho;
    const start = k * H * H;
    for (let i = start; i < start + H * H; i++) weightHH.data[i]! *= factor;
  });
}
