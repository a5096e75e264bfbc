/**
 * Checkpoints hold the whole training state and give it back exactly, under PyTorch's
 * names; what the file holds is what PyTorch's safetensors reader would see.
 */

import { loadSafetensors } from '@unroll/cells';
import { describe, expect, it } from 'vitest';
import { configDifferences, decodeCheckpoint, encodeCheckpoint } from '../src/checkpoint.ts';
import { defaultConfig } from '../src/config.ts';
import { Trainer } from '../src/trainer.ts';

function trained(overrides = {}) {
  const config = {
    ...defaultConfig('charlm'),
    hidden: 6,
    layers: 2,
    seqLen: 5,
    batch: 2,
    evalBatch: 1,
    ...overrides,
  };
  const trainer = new Trainer(config);
  for (let i = 0; i < 3; i++) expect(trainer.trainStep().ok).toBe(true);
  return trainer;
}

describe('a checkpoint', () => {
  it('decodes to the state it was made from, bit for bit', () => {
    const trainer = trained({ schedule: 'cosine' });
    const state = trainer.captureState();
    const back = decodeCheckpoint(encodeCheckpoint(trainer.config, state));
    expect(back.config).toEqual(trainer.config);
    expect(back.state.step).toBe(3);
    expect(back.state.data).toEqual({ text: { epoch: 0, window: 3 } });
    expect(back.state.scheduler).toEqual(state.scheduler);
    expect(back.state.carried).toEqual(state.carried);
    for (const [name, p] of Object.entries(state.parameters)) {
      expect(back.state.parameters[name]!.data).toEqual(p.data);
    }
    expect(back.optimizerInput.paramGroups).toEqual(state.optimizer.paramGroups);
    for (const [index, entry] of Object.entries(state.optimizer.state)) {
      expect(back.optimizerInput.state[Number(index)]).toEqual(entry);
    }
  });

  it('restored into a fresh trainer, goes on exactly as the original', () => {
    const original = trained({ optimizer: 'sgd', tbptt: [2, 3] });
    const copy = new Trainer(original.config);
    copy.restoreState(
      decodeCheckpoint(encodeCheckpoint(original.config, original.captureState())).state,
    );
    for (let i = 0; i < 3; i++) {
      const a = original.trainStep();
      const b = copy.trainStep();
      expect(b).toEqual(a);
    }
  });

  it('names tensors as PyTorch does, with the optimizer and carried state beside them', () => {
    const trainer = trained();
    const file = loadSafetensors(encodeCheckpoint(trainer.config, trainer.captureState()));
    const names = Object.keys(file.tensors);
    expect(names.slice(0, 10)).toEqual([
      'weight_ih_l0',
      'weight_hh_l0',
      'bias_ih_l0',
      'bias_hh_l0',
      'weight_ih_l1',
      'weight_hh_l1',
      'bias_ih_l1',
      'bias_hh_l1',
      'readout.weight',
      'readout.bias',
    ]);
    expect(names).toContain('optimizer.weight_hh_l1.exp_avg_sq');
    expect(names).toContain('carried.c');
    expect(file.tensors.weight_hh_l0!).toMatchObject({ dtype: 'F64', shape: [24, 6] });
    expect(file.metadata['unroll.format']).toBe('checkpoint-v2');
  });
});

describe('configDifferences', () => {
  it('names each field that differs, in the order of the config, with both values; skips the ignored', () => {
    const a = defaultConfig('adding');
    const b = { ...a, cell: 'gru' as const, hidden: 16, tbptt: [5, 10] as [number, number] };
    expect(configDifferences(a, b)).toEqual([
      'cell "lstm" ≠ "gru"',
      'tbptt null ≠ [5,10]',
      'hidden 32 ≠ 16',
    ]);
    expect(configDifferences(a, b, ['cell', 'tbptt'])).toEqual(['hidden 32 ≠ 16']);
    expect(configDifferences(a, { ...a })).toEqual([]);
  });
});
