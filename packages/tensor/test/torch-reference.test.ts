/**
 * Forward values and gradients against PyTorch (float64), read from
 * test/reference/torch-ops.json, which scripts/torch_reference.py wrote. Each case's
 * scalar is L = Σ w ⊙ output with the weights stored in the file.
 */

import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import {
  abs,
  add,
  binaryCrossEntropyWithLogits,
  crossEntropy,
  div,
  gather,
  indexSelect,
  linear,
  logSoftmax,
  logsumexp,
  matmul,
  maximum,
  mse,
  type NestedArray,
  type Reduction,
  softmax,
  type Tensor,
  tensor,
} from '../src/index.ts';

interface Case {
  op: string;
  options: Record<string, unknown>;
  inputs: NestedArray[];
  output: NestedArray;
  weights: NestedArray;
  grads: Record<string, NestedArray>;
}

const reference = JSON.parse(
  readFileSync(new URL('./reference/torch-ops.json', import.meta.url), 'utf8'),
) as { cases: Case[] };

/** How to run each case's op on unroll tensors (inputs in the file's order). */
function run(c: Case, inputs: Tensor[]): Tensor {
  const o = c.options as {
    reduction: Reduction;
    axis: number;
    keepDim: boolean;
    indices: number[];
  };
  const [a, b, bias] = inputs as [Tensor, Tensor, Tensor];
  switch (c.op) {
    case 'crossEntropy':
      return crossEntropy(a, b.data, { reduction: o.reduction, ignoreIndex: -100 });
    case 'binaryCrossEntropyWithLogits':
      return binaryCrossEntropyWithLogits(a, b, { reduction: o.reduction });
    case 'logSoftmax':
      return logSoftmax(a, o.axis);
    case 'softmax':
      return softmax(a, o.axis);
    case 'logsumexp':
      return logsumexp(a, c.options.axis as number[], o.keepDim);
    case 'matmul':
      return matmul(a, b);
    case 'linear':
      return linear(a, b, bias);
    case 'indexSelect':
      return indexSelect(a, o.axis, o.indices);
    case 'gather':
      return gather(a, o.axis, tensor(c.options.index as number[][]));
    case 'mse':
      return mse(a, b, { reduction: o.reduction });
    case 'div':
      return div(a, add(abs(b), 0.5));
    case 'maximum':
      return maximum(a, b);
    default:
      throw new Error(`no runner for ${c.op}`);
  }
}

describe('agreement with PyTorch', () => {
  it.each(reference.cases.map((c) => [`${c.op} ${JSON.stringify(c.options)}`, c] as const))(
    '%s',
    (_name, c) => {
      const inputs = c.inputs.map((values, i) =>
        tensor(values, { requiresGrad: String(i) in c.grads }),
      );
      const out = run(c, inputs);
      expect(out.shape).toEqual(tensor(c.output).shape);
      expect(out).toBeAllclose(c.output, { atol: 1e-12, rtol: 1e-10 });
      out.backward(tensor(c.weights));
      for (const [i, grad] of Object.entries(c.grads)) {
        expect(inputs[Number(i)]!.grad).toBeAllclose(grad, { atol: 1e-12, rtol: 1e-10 });
      }
    },
  );
});
