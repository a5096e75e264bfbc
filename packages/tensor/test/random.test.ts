import { describe, expect, it } from 'vitest';
import { Rng, type RngState } from '../src/random.ts';

/** The low and high 32-bit words of a 64-bit integer, as the seeding stores them. */
function words(x: bigint): [number, number] {
  return [Number(x & 0xffffffffn), Number(x >> 32n)];
}

function draws(n: number, draw: () => number): number[] {
  return Array.from({ length: n }, draw);
}

function meanOf(xs: readonly number[]): number {
  return xs.reduce((sum, x) => sum + x, 0) / xs.length;
}

/** The k-th central moment of xs. */
function centralMoment(xs: readonly number[], k: number): number {
  const mean = meanOf(xs);
  return meanOf(xs.map((x) => (x - mean) ** k));
}

/** Pearson's chi-square statistic of bin counts against equal expected counts. */
function chiSquare(counts: readonly number[]): number {
  const total = counts.reduce((sum, c) => sum + c, 0);
  const expected = total / counts.length;
  return counts.reduce((sum, c) => sum + (c - expected) ** 2 / expected, 0);
}

describe('Rng: published test vectors', () => {
  it('steps like the xoshiro128** reference implementation (xoshiro128starstar.c)', () => {
    // State and outputs of the authors' C code, as recorded in the test data of
    // edorfaus/xoshiro-6502 (values from the C reference, not from this code).
    const rng = Rng.fromState({
      algorithm: 'xoshiro128**',
      s: [0x964d4a0c, 0xd40ab895, 0xad7fdecb, 0x3006f0f0],
      spareNormal: null,
    });
    expect(draws(4, () => rng.nextUint32())).toEqual([
      0xf1391922, 0x6fe53806, 0xa5be2840, 0xf510ee70,
    ]);
    expect(rng.getState().s).toEqual([0xfc65379c, 0x52006d70, 0x87487639, 0xf1908343]);
  });

  it('seeds from two SplitMix64 outputs, low word first (splitmix64.c)', () => {
    // SplitMix64's published first outputs: seed 1234567 → 6457827717110365317,
    // 3203168211198807973 (Rosetta Code); seed 0 → 0xe220a8397b1dcdaf, 0x6e789e6aa1b965f4.
    expect(new Rng(1234567).getState().s).toEqual([
      ...words(6457827717110365317n),
      ...words(3203168211198807973n),
    ]);
    expect(new Rng(0).getState().s).toEqual([
      ...words(0xe220a8397b1dcdafn),
      ...words(0x6e789e6aa1b965f4n),
    ]);
  });

  it('takes a negative seed modulo 2^64', () => {
    // SplitMix64 seeded with 2^64 − 1 gives 0xe4d971771b652c20, 0xe99ff867dbf682c9.
    expect(new Rng(-1).getState().s).toEqual([
      ...words(0xe4d971771b652c20n),
      ...words(0xe99ff867dbf682c9n),
    ]);
  });
});

describe('Rng: determinism', () => {
  it('gives the same bits for the same seed, in every kind of draw', () => {
    const sequence = (rng: Rng) =>
      draws(200, () => rng.nextUint32() + rng.uniform() + rng.normal() + rng.int(1000));
    expect(sequence(new Rng(42))).toEqual(sequence(new Rng(42)));
    expect(sequence(new Rng(42))).not.toEqual(sequence(new Rng(43)));
  });

  it('builds uniform() from 53 bits: 27 of one draw and 26 of the next', () => {
    const rng = new Rng(7);
    const twin = Rng.fromState(rng.getState());
    for (let i = 0; i < 100; i++) {
      const high = twin.nextUint32() >>> 5;
      const low = twin.nextUint32() >>> 6;
      expect(rng.uniform()).toBe((high * 2 ** 26 + low) / 2 ** 53);
    }
  });

  it('makes normal() deviates in pairs by the polar method', () => {
    const rng = new Rng(11);
    const twin = Rng.fromState(rng.getState());
    for (let pair = 0; pair < 50; pair++) {
      let u: number;
      let v: number;
      let s: number;
      do {
        u = 2 * twin.uniform() - 1;
        v = 2 * twin.uniform() - 1;
        s = u * u + v * v;
      } while (s >= 1 || s === 0);
      const scale = Math.sqrt((-2 * Math.log(s)) / s);
      expect([rng.normal(), rng.normal()]).toEqual([u * scale, v * scale]);
    }
  });
});

