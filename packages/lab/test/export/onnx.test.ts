/**
 * export/onnx.ts: the exported file runs in ONNX Runtime (onnxruntime-node) and computes
 * what unroll computes, to 1e-6, for each cell and both readouts; a GRU exported with
 * ONNX's default reset placement (linear_before_reset = 0) does not, which shows the
 * comparison can fail.
 */

import { InferenceSession, Tensor } from 'onnxruntime-node';
import { describe, expect, it } from 'vitest';
import { onnxModel } from '../../src/export/onnx.ts';
import { exportModelOf, maxAbsDifference, smallTrainer, unrollOutputs } from './helpers.ts';

async function runOnnx(bytes: Uint8Array, x: Float64Array, dims: number[]) {
  const session = await InferenceSession.create(bytes);
  const result = await session.run({ x: new Tensor('float32', Float32Array.from(x), dims) });
  return result.y!;
}

describe('onnx export', () => {
  for (const cell of ['rnn', 'lstm', 'gru'] as const) {
    for (const task of ['adding', 'copy'] as const) {
      it(`${cell} on ${task}: ONNX Runtime gives unroll's outputs to 1e-6`, async () => {
        const trainer = smallTrainer(cell, task);
        const { batch, x, y, shape } = unrollOutputs(trainer);
        const onnx = await runOnnx(onnxModel(exportModelOf(trainer), 'test'), x, [
          batch.batchSize,
          batch.steps,
          trainer.model.spec.inputSize,
        ]);
        expect(onnx.dims).toEqual(shape);
        expect(maxAbsDifference(onnx.data as Float32Array, y)).toBeLessThan(1e-6);
      });
    }
  }

  it("a GRU without linear_before_reset (Cho et al.'s form) gives other outputs", async () => {
    const trainer = smallTrainer('gru', 'adding');
    const { batch, x, y } = unrollOutputs(trainer);
    const bytes = onnxModel(exportModelOf(trainer), 'test');
    // The attribute's name is followed by its value (field 3, varint 1): make the value 0.
    const name = new TextEncoder().encode('linear_before_reset');
    const cho = bytes.slice();
    for (let i = 0; i + name.length + 2 <= cho.length; i++) {
      if (name.every((b, k) => cho[i + k] === b) && cho[i + name.length] === 0x18) {
        cho[i + name.length + 1] = 0;
      }
    }
    const dims = [batch.batchSize, batch.steps, 2];
    const pytorchForm = await runOnnx(bytes, x, dims);
    const choForm = await runOnnx(cho, x, dims);
    expect(maxAbsDifference(pytorchForm.data as Float32Array, y)).toBeLessThan(1e-6);
    expect(maxAbsDifference(choForm.data as Float32Array, y)).toBeGreaterThan(1e-4);
  });
});
