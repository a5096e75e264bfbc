/**
 * @unroll/cells — modules, recurrent cells and sequence layers with PyTorch's names,
 * shapes and gate orders. Read in this order:
 *   module.ts       Module: named parameters, train/eval, state dicts
 *   init.ts         initialisation rules (PyTorch default, Xavier, Kaiming, orthogonal, identity)
 *   linear.ts       Linear: y = x Wᵀ + b
 *   embedding.ts    Embedding: a table of vectors indexed by token id
 *   cell.ts         what the cells share: PyTorch's parameter layout, the input projection
 *   rnn-cell.ts     h_t = tanh(x W_ihᵀ + b_ih + h W_hhᵀ + b_hh)
 *   lstm-cell.ts    the four gates and the additive cell path
 *   gru-cell.ts     r, z, n, in PyTorch's and in Cho et al.'s form
 *   unbind.ts       slicing a sequence into steps with an O(n) backward
 *   recurrent-linear.ts  h W_hhᵀ + b_hh at every step, W_hh's gradient once per sequence
 *   recurrent.ts    stacked, bidirectional, variable-length RNN / LSTM / GRU layers
 *   safetensors.ts  the weights file format shared with PyTorch, read defensively
 *   options.ts      the checks behind every constructor's error messages
 */

export {
  type CellOptions,
  type HiddenState,
  type LSTMState,
  RecurrentCell,
  type RecurrentInit,
} from './cell.ts';
export { Embedding, type EmbeddingOptions } from './embedding.ts';
export { GRUCell, type GRUCellOptions, gruUpdate } from './gru-cell.ts';
export {
  type BlockOptions,
  constantInit,
  fans,
  gainOf,
  identityInit,
  type KaimingOptions,
  kaimingNormal,
  kaimingUniform,
  type Nonlinearity,
  normalInit,
  orthogonalInit,
  uniformInit,
  xavierNormal,
  xavierUniform,
} from './init.ts';
export { Linear, type LinearInit, type LinearOptions } from './linear.ts';
export { LSTMCell, type LSTMCellOptions, lstmUpdate, setForgetBias } from './lstm-cell.ts';
export {
  type LoadStateDictOptions,
  type LoadStateDictResult,
  Module,
  type StateEntry,
} from './module.ts';
export {
  type ForwardOptions,
  GRU,
  type GRUOptions,
  LSTM,
  type LSTMOptions,
  type LSTMSequenceOutput,
  type RecurrentOptions,
  RNN,
  type RNNOptions,
  type SequenceOutput,
} from './recurrent.ts';
export { type HiddenProjection, recurrentLinear } from './recurrent-linear.ts';
export { RNNCell, type RNNCellOptions } from './rnn-cell.ts';
export {
  loadSafetensors,
  MAX_HEADER_BYTES,
  type SafetensorsDtype,
  type SafetensorsEntry,
  SafetensorsError,
  type SafetensorsFile,
  type SafetensorsInput,
  saveSafetensors,
} from './safetensors.ts';
export { unbind } from './unbind.ts';