describe('Rng: saving and restoring state', () => {
  it('resumes bit-exact after a JSON round trip, including a cached normal deviate', () => {
    const rng = new Rng(2024);
    draws(37, () => rng.uniform());
    rng.normal(); // leaves the second deviate of the pair cached
    const saved = rng.getState();
    expect(saved.spareNormal).not.toBeNull();
    const restored = Rng.fromState(JSON.parse(JSON.stringify(saved)) as RngState);
    const continuation = (r: Rng) => draws(100, () => r.normal() + r.uniform() + r.int(10));
    expect(continuation(restored)).toEqual(continuation(rng));
  });

  it('setState rewinds an existing generator', () => {
    const rng = new Rng(5);
    const saved = rng.getState();
    const first = draws(20, () => rng.normal());
    rng.setState(saved);
    expect(draws(20, () => rng.normal())).toEqual(first);
  });

  it('getState returns a copy that later draws do not change', () => {
    const rng = new Rng(5);
    const saved = rng.getState();
    const copy = structuredClone(saved);
    rng.nextUint32();
    rng.normal();
    expect(saved).toEqual(copy);
  });

  it('rejects states that are not xoshiro128** states, naming the field', () => {
    const rng = new Rng(1);
    const good = rng.getState();
    const bad = (patch: object) => () => rng.setState({ ...good, ...patch } as RngState);
    expect(bad({ algorithm: 'pcg32' })).toThrow(
      "Rng.setState: expected algorithm 'xoshiro128**', got pcg32",
    );
    expect(bad({ s: [1, 2, 3] })).toThrow(
      'Rng.setState: s must be four integers in [0, 2^32), got [1,2,3]',
    );
    expect(bad({ s: [1, 2, 3, 2 ** 32] })).toThrow(/s must be four integers in \[0, 2\^32\)/);
    expect(bad({ s: [1, 2, -3, 4] })).toThrow(RangeError);
    expect(bad({ s: [0, 0, 0, 0] })).toThrow('Rng.setState: s must not be all zero');
    expect(bad({ spareNormal: Number.NaN })).toThrow(
      'Rng.setState: spareNormal must be a finite number or null, got NaN',
    );
    expect(bad({ spareNormal: undefined })).toThrow(/spareNormal must be a finite number or null/);
  });
});

describe('Rng: fork', () => {
  it('is deterministic and advances the parent by exactly two 32-bit draws', () => {
    const parent = new Rng(99);
    const twin = new Rng(99);
    const child = parent.fork();
    const sameChild = new Rng(99).fork();
    expect(draws(50, () => child.uniform())).toEqual(draws(50, () => sameChild.uniform()));
    twin.nextUint32();
    twin.nextUint32();
    expect(parent.getState()).toEqual(twin.getState());
  });

  it('gives children streams unrelated to the parent and to each other', () => {
    const parent = new Rng(3);
    const children = [parent.fork(), parent.fork(), parent.fork()];
    const streams = [parent, ...children].map((r) => draws(20_000, () => r.uniform() - 0.5));
    for (let x = 0; x < streams.length; x++) {
      for (let y = x + 1; y < streams.length; y++) {
        const sx = streams[x]!;
        const sy = streams[y]!;
        expect(sx.slice(0, 10)).not.toEqual(sy.slice(0, 10));
        // Sample correlation of independent uniforms: about N(0, 1/n), so |r| < 5/√n.
        const r = meanOf(sx.map((v, i) => v * sy[i]!)) / (1 / 12);
        expect(Math.abs(r)).toBeLessThan(5 / Math.sqrt(20_000));
      }
    }
  });
});

