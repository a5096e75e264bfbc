/**
 * The Tensor and the autograd engine.
 *
 * A tensor is a contiguous row-major Float64Array plus a shape. An op computes its
 * output now and, when some input requires a gradient, `record`s a graph node: the
 * op's name, its inputs, and its backward rule — a function from the gradient of
 * the output to the gradients of the inputs (vector–Jacobian products).
 *
 * `backward()` orders the graph topologically (iteratively: a 10,000-step chain must
 * not overflow the stack), then walks it from the output to the leaves. Every
 * tensor's gradient is the sum of what its consumers send it; once complete, its
 * hooks see it, a leaf (or a `retainGrad()` tensor) adds it into `.grad`, and the
 * node's rule turns it into its inputs' gradients.
 *
 * The fluent methods (`t.add(o)`, `t.sum()`…) are attached in methods.ts, so this
 * file depends on no op and every op file depends only on this one.
 */

import { formatShape, ShapeError, sameShape, sizeOf } from './errors.ts';
import { isGradEnabled, noGrad } from './grad-mode.ts';
import { observeBackward, observeForward } from './observe.ts';

/**
 * A backward rule: given dL/d(output), returns dL/d(input) for each input, in the
 * input's own layout (same shape, row-major), or null when that input needs none.
 * A rule may return `gradOutput` itself (identity ops do); the engine never writes
 * into an array it did not allocate.
 */
export type BackwardRule = (gradOutput: Float64Array) => readonly (Float64Array | null)[];

/** The record of the op that produced a tensor. */
export interface GraphNode {
  readonly op: string;
  /** Emptied when the graph is freed by a backward pass without `retainGraph`. */
  inputs: readonly Tensor[];
  /** Null once freed: the rule's closure holds the saved tensors, and they can go. */
  backward: BackwardRule | null;
}

/**
 * Sees the complete gradient of a tensor; may return a replacement of the same shape.
 * The tensor it is given is read-only (its array may also be another tensor's
 * gradient) but stays valid: a hook may keep it, and later passes will not change it.
 */
// biome-ignore lint/suspicious/noConfusingVoidType: a hook that only looks returns nothing.
export type Hook = (grad: Tensor) => Tensor | undefined | void;

export interface BackwardOptions {
  /** Keep the graph so that backward can run through it again (default false). */
  retainGraph?: boolean;
}

export interface TensorOptions {
  requiresGrad?: boolean;
}

const noInputs: readonly Tensor[] = [];

export class Tensor {
  /** Row-major entries. Writable for leaves (loading weights, optimizer steps). */
  readonly data: Float64Array;
  readonly shape: readonly number[];
  /** Number of entries: the product of the shape (1 for a scalar). */
  readonly size: number;
  requiresGrad: boolean;
  /** dL/d(this), accumulated over backward passes; set on leaves and retainGrad tensors. */
  grad: Tensor | null = null;
  /** The op that made this tensor, or null for a leaf (and for anything made in noGrad). */
  readonly node: GraphNode | null;

  private retainsGrad = false;
  private hooks: Hook[] | null = null;
  /** During a backward pass: the sum of the gradients received so far. */
  private pending: Float64Array | null = null;
  /** Whether `pending` was allocated by the engine (only then may it add into it). */
  private pendingOwned = false;

  constructor(
    data: Float64Array,
    shape: readonly number[],
    requiresGrad = false,
    node: GraphNode | null = null,
  ) {
    const size = sizeOf(shape);
    if (data.length !== size) {
      throw new ShapeError(
        `Tensor: data has ${data.length} entries but shape ${formatShape(shape)} needs ${size}`,
      );
    }
    this.data = data;
    this.shape = shape;
    this.size = size;
    this.requiresGrad = requiresGrad;
    this.node = node;
  }

  get rank(): number {
    return this.shape.length;
  }

  /** A leaf was made by the user (or in noGrad), not computed by a recorded op. */
  get isLeaf(): boolean {
    return this.node === null;
  }

  /** The single entry of a one-entry tensor. */
  item(): number {
    if (this.size !== 1) {
      throw new ShapeError(
        `item: only a tensor with one entry has an item, got shape ${formatShape(this.shape)}`,
      );
    }
    return this.data[0]!;
  }

  /** Nested arrays of numbers (a plain number for a scalar). */
  toArray(): NestedArray {
    if (this.rank === 0) return this.data[0]!;
    const build = (dim: number, offset: number): NestedArray[] => {
      const length = this.shape[dim]!;
      const stride = sizeOf(this.shape.slice(dim + 1));
      const out: NestedArray[] = new Array(length);
      for (let i = 0; i < length; i++) {
        out[i] =
          dim === this.rank - 1 ? this.data[offset + i]! : build(dim + 1, offset + i * stride);
      }
      return out;
    };
    return build(0, 0);
  }

