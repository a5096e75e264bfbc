/**
 * `unroll gradcheck`'s checks: every differentiable op of @unroll/tensor, every cell and
 * stacked layer of @unroll/cells, and the hand-derived BPTT of @unroll/bptt, each
 * against central differences by @unroll/gradcheck (float64, eps 1e-6, pass when
 * |analytic − numerical| ≤ 1e-5 + 1e-3·|numerical| for every entry).
 *
 * Each check builds f(x) = Σ w ⊙ op(…, x, …) with fixed random weights w — a scalar
 * that depends on every output entry, each differently, so a gradient that is right only
 * on average (or only for sums) fails — and compares the gradient that backward() puts
 * in x.grad with the one central differences measure. Inputs avoid the kinks where a
 * derivative does not exist (relu and abs at 0, ties in max/min) and the places where
 * it is undefined (log and sqrt at 0, division by 0).
 */

import {
  gruBackward,
  gruForward,
  lstmBackward,
  lstmForward,
  rnnBackward,
  rnnForward,
} from '@unroll/bptt';
import { GRU, GRUCell, LSTM, LSTMCell, type Module, RNN, RNNCell, unbind } from '@unroll/cells';
import { type GradcheckReport, gradcheck } from '@unroll/gradcheck';
import * as T from '@unroll/tensor';
import { fromData, mul, Rng, sum, type Tensor } from '@unroll/tensor';

export interface CheckRow {
  op: string;
  /** Which input the gradient is of. */
  input: string;
  report: GradcheckReport;
}

export type Kind = 'any' | 'positive' | 'nonzero' | 'spread';

export interface InputSpec {
  label: string;
  shape: number[];
  kind?: Kind;
}

export interface OpCase {
  op: string;
  inputs: InputSpec[];
  fn: (...inputs: Tensor[]) => Tensor;
}

const size = (shape: readonly number[]) => shape.reduce((a, b) => a * b, 1);

/** Values that keep clear of the kinks and poles the kind names. */
function draw(shape: readonly number[], kind: Kind, rng: Rng): Float64Array {
  const n = size(shape);
  const out = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    const u = rng.uniform();
    if (kind === 'positive') out[i] = 0.5 + 1.5 * u;
    else if (kind === 'nonzero') out[i] = (rng.int(2) === 0 ? -1 : 1) * (0.3 + 0.7 * u);
    else out[i] = 2 * u - 1;
  }
  if (kind === 'spread') {
    // Distinct values at least 0.05 apart, shuffled: max, min, maximum have no ties.
    const order = Array.from({ length: n }, (_, i) => i);
    for (let i = n - 1; i > 0; i--) {
      const j = rng.int(i + 1);
      [order[i], order[j]] = [order[j]!, order[i]!];
    }
    order.forEach((rank, i) => {
      out[i] = -1 + (2 * rank) / Math.max(1, n - 1) + 0.01 * rng.uniform();
    });
  }
  return out;
}

/** Gradient of Σ w ⊙ fn(inputs) with respect to input k: analytic by backward(), and numerical. */
function checkInput(c: OpCase, values: Float64Array[], k: number, rng: Rng): CheckRow {
  let w: Float64Array | null = null;
  const scalar = (xs: Tensor[]) => {
    const y = c.fn(...xs);
    w ??= draw(y.shape, 'any', rng);
    return sum(mul(y, fromData(w, y.shape)));
  };
  const leaves = (x: Float64Array, requiresGrad: boolean) =>
    values.map((v, j) =>
      fromData(j === k ? x : v, c.inputs[j]!.shape, { requiresGrad: requiresGrad && j === k }),
    );
  const x = values[k]!;
  const analytic = () => {
    const xs = leaves(x.slice(), true);
    scalar(xs).backward();
    return xs[k]!.grad?.data ?? new Float64Array(x.length);
  };
  const gradient = analytic();
  const f = (probe: Float64Array) => T.noGrad(() => scalar(leaves(probe, false)).item());
  const spec = c.inputs[k]!;
  return {
    op: c.op,
    input: spec.label,
    report: gradcheck(f, x, gradient, { shape: spec.shape, what: `d/d${spec.label} of ${c.op}` }),
  };
}

