/**
 * export/keras.ts: the LayersModel loads in TensorFlow.js (`tf.loadLayersModel`) and
 * computes unroll's outputs to float32 precision for the RNN and the LSTM, both readouts;
 * the same file with the gate activation left to TensorFlow.js's default (the hard
 * sigmoid) does not, which shows the comparison can fail. The PyTorch-form GRU is
 * refused for TensorFlow.js with the reason, and written for Keras as reset_after.
 */

import * as tf from '@tensorflow/tfjs';
import { describe, expect, it } from 'vitest';
import { kerasFiles, kerasRefusal } from '../../src/export/keras.ts';
import { exportModelOf, maxAbsDifference, smallTrainer, unrollOutputs } from './helpers.ts';

type Files = ReturnType<typeof kerasFiles>;

/** `tf.loadLayersModel` on the two files, then `predict` on `x`. */
async function runTfjs(files: Files, x: Float64Array, dims: [number, number, number]) {
  const { modelTopology, weightsManifest } = files.json;
  const weightData = files.weights.buffer.slice(
    files.weights.byteOffset,
    files.weights.byteOffset + files.weights.byteLength,
  ) as ArrayBuffer;
  const model = await tf.loadLayersModel(
    tf.io.fromMemory({
      modelTopology: JSON.parse(JSON.stringify(modelTopology)),
      weightSpecs: weightsManifest[0]!.weights,
      weightData,
    }),
  );
  const input = tf.tensor3d(Float32Array.from(x), dims);
  const output = model.predict(input) as tf.Tensor;
  const result = { shape: output.shape, data: await output.data() };
  tf.dispose([input, output]);
  model.dispose();
  return result;
}

describe('tfjs export', () => {
  for (const cell of ['rnn', 'lstm'] as const) {
    for (const task of ['adding', 'copy'] as const) {
      it(`${cell} on ${task}: TensorFlow.js gives unroll's outputs to float32 precision`, async () => {
        const trainer = smallTrainer(cell, task);
        const { batch, x, y, shape } = unrollOutputs(trainer);
        const I = trainer.model.spec.inputSize;
        const out = await runTfjs(kerasFiles(exportModelOf(trainer), 'tfjs'), x, [
          batch.batchSize,
          batch.steps,
          I,
        ]);
        expect(out.shape).toEqual(shape);
        expect(maxAbsDifference(out.data, y)).toBeLessThan(1e-5);
      });
    }
  }

  it("an LSTM left with TensorFlow.js's default gate activation (hard sigmoid) gives other outputs", async () => {
    const trainer = smallTrainer('lstm', 'adding');
    const { batch, x, y } = unrollOutputs(trainer);
    const files = kerasFiles(exportModelOf(trainer), 'tfjs');
    const layers = files.json.modelTopology.config.layers as { config: Record<string, unknown> }[];
    for (const layer of layers) delete layer.config.recurrent_activation;
    const out = await runTfjs(files, x, [batch.batchSize, batch.steps, 2]);
    expect(maxAbsDifference(out.data, y)).toBeGreaterThan(1e-4);
  });

  it('refuses the GRU for TensorFlow.js, naming the two forms, and writes it for Keras as reset_after', () => {
    const model = exportModelOf(smallTrainer('gru', 'adding'));
    expect(kerasRefusal(model, 'tfjs')).toMatch(/Cho et al.*PyTorch's/);
    expect(() => kerasFiles(model, 'tfjs')).toThrow(/Cho et al/);
    const layers = kerasFiles(model, 'keras').json.modelTopology.config.layers as {
      config: Record<string, unknown>;
    }[];
    expect(layers[0]!.config.reset_after).toBe(true);
  });
});
