import { Embedding, Linear, LSTM } from '@unroll/cells';
import { Rng } from '@unroll/tensor';
import { describe, expect, it } from 'vitest';
import { cellCharModel } from '../src/index.ts';

describe('cellCharModel parts', () => {
  it('refuses an embedding with the right width but a row count other than the vocabulary', () => {
    const rng = new Rng(3);
    const cell = new LSTM({ inputSize: 5, hiddenSize: 6, rng }).cells[0]![0]!;
    const readout = new Linear({ inFeatures: 6, outFeatures: 7, rng });
    const short = new Embedding({ numEmbeddings: 6, embeddingDim: 5, rng });
    expect(() => cellCharModel({ cell, readout, embedding: short })).toThrow(
      "cellCharModel: the embedding must be [7 characters, inputSize 5] to sit between the readout's 7 logits and the cell, got [6, 5]",
    );
  });
});
