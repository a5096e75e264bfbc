/**
 * Every op records itself in the graph under its own name: that name is what an op
 * observer reports, what a hook's tensor carries, and what the engine's own errors
 * (a gradient of the wrong size) name.
 */
import { describe, expect, it } from 'vitest';
import {
  binaryCrossEntropyWithLogits,
  chunk,
  clamp,
  concat,
  crossEntropy,
  dropout,
  gather,
  indexSelect,
  logSoftmax,
  narrow,
  permute,
  pow,
  Rng,
  reshape,
  softmax,
  split,
  stack,
  tensor,
  transpose,
  where,
} from '../src/index.ts';

const x = () =>
  tensor(
    [
      [0.5, -1, 2],
      [1.5, 0.25, -0.75],
    ],
    { requiresGrad: true },
  );

const cases: [string, () => { node: { op: string } | null }][] = [
  ['softmax', () => softmax(x())],
  ['logSoftmax', () => logSoftmax(x(), 0)],
  ['indexSelect', () => indexSelect(x(), 1, [2, 0])],
  ['gather', () => gather(x(), 1, tensor([[1], [0]]))],
  [
    'where',
    () =>
      where(
        tensor([
          [1, 0, 1],
          [0, 1, 0],
        ]),
        x(),
        0,
      ),
  ],
  ['pow', () => pow(x(), 3)],
  ['clamp', () => clamp(x(), -1, 1)],
  ['crossEntropy', () => crossEntropy(x(), [2, 0])],
  [
    'binaryCrossEntropyWithLogits',
    () => binaryCrossEntropyWithLogits(x(), x(), { reduction: 'none' }),
  ],
  ['dropout', () => dropout(x(), 0.5, new Rng(0))],
  ['reshape', () => reshape(x(), [3, 2])],
  ['permute', () => permute(x(), [1, 0])],
  ['permute', () => transpose(x())],
  ['concat', () => concat([x(), x()])],
  ['stack', () => stack([x(), x()])],
  ['narrow', () => narrow(x(), 1, 1, 2)],
  ['split.piece', () => split(x(), 1)[1]!],
  ['split.piece', () => chunk(x(), 2, 1)[0]!],
  ['split', () => split(x(), 1)[0]!.node!.inputs[0]!],
];

describe('the op name in the graph', () => {
  it.each(cases)('%s', (name, make) => {
    expect(make().node?.op).toBe(name);
  });
});
