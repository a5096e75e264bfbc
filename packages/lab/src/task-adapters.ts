/**
 * The tasks of @unroll/tasks, seen the same way by the trainer: where batches come
 * from (and how to save and restore that place), what the readout predicts, which loss
 * it is scored with, and the baseline that says whether anything was learned.
 *
 * Two kinds of readout:
 *   'last'   one prediction from the final state h_T (adding problem, temporal order, forecast)
 *   'every'  one prediction per step from every h_t (copy memory, char-level LM)
 *
 * Data position. Synthetic tasks draw every batch from the run's data generator, so
 * its state (four 32-bit words) is the whole position. The char-LM reads the text in
 * B parallel streams; its position is { epoch, window }, and the hidden state left at
 * the end of a window is carried into the next (detached), so it is saved too.
 */

import {
  AddingProblem,
  bigramCrossEntropy,
  CopyMemory,
  mobyDickCorpus,
  oneHot,
  randomTextWindows,
  splitIds,
  type TaskInfo,
  TemporalOrder,
  TextBatcher,
  type TextPosition,
  unigramCrossEntropy,
  Vocabulary,
} from '@unroll/tasks';
import { crossEntropy, mse, narrow, Rng, type RngState, type Tensor } from '@unroll/tensor';
import type { TaskName, TrainConfig } from './config.ts';
import { forecastTask } from './forecast-task.ts';
import { textIds } from './run-data.ts';

/** One batch as the engines want it: batch-first inputs, plus what the loss needs. */
export interface TrainingBatch {
  /** [B, T, I], batch-first. */
  xs: Float64Array;
  batchSize: number;
  steps: number;
  /** adding [B, 1] values; order [B] class ids; copy and charlm [B, T] class ids. */
  targets: Tensor;
  /** Start from a zero state (always, except inside a char-LM epoch). */
  resetState: boolean;
}

export type DataPosition = { rng: RngState } | { text: TextPosition };

export interface Baseline {
  value: number;
  label: string;
}

export interface Evaluation {
  loss: number;
  /** Whether the task's own criterion is met (null: the task has none, as the char-LM). */
  solved: boolean | null;
  /** Task-specific numbers: accuracy, fraction within 0.04, bits per character... */
  extra: Record<string, number>;
}

export interface TaskAdapter {
  readonly name: TaskName;
  readonly info: TaskInfo;
  readonly inputSize: number;
  readonly outputSize: number;
  readonly readout: 'last' | 'every';
  /** The line in the loss plot that means "learned nothing" (the first is the task's own). */
  readonly baselines: readonly Baseline[];
  readonly vocabulary: Vocabulary | null;
  next(): TrainingBatch;
  position(): DataPosition;
  seek(position: DataPosition): void;
  /** The held-out batch, the same for every run with this config. */
  readonly evalBatch: TrainingBatch;
  evaluate(predictions: Tensor, batch: TrainingBatch): Evaluation;
}

/**
 * The loss of a readout's predictions for the steps [from, to) of a batch (a truncated
 * BPTT window), or null when those steps carry no loss (a 'last' task before its end).
 * `predictions` is [B, 1·O] for 'last' tasks and [B, to − from, O] for 'every' tasks.
 */
export function taskLoss(
  task: TaskAdapter,
  predictions: Tensor,
  batch: TrainingBatch,
  from = 0,
  to = batch.steps,
): Tensor | null {
  if (task.readout === 'last') {
    if (to !== batch.steps) return null;
    return task.info.loss === 'mse'
      ? mse(predictions, batch.targets)
      : crossEntropy(predictions, batch.targets.data);
  }
  const B = batch.batchSize;
  const n = to - from;
  const targets =
    from === 0 && to === batch.steps ? batch.targets : narrow(batch.targets, 1, from, n);
  return crossEntropy(predictions.reshape([B * n, task.outputSize]), targets.data);
}

