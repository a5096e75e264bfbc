/** Sample statistics of a tensor's entries, for the initialisation tests. */

import type { Tensor } from '@unroll/tensor';

/** Mean, population variance and largest |entry|. */
export const moments = (t: Tensor) => {
  let mean = 0;
  for (const v of t.data) mean += v / t.size;
  let variance = 0;
  for (const v of t.data) variance += (v - mean) ** 2 / t.size;
  return { mean, variance, maxAbs: Math.max(...Array.from(t.data, Math.abs)) };
};
