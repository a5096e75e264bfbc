/**
 * The same training step written with TensorFlow.js on its pure-JavaScript 'cpu'
 * backend, for comparison. NOTE: tfjs computes in float32 (it has no float64), so it
 * moves half the bytes that unroll's float64 does; the ratio flatters tfjs, if anything.
 * It gets the same formulation as the hand path: one matMul for the input projection
 * of all steps, one per step for the recurrence.
 */

import * as tf from '@tensorflow/tfjs';
import { type BenchProblem, gateCount, learningRate } from './sizes.ts';

export async function useTfjsCpu(): Promise<void> {
  await tf.setBackend('cpu');
  await tf.ready();
  if (tf.getBackend() !== 'cpu') throw new Error(`tfjs backend is ${tf.getBackend()}, not cpu`);
}

const f32 = (values: Float64Array) => Float32Array.from(values);

export function tfjsStep(problem: BenchProblem): { step: () => number; dispose: () => void } {
  const { size, cell } = problem;
  const { batchSize: B, steps: T, inputSize: I, hiddenSize: H, outputSize: O } = size;
  const G = gateCount[cell] * H;
  const W_ih = tf.variable(tf.tensor2d(f32(problem.weight_ih), [G, I]));
  const W_hh = tf.variable(tf.tensor2d(f32(problem.weight_hh), [G, H]));
  const b_ih = tf.variable(tf.tensor1d(f32(problem.bias_ih)));
  const b_hh = tf.variable(tf.tensor1d(f32(problem.bias_hh)));
  const W_out = tf.variable(tf.tensor2d(f32(problem.readoutWeight), [O, H]));
  const b_out = tf.variable(tf.tensor1d(f32(problem.readoutBias)));
  const xs = tf.tensor2d(f32(problem.xs), [B * T, I]);
  const targets = tf.tensor2d(f32(problem.targets), [B * T, O]);
  const optimizer = tf.train.sgd(learningRate);

  const lossOf = (): tf.Scalar => {
    const xProj = tf.matMul(xs, W_ih, false, true).add(b_ih).reshape([B, T, G]);
    const xSteps = tf.unstack(xProj, 1);
    let h: tf.Tensor2D = tf.zeros([B, H]);
    let c: tf.Tensor2D = tf.zeros([B, H]);
    const hs: tf.Tensor2D[] = [];
    for (let t = 0; t < T; t++) {
      const x = xSteps[t] as tf.Tensor2D;
      const hh = tf.matMul(h, W_hh, false, true).add(b_hh);
      if (cell === 'lstm') {
        const [i, f, g, o] = tf.split(x.add(hh), 4, 1) as tf.Tensor2D[];
        c = tf
          .sigmoid(f!)
          .mul(c)
          .add(tf.sigmoid(i!).mul(tf.tanh(g!)));
        h = tf.sigmoid(o!).mul(tf.tanh(c));
      } else if (cell === 'gru') {
        const [xr, xz, xn] = tf.split(x, 3, 1) as tf.Tensor2D[];
        const [hr, hz, hn] = tf.split(hh, 3, 1) as tf.Tensor2D[];
        const r = tf.sigmoid(xr!.add(hr!));
        const z = tf.sigmoid(xz!.add(hz!));
        const n = tf.tanh(xn!.add(r.mul(hn!)));
        h = tf.sub(1, z).mul(n).add(z.mul(h)) as tf.Tensor2D;
      } else {
        h = tf.tanh(x.add(hh)) as tf.Tensor2D;
      }
      hs.push(h);
    }
    const y = tf.matMul(tf.stack(hs, 1).reshape([B * T, H]), W_out, false, true).add(b_out);
    return tf.losses.meanSquaredError(targets, y) as tf.Scalar;
  };

  return {
    step: () => {
      const loss = optimizer.minimize(lossOf, true) as tf.Scalar;
      const value = loss.dataSync()[0]!;
      loss.dispose();
      return value;
    },
    dispose: () => {
      for (const t of [W_ih, W_hh, b_ih, b_hh, W_out, b_out, xs, targets]) t.dispose();
      optimizer.dispose();
    },
  };
}