/** Builds the task of a config; `dataRng` and `evalRng` are the run's own generators. */
export function makeTask(config: TrainConfig, dataRng: Rng, evalRng: Rng): TaskAdapter {
  switch (config.task) {
    case 'adding':
      return addingTask(config, dataRng, evalRng);
    case 'copy':
      return copyTask(config, dataRng, evalRng);
    case 'order':
      return orderTask(config, dataRng, evalRng);
    case 'charlm':
      return charTask(config, evalRng);
    case 'forecast':
      return forecastTask(config, dataRng);
  }
}

/** The parts every synthetic task shares: batches drawn from the data generator. */
function synthetic<B extends { inputs: Tensor; targets: Tensor }>(
  draw: (batchSize: number, rng: Rng) => B,
  config: TrainConfig,
  dataRng: Rng,
  evalRng: Rng,
) {
  const toBatch = (b: B): TrainingBatch => ({
    xs: b.inputs.data,
    batchSize: b.inputs.shape[0]!,
    steps: b.inputs.shape[1]!,
    targets: b.targets,
    resetState: true,
  });
  const sources = new WeakMap<TrainingBatch, B>();
  const evalSource = draw(config.evalBatch, evalRng);
  const evalBatch = toBatch(evalSource);
  sources.set(evalBatch, evalSource);
  return {
    next: (): TrainingBatch => toBatch(draw(config.batch, dataRng)),
    position: (): DataPosition => ({ rng: dataRng.getState() }),
    seek: (position: DataPosition) => {
      if (!('rng' in position)) throw new Error('this task resumes from a generator state');
      dataRng.setState(position.rng);
    },
    evalBatch,
    sourceOf: (batch: TrainingBatch): B => {
      const source = sources.get(batch);
      if (source === undefined) throw new Error('evaluate: only the held-out batch is scored');
      return source;
    },
    vocabulary: null,
  };
}

function addingTask(config: TrainConfig, dataRng: Rng, evalRng: Rng): TaskAdapter {
  const problem = new AddingProblem({ length: config.seqLen });
  const data = synthetic((b, rng) => problem.batch(b, rng), config, dataRng, evalRng);
  return {
    ...data,
    name: 'adding',
    info: problem.info,
    inputSize: 2,
    outputSize: 1,
    readout: 'last',
    baselines: [{ value: problem.info.baseline.value, label: 'always 1 (1/6)' }],
    evaluate(predictions, batch) {
      const e = problem.evaluate(predictions, data.sourceOf(batch));
      return { loss: e.mse, solved: e.solved, extra: { fractionWithin004: e.fractionWithin004 } };
    },
  };
}

function copyTask(config: TrainConfig, dataRng: Rng, evalRng: Rng): TaskAdapter {
  const problem = new CopyMemory({ delay: config.seqLen });
  const data = synthetic((b, rng) => problem.batch(b, rng), config, dataRng, evalRng);
  return {
    ...data,
    name: 'copy',
    info: problem.info,
    inputSize: 10,
    outputSize: 10,
    readout: 'every',
    baselines: [{ value: problem.info.baseline.value, label: 'memoryless' }],
    evaluate(predictions, batch) {
      const e = problem.evaluate(predictions, data.sourceOf(batch));
      return {
        loss: e.crossEntropy,
        solved: e.solved,
        extra: { recallAccuracy: e.recallAccuracy },
      };
    },
  };
}

function orderTask(config: TrainConfig, dataRng: Rng, evalRng: Rng): TaskAdapter {
  const problem = new TemporalOrder({ length: config.seqLen });
  const data = synthetic((b, rng) => problem.batch(b, rng), config, dataRng, evalRng);
  return {
    ...data,
    name: 'order',
    info: problem.info,
    inputSize: 8,
    outputSize: problem.classes,
    readout: 'last',
    baselines: [{ value: problem.info.baseline.value, label: `chance (ln ${problem.classes})` }],
    evaluate(predictions, batch) {
      const e = problem.evaluate(predictions, data.sourceOf(batch));
      return { loss: e.crossEntropy, solved: e.solved, extra: { accuracy: e.accuracy } };
    },
  };
}

