/**
 * Elementwise functions of two tensors, with NumPy broadcasting, and `where`.
 *
 * Each entry of `binaryOps` has a kernel (one run of the forward loop, see
 * broadcast.ts) and two local gradient rules, one per operand. A rule returns
 * dout ⊙ ∂out/∂a in the *output's* shape; the shared backward then sums it down to
 * the operand's own shape (`sumToShape`), which is where broadcasting's backward
 * lives. The table's type demands both rules for every op.
 */

import { applyBinary, type BinaryKernel, broadcastShapes, sumToShape } from './broadcast.ts';
import { sizeOf } from './errors.ts';
import { asTensor, checkTensor, record, type Tensor, type TensorLike } from './tensor.ts';

type BinaryName = 'add' | 'sub' | 'mul' | 'div' | 'minimum' | 'maximum';

/** dout ⊙ ∂out/∂(operand), in the output's shape. May return `dout` itself. */
type LocalGradient = (
  dout: Float64Array,
  a: Tensor,
  b: Tensor,
  out: Float64Array,
  outShape: readonly number[],
) => Float64Array;

interface BinaryOp {
  kernel: BinaryKernel;
  gradA: LocalGradient;
  gradB: LocalGradient;
}

const addKernel: BinaryKernel = (a, ai, as, b, bi, bs, out, o, n) => {
  for (let end = o + n; o < end; o++, ai += as, bi += bs) out[o] = a[ai]! + b[bi]!;
};
const subKernel: BinaryKernel = (a, ai, as, b, bi, bs, out, o, n) => {
  for (let end = o + n; o < end; o++, ai += as, bi += bs) out[o] = a[ai]! - b[bi]!;
};
const mulKernel: BinaryKernel = (a, ai, as, b, bi, bs, out, o, n) => {
  for (let end = o + n; o < end; o++, ai += as, bi += bs) out[o] = a[ai]! * b[bi]!;
};
const divKernel: BinaryKernel = (a, ai, as, b, bi, bs, out, o, n) => {
  for (let end = o + n; o < end; o++, ai += as, bi += bs) out[o] = a[ai]! / b[bi]!;
};
const minimumKernel: BinaryKernel = (a, ai, as, b, bi, bs, out, o, n) => {
  for (let end = o + n; o < end; o++, ai += as, bi += bs) out[o] = Math.min(a[ai]!, b[bi]!);
};
const maximumKernel: BinaryKernel = (a, ai, as, b, bi, bs, out, o, n) => {
  for (let end = o + n; o < end; o++, ai += as, bi += bs) out[o] = Math.max(a[ai]!, b[bi]!);
};
/** 1 where a < b, ½ where a = b (a tie shares the gradient), 0 where a > b. */
const belowKernel: BinaryKernel = (a, ai, as, b, bi, bs, out, o, n) => {
  for (let end = o + n; o < end; o++, ai += as, bi += bs) {
    const x = a[ai]!;
    const y = b[bi]!;
    out[o] = x < y ? 1 : x === y ? 0.5 : 0;
  }
};

/** dout times a broadcast operand, in the output's shape. */
function times(dout: Float64Array, x: Tensor, outShape: readonly number[]): Float64Array {
  return applyBinary(mulKernel, dout, outShape, x.data, x.shape, outShape);
}

/** dout where `first` wins the comparison (below: first < second), ½·dout at ties. */
function selectWhere(
  dout: Float64Array,
  first: Tensor,
  second: Tensor,
  outShape: readonly number[],
): Float64Array {
  const mask = applyBinary(
    belowKernel,
    first.data,
    first.shape,
    second.data,
    second.shape,
    outShape,
  );
  for (let i = 0; i < mask.length; i++) mask[i] = mask[i]! * dout[i]!;
  return mask;
}

