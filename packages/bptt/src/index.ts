/**
 * @unroll/bptt — backpropagation through time. Read in this order:
 *   manual/sequence.ts  PyTorch's parameter layout, batch-first ⇄ time-major, one gemm for all steps
 *   manual/rnn.ts       the vanilla RNN's forward and hand-derived backward (dhNext, dhRaw)
 *   manual/lstm.ts      the LSTM's, with the additive cell path (dcNext)
 *   manual/gru.ts       the GRU's, both the PyTorch (reset after) and the Cho et al. form
 */

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
export type { CellGradients, CellWeights, SequenceDims } from './manual/sequence.ts';
export { type TBPTTOptions, type TBPTTResult, type TBPTTWindow, tbptt } from './tbptt.ts';
export {
  type RecurrentCell,
  type RecurrentState,
  type Unrolled,
  type UnrollOptions,
  unroll,
} from './unroll.ts';
