/**
 * A seeded random number generator: xoshiro128** (Blackman and Vigna, 2018),
 * seeded through SplitMix64 as its authors recommend.
 *
 * Why this one: its state is four 32-bit words and one step is a handful of
 * xors, shifts and one multiply, all of which JavaScript does exactly on 32-bit
 * integers (`Math.imul`, `^`, `<<`, `>>> 0`). So the same seed gives the same
 * bits on every machine, and training can be resumed bit-exact from a saved
 * state. Period 2^128 − 1; it passes BigCrush.
 *
 * Every draw builds on `nextUint32`:
 *   uniform()  53 random bits → a double in [0, 1), every value a multiple of 2^-53
 *   normal()   Marsaglia's polar method; it makes deviates in pairs, and the spare
 *              one is part of the saved state
 *   int(n)     rejection sampling, so every integer in [0, n) is equally likely
 *   fork()     a child generator seeded from 64 bits of the parent's stream
 *
 * NOTE: `nextUint32`, `uniform` and `int` are exact integer arithmetic and agree on
 * every JavaScript engine. `normal` also calls Math.log and Math.sqrt; sqrt is
 * correctly rounded by the standard, and V8 (Node, Chrome) computes log with the
 * same fdlibm port on every platform, but another engine may differ in the last bit.
 */

/**
 * Checks that `rng` can make the draws an op needs, naming the op when it cannot:
 * leaving the generator out, as in randn([2, 3]), is an easy slip, and "cannot read
 * properties of undefined" would not say which call made it.
 */
export function checkRng(op: string, rng: unknown, draw: 'uniform' | 'normal'): void {
  if (typeof (rng as Partial<Rng> | null | undefined)?.[draw] !== 'function') {
    const got = rng === null ? 'null' : typeof rng;
    throw new TypeError(`${op}: rng must be a generator such as new Rng(seed), got ${got}`);
  }
}

/** A generator's complete state: plain data, safe to `JSON.stringify` and restore. */
export interface RngState {
  algorithm: 'xoshiro128**';
  /** The four 32-bit state words s0..s3, as unsigned integers; not all zero. */
  s: [number, number, number, number];
  /** The second deviate of the last normal pair, not yet returned (null if none). */
  spareNormal: number | null;
}

const MASK64 = (1n << 64n) - 1n;
const TWO_POW_26 = 67108864;
const TWO_POW_32 = 4294967296;
const TWO_POW_53 = 9007199254740992;

/**
 * SplitMix64 (Steele, Lea and Flood 2014): a 64-bit counter stepped by the golden
 * ratio, then hashed. Used only to turn a seed into a well-mixed starting state.
 * Returns the next counter and the output.
 */
function splitMix64(counter: bigint): { counter: bigint; output: bigint } {
  const next = (counter + 0x9e3779b97f4a7c15n) & MASK64;
  let z = next;
  z = ((z ^ (z >> 30n)) * 0xbf58476d1ce4e5b9n) & MASK64;
  z = ((z ^ (z >> 27n)) * 0x94d049bb133111ebn) & MASK64;
  return { counter: next, output: z ^ (z >> 31n) };
}

/** 32-bit left rotation. */
function rotl(x: number, k: number): number {
  return (x << k) | (x >>> (32 - k));
}

export class Rng {
  // The xoshiro128** state, kept as the signed int32 values that ^, << and | produce:
  // converting every word to unsigned (>>> 0) after each step measured twice as slow.
  // getState reports the words unsigned.
  private s0 = 0;
  private s1 = 0;
  private s2 = 0;
  private s3 = 0;
  private spareNormal: number | null = null;

  /** A generator seeded by any safe integer (negative seeds are taken mod 2^64). */
  constructor(seed: number) {
    if (!Number.isSafeInteger(seed)) {
      throw new RangeError(`Rng: seed must be a safe integer, got ${seed}`);
    }
    this.seed64(BigInt.asUintN(64, BigInt(seed)));
  }

  /** Fill the state with two SplitMix64 outputs, low 32-bit word first. */
  private seed64(seed: bigint): void {
    const first = splitMix64(seed);
    const second = splitMix64(first.counter);
    this.s0 = Number(BigInt.asIntN(32, first.output));
    this.s1 = Number(BigInt.asIntN(32, first.output >> 32n));
    this.s2 = Number(BigInt.asIntN(32, second.output));
    this.s3 = Number(BigInt.asIntN(32, second.output >> 32n));
    this.spareNormal = null;
  }