const binaryOps: { [K in BinaryName]: BinaryOp } = {
  // d(a + b) = da + db
  add: { kernel: addKernel, gradA: (dout) => dout, gradB: (dout) => dout },
  // d(a − b) = da − db
  sub: {
    kernel: subKernel,
    gradA: (dout) => dout,
    gradB: (dout) => {
      const negated = new Float64Array(dout.length);
      for (let i = 0; i < dout.length; i++) negated[i] = -dout[i]!;
      return negated;
    },
  },
  // d(a·b) = b da + a db
  mul: {
    kernel: mulKernel,
    gradA: (dout, _a, b, _out, shape) => times(dout, b, shape),
    gradB: (dout, a, _b, _out, shape) => times(dout, a, shape),
  },
  // d(a/b) = da/b − (a/b²) db = da/b − (out/b) db
  div: {
    kernel: divKernel,
    gradA: (dout, _a, b, _out, shape) =>
      applyBinary(divKernel, dout, shape, b.data, b.shape, shape),
    gradB: (dout, _a, b, out, shape) => {
      const scaled = new Float64Array(dout.length);
      for (let i = 0; i < dout.length; i++) scaled[i] = -dout[i]! * out[i]!;
      return applyBinary(divKernel, scaled, shape, b.data, b.shape, shape, scaled);
    },
  },
  // d(min(a, b)) = [a < b] da + [b < a] db (a tie gives each half)
  minimum: {
    kernel: minimumKernel,
    gradA: (dout, a, b, _out, shape) => selectWhere(dout, a, b, shape),
    gradB: (dout, a, b, _out, shape) => selectWhere(dout, b, a, shape),
  },
  // d(max(a, b)) = [a > b] da + [b > a] db (a tie gives each half)
  maximum: {
    kernel: maximumKernel,
    gradA: (dout, a, b, _out, shape) => selectWhere(dout, b, a, shape),
    gradB: (dout, a, b, _out, shape) => selectWhere(dout, a, b, shape),
  },
};

function binary(name: BinaryName, aLike: TensorLike, bLike: TensorLike): Tensor {
  const a = asTensor(aLike);
  const b = asTensor(bLike);
  checkTensor(name, a, 'a');
  checkTensor(name, b, 'b');
  const op = binaryOps[name];
  const shape = broadcastShapes(name, a.shape, b.shape);
  const out = applyBinary(op.kernel, a.data, a.shape, b.data, b.shape, shape);
  return record(name, out, shape, [a, b], (dout) => [
    a.requiresGrad ? sumToShape(op.gradA(dout, a, b, out, shape), shape, a.shape) : null,
    b.requiresGrad ? sumToShape(op.gradB(dout, a, b, out, shape), shape, b.shape) : null,
  ]);
}

export const add = (a: TensorLike, b: TensorLike): Tensor => binary('add', a, b);
export const sub = (a: TensorLike, b: TensorLike): Tensor => binary('sub', a, b);
export const mul = (a: TensorLike, b: TensorLike): Tensor => binary('mul', a, b);
export const div = (a: TensorLike, b: TensorLike): Tensor => binary('div', a, b);
export const minimum = (a: TensorLike, b: TensorLike): Tensor => binary('minimum', a, b);
export const maximum = (a: TensorLike, b: TensorLike): Tensor => binary('maximum', a, b);

/** out = x where c ≠ 0; other entries of out are left as they are. */
const whereTrueKernel: BinaryKernel = (c, ci, cs, x, xi, xs, out, o, n) => {
  for (let end = o + n; o < end; o++, ci += cs, xi += xs) if (c[ci] !== 0) out[o] = x[xi]!;
};
/** out = x where c = 0; other entries of out are left as they are. */
const whereFalseKernel: BinaryKernel = (c, ci, cs, x, xi, xs, out, o, n) => {
  for (let end = o + n; o < end; o++, ci += cs, xi += xs) if (c[ci] === 0) out[o] = x[xi]!;
};

/**
 * a where `condition` is nonzero, b elsewhere; the three shapes broadcast together.
 * d(where(c, a, b)) = [c ≠ 0] da + [c = 0] db; the condition gets no gradient.
 */
export function where(condition: Tensor, aLike: TensorLike, bLike: TensorLike): Tensor {
  const a = asTensor(aLike);
  const b = asTensor(bLike);
  checkTensor('where', condition, 'condition');
  checkTensor('where', a, 'a');
  checkTensor('where', b, 'b');
  const conditionAndA = broadcastShapes('where', condition.shape, a.shape, ['condition', 'a']);
  const shape = broadcastShapes('where', conditionAndA, b.shape, ['condition with a', 'b']);
  const c = condition.data;
  /** Writes x (broadcast) into `into` where the condition is `when`; zeros elsewhere if fresh. */
  const select = (
    x: Float64Array,
    xShape: readonly number[],
    when: boolean,
    into: Float64Array = new Float64Array(sizeOf(shape)),
  ) =>
    applyBinary(
      when ? whereTrueKernel : whereFalseKernel,
      c,
      condition.shape,
      x,
      xShape,
      shape,
      into,
    );
  const out = select(b.data, b.shape, false, select(a.data, a.shape, true));
  return record('where', out, shape, [a, b], (dout) => [
    a.requiresGrad ? sumToShape(select(dout, shape, true), shape, a.shape) : null,
    b.requiresGrad ? sumToShape(select(dout, shape, false), shape, b.shape) : null,
  ]);
}
