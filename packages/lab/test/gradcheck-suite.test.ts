/** gradcheck-suite.ts: every check passes on the engine as it is, and a wrong gradient is caught. */

import { record, type Tensor } from '@unroll/tensor';
import { describe, expect, it } from 'vitest';
import { checkOpCase, runGradchecks } from '../src/gradcheck-suite.ts';

describe('runGradchecks and checkOpCase', () => {
  it('checks every op, cell, layer and hand-derived pass, and all pass', () => {
    const rows = runGradchecks(0);
    const ops = new Set(rows.map((r) => r.op));
    expect(ops.size).toBe(53);
    for (const op of [
      'matmul',
      'softmax',
      'crossEntropy',
      'GRUCell (Cho et al.)',
      'gruBackward (hand-derived)',
      'gruBackward (hand-derived, Cho et al.)',
    ]) {
      expect(ops).toContain(op);
    }
    expect(rows.filter((r) => !r.report.ok).map((r) => r.report.message)).toEqual([]);
  });

  it('fails an op whose backward is wrong, naming the worst entry', () => {
    // tanh with the derivative 1 − x² instead of 1 − tanh²(x).
    const wrongTanh = (x: Tensor) => {
      const y = Float64Array.from(x.data, Math.tanh);
      return record('wrongTanh', y, x.shape, [x], (g) => [
        Float64Array.from(g, (gi, i) => gi * (1 - x.data[i]! ** 2)),
      ]);
    };
    const [row] = checkOpCase(
      { op: 'wrongTanh', inputs: [{ label: 'x', shape: [3, 4] }], fn: wrongTanh },
      0,
    );
    expect(row!.report.ok).toBe(false);
    expect(row!.report.message).toMatch(
      /^d\/dx of wrongTanh FAILED: \d+ of 12 entries outside atol \+ rtol/,
    );
  });
});