  /** The next 32 random bits, as an integer in [0, 2^32). */
  nextUint32(): number {
    const s0 = this.s0;
    const s1 = this.s1;
    const s2 = this.s2;
    const s3 = this.s3;
    // The "**" scrambler: output = rotl(s1 · 5, 7) · 9 (mod 2^32).
    const result = Math.imul(rotl(Math.imul(s1, 5), 7), 9) >>> 0;
    // The linear engine: a xor-shift-rotate step on the 128-bit state.
    const t = s1 << 9;
    const n2 = s2 ^ s0;
    const n3 = s3 ^ s1;
    this.s1 = s1 ^ n2;
    this.s0 = s0 ^ n3;
    this.s2 = n2 ^ t;
    this.s3 = rotl(n3, 11);
    return result;
  }

  /** A double in [0, 1) built from 53 random bits (27 from one draw, 26 from the next). */
  uniform(): number {
    const high = this.nextUint32() >>> 5;
    const low = this.nextUint32() >>> 6;
    return (high * TWO_POW_26 + low) / TWO_POW_53;
  }

  /**
   * A standard normal deviate by Marsaglia's polar method: pick (u, v) uniformly in
   * the unit disc, s = u² + v²; then u·√(−2 ln s / s) and v·√(−2 ln s / s) are two
   * independent N(0, 1) deviates. The second is kept for the next call.
   */
  normal(): number {
    if (this.spareNormal !== null) {
      const spare = this.spareNormal;
      this.spareNormal = null;
      return spare;
    }
    let u: number;
    let v: number;
    let s: number;
    do {
      u = 2 * this.uniform() - 1;
      v = 2 * this.uniform() - 1;
      s = u * u + v * v;
    } while (s >= 1 || s === 0);
    const factor = Math.sqrt((-2 * Math.log(s)) / s);
    this.spareNormal = v * factor;
    return u * factor;
  }

  /**
   * An integer in [0, n), each equally likely, for 1 ≤ n ≤ 2^53. Taking `x % n` of a
   * uniform x in [0, R) favours small results unless R is a multiple of n, so draws
   * at or above the largest multiple of n below R are rejected (less than half of
   * them in the worst case, usually almost none).
   */
  int(n: number): number {
    if (!Number.isSafeInteger(n) || n < 1) {
      throw new RangeError(`Rng.int: n must be an integer in [1, 2^53 - 1], got ${n}`);
    }
    if (n <= TWO_POW_32) {
      const limit = TWO_POW_32 - (TWO_POW_32 % n);
      let x = this.nextUint32();
      while (x >= limit) x = this.nextUint32();
      return x % n;
    }
    const limit = TWO_POW_53 - (TWO_POW_53 % n);
    let x = this.uniform() * TWO_POW_53;
    while (x >= limit) x = this.uniform() * TWO_POW_53;
    return x % n;
  }

  /**
   * A child generator with its own stream. Its 64-bit seed is drawn from this
   * generator (advancing it by two steps), so forking is deterministic, and the
   * child's stream is unrelated to the parent's: SplitMix64 hashes the seed.
   */
  fork(): Rng {
    const high = BigInt(this.nextUint32());
    const low = BigInt(this.nextUint32());
    const child = new Rng(0);
    child.seed64((high << 32n) | low);
    return child;
  }

  /** A copy of the complete state (see `setState` and `Rng.fromState`). */
  getState(): RngState {
    return {
      algorithm: 'xoshiro128**',
      s: [this.s0 >>> 0, this.s1 >>> 0, this.s2 >>> 0, this.s3 >>> 0],
      spareNormal: this.spareNormal,
    };
  }

  /** Restore a state from `getState` (possibly after a JSON round trip); bit-exact. */
  setState(state: RngState): void {
    const what = 'Rng.setState';
    if (typeof state !== 'object' || state === null || state.algorithm !== 'xoshiro128**') {
      const got = typeof state === 'object' && state !== null ? state.algorithm : state;
      throw new RangeError(`${what}: expected algorithm 'xoshiro128**', got ${String(got)}`);
    }
    const s = state.s;
    if (
      !Array.isArray(s) ||
      s.length !== 4 ||
      !s.every((word) => Number.isInteger(word) && word >= 0 && word < TWO_POW_32)
    ) {
      throw new RangeError(
        `${what}: s must be four integers in [0, 2^32), got ${JSON.stringify(s)}`,
      );
    }
    if (s.every((word) => word === 0)) {
      throw new RangeError(`${what}: s must not be all zero (xoshiro never leaves that state)`);
    }
    const spare = state.spareNormal;
    if (spare !== null && !Number.isFinite(spare)) {
      throw new RangeError(`${what}: spareNormal must be a finite number or null, got ${spare}`);
    }
    this.s0 = s[0] | 0;
    this.s1 = s[1] | 0;
    this.s2 = s[2] | 0;
    this.s3 = s[3] | 0;
    this.spareNormal = spare;
  }

  /** A new generator that continues exactly where the saved one was. */
  static fromState(state: RngState): Rng {
    const rng = new Rng(0);
    rng.setState(state);
    return rng;
  }
}
