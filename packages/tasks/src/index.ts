/**
 * @unroll/tasks: the sequence tasks that expose vanishing gradients, each with its
 * chance-level baseline (with a citation) and a `solved` criterion. Read in this order:
 *
 *   task.ts            what every task reports: TaskInfo, Evaluation, shared checks
 *   metrics.ts         MSE, RMSE, cross-entropy of logits, bits per character, perplexity
 *   one-hot.ts         class ids → one-hot inputs
 *   adding.ts          the adding problem (baseline 1/6)
 *   copy-memory.ts     copy memory (baseline 10 ln 8 / (T + 20))
 *   parity.ts          parity of a bit sequence (chance ln 2), optional variable lengths
 *   temporal-order.ts  the order of two or three marked symbols (chance ln 4 or ln 8)
 *   series.ts          sum of sines with noise; Mackey–Glass by RK4
 *   forecasting.ts     windows of a series, the persistence baseline, skill
 *   series-file.ts     a user's column: missing values, training-part normalization, seasonal naive
 *   vocabulary.ts      characters ↔ ids
 *   corpus.ts          the shipped Moby-Dick chapters, train/validation split
 *   text-file.ts       a user's UTF-8 text → one or two bytes per character; what is refused
 *   text-batches.ts    contiguous streams for truncated BPTT, with a resumable position
 *   ngram.ts           uniform, unigram and bigram baselines; the bigram table as a model
 *   sampling.ts        the CharModel interface; temperature, top-k, stop id; a cell as a CharModel
 *   names.ts           first names: one padded sequence per name
 */

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
export * from './names.ts';
export * from './ngram.ts';
export { oneHot } from './one-hot.ts';
export * from './parity.ts';
export * from './sampling.ts';
export * from './series.ts';
export * from './series-file.ts';
export type { Baseline, ClassificationEvaluation, Evaluation, TaskInfo } from './task.ts';
export * from './temporal-order.ts';
export * from './text-batches.ts';
export * from './text-file.ts';
export { Vocabulary } from './vocabulary.ts';
