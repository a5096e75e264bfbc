/**
 * Weight initialisation, in place, from an explicit seeded generator.
 *
 * The scale of the first weights decides whether a signal (and its gradient)
 * survives many layers — or many time steps, since an unrolled RNN is a deep
 * network whose layers share W_hh. Each rule here keeps some variance steady:
 *
 *   PyTorch's RNN default  U(−k, k), k = 1/√H, every weight and bias of a cell
 *   Xavier (Glorot 2010)   Var w = 2/(fanIn + fanOut): forward and backward variance
 *                          kept for a linear (or tanh near 0) layer
 *   Kaiming (He 2015)      Var w = gain²/fanIn, gain √2 for relu: half the units
 *                          are off, so each must carry twice the variance
 *   orthogonal (Saxe 2014) every singular value 1: multiplying by W_hh T times
 *                          neither shrinks nor grows a vector
 *   identity (IRNN, Le et al. 2015)  W_hh = I with relu: h_t starts as a running
 *                          sum of its inputs, a path that neither vanishes nor explodes
 *   forget bias 1 (Jozefowicz et al. 2015)  f = σ(1 + …) ≈ 0.73: the LSTM starts
 *                          out remembering rather than forgetting
 *
 * Weights are [out, in] as in PyTorch, so fanIn = in (columns), fanOut = out (rows).
 */

import type { Rng, Tensor } from '@unroll/tensor';

export type Nonlinearity = 'linear' | 'sigmoid' | 'tanh' | 'relu';

/** PyTorch's recommended gains: the factor that restores unit variance after f. */
export function gainOf(nonlinearity: Nonlinearity): number {
  switch (nonlinearity) {
    case 'linear':
    case 'sigmoid':
      return 1;
    case 'tanh':
      return 5 / 3;
    case 'relu':
      return Math.SQRT2;
  }
}

/** fanIn = columns, fanOut = rows of a weight [out, in]; a vector counts as [n, 1]. */
export function fans(weight: Tensor): { fanIn: number; fanOut: number } {
  if (weight.rank === 0) throw new RangeError('fans: a scalar has no fan-in or fan-out');
  const fanOut = weight.shape[0]!;
  return { fanIn: weight.size / fanOut || 0, fanOut };
}

/** Every entry drawn from U(−bound, bound). */
export function uniformInit(t: Tensor, bound: number, rng: Rng): Tensor {
  for (let i = 0; i < t.size; i++) t.data[i] = bound * (2 * rng.uniform() - 1);
  return t;
}

/** Every entry drawn from N(0, std²). */
export function normalInit(t: Tensor, std: number, rng: Rng): Tensor {
  for (let i = 0; i < t.size; i++) t.data[i] = std * rng.normal();
  return t;
}

export function constantInit(t: Tensor, value: number): Tensor {
  t.data.fill(value);
  return t;
}

/** Glorot uniform: U(−a, a), a = gain·√(6/(fanIn + fanOut)). */
export function xavierUniform(t: Tensor, rng: Rng, gain = 1): Tensor {
  const { fanIn, fanOut } = fans(t);
  return uniformInit(t, gain * Math.sqrt(6 / (fanIn + fanOut)), rng);
}

/** Glorot normal: N(0, σ²), σ = gain·√(2/(fanIn + fanOut)). */
export function xavierNormal(t: Tensor, rng: Rng, gain = 1): Tensor {
  const { fanIn, fanOut } = fans(t);
  return normalInit(t, gain * Math.sqrt(2 / (fanIn + fanOut)), rng);
}

export interface KaimingOptions {
  nonlinearity?: Nonlinearity;
  /** Keep the forward variance (fanIn, default) or the backward one (fanOut). */
  mode?: 'fanIn' | 'fanOut';
}

/** He uniform: U(−a, a), a = gain·√(3/fan), so Var w = gain²/fan. */
export function kaimingUniform(t: Tensor, rng: Rng, options: KaimingOptions = {}): Tensor {
  const { nonlinearity = 'relu', mode = 'fanIn' } = options;
  const fan = fans(t)[mode];
  return uniformInit(t, gainOf(nonlinearity) * Math.sqrt(3 / fan), rng);
}

