import { describe, expect, it } from 'vitest';
import { analyzeRecurrentWeights, gateBlocks, pascanuBound } from '../src/recurrent-weights.ts';
import {
  blockDiagonal,
  type Dense,
  diagonal,
  randomOrthogonal,
  similar,
} from './reference-linalg.ts';

/** weight_hh [G·H, H] with the given blocks stacked in gate order, as a Tensor-like. */
function stacked(blocks: Dense[]) {
  const H = blocks[0]!.length;
  return { data: Float64Array.from(blocks.flat(2)), shape: [blocks.length * H, H] as const };
}
const scaled = (m: Dense, alpha: number): Dense => m.map((row) => row.map((v) => v * alpha));

describe('gateBlocks', () => {
  it("slices PyTorch's gate order: LSTM i, f, g, o and GRU r, z, n", () => {
    const lstm = gateBlocks(
      stacked([diagonal([1, 2]), diagonal([3, 4]), diagonal([5, 6]), diagonal([7, 8])]),
    );
    expect(lstm.kind).toBe('lstm');
    expect(lstm.blocks.map((b) => [b.gate, Array.from(b.matrix.data)])).toEqual([
      ['i', [1, 0, 0, 2]],
      ['f', [3, 0, 0, 4]],
      ['g', [5, 0, 0, 6]],
      ['o', [7, 0, 0, 8]],
    ]);
    expect(
      gateBlocks(stacked([diagonal([1]), diagonal([2]), diagonal([3])])).blocks.map((b) => b.gate),
    ).toEqual(['r', 'z', 'n']);
  });

  it('refuses a shape that is no stack of square gate blocks', () => {
    expect(() => gateBlocks({ data: new Float64Array(6), shape: [2, 3] })).toThrow(
      'gateBlocks: weight_hh must be [G·H, H] with G = 1 (RNN), 3 (GRU) or 4 (LSTM), got [2, 3]',
    );
  });
});

describe('analyzeRecurrentWeights', () => {
  it('reports each gate of each layer and direction with its own spectrum', () => {
    const H = 4;
    const gates = [0.5, 1.1, 0.9, 0.3].map((r, k) =>
      similar(blockDiagonal([{ r, theta: 0.4 + k }, r / 2, -r / 3]), k),
    );
    const reports = analyzeRecurrentWeights([
      ['weight_ih_l0', { data: new Float64Array(4 * H * 3), shape: [4 * H, 3] }],
      ['weight_hh_l0', stacked(gates)],
      ['weight_hh_l1_reverse', stacked(gates.map((g) => scaled(g, 2)))],
    ]);
    expect(reports.map((r) => [r.name, r.layer, r.direction, r.kind, r.hiddenSize])).toEqual([
      ['weight_hh_l0', 0, 'forward', 'lstm', H],
      ['weight_hh_l1_reverse', 1, 'reverse', 'lstm', H],
    ]);
    expect(reports[0]!.gates.map((g) => g.gate)).toEqual(['i', 'f', 'g', 'o']);
    expect(reports[0]!.gates.map((g) => g.spectralRadius)).toBeAllclose([0.5, 1.1, 0.9, 0.3], {
      atol: 1e-8,
    });
    expect(reports[1]!.gates.map((g) => g.spectralRadius)).toBeAllclose([1, 2.2, 1.8, 0.6], {
      atol: 1e-8,
    });
    for (const g of reports[0]!.gates)
      expect(g.largestSingularValue).toBeGreaterThanOrEqual(g.spectralRadius);
    expect(reports[0]!.pascanu).toBeUndefined();
  });

  it("reads a module's namedParameters() and its relu nonlinearity", () => {
    const module = {
      nonlinearity: 'relu',
      namedParameters: () => [
        ['encoder.weight_hh', stacked([scaled(randomOrthogonal(3, 1), 0.7)])] as const,
      ],
    };
    const [report] = analyzeRecurrentWeights(module);
    expect(report!.name).toBe('encoder.weight_hh');
    expect(report!.pascanu!.nonlinearity).toBe('relu');
    expect(report!.gates[0]!.spectralRadius).toBeAllclose(0.7, { atol: 1e-9 });
  });

  it('says so when there is no recurrent weight', () => {
    expect(() => analyzeRecurrentWeights([['weight', { data: [1], shape: [1, 1] }]])).toThrow(
      'analyzeRecurrentWeights: found no parameter named weight_hh or weight_hh_l{k}',
    );
  });
});

describe('pascanuBound', () => {
  it('guarantees vanishing when σ₁ < 1/γ, and only allows exploding when σ₁ > 1/γ', () => {
    const small = pascanuBound(scaled(randomOrthogonal(5, 9), 0.8));
    expect(small).toMatchObject({ gamma: 1, vanishingGuaranteed: true, explodingPossible: false });
    expect(small.largestSingularValue).toBeAllclose(0.8, { atol: 1e-9 });
    expect(small.statement).toBe(
      'σ₁(W_hh) = 0.8 < 1/γ = 1 (tanh): gradients must vanish, ‖∂hₜ/∂hₖ‖ ≤ 0.8^(t−k)',
    );
    const large = pascanuBound(scaled(randomOrthogonal(5, 9), 1.25));
    expect(large).toMatchObject({ vanishingGuaranteed: false, explodingPossible: true });
    expect(large.statement).toBe(
      'σ₁(W_hh) = 1.25 > 1/γ = 1 (tanh): vanishing is not guaranteed, and exploding is possible',
    );
  });

  it('calls σ₁ = 1/γ the edge, however power iteration rounds it: no explosion, no sure vanishing', () => {
    // Orthogonal matrices have every σᵢ = 1; their estimates land on either side of 1 by an ulp.
    for (let seed = 0; seed < 8; seed++) {
      const report = pascanuBound(randomOrthogonal(6, seed));
      expect(report.largestSingularValue).toBeAllclose(1, { atol: 1e-12 });
      expect(report).toMatchObject({ vanishingGuaranteed: false, explodingPossible: false });
      expect(report.statement).toBe(
        'σ₁(W_hh) = 1 = 1/γ = 1 (tanh): ‖∂hₜ/∂hₖ‖ ≤ 1, so gradients cannot explode, and vanishing is not guaranteed',
      );
    }
    // σ₁ = 4 is the sigmoid's edge, 1/γ = 4.
    expect(pascanuBound(diagonal([4, -1]), 'sigmoid')).toMatchObject({
      vanishingGuaranteed: false,
      explodingPossible: false,
    });
  });

  it('uses σ₁, not ρ: a non-normal W with ρ < 1 < σ₁ is not guaranteed to vanish', () => {
    const w = [
      [0.5, 2],
      [0, 0.5],
    ];
    const report = pascanuBound(w);
    expect(report.spectralRadius).toBeAllclose(0.5, { atol: 1e-9 });
    expect(report.largestSingularValue).toBeGreaterThan(1);
    expect(report.vanishingGuaranteed).toBe(false);
  });

  it('uses γ = 1/4 for a sigmoid', () => {
    const report = pascanuBound(diagonal([3, 1]), 'sigmoid');
    expect(report).toMatchObject({ gamma: 0.25, vanishingGuaranteed: true, perStepBound: 0.75 });
  });
});
