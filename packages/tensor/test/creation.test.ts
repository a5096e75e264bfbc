import { describe, expect, it } from 'vitest';
import {
  arange,
  eye,
  fromData,
  full,
  ones,
  onesLike,
  Rng,
  rand,
  randn,
  ShapeError,
  tensor,
  uniform,
  zeros,
  zerosLike,
} from '../src/index.ts';

describe('creation', () => {
  it('tensor reads nested arrays row-major and copies them', () => {
    const values = [
      [1, 2],
      [3, 4],
    ];
    const t = tensor(values, { requiresGrad: true });
    expect([t.shape, Array.from(t.data), t.requiresGrad]).toEqual([[2, 2], [1, 2, 3, 4], true]);
    values[0]![0] = 9;
    expect(t.data[0]).toBe(1);
    expect(tensor(5).shape).toEqual([]);
    expect(tensor([]).shape).toEqual([0]);
    expect(tensor(Float64Array.of(1, 2)).shape).toEqual([2]);
  });

  it('tensor names where a nested array is ragged', () => {
    expect(() => tensor([[1, 2], [3]])).toThrow(ShapeError);
    expect(() => tensor([[1, 2], [3]])).toThrow(
      'tensor: ragged nested array: values[1] has length 1, expected length 2 (shape [2,2])',
    );
    expect(() => tensor([1, [2]])).toThrow(
      'tensor: ragged nested array: values[1] is an array where the shape [2] needs a number',
    );
    expect(() => tensor([1, '2' as never])).toThrow(
      'tensor: values[1] is a string; entries must be numbers',
    );
  });

  it('fromData takes the array without copying, and checks its size', () => {
    const data = Float64Array.of(1, 2, 3, 4, 5, 6);
    expect(fromData(data, [2, 3]).data).toBe(data);
    expect(() => fromData(data, [4])).toThrow('fromData: data has 6 entries but shape [4] needs 4');
    expect(() => fromData(data, [2, -3])).toThrow(
      'fromData: shape must hold non-negative integers, got [2,-3]',
    );
  });

  it('fills, ranges and identities', () => {
    expect(zeros([2]).toArray()).toEqual([0, 0]);
    expect(ones([1, 2]).toArray()).toEqual([[1, 1]]);
    expect(full([2], 7).toArray()).toEqual([7, 7]);
    expect(zerosLike(ones([3])).toArray()).toEqual([0, 0, 0]);
    expect(onesLike(zeros([1])).toArray()).toEqual([1]);
    expect(arange(4).toArray()).toEqual([0, 1, 2, 3]);
    expect(arange(1, 2, 0.25).toArray()).toEqual([1, 1.25, 1.5, 1.75]);
    expect(arange(3, 0, -1).toArray()).toEqual([3, 2, 1]);
    expect(eye(2).toArray()).toEqual([
      [1, 0],
      [0, 1],
    ]);
    expect(() => arange(0, 1, 0)).toThrow(
      'arange: start, end and step must be finite and step nonzero',
    );
    expect(() => eye(-1)).toThrow('eye: n must be a non-negative integer, got -1');
  });

  it('random tensors come from the given generator: same seed, same entries', () => {
    expect(randn([3, 2], new Rng(42)).data).toEqual(randn([3, 2], new Rng(42)).data);
    expect(randn([3], new Rng(42)).data).not.toEqual(randn([3], new Rng(43)).data);
    const u = uniform([1000], -2, 3, new Rng(1));
    expect(u.data.every((v) => v >= -2 && v < 3)).toBe(true);
    expect(rand([1000], new Rng(2)).data.every((v) => v >= 0 && v < 1)).toBe(true);
    const rng = new Rng(5);
    const expected = Array.from({ length: 4 }, () => rng.normal());
    expect(Array.from(randn([2, 2], new Rng(5)).data)).toEqual(expected);
    expect(() => uniform([2], 1, 0, new Rng(1))).toThrow(
      'uniform: need finite low ≤ high, got low 1, high 0',
    );
    expect(() => randn([2, 3], undefined as never)).toThrow(
      'randn: rng must be a generator such as new Rng(seed), got undefined',
    );
    expect(() => rand([2], 42 as never)).toThrow(
      'rand: rng must be a generator such as new Rng(seed), got number',
    );
  });
});
