/**
 * export/pytorch.ts: the folder holds what PyTorch's own objects hold — the optimizer's
 * buffers under PyTorch's names (Adam: exp_avg, exp_avg_sq, step; SGD: momentum_buffer),
 * param_groups with PyTorch's option names — and reads back into unroll's form unchanged.
 * (That PyTorch takes one more step from it as unroll does is checked by
 * scripts/check-pytorch-export.ts, which needs PyTorch.)
 */

import { mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadSafetensors } from '@unroll/cells';
import { mobyDickCorpus } from '@unroll/tasks';
import { afterAll, describe, expect, it } from 'vitest';
import {
  PYTORCH_FILES,
  pytorchFiles,
  readPytorchWeights,
  writeFiles,
} from '../../src/export/pytorch.ts';
import { exportModelOf, smallTrainer } from './helpers.ts';

const scratch = mkdtempSync(join(tmpdir(), 'unroll-pytorch-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

function exported(trainer: ReturnType<typeof smallTrainer>) {
  const state = trainer.captureState();
  return pytorchFiles(exportModelOf(trainer), {
    config: trainer.config,
    state,
    optimizerInput: state.optimizer as never,
  });
}

describe('pytorch export', () => {
  it("Adam's state is PyTorch's: exp_avg and exp_avg_sq per parameter index, step, betas, weight_decay", () => {
    const files = exported(smallTrainer('lstm', 'adding'));
    const { tensors, metadata } = loadSafetensors(files[PYTORCH_FILES.optimizer] as Uint8Array);
    expect(Object.keys(tensors)).toContain('state.0.exp_avg');
    expect(Object.keys(tensors)).toContain('state.9.exp_avg_sq'); // 2 layers × 4 + readout's 2
    const optimizer = JSON.parse(metadata.optimizer!);
    expect(optimizer.type).toBe('Adam');
    expect(optimizer.param_names.slice(0, 4)).toEqual([
      'weight_ih_l0',
      'weight_hh_l0',
      'bias_ih_l0',
      'bias_hh_l0',
    ]);
    expect(optimizer.scalars['0'].step).toBe(3);
    expect(Object.keys(optimizer.param_groups[0]).sort()).toEqual(
      ['amsgrad', 'betas', 'eps', 'lr', 'maximize', 'params', 'weight_decay'].sort(),
    );
  });

  it("SGD with momentum's state is momentum_buffer; the folder reads back into the same state", () => {
    const trainer = smallTrainer('gru', 'copy', { optimizer: 'sgd' });
    Object.assign(trainer.optimizer.paramGroups[0]!, { momentum: 0.9 });
    trainer.trainStep();
    const folder = join(scratch, 'sgd');
    mkdirSync(folder);
    writeFiles(folder, exported(trainer));
    const { tensors, metadata } = loadSafetensors(
      readFileSync(join(folder, PYTORCH_FILES.optimizer)),
    );
    expect(Object.keys(tensors).every((k) => k.endsWith('.momentum_buffer'))).toBe(true);
    expect(JSON.parse(metadata.optimizer!).param_groups[0]).toMatchObject({
      momentum: 0.9,
      dampening: 0,
      nesterov: false,
    });
    const back = readPytorchWeights(join(folder, PYTORCH_FILES.model), folder);
    const before = trainer.optimizer.stateDict();
    expect(back.optimizer!.state).toEqual(before.state);
    expect(back.optimizer!.paramGroups).toEqual(before.paramGroups);
  });

  it('a char-LM brings its text, alphabet, text position and carried state [L, B, H]', () => {
    const trainer = smallTrainer('lstm', 'charlm', { hidden: 4, seqLen: 5 });
    const files = exported(trainer);
    const run = JSON.parse(files[PYTORCH_FILES.run] as string);
    expect(run.alphabet).toHaveLength(trainer.task.inputSize);
    expect(run.data).toEqual({ text: { epoch: 0, window: 3 } });
    const { vocabulary, train } = mobyDickCorpus();
    const text = files[PYTORCH_FILES.text] as string;
    expect(vocabulary.encode(text)).toEqual(train); // the training text, the validation part left out
    const carried = loadSafetensors(files[PYTORCH_FILES.carried] as Uint8Array).tensors;
    expect(carried.h!.shape).toEqual([2, 3, 4]);
    expect(carried.c!.shape).toEqual([2, 3, 4]);
    expect(files[PYTORCH_FILES.script]).toMatch(/DistributedDataParallel/);
  });
});
