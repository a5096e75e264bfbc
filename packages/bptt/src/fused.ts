/**
 * The whole recurrence as ONE op of the autodiff graph, whose backward rule is the
 * hand-derived BPTT of src/manual — what cuDNN does for PyTorch's RNN layers.
 *
 * `unroll` records about ten ops per step, each with its own arrays and its own small
 * weight-gradient product; `unrollFused` records one. Its forward is the hand-derived
 * forward (one gemm for every step's input projection), its backward the hand-derived
 * backward (one gemm each for the weight gradients over all T·B rows). Everything
 * around it — the readout, the loss, the optimizer — stays ordinary autodiff.
 *
 * What it gives up: the per-step states are not tensors of the graph (no hooks on
 * h_t), and there are no `lengths`. Use `unroll` for those.
 *
 * An op of this engine has one output, and this one has up to three (the outputs
 * and the final h and c). So the recurrence is a hidden node `core`, and each visible
 * output is a small node fed by it whose backward rule only stores its gradient. The
 * engine runs `core`'s rule after all of theirs (they are its consumers), and that rule
 * hands the stored gradients to the hand-derived backward.
 */

import { GRUCell, LSTMCell, RNNCell } from '@unroll/cells';
import { formatShape, record, ShapeError, type Tensor, zeros } from '@unroll/tensor';
import { gruBackward, gruForward } from './manual/gru.ts';
import { lstmBackward, lstmForward } from './manual/lstm.ts';
import { rnnBackward, rnnForward } from './manual/rnn.ts';
import type { CellGradients, CellWeights, SequenceDims } from './manual/sequence.ts';
import type { RecurrentState } from './unroll.ts';

export interface FusedResult<S extends RecurrentState> {
  /** [B, T, H]: h of every step. */
  outputs: Tensor;
  /** The state after the last step. */
  final: S;
}

type AnyCell = RNNCell | LSTMCell | GRUCell;

/** The gradients the visible outputs received, gathered for the hidden core's rule. */
interface Received {
  dOutput: Float64Array | null;
  dhT: Float64Array | null;
  dcT: Float64Array | null;
}

/**
 * Runs an RNNCell, LSTMCell or GRUCell of @unroll/cells over xs [B, T, I] from
 * `state0` (zeros when left out) as a single differentiable op.
 */
export function unrollFused<S extends RecurrentState>(
  cell: AnyCell,
  xs: Tensor,
  state0?: S,
): FusedResult<S> {
  if (!(cell instanceof RNNCell || cell instanceof LSTMCell || cell instanceof GRUCell)) {
    throw new TypeError(
      'unrollFused: cell must be an RNNCell, LSTMCell or GRUCell of @unroll/cells',
    );
  }
  if (xs.rank !== 3 || xs.shape[2] !== cell.inputSize) {
    throw new ShapeError(
      `unrollFused: xs must be [batch, steps, inputSize = ${cell.inputSize}], got ${formatShape(xs.shape)}`,
    );
  }
  const [B, T, I] = xs.shape as [number, number, number];
  const H = cell.hiddenSize;
  const isLSTM = cell instanceof LSTMCell;
  const h0 = state0?.h ?? zeros([B, H]);
  const c0 = isLSTM ? (state0?.c ?? zeros([B, H])) : null;
  for (const [name, t] of [
    ['h', h0],
    ['c', c0],
  ] as const) {
    if (t !== null && (t.rank !== 2 || t.shape[0] !== B || t.shape[1] !== H)) {
      throw new ShapeError(
        `unrollFused: state0.${name} must be [${B}, ${H}], got ${formatShape(t.shape)}`,
      );
    }
  }
  const weights: CellWeights = {
    weight_ih: cell.weight_ih.data,
    weight_hh: cell.weight_hh.data,
    bias_ih: cell.bias_ih?.data ?? null,
    bias_hh: cell.bias_hh?.data ?? null,
  };
  const dims: SequenceDims = { batchSize: B, steps: T, inputSize: I, hiddenSize: H };
  const { tape, backward } = run(cell, weights, xs.data, h0.data, c0?.data ?? null, dims);

  const received: Received = { dOutput: null, dhT: null, dcT: null };
  const inputs = [xs, h0, ...(c0 ? [c0] : []), cell.weight_ih, cell.weight_hh];
  if (cell.bias_ih && cell.bias_hh) inputs.push(cell.bias_ih, cell.bias_hh);
  const core = record('unrollFused', new Float64Array(1), [], inputs, () => {
    const grads = backward(received);
    received.dOutput = received.dhT = received.dcT = null; // a retained graph starts afresh
    const parameterGradients = [grads.weight_ih, grads.weight_hh];
    if (grads.bias_ih && grads.bias_hh) parameterGradients.push(grads.bias_ih, grads.bias_hh);
    return [
      xs.requiresGrad ? grads.dxs : null,
      grads.dh0,
      ...(c0 ? [grads.dc0!] : []),
      ...parameterGradients,
    ];
  });
  /** A visible output: it passes its gradient to `core` by storing it, and sends core a dummy 0. */
  const visible = (data: Float64Array, shape: number[], slot: keyof Received) =>
    record(`unrollFused.${slot}`, data, shape, [core], (gradient) => {
      received[slot] = gradient;
      return [new Float64Array(1)];
    });
  const outputs = visible(tape.output, [B, T, H], 'dOutput');
  const h = visible(tape.hT, [B, H], 'dhT');
  const final = (isLSTM ? { h, c: visible(tape.cT!, [B, H], 'dcT') } : { h }) as unknown as S;
  return { outputs, final };
}

/** The forward pass of the cell's kind, and its backward from the received gradients. */
function run(
  cell: AnyCell,
  weights: CellWeights,
  xs: Float64Array,
  h0: Float64Array,
  c0: Float64Array | null,
  dims: SequenceDims,
): {
  tape: { output: Float64Array; hT: Float64Array; cT?: Float64Array };
  backward: (
    r: Received,
  ) => CellGradients & { dxs: Float64Array; dh0: Float64Array; dc0?: Float64Array };
} {
  if (cell instanceof LSTMCell) {
    const tape = lstmForward(weights, xs, { h: h0, c: c0! }, dims);
    return {
      tape,
      backward: (r) => lstmBackward(weights, tape, r.dOutput, { dhT: r.dhT, dcT: r.dcT }),
    };
  }
  if (cell instanceof GRUCell) {
    const tape = gruForward(weights, xs, h0, dims, { resetAfter: cell.resetAfter });
    return { tape, backward: (r) => gruBackward(weights, tape, r.dOutput, { dhT: r.dhT }) };
  }
  const tape = rnnForward(weights, xs, h0, dims, cell.nonlinearity);
  return { tape, backward: (r) => rnnBackward(weights, tape, r.dOutput, { dhT: r.dhT }) };
}
