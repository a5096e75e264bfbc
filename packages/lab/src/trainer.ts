/**
 * The training loop. One step:
 *
 *   1. draw a batch (the data generator or the text stream moves on);
 *   2. for each window of the batch (one window = full BPTT; several = truncated BPTT):
 *        forward, loss, backward  →  check the loss and ‖g‖ are finite
 *        clip ‖g‖, optimizer step, forget the gradients
 *   3. step the learning-rate schedule; append the step's line to metrics.jsonl;
 *      evaluate on the held-out batch every `evalEvery` steps.
 *
 * Everything that changes from step to step — parameters, optimizer buffers and
 * counters, the schedule, the data position, the char-LM's carried state — is in
 * `TrainingState`, which `captureState` copies out and `restoreState` puts back. A
 * checkpoint is that state written to disk; resuming restores it and goes on exactly
 * as if nothing had happened (the tests compare metrics.jsonl line for line).
 *
 * NaN. If the loss or the gradient norm of a window is not finite, that window updates
 * nothing and the step ends there (an earlier window of the same step may already have
 * updated the weights: the run therefore saves the state captured at the start of the
 * step, the last good one) and says at which step it happened.
 */

import { tbpttWindows, WindowStarts } from '@unroll/bptt';
import { AnomalyError } from '@unroll/diagnostics';
import {
  Adagrad,
  Adam,
  CosineAnnealingLR,
  clipGradNorm,
  type Optimizer,
  RMSprop,
  SGD,
} from '@unroll/optim';
import type { Tensor } from '@unroll/tensor';
import type { TrainingState } from './checkpoint.ts';
import { evaluationChunk, evaluationWindow, predictInChunks } from './chunked-eval.ts';
import type { TrainConfig } from './config.ts';
import { autodiffEngine, type Engine, fastEngine, type Window } from './engines.ts';
import type { LayerState } from './fast-path.ts';
import { SequenceModel } from './model.ts';
import { parallelEngine } from './parallel-engine.ts';
import type { MetricsLine } from './run-folder.ts';
import { type Evaluation, makeTask, runGenerators, type TaskAdapter } from './task-adapters.ts';

/**
 * The windows of truncated BPTT(k1, k2) over T steps (one window [0, T) without it):
 * @unroll/bptt's `tbpttWindows`, and each window starts from the state its `WindowStarts`
 * keeps, so a run here and `tbptt()` follow the same convention (see chapter 6).
 */
export function windowsOf(T: number, tbptt: [number, number] | null): Window[] {
  if (tbptt === null) return [{ cut: 0, start: 0, end: T }];
  return tbpttWindows(T, tbptt[0], tbptt[1]).map(({ cut, start, end }) => ({ cut, start, end }));
}

/** The global L2 norm of every gradient: √(Σ‖g_p‖²). */
export function gradientNorm(params: readonly Tensor[]): number {
  let sum = 0;
  for (const p of params) {
    const g = p.grad?.data;
    if (g === undefined) continue;
    for (let i = 0; i < g.length; i++) sum += g[i]! * g[i]!;
  }
  return Math.sqrt(sum);
}

/** Sequences in the batch the gradient flow is measured on. */
export const PROBE_BATCH = 64;

/**
 * Sequences the gradient-flow probe runs on: 64, and past T = 1,000 as many as fit in
 * PROBE_MEMORY (at least one) at about 30 numbers of H per sequence, step and layer
 * (8 bytes each). That figure is the autodiff graph's, on which the probe once ran; the
 * hand-derived pass it runs on now needs less than half of it, but the rule stays, so
 * that a run's probe batch — drawn from its config — is the same whichever version of
 * the lab started or resumed it.
 */
export function probeSize(config: TrainConfig): number {
  if (config.seqLen <= 1000) return PROBE_BATCH;
  const perSequence = config.seqLen * config.layers * config.hidden * 30 * 8;
  return Math.max(1, Math.min(PROBE_BATCH, Math.floor(PROBE_MEMORY / perSequence)));
}

/** The memory a long sequence's probe may take for its sequences (bytes). */
export const PROBE_MEMORY = 256 * 2 ** 20;

type AnyOptimizer = Optimizer<{ lr: number }, Record<string, number | Float64Array | null>>;

function makeOptimizer(config: TrainConfig, params: Tensor[]): AnyOptimizer {
  const options = { lr: config.lr };
  const made =
    config.optimizer === 'sgd'
      ? new SGD(params, options)
      : config.optimizer === 'rmsprop'
        ? new RMSprop(params, options)
        : config.optimizer === 'adagrad'
          ? new Adagrad(params, options)
          : new Adam(params, options);
  return made as unknown as AnyOptimizer;
}

export type StepOutcome =
  | { ok: true; line: MetricsLine }
  | { ok: false; message: string; anomaly: AnomalyError | null };

export class Trainer {
  readonly model: SequenceModel;
  readonly task: TaskAdapter;
  readonly optimizer: AnyOptimizer;
  readonly scheduler: CosineAnnealingLR | null;
  readonly engine: Engine;
  readonly probeBatch;
  /** Steps completed. */
  step = 0;
  private carried: LayerState[] | null = null;

