import { arbitraries } from '@unroll/gradcheck';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { gather, indexSelect, mul, ShapeError, tensor } from '../src/index.ts';
import { checkGradients } from './check.ts';

const runs = { numRuns: 30 };

describe('indexSelect', () => {
  const selection = arbitraries
    .shapedValues({ minRank: 1 })
    .chain((x) =>
      fc
        .integer({ min: 0, max: x.shape.length - 1 })
        .chain((axis) =>
          fc
            .array(fc.integer({ min: 0, max: x.shape[axis]! - 1 }), { minLength: 1, maxLength: 6 })
            .map((indices) => ({ x, axis, indices })),
        ),
    );

  it('has a backward that matches central differences, with repeated indices', () => {
    fc.assert(
      fc.property(selection, ({ x, axis, indices }) => {
        checkGradients((t) => indexSelect(t, axis, indices), [x], {
          what: `indexSelect(axis ${axis}, [${indices}])`,
        });
      }),
      runs,
    );
  });

  it('looks up embedding rows, and a repeated row gets the sum of its gradients', () => {
    const embedding = tensor(
      [
        [0, 0],
        [1, 1],
        [2, 2],
      ],
      { requiresGrad: true },
    );
    const rows = indexSelect(embedding, 0, [2, 0, 2]);
    expect(rows.toArray()).toEqual([
      [2, 2],
      [0, 0],
      [2, 2],
    ]);
    mul(rows, tensor([[1], [10], [100]]))
      .sum()
      .backward();
    expect(embedding.grad!.toArray()).toEqual([
      [10, 10],
      [0, 0],
      [101, 101],
    ]);
    expect(indexSelect(embedding, 0, tensor([2, 0, 2])).toArray()).toEqual(rows.toArray());
  });

  it('names an index out of range', () => {
    expect(() => indexSelect(tensor([[1, 2]]), 1, [0, 2])).toThrow(
      'indexSelect: indices[1] = 2 is out of range for axis 1 of [1,2]; allowed integers in [0, 1]',
    );
    expect(() => indexSelect(tensor([1, 2]), 0, [0.5])).toThrow('indexSelect: indices[0] = 0.5');
  });
});

describe('gather', () => {
  const gathering = arbitraries.shapedValues({ minRank: 1 }).chain((x) =>
    fc.integer({ min: 0, max: x.shape.length - 1 }).chain((axis) =>
      fc
        .tuple(
          ...x.shape.map((d, i) =>
            i === axis ? fc.integer({ min: 1, max: 4 }) : fc.integer({ min: 1, max: d }),
          ),
        )
        .chain((indexShape) =>
          fc
            .array(fc.integer({ min: 0, max: x.shape[axis]! - 1 }), {
              minLength: arbitraries.sizeOf(indexShape),
              maxLength: arbitraries.sizeOf(indexShape),
            })
            .map((picks) => ({
              x,
              axis,
              index: tensor(Float64Array.from(picks)).reshape(indexShape),
            })),
        ),
    ),
  );

  it('has a backward that matches central differences', () => {
    fc.assert(
      fc.property(gathering, ({ x, axis, index }) => {
        checkGradients((t) => gather(t, axis, index), [x], { what: `gather(axis ${axis})` });
      }),
      runs,
    );
  });

  it('picks out[i][j] = x[i][index[i][j]] along axis 1', () => {
    const x = tensor([
      [1, 2, 3],
      [4, 5, 6],
    ]);
    const index = tensor([
      [2, 0],
      [1, 1],
    ]);
    expect(gather(x, 1, index).toArray()).toEqual([
      [3, 1],
      [5, 5],
    ]);
    expect(gather(x, 0, tensor([[1, 0, 1]])).toArray()).toEqual([[4, 2, 6]]);
  });

  it('names bad index shapes and values', () => {
    const x = tensor([
      [1, 2, 3],
      [4, 5, 6],
    ]);
    expect(() => gather(x, 1, tensor([0, 1]))).toThrow(ShapeError);
    expect(() => gather(x, 1, tensor([0, 1]))).toThrow(
      'gather: index [2] must have the rank of x [2,3] and no larger dims off axis 1',
    );
    expect(() => gather(x, 1, tensor([[3]]))).toThrow(
      'gather: index[0] = 3 is out of range for axis 1 of [2,3]; allowed integers in [0, 2]',
    );
  });
});
