/**
 * Chapter 6's worker: a tanh RNN cell (hidden size 3) unrolled over T steps of one
 * adding-problem sequence, the loss read after the last step. One forward and one
 * backward pass; it answers with every h_t and ‖∂L/∂h_t‖, the gradient that BPTT
 * carries back to step t.
 */

import { measureGradientFlow } from '@unroll/diagnostics';
import { mse, narrow, Rng, reshape } from '@unroll/tensor';
import { AddingModel } from './adding-model.ts';

export interface UnrolledRequest {
  seqLen: number;
  radius: number;
}

export type UnrolledReply =
  | {
      ok: true;
      inputs: number[][];
      hs: number[][];
      norms: number[];
      loss: number;
      prediction: number;
      target: number;
    }
  | { ok: false; message: string };

function answer({ seqLen, radius }: UnrolledRequest): UnrolledReply {
  if (!Number.isInteger(seqLen) || seqLen < 2 || seqLen > 12) {
    return { ok: false, message: `T must be a whole number from 2 to 12, got ${seqLen}` };
  }
  const model = new AddingModel({
    cell: 'rnn',
    seqLen,
    hidden: 3,
    init: 'uniform',
    radius,
    seed: 3,
  });
  const batch = model.task.batch(1, new Rng(11));
  const hs: number[][] = [];
  const measured = measureGradientFlow(model.cell, batch.inputs, (output) => {
    for (let t = 0; t < seqLen; t++) hs.push([...narrow(output, 1, t, 1).data]);
    return mse(
      model.readout.forward(reshape(narrow(output, 1, seqLen - 1, 1), [1, 3])),
      batch.targets,
    );
  });
  const x = batch.inputs.data;
  return {
    ok: true,
    inputs: Array.from({ length: seqLen }, (_, t) => [x[2 * t]!, x[2 * t + 1]!]),
    hs,
    norms: measured.norms[0]!,
    loss: measured.loss,
    prediction: model.predict(batch.inputs).item(),
    target: batch.targets.data[0]!,
  };
}

self.onmessage = (event: MessageEvent<UnrolledRequest>) => {
  try {
    self.postMessage(answer(event.data));
  } catch (error) {
    self.postMessage({ ok: false, message: (error as Error).message } satisfies UnrolledReply);
  }
};