  /** `Tensor [2,2] [[1,2],[3,4]] ← mul` (entries elided past 64; ← names the op that made it). */
  toString(): string {
    const entries =
      this.size <= 64
        ? JSON.stringify(this.toArray())
        : `[${Array.from(this.data.subarray(0, 6)).join(',')}, … ${this.size} entries]`;
    const origin =
      this.node !== null ? ` ← ${this.node.op}` : this.requiresGrad ? ' requiresGrad' : '';
    return `Tensor ${formatShape(this.shape)} ${entries}${origin}`;
  }

  /** console.log in Node prints the same short form (the key is a plain symbol, no Node API). */
  [Symbol.for('nodejs.util.inspect.custom')](): string {
    return this.toString();
  }

  /** A new leaf with the same data (shared, not copied) and no graph behind it. */
  detach(): Tensor {
    return new Tensor(this.data, this.shape);
  }

  zeroGrad(): void {
    this.grad = null;
  }

  /** Keep `.grad` on this non-leaf after backward (leaves always keep theirs). */
  retainGrad(): this {
    this.retainsGrad = true;
    return this;
  }

  /** Adds a hook; returns a function that removes it. Hooks run in the order added. */
  registerHook(hook: Hook): () => void {
    if (!this.requiresGrad) {
      throw new Error(
        'registerHook: the tensor does not require grad, so no gradient will reach it',
      );
    }
    if (this.hooks === null) this.hooks = [];
    this.hooks.push(hook);
    return () => {
      const i = this.hooks?.indexOf(hook) ?? -1;
      if (i >= 0) this.hooks!.splice(i, 1);
    };
  }

  /**
   * Backpropagates from this tensor: dL/d(leaf) is added into every leaf's `.grad`.
   * `gradOutput` (dL/d(this)) may be left out only when this tensor has one entry.
   *
   * Second passes: the graph is freed as it is walked (each rule's saved tensors are
   * let go), so a second backward over the same graph throws — unless the first one
   * was called with `{ retainGraph: true }`, in which case gradients add up again.
   */
  backward(gradOutput?: Tensor, options: BackwardOptions = {}): void {
    if (!this.requiresGrad) {
      throw new Error(
        'backward: this tensor does not require grad; create the inputs you want gradients for with { requiresGrad: true }',
      );
    }
    let seed: Float64Array;
    if (gradOutput === undefined) {
      if (this.size !== 1) {
        throw new ShapeError(
          `backward: gradOutput is required for a non-scalar tensor of shape ${formatShape(this.shape)}; pass dL/d(output) with that shape`,
        );
      }
      seed = Float64Array.of(1);
    } else {
      if (!sameShape(gradOutput.shape, this.shape)) {
        throw new ShapeError(
          `backward: gradOutput has shape ${formatShape(gradOutput.shape)} but the tensor has shape ${formatShape(this.shape)}`,
        );
      }
      seed = gradOutput.data;
    }
    const order = topologicalOrder(this);
    const retainGraph = options.retainGraph ?? false;
    this.receive(seed);
    try {
      // `order` lists inputs before the ops that consume them; walk it backwards.
      // Nothing a hook computes is recorded: gradients are not differentiated again.
      noGrad(() => {
        for (let i = order.length - 1; i >= 0; i--) order[i]!.propagate(retainGraph);
      });
    } finally {
      for (const t of order) t.pending = null;
    }
  }

  /** Adds one consumer's contribution to this tensor's pending gradient. */
  private receive(gradient: Float64Array): void {
    const pending = this.pending;
    if (pending === null) {
      this.pending = gradient; // adopt without copying; it stays read-only to us
      this.pendingOwned = false;
    } else if (this.pendingOwned) {
      for (let i = 0; i < pending.length; i++) pending[i]! += gradient[i]!;
    } else {
      const sum = new Float64Array(pending.length);
      for (let i = 0; i < sum.length; i++) sum[i] = pending[i]! + gradient[i]!;
      this.pending = sum;
      this.pendingOwned = true;
    }
  }

