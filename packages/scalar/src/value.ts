/**
 * Value: one number that remembers how it was computed.
 *
 * Every operation below does two things. Forward: it computes its result now and
 * records its inputs (`parents`). Backward: it leaves behind a closure that, once
 * `out.grad` = ∂L/∂out is known, adds ∂L/∂input = ∂L/∂out · ∂out/∂input to each
 * input's `grad`. That product is the chain rule; the one-line comment above each
 * closure states the local derivative ∂out/∂input it uses.
 *
 * Gradients are always added (`+=`), never assigned: an input used twice, as in
 * x·x, receives one contribution from each use, and their sum is its gradient.
 */

import { topologicalOrder } from './topo.ts';

/** What an operation accepts as its other operand: a Value, or a plain number (a constant). */
export type ValueLike = Value | number;

/** Shared by every leaf, so that a million constants do not mean a million empty arrays. */
const NO_PARENTS: readonly Value[] = Object.freeze([]);

export class Value {
  /** The number itself, computed on the forward pass. */
  data: number;
  /** ∂L/∂(this value) for the L that last called backward(); leaves accumulate across calls. */
  grad = 0;
  /** The Values this one was computed from (empty for a leaf). */
  readonly parents: readonly Value[];
  /** The operation that made this Value ('' for a leaf), shown in graph exports. */
  readonly op: string;
  /** A name for graph exports and messages ('' if unnamed). */
  label: string;
  /** Pushes this Value's grad into its parents' grads; set by the operation that made it. */
  backwardStep: () => void = noBackward;
  /** Bookkeeping of topologicalOrder (see topo.ts). */
  visitMark = 0;

  /**
   * A leaf: `new Value(2, 'a')`. Operations pass their inputs and their symbol too,
   * which is how the graph gets recorded.
   */
  constructor(data: number, label = '', parents: readonly Value[] = NO_PARENTS, op = '') {
    if (typeof data !== 'number' || Number.isNaN(data)) {
      throw op === ''
        ? new TypeError(`Value: data must be a number, got ${describe(data)}`)
        : new RangeError(
            `Value: the operation '${op}' produced NaN from inputs ${parents.map((p) => p.data).join(', ')}`,
          );
    }
    this.data = data;
    this.label = label;
    this.parents = parents;
    this.op = op;
  }

  /** Sets the label and returns this Value, so that `a.mul(b).named('c')` reads naturally. */
  named(label: string): this {
    this.label = label;
    return this;
  }

  add(other: ValueLike): Value {
    const b = toValue(other, 'add');
    const out = new Value(this.data + b.data, '', [this, b], '+');
    // ∂(a + b)/∂a = 1, ∂(a + b)/∂b = 1
    out.backwardStep = () => {
      this.grad += out.grad;
      b.grad += out.grad;
    };
    return out;
  }

  sub(other: ValueLike): Value {
    const b = toValue(other, 'sub');
    const out = new Value(this.data - b.data, '', [this, b], '-');
    // ∂(a − b)/∂a = 1, ∂(a − b)/∂b = −1
    out.backwardStep = () => {
      this.grad += out.grad;
      b.grad -= out.grad;
    };
    return out;
  }

  mul(other: ValueLike): Value {
    const b = toValue(other, 'mul');
    const out = new Value(this.data * b.data, '', [this, b], '*');
    // ∂(a·b)/∂a = b, ∂(a·b)/∂b = a
    // eq. 2.1 — ∂L/∂u = ∂L/∂out · ∂out/∂u, added into u.grad
    out.backwardStep = () => {
      this.grad += b.data * out.grad;
      b.grad += this.data * out.grad;
    };
    return out;
  }

  div(other: ValueLike): Value {
    const b = toValue(other, 'div');
    if (b.data === 0) {
      throw new RangeError(`div: the divisor is 0 (dividing ${this.data} by 0)`);
    }
    const out = new Value(this.data / b.data, '', [this, b], '/');
    // ∂(a/b)/∂a = 1/b, ∂(a/b)/∂b = −a/b²
    out.backwardStep = () => {
      this.grad += out.grad / b.data;
      b.grad -= (this.data / (b.data * b.data)) * out.grad;
    };
    return out;
  }

  neg(): Value {
    const out = new Value(-this.data, '', [this], 'neg');
    // ∂(−a)/∂a = −1
    out.backwardStep = () => {
      this.grad -= out.grad;
    };
    return out;
  }

  /** a^n for a constant exponent n. (For a Value exponent b, write a^b = exp(b·log a).) */
  pow(exponent: number): Value {
    checkExponent(exponent, this.data);
    const n = exponent;
    const out = new Value(this.data ** n, '', [this], `^${n}`);
    // ∂(aⁿ)/∂a = n·aⁿ⁻¹
    out.backwardStep = () => {
      // NOTE: n = 0 makes out constant; n·a⁻¹ would be 0·∞ = NaN at a = 0.
      if (n !== 0) this.grad += n * this.data ** (n - 1) * out.grad;
    };
    return out;
  }

  exp(): Value {
    const out = new Value(Math.exp(this.data), '', [this], 'exp');
    // ∂(eᵃ)/∂a = eᵃ, the output itself
    out.backwardStep = () => {
      this.grad += out.data * out.grad;
    };
    return out;
  }