function opCases(): OpCase[] {
  const a = (shape: number[], kind: Kind = 'any'): InputSpec => ({ label: 'x', shape, kind });
  const pair = (sa: number[], sb: number[], kb: Kind = 'any', ka: Kind = 'any'): InputSpec[] => [
    { label: 'a', shape: sa, kind: ka },
    { label: 'b', shape: sb, kind: kb },
  ];
  const unary = (op: string, fn: (x: Tensor) => Tensor, kind: Kind = 'any'): OpCase => ({
    op,
    inputs: [a([3, 4], kind)],
    fn,
  });
  const mask = fromData(Float64Array.from([1, 0, 0, 1, 1, 0, 1, 0, 0, 1, 1, 1]), [3, 4]);
  return [
    unary('neg', T.neg),
    unary('exp', T.exp),
    unary('log', T.log, 'positive'),
    unary('sqrt', T.sqrt, 'positive'),
    unary('tanh', T.tanh),
    unary('sigmoid', T.sigmoid),
    unary('relu', T.relu, 'nonzero'),
    unary('abs', T.abs, 'nonzero'),
    unary('pow', (x) => T.pow(x, 3)),
    unary('clamp', (x) => T.clamp(x, -0.5, 0.5), 'spread'),
    { op: 'add (broadcast)', inputs: pair([3, 4], [4]), fn: T.add },
    { op: 'sub (broadcast)', inputs: pair([3, 1], [1, 4]), fn: T.sub },
    { op: 'mul (broadcast)', inputs: pair([2, 3, 4], [3, 1]), fn: T.mul },
    { op: 'div', inputs: pair([3, 4], [3, 4], 'nonzero'), fn: T.div },
    { op: 'minimum', inputs: pair([3, 4], [3, 4], 'spread', 'spread'), fn: T.minimum },
    { op: 'maximum', inputs: pair([3, 4], [3, 4], 'spread', 'spread'), fn: T.maximum },
    { op: 'where', inputs: pair([3, 4], [3, 4]), fn: (x, y) => T.where(mask, x, y) },
    { op: 'fan-out x·x + x', inputs: [a([3, 4])], fn: (x) => T.add(T.mul(x, x), x) },
    unary('sum (axis 1)', (x) => T.sum(x, 1)),
    unary('mean (axis 0)', (x) => T.mean(x, 0)),
    unary('max (axis 1)', (x) => T.max(x, 1), 'spread'),
    unary('min (all)', (x) => T.min(x), 'spread'),
    unary('logsumexp (axis 1)', (x) => T.logsumexp(x, 1)),
    unary('softmax', (x) => T.softmax(x)),
    unary('logSoftmax', (x) => T.logSoftmax(x)),
    { op: 'matmul', inputs: pair([3, 4], [4, 5]), fn: T.matmul },
    { op: 'matmul (batched)', inputs: pair([2, 3, 4], [4, 2]), fn: T.matmul },
    {
      op: 'linear',
      inputs: [a([5, 3]), { label: 'W', shape: [4, 3] }, { label: 'b', shape: [4] }],
      fn: T.linear,
    },
    unary('reshape', (x) => T.reshape(x, [2, 6])),
    unary('transpose', (x) => T.transpose(x, 0, 1)),
    { op: 'permute', inputs: [a([2, 3, 4])], fn: (x) => T.permute(x, [2, 0, 1]) },
    { op: 'concat', inputs: pair([2, 4], [3, 4]), fn: (x, y) => T.concat([x, y], 0) },
    { op: 'stack', inputs: pair([3, 4], [3, 4]), fn: (x, y) => T.stack([x, y], 1) },
    unary('split', (x) => T.mul(T.split(x, [1, 3], 1)[1]!, 2)),
    unary('chunk', (x) => T.sub(T.chunk(x, 2, 1)[0]!, T.chunk(x, 2, 1)[1]!)),
    unary('narrow', (x) => T.narrow(x, 1, 1, 2)),
    unary('indexSelect (repeats)', (x) => T.indexSelect(x, 0, [2, 0, 2])),
    unary('gather', (x) => T.gather(x, 1, fromData(Float64Array.from([3, 0, 1, 1, 2, 2]), [3, 2]))),
    unary('unbind', (x) => T.stack(unbind(x).reverse(), 0)),
    unary('crossEntropy', (x) => T.crossEntropy(x, [1, 3, 0])),
    { op: 'mse', inputs: pair([3, 4], [3, 4]), fn: (x, y) => T.mse(x, y) },
    unary('binaryCrossEntropyWithLogits', (x) =>
      T.binaryCrossEntropyWithLogits(
        x,
        fromData(Float64Array.from([1, 0, 0, 1, 1, 0, 1, 0, 0, 1, 1, 1]), [3, 4]),
      ),
    ),
  ];
}