function charTask(config: TrainConfig, evalRng: Rng): TaskAdapter {
  const corpus = config.text === undefined ? shippedText() : userText(config.text);
  const { vocabulary, train, validation } = corpus;
  const V = vocabulary.size;
  const batcher = new TextBatcher(train, { batchSize: config.batch, seqLength: config.seqLen });
  const toBatch = (inputs: Tensor, targets: Tensor, resetState: boolean): TrainingBatch => {
    const [B, T] = inputs.shape as [number, number];
    return { xs: oneHot(inputs.data, [B, T], V).data, batchSize: B, steps: T, targets, resetState };
  };
  const held = randomTextWindows(validation, config.evalBatch, config.seqLen, evalRng);
  const bigram = corpus.bigram ?? corpus.unigram;
  return {
    name: 'charlm',
    info: {
      name: `character-level language model (${corpus.title}, windows of ${config.seqLen})`,
      citation: 'Karpathy, The Unreasonable Effectiveness of Recurrent Neural Networks, 2015',
      inputs: `[B, ${config.seqLen}, ${V}] one-hot characters`,
      targets: `[B, ${config.seqLen}]: the next character`,
      loss: 'cross-entropy',
      baseline: {
        value: bigram,
        description: `${corpus.bigram === null ? 'unigram' : 'bigram'} counts on the training text, scored on the validation text`,
        citation: 'add-one smoothed n-gram model',
      },
      solved: 'no criterion: compare with the bigram line',
      probes: 'context beyond the previous character',
    },
    inputSize: V,
    outputSize: V,
    readout: 'every',
    baselines: [
      ...(corpus.bigram === null ? [] : [{ value: corpus.bigram, label: 'bigram' }]),
      { value: corpus.unigram, label: 'unigram' },
    ],
    vocabulary,
    next: () => {
      const b = batcher.next();
      return toBatch(b.inputs, b.targets, b.resetState);
    },
    position: () => ({ text: batcher.position }),
    seek: (position) => {
      if (!('text' in position)) throw new Error('the char-LM resumes from a text position');
      batcher.seek(position.text);
    },
    evalBatch: toBatch(held.inputs, held.targets, true),
    evaluate(predictions, batch) {
      const loss = crossEntropy(
        predictions.reshape([batch.batchSize * batch.steps, V]),
        batch.targets.data,
      ).item();
      return { loss, solved: null, extra: { bitsPerChar: loss / Math.LN2 } };
    },
  };
}

interface CharCorpus {
  title: string;
  vocabulary: Vocabulary;
  train: Int32Array | Uint16Array | Uint8Array;
  validation: Int32Array | Uint16Array | Uint8Array;
  unigram: number;
  bigram: number | null;
}

/** The shipped Moby-Dick chapters, with their counting baselines. */
function shippedText(): CharCorpus {
  const { vocabulary, train, validation } = mobyDickCorpus();
  const V = vocabulary.size;
  return {
    title: 'Moby-Dick',
    vocabulary,
    train,
    validation,
    unigram: unigramCrossEntropy(train, validation, V),
    bigram: bigramCrossEntropy(train, validation, V),
  };
}

/** The user's --text file: its ids (read or loaded in this process) and its record. */
function userText(source: NonNullable<TrainConfig['text']>): CharCorpus {
  const { train, validation } = splitIds(textIds(source), source.validationFraction);
  return {
    title: source.file,
    vocabulary: new Vocabulary(source.vocabulary),
    train,
    validation,
    unigram: source.unigram,
    bigram: source.bigram,
  };
}

/** A generator for each purpose, all from one seed, so no purpose disturbs another's draws. */
export function runGenerators(seed: number): { model: Rng; data: Rng; eval: Rng; probe: Rng } {
  const root = new Rng(seed);
  return { model: root.fork(), data: root.fork(), eval: root.fork(), probe: root.fork() };
}