  /** `threads` > 1 splits every batch across that many worker threads (parallel-engine.ts). */
  constructor(
    readonly config: TrainConfig,
    { threads = 1 }: { threads?: number } = {},
  ) {
    const generators = runGenerators(config.seed);
    this.task = makeTask(config, generators.data, generators.eval);
    this.model = new SequenceModel(
      {
        cell: config.cell,
        inputSize: this.task.inputSize,
        hiddenSize: config.hidden,
        layers: config.layers,
        outputSize: this.task.outputSize,
        forgetBias: config.forgetBias,
      },
      generators.model,
    );
    this.optimizer = makeOptimizer(config, this.model.parameters());
    this.scheduler =
      config.schedule === 'cosine'
        ? new CosineAnnealingLR(this.optimizer, { tMax: config.steps })
        : null;
    this.engine = config.anomaly
      ? autodiffEngine({ anomaly: true })
      : threads > 1
        ? parallelEngine(config, this.model, threads)
        : fastEngine;
    // A fixed batch for looking at gradient flow, from its own generator (probeSize).
    const probeConfig = { ...config, evalBatch: probeSize(config) };
    this.probeBatch = makeTask(probeConfig, generators.probe, generators.probe).evalBatch;
  }

  /** A deep copy of everything that changes during training. */
  captureState(): TrainingState {
    const parameters: TrainingState['parameters'] = {};
    for (const [name, p] of this.model.namedParameters()) {
      parameters[name] = { shape: [...p.shape], data: p.data.slice() };
    }
    return {
      step: this.step,
      parameters,
      optimizer: this.optimizer.stateDict(),
      scheduler: (this.scheduler?.stateDict() ?? null) as TrainingState['scheduler'],
      data: this.task.position(),
      carried: this.carried?.map((s) => ({ ...s })) ?? null,
    };
  }

  /**
   * Puts a captured (or checkpointed) state back. Each part is checked by its owner
   * (shapes by the model, buffers by the optimizer) before that part changes; after a
   * refusal, build a fresh Trainer rather than go on with this one.
   */
  restoreState(state: TrainingState): void {
    this.model.loadStateDict(state.parameters);
    this.optimizer.loadStateDict(state.optimizer as never);
    if (this.scheduler !== null && state.scheduler !== null) {
      this.scheduler.loadStateDict(state.scheduler as never);
    }
    this.task.seek(state.data);
    this.carried = state.carried;
    this.step = state.step;
  }

  /** Runs one training step; on a non-finite loss or gradient, changes nothing more. */
  trainStep(): StepOutcome {
    const step = this.step + 1;
    const lr = this.optimizer.paramGroups[0]!.lr;
    const batch = this.task.next();
    const T = batch.steps;
    const start = batch.resetState ? null : this.carried;
    // The windows cover the batch's T steps (the copy task's T is longer than its --seq-len).
    const windows = windowsOf(T, this.config.tbptt);
    const starts = new WindowStarts<LayerState[] | null>(windows, start);
    const params = this.model.parameters();
    let lossSum = 0;
    let lossWeight = 0;
    let gradNorm = 0;
    let finalStates: LayerState[] | null = null;
    for (const window of windows) {
      let result: ReturnType<Engine['runWindow']>;
      try {
        result = this.engine.runWindow(
          this.model,
          this.task,
          batch,
          window,
          starts.startOf(window),
        );
      } catch (error) {
        if (!(error instanceof AnomalyError)) throw error;
        this.optimizer.zeroGrad();
        return { ok: false, message: `step ${step}: ${error.message}`, anomaly: error };
      }
      // Keep the states later windows start from (truncated BPTT with k2 > k1).
      starts.keep(window, (t) => result.stateAfter(t));
      // The char-LM's next window starts where this one ended.
      // Stryker disable next-line ConditionalExpression, LogicalOperator: the last window ends at T and overwrites whatever an earlier one stored, and only the char-LM keeps finalStates (below)
      if (window.end === T && this.task.vocabulary !== null) finalStates = result.stateAfter(T);
      if (result.loss === null) continue;
      const where = windows.length > 1 ? ` (window ${window.start}–${window.end})` : '';
      if (!Number.isFinite(result.loss)) {
        this.optimizer.zeroGrad();
        return {
          ok: false,
          message: `step ${step}: the loss is ${result.loss}${where}`,
          anomaly: null,
        };
      }
      const norm = gradientNorm(params);
      if (!Number.isFinite(norm)) {
        this.optimizer.zeroGrad();
        return {
          ok: false,
          message: `step ${step}: the gradient norm is ${norm}${where}`,
          anomaly: null,
        };
      }
      gradNorm = Math.max(gradNorm, norm);
      if (this.config.clip !== null) clipGradNorm(params, this.config.clip);
      this.optimizer.step();
      this.optimizer.zeroGrad();
      // Stryker disable next-line ConditionalExpression: a 'last' task scores one window only, so its loss is divided by the same weight it was multiplied by
      const weight = this.task.readout === 'every' ? window.end - window.start : 1;
      lossSum += result.loss * weight;
      lossWeight += weight;
    }
    this.scheduler?.step();
    // Stryker disable next-line ConditionalExpression: without a vocabulary finalStates is still null, which is what carried already holds
    if (this.task.vocabulary !== null) this.carried = finalStates;
    this.step = step;
    const line: MetricsLine = { step, loss: lossSum / lossWeight, gradNorm, lr };
    if (step % this.config.evalEvery === 0 || step === this.config.steps) {
      line.eval = this.evaluate();
    }
    return { ok: true, line };
  }

  /** The task's evaluation on the held-out batch, from a zero state, in chunks (chunked-eval.ts). */
  evaluate(): Evaluation {
    const chunk = evaluationChunk(this.config);
    const window = evaluationWindow(this.config, Math.min(chunk, this.task.evalBatch.batchSize));
    return this.task.evaluate(
      predictInChunks(this.model, this.task, this.task.evalBatch, chunk, window),
      this.task.evalBatch,
    );
  }
}