/**
 * The gradients of Σ w ⊙ run(inputs) with respect to each input and each of the
 * module's parameters: all analytic ones from one backward(), each numerical one by
 * perturbing that input (or writing the perturbed values into the parameter).
 */
function moduleRows(
  op: string,
  module: Module,
  inputs: InputSpec[],
  run: (xs: Tensor[]) => Tensor,
  rng: Rng,
): CheckRow[] {
  const values = inputs.map((s) => draw(s.shape, 'any', rng));
  let w: Float64Array | null = null;
  const loss = (xs: Tensor[]) => {
    const y = run(xs);
    w ??= draw(y.shape, 'any', rng);
    return sum(mul(y, fromData(w, y.shape)));
  };
  const plain = (k: number, probe: Float64Array) =>
    values.map((v, j) => fromData(j === k ? probe : v, inputs[j]!.shape));
  const leaves = values.map((v, j) =>
    fromData(v.slice(), inputs[j]!.shape, { requiresGrad: true }),
  );
  const params = module.namedParameters();
  for (const [, p] of params) p.grad = null;
  loss(leaves).backward();
  const rows: CheckRow[] = inputs.map((spec, k) => ({
    op,
    input: spec.label,
    report: gradcheck(
      (probe) => T.noGrad(() => loss(plain(k, probe)).item()),
      values[k]!,
      leaves[k]!.grad?.data ?? new Float64Array(values[k]!.length),
      { shape: spec.shape, what: `d/d${spec.label} of ${op}` },
    ),
  }));
  for (const [name, p] of params) {
    const analytic = p.grad?.data.slice() ?? new Float64Array(p.size);
    p.grad = null;
    const saved = p.data.slice();
    const f = (probe: Float64Array) => {
      p.data.set(probe);
      const value = T.noGrad(() => loss(plain(-1, saved)).item());
      p.data.set(saved);
      return value;
    };
    rows.push({
      op,
      input: name,
      report: gradcheck(f, saved.slice(), analytic, {
        shape: [...p.shape],
        what: `d/d${name} of ${op}`,
      }),
    });
  }
  return rows;
}

function cellRows(rng: Rng): CheckRow[] {
  const B = 2;
  const I = 3;
  const H = 3;
  const rows: CheckRow[] = [];
  const x = { label: 'x', shape: [B, I] };
  const h = { label: 'h', shape: [B, H] };
  const c = { label: 'c', shape: [B, H] };
  const rnn = new RNNCell({ inputSize: I, hiddenSize: H, rng });
  rows.push(...moduleRows('RNNCell', rnn, [x, h], ([xt, ht]) => rnn.step(xt!, { h: ht! }).h, rng));
  const lstm = new LSTMCell({ inputSize: I, hiddenSize: H, rng });
  rows.push(
    ...moduleRows(
      'LSTMCell',
      lstm,
      [x, h, c],
      ([xt, ht, ct]) => {
        const s = lstm.step(xt!, { h: ht!, c: ct! });
        return T.concat([s.h, s.c], 1);
      },
      rng,
    ),
  );
  for (const resetAfter of [true, false]) {
    const gru = new GRUCell({ inputSize: I, hiddenSize: H, resetAfter, rng });
    const name = resetAfter ? 'GRUCell' : 'GRUCell (Cho et al.)';
    rows.push(...moduleRows(name, gru, [x, h], ([xt, ht]) => gru.step(xt!, { h: ht! }).h, rng));
  }
  const seq = { label: 'x', shape: [B, 4, I] };
  const layers: [string, RNN | LSTM | GRU][] = [
    ['RNN layer (2 layers)', new RNN({ inputSize: I, hiddenSize: H, numLayers: 2, rng })],
    ['LSTM layer (2 layers)', new LSTM({ inputSize: I, hiddenSize: H, numLayers: 2, rng })],
    [
      'GRU layer (bidirectional)',
      new GRU({ inputSize: I, hiddenSize: H, bidirectional: true, rng }),
    ],
  ];
  for (const [name, layer] of layers) {
    rows.push(...moduleRows(name, layer, [seq], ([xs]) => layer.forward(xs!).output, rng));
  }
  return rows;
}

