import { arbitraries } from '@unroll/gradcheck';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  add,
  chunk,
  concat,
  mul,
  narrow,
  permute,
  reshape,
  ShapeError,
  split,
  stack,
  type Tensor,
  tensor,
  transpose,
} from '../src/index.ts';
import { checkGradients, type Input } from './check.ts';

const runs = { numRuns: 30 };

function input(shape: number[]) {
  return arbitraries
    .float64Array(arbitraries.sizeOf(shape))
    .map((values): Input => ({ shape, values }));
}

/** A shape of rank ≥ 1 with values and an axis of it. */
const withAxis = arbitraries
  .shapedValues({ minRank: 1 })
  .chain((x) => fc.integer({ min: 0, max: x.shape.length - 1 }).map((axis) => ({ x, axis })));

/** The entries of a tensor as a map from multi-index to value, for checking rearrangements. */
function entry(t: Tensor, index: number[]): number {
  let offset = 0;
  for (let d = 0; d < t.rank; d++) offset = offset * t.shape[d]! + index[d]!;
  return t.data[offset]!;
}

describe('reshape', () => {
  it('relabels the same entries (shared, not copied) and passes the gradient through', () => {
    fc.assert(
      fc.property(arbitraries.shapedValues({ minRank: 1 }), (x) => {
        const flat = [-1];
        checkGradients((t) => mul(reshape(t, flat), reshape(t, flat)), [x], { what: 'reshape' });
        const t = tensor(x.values).reshape(x.shape);
        expect(reshape(t, [-1]).data).toBe(t.data);
      }),
      runs,
    );
  });

  it('infers one −1 and names impossible shapes', () => {
    const x = tensor(new Float64Array(6));
    expect(reshape(x, [3, -1]).shape).toEqual([3, 2]);
    expect(() => reshape(x, [4, 2])).toThrow(
      'reshape: cannot reshape [6] (6 entries) to [4,2] (8 entries)',
    );
    expect(() => reshape(x, [-1, -1])).toThrow('reshape: only one dim may be -1, got [-1,-1]');
    expect(() => reshape(x, [4, -1])).toThrow(
      'reshape: cannot infer the -1 in [4,-1] for 6 entries',
    );
  });
});

describe('permute and transpose', () => {
  const permuted = arbitraries.shapedValues({ minRank: 1 }).chain((x) =>
    fc
      .shuffledSubarray(
        Array.from({ length: x.shape.length }, (_, d) => d),
        { minLength: x.shape.length, maxLength: x.shape.length },
      )
      .map((dims) => ({ x, dims })),
  );

  it('moves entry [i₀, i₁, …] to [i_dims[0], …] and has the inverse as backward', () => {
    fc.assert(
      fc.property(permuted, ({ x, dims }) => {
        checkGradients((t) => permute(t, dims), [x], { what: `permute [${dims}]` });
        const t = tensor(x.values).reshape(x.shape);
        const p = permute(t, dims);
        expect(p.shape).toEqual(dims.map((d) => x.shape[d]));
        const index = x.shape.map((n) => n - 1); // the last entry, and the first
        expect(
          entry(
            p,
            dims.map((d) => index[d]!),
          ),
        ).toBe(entry(t, index));
        expect(
          entry(
            p,
            dims.map(() => 0),
          ),
        ).toBe(
          entry(
            t,
            x.shape.map(() => 0),
          ),
        );
      }),
      runs,
    );
  });

  it('sums both paths when x is permuted (and back) and also used directly', () => {
    fc.assert(
      fc.property(permuted, ({ x, dims }) => {
        // permute back by the inverse, so the result lines up with x again
        const inverse = dims.map((_, d) => dims.indexOf(d));
        checkGradients((t) => mul(permute(mul(permute(t, dims), 2), inverse), t), [x], {
          what: `permute [${dims}] then back, times x`,
        });
      }),
      runs,
    );
  });

  it('transpose swaps the last two dims by default', () => {
    expect(
      transpose(
        tensor([
          [1, 2, 3],
          [4, 5, 6],
        ]),
      ).toArray(),
    ).toEqual([
      [1, 4],
      [2, 5],
      [3, 6],
    ]);
    fc.assert(
      fc.property(arbitraries.shapedValues({ minRank: 2 }), (x) => {
        checkGradients((t) => transpose(t), [x], { what: 'transpose' });
      }),
      runs,
    );
  });

  it('names bad dims', () => {
    const x = tensor(new Float64Array(6)).reshape([2, 3]);
    expect(() => permute(x, [0])).toThrow(
      'permute: dims [0] must list each of the 2 dims of [2,3] once',
    );
    expect(() => permute(x, [1, 1])).toThrow('permute: dims [1,1] repeat a dim');
    expect(() => transpose(x, 0, 2)).toThrow('transpose: dim1 2 is out of range for rank 2');
  });
});

