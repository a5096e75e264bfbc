import { inspect } from 'node:util';
import { describe, expect, it } from 'vitest';
import {
  add,
  fromData,
  mul,
  ones,
  record,
  ShapeError,
  sum,
  Tensor,
  tanh,
  tensor,
} from '../src/index.ts';

describe('Tensor basics', () => {
  it('reports shape, size, rank, item and nested arrays', () => {
    const t = tensor([
      [1, 2, 3],
      [4, 5, 6],
    ]);
    expect([t.shape, t.size, t.rank]).toEqual([[2, 3], 6, 2]);
    expect(t.toArray()).toEqual([
      [1, 2, 3],
      [4, 5, 6],
    ]);
    expect(tensor(7).toArray()).toBe(7);
    expect(tensor([[7]]).item()).toBe(7);
    expect(() => t.item()).toThrow(
      'item: only a tensor with one entry has an item, got shape [2,3]',
    );
  });

  it('prints shape, entries and origin', () => {
    const x = tensor([[1, 2]], { requiresGrad: true });
    expect(String(x)).toBe('Tensor [1,2] [[1,2]] requiresGrad');
    expect(inspect(mul(x, 2))).toBe('Tensor [1,2] [[2,4]] ← mul');
    expect(String(ones([100]))).toBe('Tensor [100] [1,1,1,1,1,1, … 100 entries]');
  });

  it('rejects data that does not fill the shape', () => {
    expect(() => new Tensor(new Float64Array(5), [2, 3])).toThrow(
      'Tensor: data has 5 entries but shape [2,3] needs 6',
    );
  });
});

describe('backward', () => {
  it('accumulates into .grad over passes instead of overwriting', () => {
    const x = tensor([1, 2], { requiresGrad: true });
    sum(mul(x, 3)).backward();
    sum(mul(x, 3)).backward();
    expect(x.grad!.toArray()).toEqual([6, 6]);
    x.zeroGrad();
    expect(x.grad).toBeNull();
  });

  it('sums the gradients of a tensor used twice: d(x·x + x)/dx = 2x + 1', () => {
    const x = tensor([1.5, -2], { requiresGrad: true });
    sum(add(mul(x, x), x)).backward();
    expect(x.grad!.toArray()).toEqual([4, -3]);
  });

  it('handles diamond fan-out: b = a + a, c = b + b gives dc/da = 4', () => {
    const a = tensor(3, { requiresGrad: true });
    const b = add(a, a);
    const c = add(b, b);
    c.backward();
    expect(a.grad!.item()).toBe(4);
  });

  it('keeps .grad of a non-leaf only after retainGrad', () => {
    const x = tensor([1, 2], { requiresGrad: true });
    const kept = mul(x, 2).retainGrad();
    const dropped = mul(x, 3);
    sum(add(kept, dropped)).backward();
    expect(kept.grad!.toArray()).toEqual([1, 1]);
    expect(dropped.grad).toBeNull();
    expect(kept.isLeaf).toBe(false);
  });

  it('requires gradOutput for a non-scalar tensor, with the right shape', () => {
    const y = mul(tensor([1, 2], { requiresGrad: true }), 2);
    expect(() => y.backward()).toThrow(ShapeError);
    expect(() => y.backward()).toThrow(
      'backward: gradOutput is required for a non-scalar tensor of shape [2]; pass dL/d(output) with that shape',
    );
    expect(() => y.backward(ones([3]))).toThrow(
      'backward: gradOutput has shape [3] but the tensor has shape [2]',
    );
  });

  it('seeds the pass with gradOutput: the vector–Jacobian product', () => {
    const x = tensor([1, 2], { requiresGrad: true });
    mul(x, x).backward(tensor([10, 100]));
    expect(x.grad!.toArray()).toEqual([20, 400]);
  });

  it('refuses a tensor that does not require grad', () => {
    expect(() => sum(tensor([1, 2])).backward()).toThrow(
      'backward: this tensor does not require grad',
    );
  });

  it('frees the graph: a second backward throws unless the first retained it', () => {
    const x = tensor([1, 2], { requiresGrad: true });
    const y = sum(tanh(x));
    y.backward();
    expect(() => y.backward()).toThrow(
      "backward: the graph through 'sum' was freed by an earlier backward(); pass { retainGraph: true }",
    );
    const z = sum(mul(x, x));
    x.zeroGrad();
    z.backward(undefined, { retainGraph: true });
    z.backward();
    expect(x.grad!.toArray()).toEqual([4, 8]); // 2 · 2x
    expect(() => z.backward()).toThrow('freed');
  });

  it('walks a 10,000-op chain without overflowing the stack', () => {
    const x = tensor(1, { requiresGrad: true });
    let y = x;
    for (let i = 0; i < 10_000; i++) y = mul(y, 1.0001);
    y.backward();
    expect(x.grad!.item()).toBeAllclose(1.0001 ** 10_000, { rtol: 1e-10 });
  });

  it('names the op and the input when a backward rule returns a wrong-sized gradient', () => {
    const x = tensor([1, 2, 3], { requiresGrad: true });
    const y = record('brokenOp', x.data.slice(), [3], [x], (g) => [new Float64Array(g.length + 1)]);
    expect(() => y.backward(ones([3]))).toThrow(
      "backward of 'brokenOp': the gradient for input 0 has 4 entries, but input 0 (a leaf) has shape [3] (3 entries)",
    );
    const h = tanh(x);
    const z = record('brokenOp', h.data.slice(), [3], [h], () => [new Float64Array(1)]);
    expect(() => z.backward(ones([3]))).toThrow(
      "backward of 'brokenOp': the gradient for input 0 has 1 entries, but input 0 (made by 'tanh') has shape [3] (3 entries)",
    );
  });
});

