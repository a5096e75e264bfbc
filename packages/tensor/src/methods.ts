/**
 * The fluent methods of Tensor (`x.mul(w).add(b).tanh()`), each a one-line call of
 * the function of the same name. They are attached here, not written in tensor.ts,
 * so that the engine does not import the ops and the ops import only the engine:
 * no import cycle. The interface below merges into the class's type.
 */

import { add, div, maximum, minimum, mul, sub } from './binary.ts';
import { matmul } from './matmul.ts';
import { type Axis, logsumexp, max, mean, min, sum } from './reduce.ts';
import { permute, reshape, transpose } from './shape.ts';
import { logSoftmax, softmax } from './softmax.ts';
import { Tensor, type TensorLike } from './tensor.ts';
import { abs, clamp, exp, log, neg, pow, relu, sigmoid, sqrt, tanh } from './unary.ts';

/** Every method here must be implemented below: the object's type demands it. */
interface TensorMethods {
  add(other: TensorLike): Tensor;
  sub(other: TensorLike): Tensor;
  mul(other: TensorLike): Tensor;
  div(other: TensorLike): Tensor;
  minimum(other: TensorLike): Tensor;
  maximum(other: TensorLike): Tensor;
  neg(): Tensor;
  pow(exponent: number): Tensor;
  exp(): Tensor;
  log(): Tensor;
  sqrt(): Tensor;
  tanh(): Tensor;
  sigmoid(): Tensor;
  relu(): Tensor;
  abs(): Tensor;
  clamp(min?: number, max?: number): Tensor;
  matmul(other: Tensor): Tensor;
  sum(axis?: Axis, keepDim?: boolean): Tensor;
  mean(axis?: Axis, keepDim?: boolean): Tensor;
  max(axis?: Axis, keepDim?: boolean): Tensor;
  min(axis?: Axis, keepDim?: boolean): Tensor;
  logsumexp(axis?: Axis, keepDim?: boolean): Tensor;
  softmax(axis?: number): Tensor;
  logSoftmax(axis?: number): Tensor;
  reshape(shape: readonly number[]): Tensor;
  transpose(dim0?: number, dim1?: number): Tensor;
  permute(dims: readonly number[]): Tensor;
}

declare module './tensor.ts' {
  interface Tensor extends TensorMethods {}
}

const methods: TensorMethods & ThisType<Tensor> = {
  add(other) {
    return add(this, other);
  },
  sub(other) {
    return sub(this, other);
  },
  mul(other) {
    return mul(this, other);
  },
  div(other) {
    return div(this, other);
  },
  minimum(other) {
    return minimum(this, other);
  },
  maximum(other) {
    return maximum(this, other);
  },
  neg() {
    return neg(this);
  },
  pow(exponent) {
    return pow(this, exponent);
  },
  exp() {
    return exp(this);
  },
  log() {
    return log(this);
  },
  sqrt() {
    return sqrt(this);
  },
  tanh() {
    return tanh(this);
  },
  sigmoid() {
    return sigmoid(this);
  },
  relu() {
    return relu(this);
  },
  abs() {
    return abs(this);
  },
  clamp(low, high) {
    return clamp(this, low, high);
  },
  matmul(other) {
    return matmul(this, other);
  },
  sum(axis, keepDim) {
    return sum(this, axis, keepDim);
  },
  mean(axis, keepDim) {
    return mean(this, axis, keepDim);
  },
  max(axis, keepDim) {
    return max(this, axis, keepDim);
  },
  min(axis, keepDim) {
    return min(this, axis, keepDim);
  },
  logsumexp(axis, keepDim) {
    return logsumexp(this, axis, keepDim);
  },
  softmax(axis) {
    return softmax(this, axis);
  },
  logSoftmax(axis) {
    return logSoftmax(this, axis);
  },
  reshape(shape) {
    return reshape(this, shape);
  },
  transpose(dim0, dim1) {
    return transpose(this, dim0, dim1);
  },
  permute(dims) {
    return permute(this, dims);
  },
};

Object.assign(Tensor.prototype, methods);
