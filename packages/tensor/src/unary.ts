/**
 * Elementwise functions of one tensor: y = f(x) entry by entry, so the Jacobian is
 * diagonal and the backward rule is dx = dy ⊙ f′(x).
 *
 * The table `unaryOps` pairs every forward loop with its backward loop; its type
 * demands both, so an op without a derivative does not compile. The backward loop
 * gets x and y (whichever the derivative is cheaper in: tanh′ = 1 − y²) and the
 * output's gradient dy, and fills dx.
 */

import { asTensor, checkTensor, record, type Tensor, type TensorLike } from './tensor.ts';

type UnaryName = 'neg' | 'exp' | 'log' | 'sqrt' | 'tanh' | 'sigmoid' | 'relu' | 'abs';

interface UnaryOp {
  forward(x: Float64Array, y: Float64Array): void;
  backward(x: Float64Array, y: Float64Array, dy: Float64Array, dx: Float64Array): void;
}

const unaryOps: { [K in UnaryName]: UnaryOp } = {
  // d(−x) = −dx
  neg: {
    forward: (x, y) => {
      for (let i = 0; i < x.length; i++) y[i] = -x[i]!;
    },
    backward: (_x, _y, dy, dx) => {
      for (let i = 0; i < dy.length; i++) dx[i] = -dy[i]!;
    },
  },
  // d(eˣ) = eˣ dx = y dx
  exp: {
    forward: (x, y) => {
      for (let i = 0; i < x.length; i++) y[i] = Math.exp(x[i]!);
    },
    backward: (_x, y, dy, dx) => {
      for (let i = 0; i < dy.length; i++) dx[i] = dy[i]! * y[i]!;
    },
  },
  // d(ln x) = dx / x
  log: {
    forward: (x, y) => {
      for (let i = 0; i < x.length; i++) y[i] = Math.log(x[i]!);
    },
    backward: (x, _y, dy, dx) => {
      for (let i = 0; i < dy.length; i++) dx[i] = dy[i]! / x[i]!;
    },
  },
  // d(√x) = dx / (2√x) = dx / 2y
  sqrt: {
    forward: (x, y) => {
      for (let i = 0; i < x.length; i++) y[i] = Math.sqrt(x[i]!);
    },
    backward: (_x, y, dy, dx) => {
      for (let i = 0; i < dy.length; i++) dx[i] = dy[i]! / (2 * y[i]!);
    },
  },
  // d(tanh x) = (1 − tanh²x) dx = (1 − y²) dx
  tanh: {
    forward: (x, y) => {
      for (let i = 0; i < x.length; i++) y[i] = Math.tanh(x[i]!);
    },
    backward: (_x, y, dy, dx) => {
      for (let i = 0; i < dy.length; i++) {
        const yi = y[i]!;
        dx[i] = dy[i]! * (1 - yi * yi);
      }
    },
  },
  // d(σ(x)) = σ(x)(1 − σ(x)) dx = y(1 − y) dx
  sigmoid: {
    forward: (x, y) => {
      // NOTE: two forms so that exp never overflows: 1/(1 + e⁻ˣ) for x ≥ 0, eˣ/(1 + eˣ) below.
      for (let i = 0; i < x.length; i++) {
        const xi = x[i]!;
        // Stryker disable next-line EqualityOperator: at x = 0 both forms give 1/2 exactly
        if (xi >= 0) {
          y[i] = 1 / (1 + Math.exp(-xi));
        } else {
          const e = Math.exp(xi);
          y[i] = e / (1 + e);
        }
      }
    },
    backward: (_x, y, dy, dx) => {
      for (let i = 0; i < dy.length; i++) {
        const yi = y[i]!;
        dx[i] = dy[i]! * yi * (1 - yi);
      }
    },
  },
  // d(max(x, 0)) = [x > 0] dx
  relu: {
    forward: (x, y) => {
      for (let i = 0; i < x.length; i++) y[i] = Math.max(x[i]!, 0);
    },
    // NOTE: relu has no derivative at 0; like PyTorch we take 0 there (the subgradient's low end).
    backward: (x, _y, dy, dx) => {
      for (let i = 0; i < dy.length; i++) dx[i] = x[i]! > 0 ? dy[i]! : 0;
    },
  },
  // d|x| = sign(x) dx
  abs: {
    forward: (x, y) => {
      for (let i = 0; i < x.length; i++) y[i] = Math.abs(x[i]!);
    },
    // NOTE: at x = 0 we take sign(0) = 0, as PyTorch does.
    backward: (x, _y, dy, dx) => {
      for (let i = 0; i < dy.length; i++) {
        const xi = x[i]!;
        dx[i] = xi > 0 ? dy[i]! : xi < 0 ? -dy[i]! : 0;
      }
    },
  },
};

