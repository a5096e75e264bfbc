/**
 * Two ways to compute one window's loss and gradients, with the same result up to
 * rounding:
 *
 *   fast      the recurrent layers by the hand-derived BPTT (fast-path.ts); the readout
 *             and the loss on the autodiff graph, which hands ∂loss/∂h_t back to it.
 *   autodiff  everything on the graph: each step is @unroll/cells' `stepProjected`,
 *             labelled with its timestep and layer (`withOpContext`), so anomaly mode
 *             can say where a NaN was born, and hooks can read ‖∂L/∂h_t‖.
 *
 * A window is the steps [start, end) of a batch whose loss is taken, unrolled from
 * the state at `cut` ≤ start (truncated BPTT); full BPTT is the one window
 * { cut: 0, start: 0, end: T }.
 */

import { unbind } from '@unroll/cells';
import { detectAnomalies } from '@unroll/diagnostics';
import {
  fromData,
  narrow,
  noGrad,
  stack,
  type Tensor,
  transpose,
  withOpContext,
} from '@unroll/tensor';
import { backwardStack, forwardStack, type LayerState, stateAt } from './fast-path.ts';
import type { AnyCell, SequenceModel } from './model.ts';
import { type TaskAdapter, type TrainingBatch, taskLoss } from './task-adapters.ts';

export interface Window {
  cut: number;
  start: number;
  end: number;
}

export interface WindowResult {
  /** The loss of the steps [start, end), or null when they carry none. */
  loss: number | null;
  /** Each layer's state after step t of the batch, cut ≤ t ≤ end (copies). */
  stateAfter(t: number): LayerState[];
}

export interface Engine {
  readonly name: 'fast' | 'autodiff';
  /**
   * Forward over the window, then — when it has a finite loss — backward, adding
   * every parameter's gradient into its `.grad`.
   */
  runWindow(
    model: SequenceModel,
    task: TaskAdapter,
    batch: TrainingBatch,
    window: Window,
    state0: readonly LayerState[] | null,
  ): WindowResult;
}

/** The readout's predictions from the top layer's outputs [B, n, H] of a window. */
export function readoutOf(
  model: SequenceModel,
  task: TaskAdapter,
  outputs: Tensor,
  from: number,
  to: number,
): Tensor {
  const [B, n, H] = outputs.shape as [number, number, number];
  if (task.readout === 'last') {
    return model.readout.forward(narrow(outputs, 1, n - 1, 1).reshape([B, H]));
  }
  const scored = from === 0 && to === n ? outputs : narrow(outputs, 1, from, to - from);
  return model.readout.forward(scored);
}

/** xs [B, T, I] → the steps [from, to) as [B, to − from, I]. */
export function sliceSteps(batch: TrainingBatch, inputSize: number, from: number, to: number) {
  const { xs, batchSize: B, steps: T } = batch;
  if (from === 0 && to === T) return xs;
  const n = to - from;
  const out = new Float64Array(B * n * inputSize);
  for (let b = 0; b < B; b++) {
    out.set(xs.subarray((b * T + from) * inputSize, (b * T + to) * inputSize), b * n * inputSize);
  }
  return out;
}

/** Whether the loss of [start, end) exists: a 'last' task scores only its final window. */
const hasLoss = (task: TaskAdapter, batch: TrainingBatch, window: Window) =>
  task.readout === 'every' || window.end === batch.steps;

export const fastEngine: Engine = {
  name: 'fast',
  runWindow(model, task, batch, window, state0) {
    const { cut, start, end } = window;
    const n = end - cut;
    const xs = sliceSteps(batch, model.spec.inputSize, cut, end);
    const tape = forwardStack(model, xs, batch.batchSize, n, state0);
    const stateAfter = (t: number) => stateAt(tape, t - cut);
    if (!hasLoss(task, batch, window)) return { loss: null, stateAfter };
    const B = batch.batchSize;
    const H = model.spec.hiddenSize;
    if (task.readout === 'last') {
      // Only h_T is read: it alone enters the graph, and its .grad enters the top layer's
      // pass as ∂loss/∂h_T — what a [B, n, H] leaf would give, without its n − 1 zero steps
      // (at T = 10,000 those are tens of MB, twice: the leaf's gradient and its copy).
      const hT = fromData(tape.layers[tape.layers.length - 1]!.hT, [B, H], { requiresGrad: true });
      const loss = taskLoss(task, model.readout.forward(hT), batch, start, end)!;
      const value = loss.item();
      if (Number.isFinite(value)) {
        loss.backward();
        backwardStack(model, tape, null, hT.grad!.data);
      }
      return { loss: value, stateAfter };
    }
    // The top layer's outputs enter the graph as a leaf: its .grad is ∂loss/∂h_t.
    const outputs = fromData(tape.output, [B, n, H], { requiresGrad: true });
    const loss = taskLoss(
      task,
      readoutOf(model, task, outputs, start - cut, n),
      batch,
      start,
      end,
    )!;
    const value = loss.item();
    if (Number.isFinite(value)) {
      loss.backward();
      backwardStack(model, tape, outputs.grad!.data);
    }
    return { loss: value, stateAfter };
  },
};

