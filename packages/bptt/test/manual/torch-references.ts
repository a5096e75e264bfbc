/**
 * The hand-derived passes against PyTorch float64 (test/fixtures/torch-sequences.json,
 * made by scripts/make-torch-references.py): outputs, final states and every gradient
 * agree to 1e-10 relative. Each cell's test file runs `describeAgainstTorch` for its kinds.
 */

import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import type { CellWeights, SequenceDims } from '../../src/index.ts';
import type { CellKind } from '../reference.ts';
import { manual } from './hand-derived.ts';

interface Flat {
  shape: number[];
  data: number[];
}
interface TorchCase {
  name: string;
  kind: CellKind;
  bias: boolean;
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
  readFileSync(new URL('../fixtures/torch-sequences.json', import.meta.url), 'utf8'),
) as { cases: TorchCase[] };

const f64 = (flat: Flat | undefined) => (flat === undefined ? null : Float64Array.from(flat.data));
const close = { atol: 1e-300, rtol: 1e-10 };

export function describeAgainstTorch(kind: CellKind): void {
  const mine = cases.filter((c) => c.kind === kind);
  describe.each(mine.map((c) => [c.name, c] as const))('%s matches PyTorch', (_name, c) => {
    it('in its outputs, final state and every gradient', () => {
      const weights: CellWeights = {
        weight_ih: f64(c.parameters.weight_ih)!,
        weight_hh: f64(c.parameters.weight_hh)!,
        bias_ih: f64(c.parameters.bias_ih),
        bias_hh: f64(c.parameters.bias_hh),
      };
      const zeros = new Float64Array(c.dims.batchSize * c.dims.hiddenSize);
      const got = manual({
        kind: c.kind,
        dims: c.dims,
        weights,
        xs: f64(c.x)!,
        h0: f64(c.h0)!,
        c0: f64(c.c0) ?? zeros,
        wOut: f64(c.lossWeights.output)!,
        wH: f64(c.lossWeights.h)!,
        wC: f64(c.lossWeights.c) ?? zeros,
      });
      // The fixture names the input and initial-state gradients as PyTorch's leaves: x, h0, c0.
      const g = got.grads;
      const grads: Record<string, Float64Array | null> = { ...g, x: g.dxs, h0: g.dh0, c0: g.dc0 };
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
  it(`has PyTorch references for ${kind}, with and without biases`, () => {
    expect(new Set(mine.map((c) => c.bias))).toEqual(new Set([true, false]));
  });
}