/**
 * The hand-derived passes: each gradient their backward returns (parameters, inputs
 * and initial state) against central differences of their forward.
 */
function manualRows(rng: Rng): CheckRow[] {
  const dims = { batchSize: 2, steps: 5, inputSize: 2, hiddenSize: 3 };
  const { batchSize: B, steps: S, inputSize: I, hiddenSize: H } = dims;
  const rows: CheckRow[] = [];
  const passes = [
    { op: 'rnnBackward (hand-derived)', cell: 'rnn', G: 1 },
    { op: 'lstmBackward (hand-derived)', cell: 'lstm', G: 4 },
    { op: 'gruBackward (hand-derived)', cell: 'gru', G: 3 },
    { op: 'gruBackward (hand-derived, Cho et al.)', cell: 'gru-cho', G: 3 },
  ] as const;
  for (const { op, cell, G } of passes) {
    const values: Record<string, Float64Array> = {
      weight_ih: draw([G * H, I], 'any', rng),
      weight_hh: draw([G * H, H], 'any', rng),
      bias_ih: draw([G * H], 'any', rng),
      bias_hh: draw([G * H], 'any', rng),
      xs: draw([B, S, I], 'any', rng),
      h0: draw([B, H], 'any', rng),
      ...(cell === 'lstm' ? { c0: draw([B, H], 'any', rng) } : {}),
    };
    const dOutput = draw([B, S, H], 'any', rng);
    const run = (v: Record<string, Float64Array>) => {
      const w = {
        weight_ih: v.weight_ih!,
        weight_hh: v.weight_hh!,
        bias_ih: v.bias_ih!,
        bias_hh: v.bias_hh!,
      };
      if (cell === 'lstm') {
        const tape = lstmForward(w, v.xs!, { h: v.h0!, c: v.c0! }, dims);
        return { output: tape.output, grads: () => lstmBackward(w, tape, dOutput) };
      }
      if (cell === 'rnn') {
        const tape = rnnForward(w, v.xs!, v.h0!, dims);
        return { output: tape.output, grads: () => rnnBackward(w, tape, dOutput) };
      }
      const resetAfter = cell === 'gru';
      const tape = gruForward(w, v.xs!, v.h0!, dims, { resetAfter });
      return { output: tape.output, grads: () => gruBackward(w, tape, dOutput) };
    };
    const grads = run(values).grads();
    const analytic: Record<string, Float64Array> = {
      weight_ih: grads.weight_ih,
      weight_hh: grads.weight_hh,
      bias_ih: grads.bias_ih!,
      bias_hh: grads.bias_hh!,
      xs: grads.dxs,
      h0: grads.dh0,
      ...('dc0' in grads ? { c0: grads.dc0 as Float64Array } : {}),
    };
    for (const name of Object.keys(values)) {
      const f = (probe: Float64Array) => {
        const { output } = run({ ...values, [name]: probe });
        let s = 0;
        for (let i = 0; i < output.length; i++) s += output[i]! * dOutput[i]!;
        return s;
      };
      rows.push({
        op,
        input: name,
        report: gradcheck(f, values[name]!, analytic[name]!, {
          what: `d/d${name} of ${op}`,
        }),
      });
    }
  }
  return rows;
}

/** The rows of one op: the gradient of each of its inputs. */
export function checkOpCase(c: OpCase, seed: number): CheckRow[] {
  const rng = new Rng(seed);
  const values = c.inputs.map((s) => draw(s.shape, s.kind ?? 'any', rng));
  return c.inputs.map((_, k) => checkInput(c, values, k, rng));
}

/** Every check, in reading order; `only` keeps the ops whose name contains it. */
export function runGradchecks(seed: number, only?: string): CheckRow[] {
  const rng = new Rng(seed);
  const keep = (name: string) =>
    only === undefined || name.toLowerCase().includes(only.toLowerCase());
  const rows: CheckRow[] = [];
  for (const c of opCases()) {
    if (!keep(c.op)) continue;
    const values = c.inputs.map((s) => draw(s.shape, s.kind ?? 'any', rng));
    for (let k = 0; k < c.inputs.length; k++) rows.push(checkInput(c, values, k, rng));
  }
  rows.push(...cellRows(rng).filter((r) => keep(r.op)));
  rows.push(...manualRows(rng).filter((r) => keep(r.op)));
  return rows;
}