describe('concat and stack', () => {
  const pieces = withAxis.chain(({ x, axis }) =>
    fc
      .array(fc.integer({ min: 1, max: 3 }), { minLength: 1, maxLength: 3 })
      .chain((sizes) =>
        fc.tuple(...sizes.map((n) => input(x.shape.map((d, i) => (i === axis ? n : d))))),
      )
      .map((inputs) => ({ inputs, axis })),
  );

  it('concat has a backward that matches central differences', () => {
    fc.assert(
      fc.property(pieces, ({ inputs, axis }) => {
        checkGradients((...t: Tensor[]) => concat(t, axis), inputs, {
          what: `concat axis ${axis}`,
        });
      }),
      runs,
    );
  });

  it('concat sums the gradients of a tensor joined twice', () => {
    fc.assert(
      fc.property(pieces, ({ inputs, axis }) => {
        checkGradients((...t: Tensor[]) => concat([...t, mul(t[0]!, 3), t[0]!], axis), inputs, {
          what: `concat axis ${axis}, first input repeated`,
        });
      }),
      runs,
    );
  });

  it('stack has a backward that matches central differences, including a tensor stacked twice', () => {
    const same = arbitraries.shape({ maxRank: 2 }).chain((shape) =>
      fc.record({
        a: input(shape),
        b: input(shape),
        axis: fc.integer({ min: -(shape.length + 1), max: shape.length }),
      }),
    );
    fc.assert(
      fc.property(same, ({ a, b, axis }) => {
        checkGradients((x, y) => stack([x!, y!, x!], axis), [a, b], { what: `stack axis ${axis}` });
      }),
      runs,
    );
  });

  it('lay the inputs end to end', () => {
    const a = tensor([[1, 2]]);
    const b = tensor([[3, 4]]);
    expect(concat([a, b], 0).toArray()).toEqual([
      [1, 2],
      [3, 4],
    ]);
    expect(concat([a, b], 1).toArray()).toEqual([[1, 2, 3, 4]]);
    expect(stack([a, b], 1).toArray()).toEqual([
      [
        [1, 2],
        [3, 4],
      ],
    ]);
    expect(stack([tensor([1, 2]), tensor([3, 4])], -1).toArray()).toEqual([
      [1, 3],
      [2, 4],
    ]);
  });

  it('keep their inputs when the caller changes its array afterwards', () => {
    const a = tensor([1, 2], { requiresGrad: true });
    const b = tensor([3], { requiresGrad: true });
    const list = [a, b];
    const joined = concat(list);
    list[0] = tensor([7, 8], { requiresGrad: true });
    list.push(b);
    mul(joined, tensor([1, 2, 3]))
      .sum()
      .backward();
    expect([a.grad!.toArray(), b.grad!.toArray()]).toEqual([[1, 2], [3]]);
  });

  it('name mismatched shapes', () => {
    const a = tensor(new Float64Array(6)).reshape([2, 3]);
    const b = tensor(new Float64Array(8)).reshape([2, 4]);
    expect(() => concat([a, b], 0)).toThrow(ShapeError);
    expect(() => concat([a, b], 0)).toThrow(
      'concat: tensors[1] has shape [2,4], which differs from tensors[0] [2,3] outside axis 0',
    );
    expect(() => stack([a, b])).toThrow(
      'stack: tensors[1] has shape [2,4], but tensors[0] has [2,3]; stack needs equal shapes',
    );
    expect(() => concat([])).toThrow('concat: tensors must be a non-empty array of tensors');
  });
});

