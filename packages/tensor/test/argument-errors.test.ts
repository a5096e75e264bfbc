/**
 * Bad arguments, refused with a message that names the op and the argument (and the
 * shapes, the axis or the index involved), as the error conventions of errors.ts ask.
 */
import { describe, expect, it } from 'vitest';
import {
  add,
  binaryCrossEntropyWithLogits,
  chunk,
  concat,
  crossEntropy,
  div,
  dropout,
  gather,
  indexSelect,
  logSoftmax,
  mse,
  narrow,
  permute,
  Rng,
  reshape,
  ShapeError,
  softmax,
  split,
  stack,
  sum,
  tensor,
  transpose,
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
  [
    'reshape of null',
    () => reshape(null as never, [1]),
    TypeError,
    'reshape: x must be a Tensor, got null',
  ],
  [
    'reshape to a negative dim',
    () => reshape(tensor([1, 2]), [2, -2]),
    RangeError,
    'reshape: shape must hold non-negative integers, got [2,-2]',
  ],
  [
    'permute of an array',
    () => permute([1] as never, [0]),
    TypeError,
    'permute: x must be a Tensor, got an array (wrap it with tensor(...))',
  ],
  [
    'permute with too few dims',
    () => permute(tensor([[1, 2]]), [0]),
    ShapeError,
    'permute: dims [0] must list each of the 2 dims of [1,2] once',
  ],
  [
    'permute by dims out of range',
    () => permute(tensor([[1, 2]]), [0, 2]),
    RangeError,
    'permute: dim 2 is out of range for rank 2; allowed [-2, 1]',
  ],
  [
    'permute with a repeated dim',
    () => permute(tensor([[1, 2]]), [1, -1]),
    RangeError,
    'permute: dims [1,-1] repeat a dim',
  ],
  [
    'transpose of null',
    () => transpose(null as never),
    TypeError,
    'transpose: x must be a Tensor, got null',
  ],
  [
    'transpose by dim0 out of range',
    () => transpose(tensor([[1, 2]]), 3, 0),
    RangeError,
    'transpose: dim0 3 is out of range for rank 2; allowed [-2, 1]',
  ],
  [
    'concat of a list holding an array',
    () => concat([tensor([1]), [2] as never]),
    TypeError,
    'concat: tensors[1] must be a Tensor, got an array (wrap it with tensor(...))',
  ],
  [
    'concat along axis 1 of vectors',
    () => concat([tensor([1]), tensor([2])], 1),
    RangeError,
    'concat: axis 1 is out of range for rank 1; allowed [-1, 0]',
  ],
  [
    'stack of an empty list',
    () => stack([]),
    RangeError,
    'stack: tensors must be a non-empty array of tensors',
  ],
  [
    'stack along axis 2 of vectors',
    () => stack([tensor([1]), tensor([2])], 2),
    RangeError,
    'stack: axis 2 is out of range for rank 2; allowed [-2, 1]',
  ],
  [
    'stack of different shapes',
    () => stack([tensor([1]), tensor([2, 3])]),
    ShapeError,
    'stack: tensors[1] has shape [2], but tensors[0] has [1]; stack needs equal shapes',
  ],
  [
    'narrow of an array',
    () => narrow([1] as never, 0, 0, 1),
    TypeError,
    'narrow: x must be a Tensor, got an array (wrap it with tensor(...))',
  ],
  [
    'narrow along axis 1 of a vector',
    () => narrow(tensor([1]), 1, 0, 1),
    RangeError,
    'narrow: axis 1 is out of range for rank 1; allowed [-1, 0]',
  ],
  [
    'split of null',
    () => split(null as never, 1),
    TypeError,
    'split: x must be a Tensor, got null',
  ],
  [
    'split along axis 1 of a vector',
    () => split(tensor([1]), 1, 1),
    RangeError,
    'split: axis 1 is out of range for rank 1; allowed [-1, 0]',
  ],
  [
    'chunk of an array',
    () => chunk([1] as never, 1),
    TypeError,
    'chunk: x must be a Tensor, got an array (wrap it with tensor(...))',
  ],
  [
    'chunk along axis −2 of a vector',
    () => chunk(tensor([1]), 1, -2),
    RangeError,
    'chunk: axis -2 is out of range for rank 1; allowed [-1, 0]',
  ],
  ['sum of null', () => sum(null as never), TypeError, 'sum: x must be a Tensor, got null'],
  [
    'permute with too many dims',
    () => permute(tensor([[1, 2]]), [0, 1, 2]),
    ShapeError,
    'permute: dims [0,1,2] must list each of the 2 dims of [1,2] once',
  ],
];

describe('argument errors', () => {
  it.each(cases)('%s', (_what, call, kind, message) => {
    expect(call).toThrow(kind);
    expect(call).toThrow(message);
  });
});
