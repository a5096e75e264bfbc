/**
 * The hand-derived passes against PyTorch float64 (test/fixtures/torch-sequences.json,
 * made by scripts/make-torch-references.py): outputs, final states and every gradient
 * agree to 1e-10 relative.
 */

import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import {
  type CellWeights,
  gruBackward,
  gruForward,
  lstmBackward,
  lstmForward,
  rnnBackward,
  rnnForward,
  type SequenceDims,
} from '../src/index.ts';

interface Flat {
  shape: number[];
  data: number[];
}
interface TorchCase {
  name: string;
  kind: 'rnn-tanh' | 'rnn-relu' | 'lstm' | 'gru' | 'gru-cho';
  dims: SequenceDims;
  x: Flat;
  h0: Flat;
  c0: Flat;
  parameters: Record<string, Flat>;
  lossWeights: { output: Flat; h: Flat; c: Flat };
  output: Flat;
  hT: Flat;
  cT?: Flat;
  grad: Record<string, Flat>;
}

const { cases } = JSON.parse(
  readFileSync(new URL('./fixtures/torch-sequences.json', import.meta.url), 'utf8'),
) as { cases: TorchCase[] };

const f64 = (flat: Flat | undefined) => (flat === undefined ? null : Float64Array.from(flat.data));
const close = { atol: 1e-300, rtol: 1e-10 };

describe.each(cases.map((c) => [c.name, c] as const))('%s matches PyTorch', (_name, c) => {
  it('in its outputs, final state and every gradient', () => {
    const weights: CellWeights = {
      weight_ih: f64(c.parameters.weight_ih)!,
      weight_hh: f64(c.parameters.weight_hh)!,
      bias_ih: f64(c.parameters.bias_ih),
      bias_hh: f64(c.parameters.bias_hh),
    };
    const xs = f64(c.x)!;
    const h0 = f64(c.h0)!;
    const dOut = f64(c.lossWeights.output)!;
    const dhT = f64(c.lossWeights.h)!;
    let got: { output: Float64Array; hT: Float64Array; cT?: Float64Array };
    let grads: Record<string, Float64Array | null>;
    if (c.kind === 'lstm') {
      const tape = lstmForward(weights, xs, { h: h0, c: f64(c.c0)! }, c.dims);
      got = tape;
      const g = lstmBackward(weights, tape, dOut, { dhT, dcT: f64(c.lossWeights.c) });
      grads = { ...g, x: g.dxs, h0: g.dh0, c0: g.dc0 };
    } else if (c.kind === 'gru' || c.kind === 'gru-cho') {
      const tape = gruForward(weights, xs, h0, c.dims, { resetAfter: c.kind === 'gru' });
      got = tape;
      const g = gruBackward(weights, tape, dOut, { dhT });
      grads = { ...g, x: g.dxs, h0: g.dh0 };
    } else {
      const tape = rnnForward(weights, xs, h0, c.dims, c.kind === 'rnn-relu' ? 'relu' : 'tanh');
      got = tape;
      const g = rnnBackward(weights, tape, dOut, { dhT });
      grads = { ...g, x: g.dxs, h0: g.dh0 };
    }
    expect(got.output).toBeAllclose(c.output.data, close);
    expect(got.hT).toBeAllclose(c.hT.data, close);
    if (c.cT) expect(got.cT).toBeAllclose(c.cT.data, close);
    for (const [name, expected] of Object.entries(c.grad)) {
      expect(grads[name], `d loss / d ${name}`).toBeAllclose(expected.data, close);
    }
    expect(Object.keys(c.grad).length).toBe(
      c.kind === 'lstm'
        ? 3 + Object.keys(c.parameters).length
        : 2 + Object.keys(c.parameters).length,
    );
  });
});
