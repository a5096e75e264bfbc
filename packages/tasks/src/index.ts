/**
 * @unroll/tasks: the sequence tasks that expose vanishing gradients, each with its
 * chance-level baseline and a `solved` criterion. Read in this order:
 */

// Memory tasks: long gaps between what matters and when it is needed.
export * from './adding.ts';
export * from './copy-memory.ts';
export * from './corpus.ts';
export * from './forecasting.ts';
export {
  accuracyOfLogits,
  argmaxRows,
  bitsPerCharacter,
  crossEntropyOfLogits,
  meanSquaredError,
  perplexity,
  rootMeanSquaredError,
} from './metrics.ts';
// First names: a small char-level task, one padded name per sequence.
export * from './names.ts';
export * from './ngram.ts';
export { oneHot } from './one-hot.ts';
export * from './parity.ts';
export * from './sampling.ts';
// Time series: synthetic series, windows, the persistence baseline.
export * from './series.ts';
// What every task reports: info (shapes, loss, baseline with citation), evaluations.
export * from './task.ts';
export * from './temporal-order.ts';
export * from './text-batches.ts';
// Character-level language model: text, batches for truncated BPTT, baselines, sampling.
export { Vocabulary } from './vocabulary.ts';
