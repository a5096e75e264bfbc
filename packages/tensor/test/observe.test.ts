import { afterEach, describe, expect, it } from 'vitest';
import {
  add,
  mul,
  noGrad,
  type OpContext,
  opContext,
  setOpObserver,
  sum,
  type Tensor,
  tanh,
  tensor,
  withOpContext,
} from '../src/index.ts';

afterEach(() => {
  setOpObserver(null);
});

describe('op observer', () => {
  it('sees every op with its output, inputs and context, recorded or not', () => {
    const seen: { op: string; shape: readonly number[]; inputs: number; context: OpContext }[] = [];
    setOpObserver({
      forward: (op, output, inputs, context) =>
        seen.push({ op, shape: output.shape, inputs: inputs.length, context }),
    });
    const x = tensor([1, 2], { requiresGrad: true });
    withOpContext({ timestep: 3 }, () => withOpContext({ layer: 1 }, () => tanh(mul(x, x))));
    noGrad(() => add(x, 1));
    expect(seen).toEqual([
      { op: 'mul', shape: [2], inputs: 2, context: { timestep: 3, layer: 1 } },
      { op: 'tanh', shape: [2], inputs: 1, context: { timestep: 3, layer: 1 } },
      { op: 'add', shape: [2], inputs: 2, context: {} },
    ]);
  });

  it('sees every gradient a backward rule hands to an input, with the op that produced it', () => {
    const seen: { op: string; index: number; gradient: number[] }[] = [];
    setOpObserver({
      backward: (op, _output, index, _input, gradient) =>
        seen.push({ op, index, gradient: [...gradient] }),
    });
    const x = tensor([1, 2], { requiresGrad: true });
    const c = tensor([3, 4]);
    sum(mul(x, c)).backward();
    // the constant c needs no gradient, so the observer does not see one for it
    expect(seen).toEqual([
      { op: 'sum', index: 0, gradient: [1, 1] },
      { op: 'mul', index: 0, gradient: [3, 4] },
    ]);
  });

  it('changes no value: outputs and gradients are the same with and without an observer', () => {
    const run = () => {
      const x = tensor([0.3, -0.7, 1.1], { requiresGrad: true });
      const y = sum(tanh(mul(x, add(x, 2))));
      y.backward();
      return [y.item(), ...x.grad!.data];
    };
    const plain = run();
    setOpObserver({ forward: () => {}, backward: () => {} });
    expect(run()).toEqual(plain);
  });

  it('hands back the previous observer, and stops calling one that was removed', () => {
    let calls = 0;
    const first = { forward: () => void calls++ };
    expect(setOpObserver(first)).toBeNull();
    add(tensor(1), 1);
    expect(setOpObserver(null)).toBe(first);
    add(tensor(1), 1);
    expect(calls).toBe(1);
  });

  it('lets an observer stop an op by throwing', () => {
    setOpObserver({
      forward: (op, output) => {
        if (output.data.some((v) => Number.isNaN(v))) throw new Error(`NaN from ${op}`);
      },
    });
    expect(() => mul(tensor([0]), Number.POSITIVE_INFINITY)).toThrow('NaN from mul');
  });
});

describe('op context', () => {
  it('merges nested contexts, inner keys winning, and restores them even after a throw', () => {
    expect(opContext()).toEqual({});
    let inner: OpContext = {};
    withOpContext({ layer: 0, timestep: 1 }, () => {
      withOpContext({ timestep: 2 }, () => {
        inner = opContext();
      });
      expect(opContext()).toEqual({ layer: 0, timestep: 1 });
      expect(() =>
        withOpContext({ timestep: 9 }, () => {
          throw new Error('boom');
        }),
      ).toThrow('boom');
      expect(opContext()).toEqual({ layer: 0, timestep: 1 });
    });
    expect(inner).toEqual({ layer: 0, timestep: 2 });
    expect(opContext()).toEqual({});
    expect(Object.isFrozen(inner)).toBe(true);
  });

  it('returns what the body returns', () => {
    const t: Tensor = withOpContext({ timestep: 1 }, () => tensor(5));
    expect(t.item()).toBe(5);
  });
});