describe('Rng: distributions', () => {
  const N = 100_000;

  it('uniform() lies in [0, 1) with mean 1/2 and variance 1/12', () => {
    const rng = new Rng(123);
    const xs = draws(N, () => rng.uniform());
    expect(xs.every((x) => x >= 0 && x < 1)).toBe(true);
    // Standard errors: √(1/12/N) ≈ 0.0009 for the mean, ≈ 0.0001 for the variance.
    expect(meanOf(xs)).toBeCloseTo(0.5, 2);
    expect(Math.abs(centralMoment(xs, 2) - 1 / 12)).toBeLessThan(0.001);
  });

  it('uniform() fills 100 equal bins evenly (chi-square, 99 degrees of freedom)', () => {
    for (const seed of [1, 2, 3]) {
      const rng = new Rng(seed);
      const counts = new Array<number>(100).fill(0);
      for (let i = 0; i < N; i++) counts[Math.floor(rng.uniform() * 100)]! += 1;
      // χ²(99) has mean 99 and standard deviation 14; 170 is its 99.999th percentile.
      expect(chiSquare(counts)).toBeLessThan(170);
    }
  });

  it('normal() has mean 0, variance 1, skewness 0, kurtosis 3', () => {
    const rng = new Rng(77);
    const xs = draws(N, () => rng.normal());
    // Standard errors for N = 1e5: mean 0.003, variance 0.0045, skewness 0.008, kurtosis 0.015.
    expect(Math.abs(meanOf(xs))).toBeLessThan(0.015);
    const variance = centralMoment(xs, 2);
    expect(Math.abs(variance - 1)).toBeLessThan(0.025);
    expect(Math.abs(centralMoment(xs, 3) / variance ** 1.5)).toBeLessThan(0.04);
    expect(Math.abs(centralMoment(xs, 4) / variance ** 2 - 3)).toBeLessThan(0.08);
    // 68.27% of a standard normal lies within one standard deviation.
    expect(meanOf(xs.map((x) => (Math.abs(x) < 1 ? 1 : 0)))).toBeCloseTo(0.6827, 2);
  });

  it('int(n) stays in [0, n) and covers it, for small, 32-bit and 53-bit n', () => {
    const rng = new Rng(8);
    for (const n of [1, 2, 3, 7, 1000, 2 ** 31 + 1, 2 ** 32, 2 ** 32 + 1, 2 ** 53 - 1]) {
      const xs = draws(2000, () => rng.int(n));
      expect(xs.every((x) => Number.isInteger(x) && x >= 0 && x < n)).toBe(true);
      if (n <= 7) expect(new Set(xs).size).toBe(n);
      else expect(Math.max(...xs)).toBeGreaterThan(n / 2);
    }
  });

  it('int(n) is unbiased: each of 7 values equally likely (chi-square, 6 d.o.f.)', () => {
    const rng = new Rng(9);
    const counts = new Array<number>(7).fill(0);
    for (let i = 0; i < 70_000; i++) counts[rng.int(7)]! += 1;
    // χ²(6): 99.999th percentile ≈ 33.
    expect(chiSquare(counts)).toBeLessThan(33);
  });

  it('int(n) has no modulo bias even when n is close to 2^32', () => {
    // n = 3·2^30: a bare `nextUint32() % n` would return values below 2^30 half the
    // time (they have two preimages); the right probability is 1/3.
    const rng = new Rng(10);
    const n = 3 * 2 ** 30;
    const low = draws(30_000, () => (rng.int(n) < 2 ** 30 ? 1 : 0));
    expect(Math.abs(meanOf(low) - 1 / 3)).toBeLessThan(0.015);
  });
});

describe('Rng: argument errors', () => {
  it('rejects seeds that are not safe integers', () => {
    expect(() => new Rng(1.5)).toThrow('Rng: seed must be a safe integer, got 1.5');
    expect(() => new Rng(Number.NaN)).toThrow(RangeError);
    expect(() => new Rng(2 ** 53)).toThrow(/seed must be a safe integer/);
  });

  it('rejects int(n) outside [1, 2^53 − 1]', () => {
    const rng = new Rng(0);
    expect(() => rng.int(0)).toThrow('Rng.int: n must be an integer in [1, 2^53 - 1], got 0');
    expect(() => rng.int(2.5)).toThrow(/got 2.5/);
    expect(() => rng.int(-3)).toThrow(RangeError);
    expect(() => rng.int(2 ** 53)).toThrow(RangeError);
  });
});