function unary(name: UnaryName, xLike: TensorLike): Tensor {
  const x = asTensor(xLike);
  checkTensor(name, x, 'x');
  const op = unaryOps[name];
  const y = new Float64Array(x.size);
  op.forward(x.data, y);
  return record(name, y, x.shape, [x], (dy) => {
    const dx = new Float64Array(dy.length);
    op.backward(x.data, y, dy, dx);
    return [dx];
  });
}

export const neg = (x: TensorLike): Tensor => unary('neg', x);
export const exp = (x: TensorLike): Tensor => unary('exp', x);
export const log = (x: TensorLike): Tensor => unary('log', x);
export const sqrt = (x: TensorLike): Tensor => unary('sqrt', x);
export const tanh = (x: TensorLike): Tensor => unary('tanh', x);
export const sigmoid = (x: TensorLike): Tensor => unary('sigmoid', x);
export const relu = (x: TensorLike): Tensor => unary('relu', x);
export const abs = (x: TensorLike): Tensor => unary('abs', x);

// Two elementwise ops that carry a number as a parameter.

/** xᵖ for a number p. d(xᵖ) = p·xᵖ⁻¹ dx */
export function pow(xLike: TensorLike, exponent: number): Tensor {
  const x = asTensor(xLike);
  checkTensor('pow', x, 'x');
  if (typeof exponent !== 'number' || Number.isNaN(exponent)) {
    throw new RangeError(`pow: exponent must be a number, got ${String(exponent)}`);
  }
  const xs = x.data;
  const y = new Float64Array(x.size);
  if (exponent === 2) {
    for (let i = 0; i < xs.length; i++) y[i] = xs[i]! * xs[i]!;
  } else {
    for (let i = 0; i < xs.length; i++) y[i] = xs[i]! ** exponent;
  }
  return record('pow', y, x.shape, [x], (dy) => {
    const dx = new Float64Array(dy.length);
    // NOTE: with p = 0 the output is constant; p·xᵖ⁻¹ would be 0·∞ = NaN at x = 0.
    if (exponent === 0) return [dx];
    const p = exponent;
    for (let i = 0; i < dy.length; i++) dx[i] = dy[i]! * p * xs[i]! ** (p - 1);
    return [dx];
  });
}

/**
 * x limited to [min, max] (either bound may be left out).
 * d(clamp x) = [min ≤ x ≤ max] dx — the gradient stops where a bound holds x.
 */
export function clamp(xLike: TensorLike, min?: number, max?: number): Tensor {
  const x = asTensor(xLike);
  checkTensor('clamp', x, 'x');
  const low = min ?? Number.NEGATIVE_INFINITY;
  const high = max ?? Number.POSITIVE_INFINITY;
  if (Number.isNaN(low) || Number.isNaN(high) || low > high) {
    throw new RangeError(`clamp: need min ≤ max, got min ${min}, max ${max}`);
  }
  const xs = x.data;
  const y = new Float64Array(x.size);
  for (let i = 0; i < xs.length; i++) y[i] = Math.min(Math.max(xs[i]!, low), high);
  return record('clamp', y, x.shape, [x], (dy) => {
    const dx = new Float64Array(dy.length);
    // NOTE: at exactly x = min or x = max the gradient passes (PyTorch does the same).
    for (let i = 0; i < dy.length; i++) {
      const xi = xs[i]!;
      dx[i] = xi >= low && xi <= high ? dy[i]! : 0;
    }
    return [dx];
  });
}
