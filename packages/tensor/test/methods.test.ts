/**
 * The fluent methods (methods.ts): each is the function of the same name, with the
 * same values and the same gradient, and numbers stand in for tensor operands.
 */

import { describe, expect, it } from 'vitest';
import {
  abs,
  add,
  clamp,
  div,
  exp,
  fromData,
  log,
  logSoftmax,
  logsumexp,
  matmul,
  max,
  maximum,
  mean,
  min,
  minimum,
  mul,
  neg,
  permute,
  pow,
  relu,
  reshape,
  sigmoid,
  softmax,
  sqrt,
  sub,
  sum,
  type Tensor,
  tanh,
  tensor,
  transpose,
} from '../src/index.ts';

describe('methods', () => {
  // Each method against the function of its name: same values, same gradient.
  const methodCases: [string, (x: Tensor) => Tensor, (x: Tensor) => Tensor][] = [
    ['add', (x) => x.add(0.5), (x) => add(x, 0.5)],
    ['sub', (x) => x.sub(0.5), (x) => sub(x, 0.5)],
    ['mul', (x) => x.mul(x), (x) => mul(x, x)],
    ['div', (x) => x.div(0.5), (x) => div(x, 0.5)],
    ['minimum', (x) => x.minimum(0.7), (x) => minimum(x, 0.7)],
    ['maximum', (x) => x.maximum(0.7), (x) => maximum(x, 0.7)],
    ['neg', (x) => x.neg(), neg],
    ['pow', (x) => x.pow(3), (x) => pow(x, 3)],
    ['exp', (x) => x.exp(), exp],
    ['log', (x) => x.log(), log],
    ['sqrt', (x) => x.sqrt(), sqrt],
    ['tanh', (x) => x.tanh(), tanh],
    ['sigmoid', (x) => x.sigmoid(), sigmoid],
    ['relu', (x) => x.sub(0.7).relu(), (x) => relu(sub(x, 0.7))],
    ['abs', (x) => x.sub(0.7).abs(), (x) => abs(sub(x, 0.7))],
    ['clamp', (x) => x.clamp(0.5, 1), (x) => clamp(x, 0.5, 1)],
    ['matmul', (x) => x.matmul(x.transpose()), (x) => matmul(x, transpose(x))],
    ['sum', (x) => x.sum(1, true), (x) => sum(x, 1, true)],
    ['mean', (x) => x.mean(0), (x) => mean(x, 0)],
    ['max', (x) => x.max(1), (x) => max(x, 1)],
    ['min', (x) => x.min(0, true), (x) => min(x, 0, true)],
    ['logsumexp', (x) => x.logsumexp(1), (x) => logsumexp(x, 1)],
    ['softmax', (x) => x.softmax(0), (x) => softmax(x, 0)],
    ['logSoftmax', (x) => x.logSoftmax(), (x) => logSoftmax(x)],
    ['reshape', (x) => x.reshape([3, 2]), (x) => reshape(x, [3, 2])],
    ['transpose', (x) => x.transpose(0, 1), (x) => transpose(x, 0, 1)],
    ['permute', (x) => x.permute([1, 0]), (x) => permute(x, [1, 0])],
  ];

  it.each(methodCases)('x.%s(…) is the function of the same name', (_name, method, fn) => {
    const values = [
      [0.3, 1.2, 0.8],
      [1.5, 0.6, 0.45],
    ];
    const run = (f: (x: Tensor) => Tensor) => {
      const x = tensor(values, { requiresGrad: true });
      const y = f(x);
      y.backward(
        fromData(
          Float64Array.from(y.data, (_, i) => 1 + i),
          y.shape.slice(),
        ),
      );
      return { shape: y.shape, values: Array.from(y.data), grad: Array.from(x.grad!.data) };
    };
    expect(run(method)).toEqual(run(fn));
  });

  it('compute what their names say, accepting numbers where a tensor operand goes', () => {
    const x = tensor(
      [
        [1, 2],
        [3, 4],
      ],
      { requiresGrad: true },
    );
    expect(x.matmul(x).toArray()).toEqual([
      [7, 10],
      [15, 22],
    ]);
    expect(x.neg().abs().clamp(2, 3).toArray()).toEqual([
      [2, 2],
      [3, 3],
    ]);
    expect([x.sum().item(), x.mean().item(), x.max().item(), x.min().item()]).toEqual([
      10, 2.5, 4, 1,
    ]);
    expect(x.sum(0).toArray()).toEqual([4, 6]);
    expect(x.mean(1, true).toArray()).toEqual([[1.5], [3.5]]);
    expect(x.maximum(2.5).minimum(3.5).toArray()).toEqual([
      [2.5, 2.5],
      [3, 3.5],
    ]);
    expect(x.transpose().toArray()).toEqual([
      [1, 3],
      [2, 4],
    ]);
    expect(x.permute([1, 0]).reshape([4]).toArray()).toEqual([1, 3, 2, 4]);
    expect(x.softmax().sum(-1).toArray()).toBeAllclose([1, 1]);
    expect(x.logSoftmax(0).exp().sum(0).toArray()).toBeAllclose([1, 1]);
    expect(x.logsumexp().item()).toBeAllclose(
      Math.log(Math.E + Math.E ** 2 + Math.E ** 3 + Math.E ** 4),
    );
  });
});
