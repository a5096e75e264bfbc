/**
 * Shape ops at their edges, against PyTorch's documented behaviour:
 * - `transpose(x)` swaps the last two dims whatever the rank (x.mT);
 * - `permute` of a scalar by no dims is the scalar (torch.permute(x, ()));
 * - `reshape` leaves the caller's shape array as it was, even when it infers a −1;
 * - `split(x, size)` gives ⌈n / size⌉ pieces, no empty one when size divides n;
 *   listed sizes may be 0 but not negative or fractional, even when they add up;
 * - `narrow` refuses a start or length that is negative or fractional;
 * - `concat` refuses a tensor of another rank, even one whose dims match so far.
 */
import { describe, expect, it } from 'vitest';
import {
  concat,
  narrow,
  permute,
  reshape,
  ShapeError,
  split,
  tensor,
  transpose,
} from '../src/index.ts';

const x32 = () =>
  tensor(
    [
      [1, 2],
      [3, 4],
      [5, 6],
    ],
    { requiresGrad: true },
  );

describe('transpose and permute', () => {
  it('transpose swaps the last two dims of a rank-3 tensor by default', () => {
    const x = tensor([
      [
        [1, 2, 3],
        [4, 5, 6],
      ],
    ]);
    const y = transpose(x);
    expect(y.shape).toEqual([1, 3, 2]);
    expect(y.toArray()).toEqual([
      [
        [1, 4],
        [2, 5],
        [3, 6],
      ],
    ]);
  });

  it('permute of a scalar by no dims is the scalar, and passes its gradient', () => {
    const s = tensor(2.5, { requiresGrad: true });
    const y = permute(s, []);
    expect(y.item()).toBe(2.5);
    y.backward(tensor(3));
    expect(s.grad!.item()).toBe(3);
  });
});

describe('reshape', () => {
  it("does not write the inferred dim into the caller's array", () => {
    const shape = [-1, 2];
    expect(reshape(x32(), shape).shape).toEqual([3, 2]);
    expect(shape).toEqual([-1, 2]);
  });
});

describe('split', () => {
  it('gives ⌈n / size⌉ pieces: no empty piece when size divides n', () => {
    const x = tensor([1, 2, 3, 4]);
    expect(split(x, 2).map((p) => p.shape)).toEqual([[2], [2]]);
    expect(split(x, 3).map((p) => p.shape)).toEqual([[3], [1]]);
  });

  it('accepts listed sizes of 0, and refuses negative or fractional ones that add up', () => {
    expect(split(x32(), [0, 3]).map((p) => p.shape)).toEqual([
      [0, 2],
      [3, 2],
    ]);
    const refusal = (sizes: number[]) =>
      `split: sizes [${sizes.join(',')}] must be non-negative integers adding up to 3, the size of axis 0 of [3,2]`;
    for (const sizes of [
      [4, -1],
      [1.5, 1.5],
    ]) {
      expect(() => split(x32(), sizes)).toThrow(ShapeError);
      expect(() => split(x32(), sizes)).toThrow(refusal(sizes));
    }
  });
});

describe('narrow', () => {
  it('refuses a negative or fractional start or length, naming both and the shape', () => {
    for (const [start, length] of [
      [-1, 1],
      [0.5, 1],
      [0, -1],
      [1, 1.5],
    ] as const) {
      expect(() => narrow(x32(), 0, start, length)).toThrow(
        `narrow: start ${start} and length ${length} must select within [0, 3) along axis 0 of [3,2]`,
      );
    }
  });
});

describe('concat', () => {
  it('refuses a tensor of lower rank whose dims agree as far as they go', () => {
    expect(() => concat([x32(), tensor([1, 2, 3])], 1)).toThrow(
      'concat: tensors[1] has shape [3], which differs from tensors[0] [3,2] outside axis 1',
    );
  });
});