export interface GraphForward {
  /** The top layer's outputs [B, n, H]. */
  outputs: Tensor;
  /** hs[layer][i]: h after step cut + i + 1, in the graph (hook them to read ∂L/∂h_t). */
  hs: Tensor[][];
  cs: Tensor[][] | null;
}

/**
 * The recurrent layers on the graph over xs [B, n, I], from `state0`. Every op of step
 * t in layer l runs inside withOpContext({ timestep: firstStep + t + 1, layer: l }).
 */
export function forwardGraph(
  model: SequenceModel,
  xs: Float64Array,
  batchSize: number,
  n: number,
  state0: readonly LayerState[] | null,
  firstStep = 0,
): GraphForward {
  const { inputSize, hiddenSize, layers } = model.spec;
  let input = fromData(xs, [batchSize, n, inputSize]);
  const hs: Tensor[][] = [];
  const cs: Tensor[][] | null = model.hasCellState ? [] : null;
  for (let l = 0; l < layers; l++) {
    const cell: AnyCell = model.cellOf(l);
    // x·W_ihᵀ + b_ih for all n steps in one matmul, time-major, then one slice per step.
    const xW = withOpContext({ layer: l }, () => unbind(cell.projectInput(transpose(input, 0, 1))));
    const start = state0?.[l];
    // Stryker disable MethodExpression: nothing writes to a start state (each step makes new tensors), so the leaves could share its arrays
    let state: { h: Tensor; c?: Tensor } =
      start === undefined
        ? cell.initialState(batchSize)
        : {
            h: fromData(start.h.slice(), [batchSize, hiddenSize]),
            ...(start.c === undefined
              ? {}
              : { c: fromData(start.c.slice(), [batchSize, hiddenSize]) }),
          };
    // Stryker restore MethodExpression
    const layerHs: Tensor[] = [];
    const layerCs: Tensor[] = [];
    for (let t = 0; t < n; t++) {
      const previous = state;
      state = withOpContext({ timestep: firstStep + t + 1, layer: l }, () =>
        cell.stepProjected(xW[t]!, previous),
      );
      layerHs.push(state.h);
      // Stryker disable next-line ConditionalExpression: for a cell without c the list fills with undefined and is never read
      if (state.c !== undefined) layerCs.push(state.c);
    }
    hs.push(layerHs);
    cs?.push(layerCs);
    input = stack(layerHs, 1);
  }
  return { outputs: input, hs, cs };
}

/** The graph engine; with `anomaly`, every op and gradient of a window is checked for NaN/∞. */
export function autodiffEngine({ anomaly }: { anomaly: boolean }): Engine {
  const run: Engine['runWindow'] = (model, task, batch, window, state0) => {
    const { cut, start, end } = window;
    const n = end - cut;
    const xs = sliceSteps(batch, model.spec.inputSize, cut, end);
    const graph = forwardGraph(model, xs, batch.batchSize, n, state0, cut);
    const stateAfter = (t: number): LayerState[] => {
      if (t === cut) return state0 === null ? zeroStates(model, batch.batchSize) : [...state0];
      return graph.hs.map((layer, l) => {
        const h = layer[t - cut - 1]!.data.slice();
        const c = graph.cs === null ? undefined : graph.cs[l]![t - cut - 1]!.data.slice();
        return c === undefined ? { h } : { h, c };
      });
    };
    if (!hasLoss(task, batch, window)) return { loss: null, stateAfter };
    const predictions = readoutOf(model, task, graph.outputs, start - cut, n);
    const loss = taskLoss(task, predictions, batch, start, end)!;
    const value = loss.item();
    if (Number.isFinite(value)) loss.backward();
    return { loss: value, stateAfter };
  };
  return {
    name: 'autodiff',
    runWindow: anomaly ? (...args) => detectAnomalies(() => run(...args)) : run,
  };
}

function zeroStates(model: SequenceModel, batchSize: number): LayerState[] {
  const size = batchSize * model.spec.hiddenSize;
  return Array.from({ length: model.spec.layers }, () =>
    model.hasCellState
      ? { h: new Float64Array(size), c: new Float64Array(size) }
      : { h: new Float64Array(size) },
  );
}

/** Predictions for a whole batch from a zero state, without recording a graph. */
export function predict(model: SequenceModel, task: TaskAdapter, batch: TrainingBatch): Tensor {
  const tape = forwardStack(model, batch.xs, batch.batchSize, batch.steps, null);
  const outputs = fromData(tape.output, [batch.batchSize, batch.steps, model.spec.hiddenSize]);
  return noGrad(() => readoutOf(model, task, outputs, 0, batch.steps));
}