  /** This tensor's gradient is complete: run hooks, store it, pass it to the inputs. */
  private propagate(retainGraph: boolean): void {
    let gradient = this.pending;
    let owned = this.pendingOwned;
    this.pending = null;
    if (gradient === null) return; // no path carried a gradient here
    if (this.hooks !== null) {
      // A hook may keep the tensor it sees, so .grad must not adopt that array: the
      // next backward() adds into .grad in place.
      owned = false;
      for (const hook of [...this.hooks]) {
        const replacement = hook(new Tensor(gradient, this.shape));
        if (replacement instanceof Tensor) {
          if (!sameShape(replacement.shape, this.shape)) {
            throw new ShapeError(
              `registerHook: a hook returned a gradient of shape ${formatShape(replacement.shape)} for a tensor of shape ${formatShape(this.shape)}`,
            );
          }
          gradient = replacement.data;
        }
      }
    }
    const node = this.node;
    if (node === null || this.retainsGrad) {
      if (this.grad === null) {
        // .grad must own its array: optimizers and clipping write into it.
        this.grad = new Tensor(owned && node === null ? gradient : gradient.slice(), this.shape);
      } else {
        const sum = this.grad.data;
        for (let i = 0; i < sum.length; i++) sum[i]! += gradient[i]!;
      }
    }
    if (node === null) return;
    const rule = node.backward;
    if (rule === null) {
      throw new Error(
        `backward: the graph through '${node.op}' was freed by an earlier backward(); pass { retainGraph: true } to the first backward() to go through a graph twice`,
      );
    }
    const inputGradients = rule(gradient);
    const inputs = node.inputs;
    for (let j = 0; j < inputs.length; j++) {
      const input = inputs[j]!;
      const inputGradient = inputGradients[j];
      if (!input.requiresGrad || inputGradient === null || inputGradient === undefined) continue;
      if (inputGradient.length !== input.size) {
        throw new ShapeError(
          `backward of '${node.op}': the gradient for input ${j} has ${inputGradient.length} entries, but input ${j} (${input.node === null ? 'a leaf' : `made by '${input.node.op}'`}) has shape ${formatShape(input.shape)} (${input.size} entries)`,
        );
      }
      observeBackward(node.op, this, j, input, inputGradient);
      input.receive(inputGradient);
    }
    if (!retainGraph) {
      node.backward = null;
      node.inputs = noInputs;
    }
  }
}

export type NestedArray = number | NestedArray[];

/**
 * Every tensor that requires grad and is reachable from `root`, each listed after all
 * of its inputs (a post-order depth-first search with an explicit stack).
 */
function topologicalOrder(root: Tensor): Tensor[] {
  const order: Tensor[] = [];
  const visited = new Set<Tensor>([root]);
  const stack: Tensor[] = [root];
  const nextInput: number[] = [0];
  while (stack.length > 0) {
    const top = stack.length - 1;
    const tensor = stack[top]!;
    const inputs = tensor.node?.inputs ?? noInputs;
    const i = nextInput[top]!;
    if (i < inputs.length) {
      nextInput[top] = i + 1;
      const input = inputs[i]!;
      if (input.requiresGrad && !visited.has(input)) {
        visited.add(input);
        stack.push(input);
        nextInput.push(0);
      }
    } else {
      stack.pop();
      nextInput.pop();
      order.push(tensor);
    }
  }
  return order;
}

/**
 * Makes an op's output. When grad mode is on and some input requires a gradient, the
 * output records the op, its inputs and its backward rule; otherwise it is a plain leaf
 * (and the rule is never called). Every op goes through here, and the rule is a
 * required argument: an op cannot be written without its backward.
 */
export function record(
  op: string,
  data: Float64Array,
  shape: readonly number[],
  inputs: readonly Tensor[],
  backward: BackwardRule,
): Tensor {
  let output: Tensor | null = null;
  if (isGradEnabled()) {
    for (let i = 0; i < inputs.length; i++) {
      if (inputs[i]!.requiresGrad) {
        output = new Tensor(data, shape, true, { op, inputs, backward });
        break;
      }
    }
  }
  output ??= new Tensor(data, shape);
  observeForward(op, output, inputs);
  return output;
}

/** A Tensor, or a plain number standing for a scalar tensor. */
export type TensorLike = Tensor | number;

/** Wraps a number as a scalar tensor (shape []); passes tensors through. */
export function asTensor(x: TensorLike): Tensor {
  return typeof x === 'number' ? new Tensor(Float64Array.of(x), []) : x;
}

/** Checks that an argument is a Tensor, naming the op and argument when it is not. */
export function checkTensor(op: string, x: unknown, name: string): asserts x is Tensor {
  if (!(x instanceof Tensor)) {
    throw new TypeError(`${op}: ${name} must be a Tensor, got ${describe(x)}`);
  }
}

function describe(x: unknown): string {
  if (x === null) return 'null';
  if (Array.isArray(x)) return 'an array (wrap it with tensor(...))';
  return typeof x;
}
