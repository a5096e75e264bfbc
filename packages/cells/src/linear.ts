/**
 * Linear: y = x Wᵀ + b, with W [out, in] and b [out] as in PyTorch (`weight`, `bias`).
 * The readout of every recurrent model (h_t → logits or predictions).
 */

import { linear, Rng, type Tensor, zeros } from '@unroll/tensor';
import { kaimingNormal, kaimingUniform, uniformInit, xavierNormal, xavierUniform } from './init.ts';
import { Module } from './module.ts';
import { booleanOption, checkKeys, choiceOption, integerOption } from './options.ts';

/**
 * 'default' is PyTorch's: W and b from U(−1/√in, 1/√in). The others draw W by that rule
 * (Xavier for tanh/sigmoid readouts, Kaiming for relu layers) and start b at zero.
 */
export type LinearInit =
  | 'default'
  | 'xavierUniform'
  | 'xavierNormal'
  | 'kaimingUniform'
  | 'kaimingNormal';

export interface LinearOptions {
  inFeatures: number;
  outFeatures: number;
  bias?: boolean;
  init?: LinearInit;
  /** Where the initial weights come from (default: a generator seeded with 0). */
  rng?: Rng;
}

const inits: readonly LinearInit[] = [
  'default',
  'xavierUniform',
  'xavierNormal',
  'kaimingUniform',
  'kaimingNormal',
];

export class Linear extends Module {
  readonly inFeatures: number;
  readonly outFeatures: number;
  readonly weight: Tensor;
  readonly bias: Tensor | null;

  constructor(options: LinearOptions) {
    super();
    checkKeys('Linear', options, ['inFeatures', 'outFeatures', 'bias', 'init', 'rng']);
    this.inFeatures = integerOption('Linear', 'inFeatures', options.inFeatures);
    this.outFeatures = integerOption('Linear', 'outFeatures', options.outFeatures);
    const hasBias = booleanOption('Linear', 'bias', options.bias, true);
    const init = choiceOption('Linear', 'init', options.init, inits, 'default');
    const rng = options.rng ?? new Rng(0);

    const bound = 1 / Math.sqrt(this.inFeatures);
    this.weight = this.registerParameter(
      'weight',
      zeros([this.outFeatures, this.inFeatures], { requiresGrad: true }),
    );
    if (init === 'default') uniformInit(this.weight, bound, rng);
    else if (init === 'xavierUniform') xavierUniform(this.weight, rng);
    else if (init === 'xavierNormal') xavierNormal(this.weight, rng);
    else if (init === 'kaimingUniform') kaimingUniform(this.weight, rng);
    else kaimingNormal(this.weight, rng);

    this.bias = hasBias
      ? this.registerParameter('bias', zeros([this.outFeatures], { requiresGrad: true }))
      : null;
    if (this.bias !== null && init === 'default') uniformInit(this.bias, bound, rng);
  }

  /** x [..., inFeatures] → [..., outFeatures]. */
  forward(x: Tensor): Tensor {
    return linear(x, this.weight, this.bias);
  }
}
