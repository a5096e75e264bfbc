/**
 * Embedding: a lookup table of vectors, one row of `weight` [numEmbeddings, embeddingDim]
 * per token id (PyTorch's initialisation: every entry from N(0, 1)). Reading row k is
 * the same as multiplying the one-hot vector e_k by the table, so the gradient of a row
 * is the sum of the gradients of every position that read it (indexSelect's
 * scatter-add); rows that no token read get none.
 */

import { indexSelect, Rng, reshape, Tensor, zeros } from '@unroll/tensor';
import { normalInit } from './init.ts';
import { Module } from './module.ts';
import { checkKeys, integerOption } from './options.ts';

export interface EmbeddingOptions {
  numEmbeddings: number;
  embeddingDim: number;
  /** Where the initial vectors come from (default: a generator seeded with 0). */
  rng?: Rng;
}

export class Embedding extends Module {
  readonly numEmbeddings: number;
  readonly embeddingDim: number;
  readonly weight: Tensor;

  constructor(options: EmbeddingOptions) {
    super();
    checkKeys('Embedding', options, ['numEmbeddings', 'embeddingDim', 'rng']);
    this.numEmbeddings = integerOption('Embedding', 'numEmbeddings', options.numEmbeddings);
    this.embeddingDim = integerOption('Embedding', 'embeddingDim', options.embeddingDim);
    this.weight = this.registerParameter(
      'weight',
      zeros([this.numEmbeddings, this.embeddingDim], { requiresGrad: true }),
    );
    normalInit(this.weight, 1, options.rng ?? new Rng(0));
  }

  /**
   * ids: a list of token ids (→ [N, embeddingDim]) or a Tensor of ids of any shape,
   * e.g. [B, T] (→ [B, T, embeddingDim]). Each id must be an integer in [0, numEmbeddings).
   */
  forward(ids: ArrayLike<number> | Tensor): Tensor {
    const shape = ids instanceof Tensor ? ids.shape : [ids.length];
    const flat = ids instanceof Tensor ? ids.data : ids;
    for (let i = 0; i < flat.length; i++) {
      const id = flat[i]!;
      if (!Number.isInteger(id) || id < 0 || id >= this.numEmbeddings) {
        throw new RangeError(
          `Embedding.forward: ids[${i}] = ${id} is not a token id; allowed integers 0..${this.numEmbeddings - 1}`,
        );
      }
    }
    const rows = indexSelect(this.weight, 0, flat);
    return reshape(rows, [...shape, this.embeddingDim]);
  }
}
