/**
 * How the state-dict tests copy a snapshot, and how they compare parameters bit for
 * bit: a snapshot is copied by structuredClone (as a binary checkpoint keeps every
 * bit), or sent through JSON, which keeps every number except the sign of zero.
 */

import type { Tensor } from '@unroll/tensor';

/** Through JSON as a text checkpoint would go: Float64Arrays become plain arrays. */
export function throughJson<T>(value: T): T {
  const text = JSON.stringify(value, (_key, v) => (v instanceof Float64Array ? Array.from(v) : v));
  return JSON.parse(text);
}

/** A binary copy, as a checkpoint that stores raw float64 bytes makes. */
export const throughBytes = <T>(value: T): T => structuredClone(value);

/** The bits of every parameter: equal arrays of bits, not just close numbers. */
export const bits = (params: Tensor[]) =>
  params.map((p) => Array.from(new BigUint64Array(p.data.slice().buffer)));
