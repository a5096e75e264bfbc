/**
 * Chapter 7's worker: builds the model the controls describe, draws its panels, and
 * on request trains it on the adding problem, sending the panels and the loss curve
 * every few steps. A 'stop' message (or new settings) ends a training run between
 * steps: the loop gives the message queue a turn every few steps.
 */

import { lossChart } from '@unroll/diagnostics';
import { ADDING_BASELINE_MSE } from '@unroll/tasks';
import { Rng } from '@unroll/tensor';
import { AddingModel, LIMITS, type ModelSettings } from './adding-model.ts';
import { drawPanels, type Panels } from './panels.ts';

export type ExplorerRequest =
  | { type: 'show'; settings: ModelSettings }
  | { type: 'train'; settings: ModelSettings; steps: number }
  | { type: 'stop' };

export type ExplorerReply =
  | ({ type: 'frame'; step: number; loss: string | null; training: boolean } & Panels)
  | { type: 'error'; message: string };

let generation = 0;
const nextTurn = () => new Promise<void>((resolve) => setTimeout(resolve, 0));

function probeOf(model: AddingModel) {
  return model.task.batch(32, new Rng(model.settings.seed + 1));
}

function frame(model: AddingModel, loss: string | null, training: boolean): ExplorerReply {
  return { type: 'frame', step: model.step, loss, training, ...drawPanels(model, probeOf(model)) };
}

async function train(settings: ModelSettings, steps: number, run: number): Promise<void> {
  if (!Number.isInteger(steps) || steps < LIMITS.steps.min || steps > LIMITS.steps.max) {
    throw new RangeError(
      `steps must be a whole number from ${LIMITS.steps.min} to ${LIMITS.steps.max}, got ${steps}`,
    );
  }
  const model = new AddingModel(settings);
  const losses: number[] = [];
  const xs: number[] = [];
  const curve = () =>
    lossChart({
      width: 420,
      height: 280,
      title: `Training loss, step ${model.step} of ${steps}`,
      yLabel: 'batch MSE',
      series: [{ name: 'loss', x: xs, y: losses }],
      baselines: [{ y: ADDING_BASELINE_MSE, label: 'baseline 0.167' }],
    });
  self.postMessage(frame(model, null, true));
  while (model.step < steps) {
    const { loss } = model.trainStep();
    xs.push(model.step);
    losses.push(loss);
    if (model.step % 5 === 0) await nextTurn();
    if (run !== generation) return;
    if (model.step % 25 === 0 || model.step === steps) {
      self.postMessage(frame(model, curve(), model.step < steps));
    }
  }
}

self.onmessage = async (event: MessageEvent<ExplorerRequest>) => {
  const request = event.data;
  const run = ++generation;
  try {
    if (request.type === 'show')
      self.postMessage(frame(new AddingModel(request.settings), null, false));
    if (request.type === 'train') await train(request.settings, request.steps, run);
  } catch (error) {
    self.postMessage({ type: 'error', message: (error as Error).message } satisfies ExplorerReply);
  }
};
