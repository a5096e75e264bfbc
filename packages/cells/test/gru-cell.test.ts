/**
 * GRUCell in both forms and PyTorch's fused step gruUpdate: gradients against central
 * differences over chained steps, gruUpdate against the published equations written
 * with tensor ops (values and gradients), fan-out into its inputs, and the options.
 */

import {
  add,
  chunk,
  mul,
  Rng,
  randn,
  sigmoid,
  sub,
  sum,
  type Tensor,
  tanh,
  tensor,
} from '@unroll/tensor';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { GRUCell, gruUpdate } from '../src/index.ts';
import { chain, dims, fanOutInputs, freshLeaf, fusedDims } from './cell-cases.ts';
import { checkLeafGradients } from './check.ts';

describe('GRUCell: gradients agree with central differences over chained steps', () => {
  for (const resetAfter of [true, false]) {
    it(`GRUCell resetAfter: ${resetAfter}`, () => {
      fc.assert(
        fc.property(dims, (d) => {
          const rng = new Rng(d.seed);
          const cell = new GRUCell({
            inputSize: d.I,
            hiddenSize: d.H,
            bias: d.bias,
            resetAfter,
            rng,
          });
          const { loss, leaves } = chain(cell, d, rng);
          checkLeafGradients(leaves, loss, `GRUCell resetAfter ${resetAfter}`);
        }),
        { numRuns: 25 },
      );
    });
  }
});

/** The published equations (PyTorch's form) with tensor ops, as a second gruUpdate. */
function composedGRU(xW: Tensor, hW: Tensor, hPrev: Tensor) {
  const [xr, xz, xn] = chunk(xW, 3, 1) as [Tensor, Tensor, Tensor];
  const [hr, hz, hn] = chunk(hW, 3, 1) as [Tensor, Tensor, Tensor];
  const r = sigmoid(add(xr, hr));
  const z = sigmoid(add(xz, hz));
  const n = tanh(add(xn, mul(r, hn)));
  return add(mul(sub(1, z), n), mul(z, hPrev));
}

describe('gruUpdate, the fused step', () => {
  it('gruUpdate: same h, same gradients for xW, hW, hPrev', () => {
    fc.assert(
      fc.property(fusedDims, ({ B, H, seed }) => {
        const rng = new Rng(seed);
        const inputs = [
          [B, 3 * H],
          [B, 3 * H],
          [B, H],
        ].map((s) => randn(s, rng).mul(2));
        const run = (f: typeof gruUpdate) => {
          const [xW, hW, h0] = inputs.map(freshLeaf) as [Tensor, Tensor, Tensor];
          const h = f(xW, hW, h0);
          sum(mul(h, tanh(h))).backward();
          return [h, xW.grad!, hW.grad!, h0.grad!];
        };
        const fused = run(gruUpdate);
        const reference = run(composedGRU);
        const names = ['h', 'dL/dxW', 'dL/dhW', 'dL/dhPrev'];
        fused.forEach((t, k) => {
          expect(t, `gruUpdate ${names[k]}`).toBeAllclose(reference[k]!, {
            rtol: 1e-12,
            atol: 1e-14,
          });
        });
      }),
      { numRuns: 40 },
    );
  });

  it('accumulates when one tensor feeds several of its inputs (fan-out)', () => {
    fc.assert(
      fc.property(fusedDims, (d) => {
        const { gruGates: g3, h0, w } = fanOutInputs(d);
        // xW and hW are the same tensor, and the step's output is fed to a second step.
        const gruLoss = () => {
          const h = gruUpdate(g3, g3, h0);
          return sum(mul(gruUpdate(g3, g3, h), w));
        };
        checkLeafGradients(
          [
            ['gates', g3],
            ['h0', h0],
          ],
          gruLoss,
          'gruUpdate twice',
        );
      }),
      { numRuns: 20 },
    );
  });
});

describe('GRUCell options', () => {
  it("resetAfter chooses where r acts: after W_hn (PyTorch's default) or before it (Cho et al.)", () => {
    // I = H = 1, every weight 1, x = 0, h = 2, biases 0 except b_hn = 1; so r = z = σ(2) and
    //   after:  n = tanh(r ⊙ (W_hn h + b_hn)) = tanh(3r)
    //   before: n = tanh(W_hn (r ⊙ h) + b_hn) = tanh(2r + 1)
    const make = (resetAfter?: boolean) => {
      const cell = new GRUCell({ inputSize: 1, hiddenSize: 1, resetAfter });
      cell.weight_ih.data.fill(1);
      cell.weight_hh.data.fill(1);
      cell.bias_ih!.data.fill(0);
      cell.bias_hh!.data.fill(0);
      cell.bias_hh!.data[2] = 1;
      return cell;
    };
    const r = 1 / (1 + Math.exp(-2));
    const z = r;
    const h = (n: number) => (1 - z) * n + z * 2;
    const state = { h: tensor([[2]]) };
    expect(make().resetAfter).toBe(true);
    expect(
      make()
        .step(tensor([[0]]), state)
        .h.item(),
    ).toBeAllclose(h(Math.tanh(3 * r)));
    expect(
      make(false)
        .step(tensor([[0]]), state)
        .h.item(),
    ).toBeAllclose(h(Math.tanh(2 * r + 1)));
  });

  it('refuses a resetAfter that is not a boolean', () => {
    expect(() => new GRUCell({ inputSize: 2, hiddenSize: 3, resetAfter: 1 as never })).toThrow(
      'GRUCell: resetAfter must be true or false, got 1',
    );
  });
});
