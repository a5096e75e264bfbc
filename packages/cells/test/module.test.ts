/**
 * Module: dotted names, modes, state dicts that refuse a bad load without changing
 * anything.
 */

import { arbitraries } from '@unroll/gradcheck';
import { Rng, randn, sum, type Tensor, tensor, zeros } from '@unroll/tensor';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { GRU, Linear, LSTM, loadSafetensors, Module, saveSafetensors } from '../src/index.ts';

/** A small model made of modules: an encoder LSTM and a readout, plus an own parameter. */
class Tagger extends Module {
  readonly scale: Tensor;
  readonly encoder: LSTM;
  readonly readout: Linear;
  constructor(rng = new Rng(0)) {
    super();
    this.scale = this.registerParameter('scale', tensor([1], { requiresGrad: true }));
    this.encoder = this.registerModule(
      'encoder',
      new LSTM({ inputSize: 3, hiddenSize: 4, numLayers: 2, dropout: 0.5, rng }),
    );
    this.readout = this.registerModule(
      'readout',
      new Linear({ inFeatures: 4, outFeatures: 2, rng }),
    );
  }
}

const snapshot = (m: Module) => m.namedParameters().map(([n, t]) => [n, Array.from(t.data)]);

describe('Module', () => {
  it('names parameters with dotted child names, in registration order', () => {
    const names = new Tagger().namedParameters().map(([n]) => n);
    expect(names).toEqual([
      'scale',
      'encoder.weight_ih_l0',
      'encoder.weight_hh_l0',
      'encoder.bias_ih_l0',
      'encoder.bias_hh_l0',
      'encoder.weight_ih_l1',
      'encoder.weight_hh_l1',
      'encoder.bias_ih_l1',
      'encoder.bias_hh_l1',
      'readout.weight',
      'readout.bias',
    ]);
    const model = new Tagger();
    expect(model.parameters()).toEqual(model.namedParameters().map(([, t]) => t));
    expect(model.parameters().every((t) => t.requiresGrad)).toBe(true);
  });

  it('train() and eval() reach every child', () => {
    const model = new Tagger();
    model.eval();
    expect([model.training, model.encoder.training, model.readout.training]).toEqual([
      false,
      false,
      false,
    ]);
    model.train();
    expect([model.training, model.encoder.training, model.readout.training]).toEqual([
      true,
      true,
      true,
    ]);
  });

  it('stateDict → loadStateDict copies every value into the existing tensors', () => {
    fc.assert(
      fc.property(arbitraries.seed(), arbitraries.seed(), (a, b) => {
        const source = new Tagger(new Rng(a));
        const target = new Tagger(new Rng(b));
        const tensors = target.parameters();
        expect(target.loadStateDict(source.stateDict())).toEqual({ missing: [], unexpected: [] });
        expect(snapshot(target)).toEqual(snapshot(source));
        expect(target.parameters().every((t, i) => t === tensors[i])).toBe(true);
      }),
      { numRuns: 20 },
    );
  });

  it('stateDict values share the parameters’ data and carry no graph', () => {
    const model = new Tagger();
    const dict = model.stateDict();
    expect(dict.scale!.requiresGrad).toBe(false);
    dict.scale!.data[0] = 7;
    expect(model.scale.data[0]).toBe(7);
  });

  it('refuses missing keys, unexpected keys and shape mismatches, listing them all, changing nothing', () => {
    const model = new Tagger();
    const before = snapshot(model);
    const dict: Record<string, { shape: number[]; data: Float64Array }> = {};
    for (const [name, t] of new Tagger(new Rng(5)).namedParameters()) {
      dict[name] = { shape: [...t.shape], data: t.data };
    }
    delete dict['encoder.bias_hh_l1'];
    delete dict['readout.bias'];
    dict['decoder.weight'] = { shape: [1], data: new Float64Array(1) };
    dict['readout.weight'] = { shape: [4, 2], data: new Float64Array(8) };
    expect(() => model.loadStateDict(dict)).toThrow(
      "loadStateDict (Tagger): refused, nothing was changed — shape mismatches: 'readout.weight': the dict has [4, 2] (8 values), the module [2, 4]. missing keys: 'encoder.bias_hh_l1', 'readout.bias'. unexpected keys: 'decoder.weight'",
    );
    expect(snapshot(model)).toEqual(before);
  });

  it('non-strict loads skip missing and unexpected keys but still refuse shape mismatches', () => {
    const model = new Linear({ inFeatures: 2, outFeatures: 1 });
    const result = model.loadStateDict(
      { weight: { shape: [1, 2], data: [3, 4] }, extra: { shape: [], data: [1] } },
      { strict: false },
    );
    expect(result).toEqual({ missing: ['bias'], unexpected: ['extra'] });
    expect(Array.from(model.weight.data)).toEqual([3, 4]);
    expect(() =>
      model.loadStateDict({ weight: { shape: [2, 1], data: [1, 2] } }, { strict: false }),
    ).toThrow("shape mismatches: 'weight': the dict has [2, 1] (2 values), the module [1, 2]");
    expect(Array.from(model.weight.data)).toEqual([3, 4]);
  });

  it('a state dict survives a safetensors file, bit for bit', () => {
    const source = new GRU({ inputSize: 2, hiddenSize: 3, bidirectional: true, rng: new Rng(4) });
    const bytes = saveSafetensors(source.stateDict(), { format: 'pt' });
    const target = new GRU({ inputSize: 2, hiddenSize: 3, bidirectional: true, rng: new Rng(8) });
    target.loadStateDict(loadSafetensors(bytes).tensors);
    expect(snapshot(target)).toEqual(snapshot(source));
  });

  it('refuses bad registrations and parameters without requiresGrad', () => {
    class Bad extends Module {
      constructor(kind: 'dot' | 'twice' | 'frozen') {
        super();
        const p = zeros([1], { requiresGrad: true });
        if (kind === 'dot') this.registerParameter('a.b', p);
        if (kind === 'twice') {
          this.registerParameter('a', p);
          this.registerModule('a', new Linear({ inFeatures: 1, outFeatures: 1 }));
        }
        if (kind === 'frozen') this.registerParameter('w', zeros([1]));
      }
    }
    expect(() => new Bad('dot')).toThrow("Bad: 'a.b' is not a valid name (non-empty, no dots)");
    expect(() => new Bad('twice')).toThrow("Bad: the name 'a' is already taken");
    expect(() => new Bad('frozen')).toThrow(
      "Bad: parameter 'w' must be created with { requiresGrad: true }",
    );
  });

  it('zeroGrad forgets every gradient', () => {
    const model = new Linear({ inFeatures: 2, outFeatures: 2 });
    sum(model.forward(randn([3, 2], new Rng(1)))).backward();
    expect(model.parameters().every((t) => t.grad !== null)).toBe(true);
    model.zeroGrad();
    expect(model.parameters().every((t) => t.grad === null)).toBe(true);
  });
});
