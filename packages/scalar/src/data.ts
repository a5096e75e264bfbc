/**
 * Two tiny classification problems that a straight line cannot solve, so a
 * network needs its hidden layer. Labels are −1 and +1, the form a hinge loss wants.
 */

import { Random } from './random.ts';

/** One labelled point: inputs `x`, label `y` ∈ {−1, +1}. */
export interface Sample {
  x: number[];
  y: number;
}

/** XOR: the label is +1 exactly when one of the two inputs is on. */
export function xor(): Sample[] {
  return [
    { x: [0, 0], y: -1 },
    { x: [0, 1], y: 1 },
    { x: [1, 0], y: 1 },
    { x: [1, 1], y: -1 },
  ];
}

export interface MoonsOptions {
  /** Standard deviation of the Gaussian noise added to each coordinate (default 0.1). */
  noise?: number;
  seed?: number;
}

/**
 * Two interleaved half circles: the upper moon (cos t, sin t) labelled −1, and the
 * lower moon (1 − cos t, 0.5 − sin t) labelled +1, for t evenly spaced in [0, π].
 * The first ⌈n/2⌉ samples are the upper moon.
 */
export function twoMoons(n: number, { noise = 0.1, seed = 0 }: MoonsOptions = {}): Sample[] {
  if (!Number.isInteger(n) || n < 2) {
    throw new RangeError(`twoMoons: n must be an integer ≥ 2, got ${n}`);
  }
  if (!(noise >= 0)) throw new RangeError(`twoMoons: noise must be ≥ 0, got ${noise}`);
  const random = new Random(seed);
  const upper = Math.ceil(n / 2);
  const lower = n - upper;
  const samples: Sample[] = [];
  const arc = (i: number, count: number) => (count === 1 ? 0 : (Math.PI * i) / (count - 1));
  for (let i = 0; i < upper; i++) {
    const t = arc(i, upper);
    samples.push({ x: [Math.cos(t), Math.sin(t)], y: -1 });
  }
  for (let i = 0; i < lower; i++) {
    const t = arc(i, lower);
    samples.push({ x: [1 - Math.cos(t), 0.5 - Math.sin(t)], y: 1 });
  }
  for (const sample of samples) {
    sample.x = sample.x.map((coordinate) => coordinate + random.normal(0, noise));
  }
  return samples;
}
