/**
 * Two small cells built from @unroll/tensor ops, for testing unroll and tbptt in
 * isolation: a tanh RNN ({ h }) and a cell with a second state tensor ({ h, c }), so
 * that carrying a multi-tensor state past a sequence's end is exercised.
 */

import { add, linear, mul, sigmoid, type Tensor, tanh, zeros } from '@unroll/tensor';
import type { RecurrentCell } from '../src/index.ts';

export class ToyRNNCell implements RecurrentCell<{ h: Tensor }> {
  constructor(
    readonly weight_ih: Tensor,
    readonly weight_hh: Tensor,
    readonly bias: Tensor,
  ) {}

  get hiddenSize(): number {
    return this.weight_hh.shape[0]!;
  }

  initialState(batchSize: number) {
    return { h: zeros([batchSize, this.hiddenSize]) };
  }

  step(x: Tensor, state = this.initialState(x.shape[0]!)) {
    return { h: tanh(add(linear(x, this.weight_ih, this.bias), linear(state.h, this.weight_hh))) };
  }
}

/** c_t = σ(W_f x) ⊙ c_{t−1} + tanh(W x + U h);  h_t = tanh(c_t): enough to need both tensors. */
export class ToyTwoStateCell implements RecurrentCell<{ h: Tensor; c: Tensor }> {
  constructor(
    readonly weight_ih: Tensor,
    readonly weight_hh: Tensor,
    readonly weight_f: Tensor,
  ) {}

  initialState(batchSize: number) {
    const H = this.weight_hh.shape[0]!;
    return { h: zeros([batchSize, H]), c: zeros([batchSize, H]) };
  }

  step(x: Tensor, state = this.initialState(x.shape[0]!)) {
    const candidate = tanh(add(linear(x, this.weight_ih), linear(state.h, this.weight_hh)));
    const c = add(mul(sigmoid(linear(x, this.weight_f)), state.c), candidate);
    return { h: tanh(c), c };
  }
}
