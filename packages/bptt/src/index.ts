/**
 * @unroll/bptt — backpropagation through time. Read in this order:
 *   unroll.ts           the unrolled graph: a cell over T steps, every state kept, lengths
 *   losses.ts           per-step cross-entropy and MSE, last-step MSE, masked by lengths
 *   tbptt.ts            truncated BPTT(k1, k2): cut the graph with detached states
 *   fused.ts            the whole recurrence as one graph op whose backward is the hand-derived one
 *   manual/sequence.ts  the hand-derived passes: PyTorch's layout, time-major, one gemm for all steps
 *   manual/rnn.ts       the vanilla RNN's forward and backward by hand (dhNext, dhRaw)
 *   manual/lstm.ts      the LSTM's, with the additive cell path (dcNext)
 *   manual/gru.ts       the GRU's, both the PyTorch (reset after) and the Cho et al. form
 *   manual/step-hook.ts onStep: ∂L/∂h_t of every step handed to a diagnostic as the pass walks back
 *   steps/*.ts          one time step of each cell, forward and backward, with an explicit cache
 */

export { type FusedResult, unrollFused } from './fused.ts';
export {
  lastStepMSE,
  type SequenceLossOptions,
  sequenceCrossEntropy,
  sequenceMSE,
} from './losses.ts';
export { type GRUGradients, type GRUTape, gruBackward, gruForward } from './manual/gru.ts';
export { type LSTMGradients, type LSTMTape, lstmBackward, lstmForward } from './manual/lstm.ts';
export {
  type Nonlinearity,
  type RNNGradients,
  type RNNTape,
  rnnBackward,
  rnnForward,
} from './manual/rnn.ts';
export type {
  BackwardOptions,
  CellGradients,
  CellWeights,
  SequenceDims,
} from './manual/sequence.ts';
export type { StepHook } from './manual/step-hook.ts';
export { type GRUStepCache, gruStepBackward, gruStepForward } from './steps/gru-step.ts';
export {
  type LSTMStepCache,
  type LSTMStepGradients,
  lstmStepBackward,
  lstmStepForward,
} from './steps/lstm-step.ts';
export { type RNNStepCache, rnnStepBackward, rnnStepForward } from './steps/rnn-step.ts';
export type { StepDims, StepGradients } from './steps/step.ts';
export {
  type TBPTTOptions,
  type TBPTTResult,
  type TBPTTWindow,
  tbptt,
  tbpttWindows,
  WindowStarts,
} from './tbptt.ts';
export {
  type RecurrentCell,
  type RecurrentState,
  type Unrolled,
  type UnrollOptions,
  unroll,
} from './unroll.ts';