describe('narrow, split and chunk', () => {
  it('narrow copies the window start … start + length − 1 along the axis', () => {
    const x = tensor([
      [1, 2, 3, 4],
      [5, 6, 7, 8],
    ]);
    expect(narrow(x, 1, 1, 2).toArray()).toEqual([
      [2, 3],
      [6, 7],
    ]);
    expect(narrow(x, 0, 1, 1).toArray()).toEqual([[5, 6, 7, 8]]);
    expect(narrow(x, -1, 4, 0).shape).toEqual([2, 0]);
  });

  it('narrow has a backward that matches central differences', () => {
    const narrowed = withAxis.chain(({ x, axis }) =>
      fc
        .integer({ min: 0, max: x.shape[axis]! - 1 })
        .chain((start) =>
          fc
            .integer({ min: 0, max: x.shape[axis]! - start })
            .map((length) => ({ x, axis, start, length })),
        ),
    );
    fc.assert(
      fc.property(narrowed, ({ x, axis, start, length }) => {
        checkGradients((t) => narrow(t, axis, start, length), [x], { what: 'narrow' });
      }),
      runs,
    );
  });

  it('narrow windows that overlap add their gradients where they overlap', () => {
    const windows = withAxis.chain(({ x, axis }) =>
      fc
        .integer({ min: 1, max: x.shape[axis]! })
        .chain((length) =>
          fc
            .tuple(
              fc.integer({ min: 0, max: x.shape[axis]! - length }),
              fc.integer({ min: 0, max: x.shape[axis]! - length }),
            )
            .map(([first, second]) => ({ x, axis, length, first, second })),
        ),
    );
    fc.assert(
      fc.property(windows, ({ x, axis, length, first, second }) => {
        checkGradients(
          (t) => mul(narrow(t, axis, first, length), narrow(t, axis, second, length)),
          [x],
          { what: `narrow at ${first} times narrow at ${second}, length ${length}` },
        );
      }),
      runs,
    );
  });

  it('split pieces, recombined, give back x, with the gradients of every piece', () => {
    fc.assert(
      fc.property(withAxis, fc.integer({ min: 1, max: 3 }), ({ x, axis }, size) => {
        const recombine = (t: Tensor) => {
          const parts = split(t, size, axis);
          // weight each piece differently, so a misplaced gradient shows
          return concat(
            parts.map((p, i) => mul(p, i + 1)),
            axis,
          );
        };
        checkGradients(recombine, [x], { what: `split(${size})` });
        const t = tensor(x.values).reshape(x.shape);
        expect(concat(split(t, size, axis), axis).data).toEqual(t.data);
      }),
      runs,
    );
  });

  it('chunk pieces carry their gradients back to the right blocks', () => {
    fc.assert(
      fc.property(withAxis, fc.integer({ min: 1, max: 4 }), ({ x, axis }, chunks) => {
        const weighted = (t: Tensor) =>
          concat(
            chunk(t, chunks, axis).map((p, i) => mul(p, p).mul(i + 1)),
            axis,
          );
        checkGradients(weighted, [x], { what: `chunk(${chunks})` });
      }),
      runs,
    );
  });

  it('chunk makes pieces of ⌈n / chunks⌉ like PyTorch; gradients reach every piece', () => {
    const x = tensor([1, 2, 3, 4, 5], { requiresGrad: true });
    const parts = chunk(x, 3);
    expect(parts.map((p) => p.toArray())).toEqual([[1, 2], [3, 4], [5]]);
    add(mul(parts[0]!, 1).sum(), add(mul(parts[1]!, 2).sum(), mul(parts[2]!, 3).sum())).backward();
    expect(x.grad!.toArray()).toEqual([1, 1, 2, 2, 3]);
    expect(split(x, [1, 4]).map((p) => p.shape)).toEqual([[1], [4]]);
  });

  it('split leaves 0 in the blocks of unused pieces, and a retained graph can be walked twice', () => {
    const x = tensor([1, 2, 3, 4, 5, 6], { requiresGrad: true });
    const [first, , third] = split(x, 2);
    const loss = add(mul(first!, first!).sum(), mul(third!, 10).sum());
    loss.backward(undefined, { retainGraph: true });
    expect(x.grad!.toArray()).toEqual([2, 4, 0, 0, 10, 10]);
    loss.backward();
    expect(x.grad!.toArray()).toEqual([4, 8, 0, 0, 20, 20]);
  });

  it('pieces share one node: separate backward passes through two of them need retainGraph', () => {
    const x = tensor([1, 2, 3, 4], { requiresGrad: true });
    const [first, second] = split(x, 2);
    first!.sum().backward();
    expect(() => second!.sum().backward()).toThrow(
      "backward: the graph through 'split' was freed by an earlier backward()",
    );
    const y = tensor([1, 2, 3, 4], { requiresGrad: true });
    const [left, right] = split(y, 2);
    left!.sum().backward(undefined, { retainGraph: true });
    mul(right!, 2).sum().backward();
    expect(y.grad!.toArray()).toEqual([1, 1, 2, 2]);
  });

  it('name bad arguments', () => {
    const x = tensor(new Float64Array(8)).reshape([2, 4]);
    expect(() => narrow(x, 1, 3, 2)).toThrow(
      'narrow: start 3 and length 2 must select within [0, 4) along axis 1 of [2,4]',
    );
    expect(() => split(x, [1, 2], 1)).toThrow(
      'split: sizes [1,2] must be non-negative integers adding up to 4, the size of axis 1 of [2,4]',
    );
    expect(() => split(x, 0)).toThrow('split: size must be a positive integer, got 0');
    expect(() => chunk(x, 0)).toThrow('chunk: chunks must be a positive integer, got 0');
  });
});
