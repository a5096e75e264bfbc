/**
 * Bad arguments, refused with a message that names the op and the argument (and the
 * shapes, the axis or the index involved), as the error conventions of errors.ts ask.
 */
import { describe, expect, it } from 'vitest';
import {
  add,
  binaryCrossEntropyWithLogits,
  crossEntropy,
  div,
  dropout,
  gather,
  indexSelect,
  logSoftmax,
  mse,
  Rng,
  ShapeError,
  softmax,
  tensor,
  where,
} from '../src/index.ts';

const x = () =>
  tensor([
    [1, 2, 3],
    [4, 5, 6],
  ]);

type Case = [string, () => unknown, new (message: string) => Error, string];

const cases: Case[] = [
  [
    'softmax of an array',
    () => softmax([1, 2] as never),
    TypeError,
    'softmax: x must be a Tensor, got an array (wrap it with tensor(...))',
  ],
  [
    'logSoftmax of null',
    () => logSoftmax(null as never),
    TypeError,
    'logSoftmax: x must be a Tensor, got null',
  ],
  [
    'logSoftmax along axis 2 of a matrix',
    () => logSoftmax(x(), 2),
    RangeError,
    'logSoftmax: axis 2 is out of range for rank 2; allowed [-2, 1]',
  ],
  [
    'indexSelect of an array',
    () => indexSelect([1, 2] as never, 0, [0]),
    TypeError,
    'indexSelect: x must be a Tensor, got an array (wrap it with tensor(...))',
  ],
  [
    'indexSelect along axis −3',
    () => indexSelect(x(), -3, [0]),
    RangeError,
    'indexSelect: axis -3 is out of range for rank 2; allowed [-2, 1]',
  ],
  [
    'indexSelect of a negative index',
    () => indexSelect(x(), 0, [1, -1]),
    RangeError,
    'indexSelect: indices[1] = -1 is out of range for axis 0 of [2,3]; allowed integers in [0, 1]',
  ],
  [
    'gather from a string',
    () => gather('x' as never, 0, tensor([0])),
    TypeError,
    'gather: x must be a Tensor, got string',
  ],
  [
    'gather with an array of indices',
    () => gather(x(), 0, [[0]] as never),
    TypeError,
    'gather: index must be a Tensor, got an array (wrap it with tensor(...))',
  ],
  [
    'gather along axis 2 of a matrix',
    () => gather(x(), 2, tensor([[0]])),
    RangeError,
    'gather: axis 2 is out of range for rank 2; allowed [-2, 1]',
  ],
  [
    'gather with a negative index',
    () => gather(x(), 1, tensor([[-1]])),
    RangeError,
    'gather: index[0] = -1 is out of range for axis 1 of [2,3]; allowed integers in [0, 2]',
  ],
  // Off the axis, every dim of index must fit in x's: here dim 0 does (2 ≤ 2), dim 1 does not.
  [
    'gather with an index too wide off the axis',
    () =>
      gather(
        x(),
        0,
        tensor([
          [0, 0, 0, 0],
          [1, 1, 1, 1],
        ]),
      ),
    ShapeError,
    'gather: index [2,4] must have the rank of x [2,3] and no larger dims off axis 0',
  ],
  [
    'add of an array and a tensor',
    () => add([1] as never, tensor([1])),
    TypeError,
    'add: a must be a Tensor, got an array (wrap it with tensor(...))',
  ],
  [
    'div by null',
    () => div(tensor([1]), null as never),
    TypeError,
    'div: b must be a Tensor, got null',
  ],
  [
    'where with an array condition',
    () => where([1] as never, tensor([1]), tensor([1])),
    TypeError,
    'where: condition must be a Tensor, got an array (wrap it with tensor(...))',
  ],
  [
    'where with an array a',
    () => where(tensor([1]), [1] as never, tensor([1])),
    TypeError,
    'where: a must be a Tensor, got an array (wrap it with tensor(...))',
  ],
  [
    'where with a null b',
    () => where(tensor([1]), tensor([1]), null as never),
    TypeError,
    'where: b must be a Tensor, got null',
  ],
  [
    'where: condition and a do not broadcast',
    () => where(tensor([1, 0]), tensor([1, 2, 3]), tensor([1])),
    ShapeError,
    'where: shapes do not broadcast: condition is [2], a is [3] (dim -1: 2 vs 3)',
  ],
  [
    'where: b does not broadcast with the others',
    () => where(tensor([1, 0]), tensor([1, 2]), tensor([1, 2, 3])),
    ShapeError,
    'where: shapes do not broadcast: condition with a is [2], b is [3] (dim -1: 2 vs 3)',
  ],
  [
    'crossEntropy of an array',
    () => crossEntropy([[0, 1]] as never, [0]),
    TypeError,
    'crossEntropy: logits must be a Tensor, got an array (wrap it with tensor(...))',
  ],
  [
    'mse of a null prediction',
    () => mse(null as never, tensor([1])),
    TypeError,
    'mse: prediction must be a Tensor, got null',
  ],
  [
    'mse against an array',
    () => mse(tensor([1]), [1] as never),
    TypeError,
    'mse: target must be a Tensor, got an array (wrap it with tensor(...))',
  ],
  [
    'mse with an unknown reduction',
    () => mse(tensor([1]), tensor([1]), { reduction: 'avg' as never }),
    RangeError,
    "mse: reduction must be 'mean', 'sum' or 'none', got avg",
  ],
  [
    'binaryCrossEntropyWithLogits of an array',
    () => binaryCrossEntropyWithLogits([0] as never, tensor([1])),
    TypeError,
    'binaryCrossEntropyWithLogits: logits must be a Tensor, got an array (wrap it with tensor(...))',
  ],
  [
    'binaryCrossEntropyWithLogits against null',
    () => binaryCrossEntropyWithLogits(tensor([0]), null as never),
    TypeError,
    'binaryCrossEntropyWithLogits: targets must be a Tensor, got null',
  ],
  [
    'dropout of an array',
    () => dropout([1, 2] as never, 0.5, new Rng(0)),
    TypeError,
    'dropout: x must be a Tensor, got an array (wrap it with tensor(...))',
  ],
];

describe('argument errors', () => {
  it.each(cases)('%s', (_what, call, kind, message) => {
    expect(call).toThrow(kind);
    expect(call).toThrow(message);
  });
});
