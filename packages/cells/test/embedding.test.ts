/**
 * Embedding: rows read by token id, gradients added into the rows that were read,
 * and the refusal of ids that are not token ids.
 */

import { Rng, randn, sum, tensor } from '@unroll/tensor';
import { describe, expect, it } from 'vitest';
import { Embedding } from '../src/index.ts';
import { checkLeafGradients } from './check.ts';

describe('Embedding', () => {
  it('reads rows by id and adds the gradient of every read into its row', () => {
    const table = new Embedding({ numEmbeddings: 5, embeddingDim: 3, rng: new Rng(2) });
    const ids = tensor([
      [1, 4, 1],
      [0, 0, 2],
    ]);
    const out = table.forward(ids);
    expect(out.shape).toEqual([2, 3, 3]);
    expect(Array.from(out.data.subarray(3, 6))).toEqual(
      Array.from(table.weight.data.subarray(12, 15)),
    );
    const w = randn([2, 3, 3], new Rng(3));
    checkLeafGradients(table.namedParameters(), () => sum(table.forward(ids).mul(w)), 'Embedding');
    table.zeroGrad();
    sum(table.forward([3, 1, 3])).backward(); // row 3 read twice, row 1 once
    expect(table.weight.grad!.toArray()).toEqual([
      [0, 0, 0],
      [1, 1, 1],
      [0, 0, 0],
      [2, 2, 2],
      [0, 0, 0],
    ]);
  });

  it('refuses ids that are not token ids', () => {
    const table = new Embedding({ numEmbeddings: 5, embeddingDim: 3 });
    expect(() => table.forward([1, 5])).toThrow(
      'Embedding.forward: ids[1] = 5 is not a token id; allowed integers 0..4',
    );
    expect(() => table.forward([0.5])).toThrow('ids[0] = 0.5 is not a token id');
  });
});
