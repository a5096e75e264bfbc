/**
 * Chapter 9's worker: one run of the main experiment, the lab's recipe at a small
 * size. One cell on the adding problem (Adam lr 0.01, clip 1, batch 32), held-out MSE
 * on 256 fresh sequences every 25 steps, stopping once it is below 0.01 ("solved").
 * The page starts one worker per cell, so the three runs go side by side, as the
 * lab's runs do on worker threads.
 */

import { gradientVerdict, measureGradientFlow } from '@unroll/diagnostics';
import { mse, narrow, Rng, reshape } from '@unroll/tensor';
import { AddingModel, type CellName } from './adding-model.ts';

export interface ExperimentRequest {
  cell: CellName;
  seqLen: number;
  hidden: number;
  steps: number;
  seed: number;
}

export interface Verdict {
  verdict: string;
  ratio: number;
}

export type ExperimentReply =
  | { type: 'progress'; step: number; evalSteps: number[]; evalLosses: number[] }
  | {
      type: 'done';
      step: number;
      finalMse: number;
      solvedAt: number | null;
      seconds: number;
      evalSteps: number[];
      evalLosses: number[];
      init: Verdict | null;
      final: Verdict | null;
    }
  | { type: 'error'; message: string };

const EVAL_EVERY = 25;

/** The verdict on ‖∂L/∂h_t‖ over a fixed probe batch (null when it cannot be judged). */
function verdictOf(model: AddingModel): Verdict | null {
  const probe = model.task.batch(64, new Rng(model.settings.seed + 1));
  const { seqLen: T, hidden: H } = model.settings;
  const { norms } = measureGradientFlow(model.cell, probe.inputs, (output) =>
    mse(model.readout.forward(reshape(narrow(output, 1, T - 1, 1), [64, H])), probe.targets),
  );
  try {
    const report = gradientVerdict(norms[0]!);
    return { verdict: report.verdict, ratio: report.ratio };
  } catch {
    return null;
  }
}

const nextTurn = () => new Promise<void>((resolve) => setTimeout(resolve, 0));

async function run(request: ExperimentRequest): Promise<void> {
  if (!Number.isInteger(request.steps) || request.steps < 1 || request.steps > 5000) {
    throw new RangeError(`steps must be a whole number from 1 to 5000, got ${request.steps}`);
  }
  const started = performance.now();
  const model = new AddingModel({ ...request, init: 'uniform', radius: null });
  const heldOut = model.task.batch(256, new Rng(request.seed + 2));
  const init = verdictOf(model);
  const evalSteps: number[] = [];
  const evalLosses: number[] = [];
  let solvedAt: number | null = null;
  let last = model.evaluate(heldOut).loss;
  evalSteps.push(0);
  evalLosses.push(last);
  while (model.step < request.steps && solvedAt === null) {
    model.trainStep();
    if (model.step % EVAL_EVERY === 0 || model.step === request.steps) {
      const evaluation = model.evaluate(heldOut);
      last = evaluation.loss;
      evalSteps.push(model.step);
      evalLosses.push(last);
      if (evaluation.solved) solvedAt = model.step;
      self.postMessage({
        type: 'progress',
        step: model.step,
        evalSteps,
        evalLosses,
      } satisfies ExperimentReply);
      await nextTurn();
    }
  }
  self.postMessage({
    type: 'done',
    step: model.step,
    finalMse: last,
    solvedAt,
    seconds: (performance.now() - started) / 1000,
    evalSteps,
    evalLosses,
    init,
    final: verdictOf(model),
  } satisfies ExperimentReply);
}

self.onmessage = (event: MessageEvent<ExperimentRequest>) => {
  run(event.data).catch((error: Error) => {
    self.postMessage({ type: 'error', message: error.message } satisfies ExperimentReply);
  });
};