describe('hooks', () => {
  it('see the complete gradient of a tensor (summed over its consumers)', () => {
    const x = tensor([1, 2], { requiresGrad: true });
    const h = mul(x, 2);
    const seen: number[][] = [];
    h.registerHook((g) => {
      seen.push(g.toArray() as number[]);
    });
    sum(add(mul(h, 3), h)).backward();
    expect(seen).toEqual([[4, 4]]);
    expect(x.grad!.toArray()).toEqual([8, 8]);
  });

  it('may replace the gradient, on a leaf and on an intermediate', () => {
    const x = tensor([1, 2], { requiresGrad: true });
    const h = mul(x, 2);
    const remove = h.registerHook((g) => mul(g, 10));
    x.registerHook((g) => add(g, 1));
    sum(h).backward();
    expect(x.grad!.toArray()).toEqual([21, 21]);
    remove();
    x.zeroGrad();
    const again = mul(x, 2);
    sum(again).backward();
    expect(x.grad!.toArray()).toEqual([3, 3]); // the leaf hook remains
  });

  it('run without recording, even when they compute with tensors that require grad', () => {
    const x = tensor([1, 2], { requiresGrad: true });
    const scale = tensor([3, 3], { requiresGrad: true });
    const replaced: Tensor[] = [];
    x.registerHook((g) => {
      const scaled = mul(g, scale);
      replaced.push(scaled);
      return scaled;
    });
    sum(x).backward();
    expect([replaced[0]!.requiresGrad, replaced[0]!.node]).toEqual([false, null]);
    expect(x.grad!.toArray()).toEqual([3, 3]);
  });

  it('may keep the gradient they see: a later pass that adds into .grad leaves it unchanged', () => {
    const x = tensor([1, 2], { requiresGrad: true });
    const seen: Tensor[] = [];
    x.registerHook((g) => {
      seen.push(g);
    });
    sum(mul(x, x)).backward(); // two uses of x: its gradient 2x is summed by the engine
    sum(mul(x, 3)).backward();
    expect(seen.map((g) => g.toArray())).toEqual([
      [2, 4],
      [3, 3],
    ]);
    expect(x.grad!.toArray()).toEqual([5, 7]);
  });

  it('refuse a tensor that does not require grad', () => {
    expect(() => tensor([1]).registerHook(() => {})).toThrow(
      'registerHook: the tensor does not require grad, so no gradient will reach it',
    );
  });

  it('must return a gradient of the same shape', () => {
    const x = tensor([1, 2], { requiresGrad: true });
    x.registerHook(() => ones([3]));
    expect(() => sum(x).backward()).toThrow(
      'registerHook: a hook returned a gradient of shape [3] for a tensor of shape [2]',
    );
  });
});

describe('detach and grad ownership', () => {
  it('detach makes a leaf with the same data and no graph', () => {
    const x = tensor([1, 2], { requiresGrad: true });
    const y = mul(x, 3);
    const d = y.detach();
    expect([d.requiresGrad, d.node, d.data]).toEqual([false, null, y.data]);
    const z = sum(mul(d, x));
    z.backward();
    expect(x.grad!.toArray()).toEqual([3, 6]); // no gradient flowed through d back to x
  });

  it('grad of a leaf owns its array (writing into it changes nothing else)', () => {
    const a = tensor([1, 2], { requiresGrad: true });
    const b = tensor([3, 4], { requiresGrad: true });
    add(a, b).backward(fromData(Float64Array.of(1, 1), [2]));
    a.grad!.data[0] = 100;
    expect(b.grad!.toArray()).toEqual([1, 1]);
  });
});