/** He normal: N(0, σ²), σ = gain/√fan. */
export function kaimingNormal(t: Tensor, rng: Rng, options: KaimingOptions = {}): Tensor {
  const { nonlinearity = 'relu', mode = 'fanIn' } = options;
  const fan = fans(t)[mode];
  return normalInit(t, gainOf(nonlinearity) / Math.sqrt(fan), rng);
}

export interface BlockOptions {
  /** Treat the rows as this many stacked blocks (a cell's gates), each initialised alone. */
  blocks?: number;
  gain?: number;
}

/**
 * A (scaled) orthogonal matrix in each row block: W = gain·Q, QᵀQ = I (or QQᵀ = I for a
 * wide block). Q comes from Gram–Schmidt on a standard Gaussian matrix, which makes Q
 * uniformly distributed over the orthogonal matrices (Haar), like QR with R's diagonal
 * made positive. For a cell's W_hh [G·H, H], `blocks: G` makes every gate's H×H block
 * orthogonal, so each has all singular values 1.
 */
export function orthogonalInit(t: Tensor, rng: Rng, options: BlockOptions = {}): Tensor {
  const { blocks = 1, gain = 1 } = options;
  const [rows, cols] = matrixShape('orthogonalInit', t, blocks);
  // Orthonormalise the shorter side: `count` vectors of length `length`.
  const tall = rows >= cols;
  const count = tall ? cols : rows;
  const length = tall ? rows : cols;
  for (let b = 0; b < blocks; b++) {
    const vectors = Array.from({ length: count }, () => {
      const v = new Float64Array(length);
      for (let i = 0; i < length; i++) v[i] = rng.normal();
      return v;
    });
    gramSchmidt(vectors);
    const offset = b * rows * cols;
    for (let j = 0; j < count; j++) {
      for (let i = 0; i < length; i++) {
        const entry = tall ? i * cols + j : j * cols + i; // vector j is column j, or row j
        t.data[offset + entry] = gain * vectors[j]![i]!;
      }
    }
  }
  return t;
}

/** gain·I in each square row block (for W_hh [G·H, H], every gate's block). */
export function identityInit(t: Tensor, options: BlockOptions = {}): Tensor {
  const { blocks = 1, gain = 1 } = options;
  const [rows, cols] = matrixShape('identityInit', t, blocks);
  t.data.fill(0);
  for (let b = 0; b < blocks; b++) {
    for (let i = 0; i < Math.min(rows, cols); i++) t.data[b * rows * cols + i * cols + i] = gain;
  }
  return t;
}

/**
 * Modified Gram–Schmidt, in place: each vector loses its components along the ones
 * before it, then is normalised. Done twice ("twice is enough", Giraud et al. 2005),
 * so the result is orthonormal to rounding error even when the draws are nearly
 * dependent.
 */
function gramSchmidt(vectors: Float64Array[]): void {
  for (let pass = 0; pass < 2; pass++) {
    for (let j = 0; j < vectors.length; j++) {
      const v = vectors[j]!;
      for (let k = 0; k < j; k++) {
        const q = vectors[k]!;
        let dot = 0;
        for (let i = 0; i < v.length; i++) dot += v[i]! * q[i]!;
        for (let i = 0; i < v.length; i++) v[i]! -= dot * q[i]!;
      }
      let norm = 0;
      for (let i = 0; i < v.length; i++) norm += v[i]! * v[i]!;
      norm = Math.sqrt(norm);
      for (let i = 0; i < v.length; i++) v[i]! /= norm;
    }
  }
}

/** The [rows, cols] of one row block of a 2-D tensor cut into `blocks`. */
function matrixShape(op: string, t: Tensor, blocks: number): [number, number] {
  if (t.rank !== 2) {
    throw new RangeError(`${op}: needs a 2-D weight, got shape [${t.shape.join(', ')}]`);
  }
  const [allRows, cols] = t.shape as [number, number];
  if (!Number.isInteger(blocks) || blocks < 1 || allRows % blocks !== 0) {
    throw new RangeError(`${op}: blocks ${blocks} must be a positive divisor of ${allRows} rows`);
  }
  return [allRows / blocks, cols];
}
