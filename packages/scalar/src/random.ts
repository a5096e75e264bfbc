/**
 * A small seeded random-number generator, so that weights, data and therefore
 * whole training runs are the same on every machine. (The tensor package has its
 * own generator; this one keeps the scalar engine free of dependencies.)
 *
 * The generator is Mulberry32: a 32-bit state advanced by a fixed odd constant,
 * then scrambled by xor-shifts and multiplications. It is tiny, fast and good
 * enough for initialising weights; it is not for cryptography.
 */

export class Random {
  private state: number;

  constructor(seed: number) {
    if (!Number.isInteger(seed)) {
      throw new TypeError(`Random: the seed must be an integer, got ${seed}`);
    }
    this.state = seed >>> 0;
  }

  /** A uniform double in [0, 1), with 32 random bits. */
  next(): number {
    this.state = (this.state + 0x6d2b79f5) >>> 0;
    let z = this.state;
    z = Math.imul(z ^ (z >>> 15), z | 1);
    z ^= z + Math.imul(z ^ (z >>> 7), z | 61);
    return ((z ^ (z >>> 14)) >>> 0) / 2 ** 32;
  }

  /** A uniform double in [low, high). */
  uniform(low: number, high: number): number {
    if (!(low < high)) {
      throw new RangeError(`uniform: low must be < high, got low ${low}, high ${high}`);
    }
    return low + (high - low) * this.next();
  }

  /**
   * A normal draw with the given mean and standard deviation (Box–Muller:
   * √(−2 ln u₁)·cos(2πu₂) is standard normal when u₁, u₂ are uniform on (0, 1]).
   */
  normal(mean = 0, std = 1): number {
    const u1 = 1 - this.next(); // in (0, 1], so the log is finite
    const u2 = this.next();
    return mean + std * Math.sqrt(-2 * Math.log(u1)) * Math.cos(2 * Math.PI * u2);
  }
}
