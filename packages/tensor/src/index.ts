/**
 * @unroll/tensor — float64 tensors with reverse-mode autodiff. Read in this order:
 *   errors.ts     ShapeError, the shape/axis checks, the [outer, n, inner] view of an axis
 *   grad-mode.ts  noGrad: when ops record nothing
 *   tensor.ts     the Tensor class and the backward engine (topological order, hooks)
 *   observe.ts    an opt-in observer of every op and gradient, and the loops' op context
 *   creation.ts   tensor, fromData, zeros, ones, arange, eye, randn, ...
 *   broadcast.ts  NumPy broadcasting, and why its backward sums (sumToShape)
 *   unary.ts      elementwise f(x): the derivative table
 *   binary.ts     elementwise f(a, b) with broadcasting; where
 *   reduce.ts     sum, mean, max, min, logsumexp over axes
 *   softmax.ts    softmax and logSoftmax, max-shifted
 *   gemm.ts       the matrix-multiply kernel in TypeScript: the reference
 *   gemm.wat      the same kernel in WebAssembly SIMD (gemm-wasm.ts loads it)
 *   gemm-select.ts  gemm: the entry point, and the choice between the two kernels
 *   gemm-packed.ts  packRight, gemmPacked: one right operand (W_hh) for many products
 *   matmul.ts     matmul and linear, backward by gemm with transpose flags; sumRows
 *   shape.ts      reshape, transpose, permute, concat, stack, split, chunk, narrow
 *   indexing.ts   indexSelect and gather, backward by scatter-add
 *   loss.ts       crossEntropy (fused p − y), mse, binaryCrossEntropyWithLogits, dropout
 *   random.ts     the seeded generator Rng
 *   methods.ts    the fluent methods x.add(y)...
 */

import './methods.ts';

export { add, div, maximum, minimum, mul, sub, where } from './binary.ts';
export { broadcastShapes, sumToShape } from './broadcast.ts';
export {
  arange,
  eye,
  fromData,
  full,
  ones,
  onesLike,
  rand,
  randn,
  type TensorValues,
  tensor,
  uniform,
  zeros,
  zerosLike,
} from './creation.ts';
export { formatShape, ShapeError } from './errors.ts';
export { type GemmOptions, gemmJs, gemmReference } from './gemm.ts';
export { gemmPacked, type PackedRight, packRight } from './gemm-packed.ts';
export { type GemmKernelName, gemm, gemmKernel, setGemmKernel } from './gemm-select.ts';
export { isGradEnabled, noGrad } from './grad-mode.ts';
export { gather, indexSelect } from './indexing.ts';
export {
  binaryCrossEntropyWithLogits,
  type CrossEntropyOptions,
  crossEntropy,
  dropout,
  type LossOptions,
  mse,
  type Reduction,
} from './loss.ts';
export { linear, matmul, sumRows } from './matmul.ts';
export {
  type OpContext,
  type OpObserver,
  opContext,
  setOpObserver,
  withOpContext,
} from './observe.ts';
export { Rng, type RngState } from './random.ts';
export { type Axis, logsumexp, max, mean, min, sum } from './reduce.ts';
export { chunk, concat, narrow, permute, reshape, split, stack, transpose } from './shape.ts';
export { logSoftmax, softmax } from './softmax.ts';
export {
  type BackwardOptions,
  type BackwardRule,
  type GraphNode,
  type Hook,
  type NestedArray,
  record,
  Tensor,
  type TensorLike,
  type TensorOptions,
} from './tensor.ts';
export { abs, clamp, exp, log, neg, pow, relu, sigmoid, sqrt, tanh } from './unary.ts';