  log(): Value {
    if (!(this.data > 0)) {
      throw new RangeError(`log: the input must be > 0, got ${this.data}`);
    }
    const out = new Value(Math.log(this.data), '', [this], 'log');
    // ∂(ln a)/∂a = 1/a
    out.backwardStep = () => {
      this.grad += out.grad / this.data;
    };
    return out;
  }

  tanh(): Value {
    const t = Math.tanh(this.data);
    const out = new Value(t, '', [this], 'tanh');
    // ∂(tanh a)/∂a = 1 − tanh²a
    out.backwardStep = () => {
      this.grad += (1 - t * t) * out.grad;
    };
    return out;
  }

  sigmoid(): Value {
    const s = sigmoid(this.data);
    const out = new Value(s, '', [this], 'sigmoid');
    // ∂σ(a)/∂a = σ(a)·(1 − σ(a))
    out.backwardStep = () => {
      this.grad += s * (1 - s) * out.grad;
    };
    return out;
  }

  relu(): Value {
    const out = new Value(Math.max(this.data, 0), '', [this], 'relu');
    // ∂ max(0, a)/∂a = 1 if a > 0, else 0
    out.backwardStep = () => {
      // NOTE: relu has no derivative at 0; like PyTorch we use 0 there.
      if (this.data > 0) this.grad += out.grad;
    };
    return out;
  }

  /**
   * Fills in `grad` = ∂(this)/∂v for every Value v this one was computed from.
   *
   * Walks the graph in reverse topological order, so each node has received every
   * contribution to its gradient before it passes the total on to its parents.
   *
   * Calling it again (or on another output that shares leaves) ADDS to the leaves'
   * gradients, as PyTorch does: leaves end up with the sum of the gradients of every
   * output backward() was called on. Call zeroGrad() in between to start over.
   * Interior gradients are this pass's own working space: they are reset first, so
   * that after the call they hold ∂(this)/∂node for this pass alone.
   */
  backward(): void {
    const order = topologicalOrder<Value>(this);
    for (const node of order) if (node.parents.length > 0) node.grad = 0;
    this.grad += 1; // ∂out/∂out = 1
    for (let i = order.length - 1; i >= 0; i--) order[i]!.backwardStep();
  }

  /** Sets `grad` to 0 on this Value and every Value it was computed from. */
  zeroGrad(): void {
    for (const node of topologicalOrder<Value>(this)) node.grad = 0;
  }

  toString(): string {
    const name = this.label === '' ? '' : `${this.label}: `;
    return `Value(${name}data=${this.data}, grad=${this.grad})`;
  }
}

/** The sum of several Values (or numbers) as a chain of additions; 0 when empty. */
export function sum(terms: readonly ValueLike[]): Value {
  if (terms.length === 0) return new Value(0);
  let total = toValue(terms[0]!, 'sum');
  for (let i = 1; i < terms.length; i++) total = total.add(terms[i]!);
  return total;
}

/** A number becomes a constant leaf; a Value is used as it is. */
export function toValue(x: ValueLike, op: string): Value {
  if (x instanceof Value) return x;
  if (typeof x === 'number' && !Number.isNaN(x)) return new Value(x);
  throw new TypeError(`${op}: the operand must be a number or a Value, got ${describe(x)}`);
}

/** Logistic function, computed without overflow: e^(−a) is never formed for a ≪ 0. */
function sigmoid(a: number): number {
  if (a >= 0) return 1 / (1 + Math.exp(-a));
  const e = Math.exp(a);
  return e / (1 + e);
}

function checkExponent(n: unknown, base: number): void {
  if (typeof n !== 'number' || !Number.isFinite(n)) {
    throw new TypeError(`pow: the exponent must be a finite number, got ${describe(n)}`);
  }
  if (base < 0 && !Number.isInteger(n)) {
    throw new RangeError(
      `pow: a negative base (${base}) needs an integer exponent, got ${n} (the result is not real)`,
    );
  }
  if (base === 0 && n < 0) {
    throw new RangeError(`pow: base 0 with a negative exponent (${n}) divides by zero`);
  }
}

function describe(x: unknown): string {
  if (typeof x === 'number') return String(x);
  if (typeof x === 'string') return `the string ${JSON.stringify(x)}`;
  if (x === null) return 'null';
  if (Array.isArray(x)) return 'an array';
  return typeof x === 'object' ? `an object (${x.constructor?.name ?? 'Object'})` : typeof x;
}

function noBackward(): void {}

// ───────────────────────────────────────────────────────────────────────────────────
// Not part of the lesson: a detail of the JavaScript engine, not of autodiff. Skip it.
//
// V8 (Node's and Chrome's engine) first stores `grad = 0` as a small integer. The first
// fractional gradient then changes the hidden layout ("shape") of every Value, and each
// existing Value is migrated one by one the first time backward() touches it: several
// times slower on a large graph. Storing one fraction while this module loads settles
// the layout before any real Value exists. Nothing else depends on it; deleting the
// call changes no result, only the speed of bench/ on a big graph.
settleGradLayout();

function settleGradLayout(): void {
  new Value(0.5).grad = 0.5;
}
