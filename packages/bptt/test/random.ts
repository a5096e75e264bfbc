import { fromData, type Tensor } from '@unroll/tensor';

/** A small seeded generator for test data (mulberry32), so every run draws the same numbers. */
export function seededRandom(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let x = s;
    x = Math.imul(x ^ (x >>> 15), x | 1);
    x ^= x + Math.imul(x ^ (x >>> 7), x | 61);
    return ((x ^ (x >>> 14)) >>> 0) / 4294967296;
  };
}

/** `length` values uniform in [−scale, scale). */
export function uniformArray(random: () => number, length: number, scale = 1): Float64Array {
  const out = new Float64Array(length);
  for (let i = 0; i < length; i++) out[i] = (2 * random() - 1) * scale;
  return out;
}

/** A tensor that requires its gradient, of `shape`, with values uniform in [−1, 1). */
export function randomLeaf(random: () => number, shape: number[]): Tensor {
  const size = shape.reduce((a, b) => a * b, 1);
  return fromData(uniformArray(random, size), shape, { requiresGrad: true });
}
