/**
 * Jacobian products: how much a change in the state at time t changes the state at T.
 *
 *   ∂s_T/∂sₜ = J_T J_{T−1} ⋯ J_{t+1},   J_k = ∂s_k/∂s_{k−1}
 *
 * The state s is what the cell carries: h for an RNN or GRU, the concatenation [h; c]
 * for an LSTM. Every batch element has its own product (the elements do not interact),
 * so everything here is per batch element, and ‖·‖ is the spectral norm σ₁.
 *
 * Each step is replayed as a small graph of its own: leaves standing for s_{k−1}, and
 * s_k computed from them by the step function. A backward pass through that one step
 * with seed u gives the vector–Jacobian product J_kᵀu exactly. Two ways to get norms:
 *
 *   exact             J_k row by row (row i = J_kᵀeᵢ: d backward passes per step for a
 *                     state of size d), then P ← P·J_k from T down, and σ₁(P) by power
 *                     iteration on PᵀP. Cost T·d one-step VJPs plus T·d³ for products.
 *   power-iteration   σ₁(P) without forming P: v ← PᵀPv, with Pᵀu by chained one-step
 *                     VJPs (exact) and Pv by chained one-step JVPs. The engine is
 *                     reverse-mode only, so a JVP is a central difference of the step,
 *                     J_k v ≈ (f(s + εv) − f(s − εv)) / 2ε, accurate to about 1e-9
 *                     relative in float64 (ε = 1e-6; keep relu pre-activations off 0).
 *                     Cost per t: iterations · (T − t) · (2 steps + 1 VJP).
 */

import { type GRUCell, LSTMCell, type RNNCell } from '@unroll/cells';
import { fromData, narrow, noGrad, Tensor } from '@unroll/tensor';
import { leavesOf } from './graph.ts';
import { norm, randomUnitVector } from './linalg.ts';
import { largestSingularValue } from './spectral.ts';

/** A recurrence's state: one or more tensors [B, H_k] (h, or h and c). */
export type RecurrenceState = readonly Tensor[];

/** One step: the state at t − 1 → the state at t (t = 1..T). Must use tensor ops. */
export type RecurrenceStep = (state: RecurrenceState, t: number) => RecurrenceState;

export interface JacobianOptions {
  /** 'auto' (default) is exact for a state of at most `exactUpTo` numbers per batch element. */
  method?: 'auto' | 'exact' | 'power-iteration';
  exactUpTo?: number;
  /** Power iteration: at most this many iterations per timestep (default 100). */
  maxIterations?: number;
  /** Power iteration: stop when σ changes by less than this, relatively (default 1e-9). */
  tolerance?: number;
  seed?: number;
  /** Step of the central-difference JVP (default 1e-6). */
  eps?: number;
}

export interface JacobianNorms {
  /** perSample[b][t − 1] = ‖∂s_T/∂sₜ‖₂ for batch element b and t = 1..T (1 at t = T). */
  perSample: number[][];
  /** The batch mean for each t = 1..T. */
  mean: number[];
  method: 'exact' | 'power-iteration';
  /** d: numbers in the state of one batch element. */
  stateSize: number;
  /** False when some power iteration (σ₁ of a product, or the whole estimate) stopped at its limit. */
  converged: boolean;
}

interface Layout {
  batch: number;
  sizes: number[];
  dim: number;
}

function layoutOf(state: RecurrenceState, what: string): Layout {
  if (state.length === 0) throw new RangeError(`${what}: the state has no tensors`);
  const batch = state[0]!.shape[0]!;
  const sizes = state.map((s, k) => {
    if (s.rank !== 2 || s.shape[0] !== batch) {
      throw new RangeError(
        `${what}: every state tensor must be [B, H] with the same B, got [${state.map((x) => x.shape.join(', ')).join('] and [')}] (tensor ${k})`,
      );
    }
    return s.shape[1]!;
  });
  return { batch, sizes, dim: sizes.reduce((a, b) => a + b, 0) };
}

/** Rows of B·d (one state vector per batch element) ⇄ the per-tensor [B, H_k] arrays. */
function splitRows(v: Float64Array, layout: Layout): Float64Array[] {
  const parts = layout.sizes.map((h) => new Float64Array(layout.batch * h));
  for (let b = 0; b < layout.batch; b++) {
    let offset = b * layout.dim;
    layout.sizes.forEach((h, k) => {
      parts[k]!.set(v.subarray(offset, offset + h), b * h);
      offset += h;
    });
  }
  return parts;
}

function joinRows(parts: readonly Float64Array[], layout: Layout): Float64Array {
  const v = new Float64Array(layout.batch * layout.dim);
  for (let b = 0; b < layout.batch; b++) {
    let offset = b * layout.dim;
    layout.sizes.forEach((h, k) => {
      v.set(parts[k]!.subarray(b * h, (b + 1) * h), offset);
      offset += h;
    });
  }
  return v;
}

/** One step replayed as its own graph, for exact vector–Jacobian products. */
class LocalStep {
  readonly inputs: Tensor[];
  readonly outputs: RecurrenceState;
  /** Leaves of the step other than our inputs: the weights, whose .grad must stay untouched. */
  private readonly others: Tensor[];

  constructor(step: RecurrenceStep, previous: readonly Float64Array[], layout: Layout, t: number) {
    this.inputs = previous.map((data, k) =>
      // Stryker disable next-line MethodExpression: nothing writes to the state arrays handed in, so the leaf could share them
      fromData(data.slice(), [layout.batch, layout.sizes[k]!], { requiresGrad: true }),
    );
    this.outputs = step(this.inputs, t);
    const out = layoutOf(this.outputs, 'jacobianNorms: the step');
    if (out.dim !== layout.dim || out.batch !== layout.batch) {
      throw new RangeError(
        `jacobianNorms: step ${t} returned a state of [${out.batch}, ${out.sizes.join('+')}], expected [${layout.batch}, ${layout.sizes.join('+')}]`,
      );
    }
    const mine = new Set(this.inputs);
    this.others = leavesOf(this.outputs).filter((leaf) => !mine.has(leaf));
  }

  /** J_tᵀu for every batch element at once (u and the result are B·d rows). */
  vjp(u: Float64Array, layout: Layout): Float64Array {
    // Switching the weights off for the duration keeps their .grad and hooks untouched.
    for (const w of this.others) w.requiresGrad = false;
    try {
      for (const x of this.inputs) x.grad = null;
      const seeds = splitRows(u, layout);
      this.outputs.forEach((out, k) => {
        if (out.requiresGrad) out.backward(fromData(seeds[k]!, out.shape), { retainGraph: true });
      });
      return joinRows(
        this.inputs.map((x) => x.grad?.data ?? new Float64Array(x.size)),
        layout,
      );
    } finally {
      for (const w of this.others) w.requiresGrad = true;
    }
  }

  values(): Float64Array[] {
    return this.outputs.map((o) => o.data);
  }
}

/** ‖row b‖ of a B·d block of state vectors, for every batch element b. */
function rowNorms(v: Float64Array, layout: Layout): Float64Array {
  const out = new Float64Array(layout.batch);
  for (let b = 0; b < layout.batch; b++) {
    out[b] = norm(v.subarray(b * layout.dim, (b + 1) * layout.dim));
  }
  return out;
}

/** J_t v for every batch element by a central difference of the step, scaled per row. */
function jvp(
  step: RecurrenceStep,
  previous: readonly Float64Array[],
  v: Float64Array,
  layout: Layout,
  t: number,
  eps: number,
): Float64Array {
  const { batch, dim } = layout;
  // Step along the unit direction of each row (ε is then the step's true length) and
  // scale the difference back by the row's norm.
  const scale = rowNorms(v, layout);
  const direction = new Float64Array(v.length);
  for (let b = 0; b < batch; b++) {
    for (let i = 0; i < dim; i++)
      direction[b * dim + i] = scale[b]! === 0 ? 0 : v[b * dim + i]! / scale[b]!;
  }
  const state = joinRows(previous, layout);
  const shifted = (sign: number) => {
    const x = new Float64Array(state.length);
    // Stryker disable next-line ArithmeticOperator: swapping the two probes turns J v into −J v, and only its norm is used
    for (let i = 0; i < x.length; i++) x[i] = state[i]! + sign * eps * direction[i]!;
    const parts = splitRows(x, layout);
    const out = noGrad(() =>
      step(
        parts.map((p, k) => fromData(p, [batch, layout.sizes[k]!])),
        t,
      ),
    );
    return joinRows(
      out.map((o) => o.data),
      layout,
    );
  };
  const plus = shifted(1);
  const minus = shifted(-1);
  const out = new Float64Array(v.length);
  for (let b = 0; b < batch; b++) {
    for (let i = 0; i < dim; i++) {
      const j = b * dim + i;
      out[j] = (scale[b]! * (plus[j]! - minus[j]!)) / (2 * eps);
    }
  }
  return out;
}

/**
 * ‖∂s_T/∂sₜ‖₂ for t = 1..T, for a recurrence started at `initialState` (s₀) and run
 * for `steps` (T) steps of `step`.
 */
export function jacobianNorms(
  step: RecurrenceStep,
  initialState: RecurrenceState | Tensor,
  steps: number,
  options: JacobianOptions = {},
): JacobianNorms {
  const what = 'jacobianNorms';
  if (!Number.isInteger(steps) || steps < 1) {
    throw new RangeError(`${what}: steps must be a positive integer, got ${steps}`);
  }
  const s0 = initialState instanceof Tensor ? [initialState] : initialState;
  const layout = layoutOf(s0, what);
  const { batch, dim } = layout;
  const method = options.method ?? 'auto';
  if (method !== 'auto' && method !== 'exact' && method !== 'power-iteration') {
    throw new RangeError(
      `${what}: method must be 'auto', 'exact' or 'power-iteration', got '${method}'`,
    );
  }
  const exact = method === 'exact' || (method === 'auto' && dim <= (options.exactUpTo ?? 64));

  // Forward: s₁..s_T, each step kept as its own little graph.
  const locals: LocalStep[] = [];
  let previous = s0.map((s) => s.data);
  for (let t = 1; t <= steps; t++) {
    const local = new LocalStep(step, previous, layout, t);
    locals.push(local);
    previous = local.values();
  }
  // s_{t−1}, the state step t starts from; asked only for t ≥ 2 (the JVPs run from t + 1).
  const before = (t: number) => locals[t - 2]!.values();

  const perSample = Array.from({ length: batch }, () => new Array<number>(steps).fill(1));
  let converged = true;
  if (exact) {
    // P = ∂s_T/∂sₜ per batch element, d×d row-major, starting from the identity at t = T.
    let P: Float64Array[] = Array.from({ length: batch }, () => {
      const m = new Float64Array(dim * dim);
      for (let i = 0; i < dim; i++) m[i * dim + i] = 1;
      return m;
    });
    for (let t = steps - 1; t >= 1; t--) {
      // J_{t+1}, row i from the VJP with seed eᵢ (for every batch element at once)
      const J = Array.from({ length: batch }, () => new Float64Array(dim * dim));
      for (let i = 0; i < dim; i++) {
        const seed = new Float64Array(batch * dim);
        for (let b = 0; b < batch; b++) seed[b * dim + i] = 1;
        const row = locals[t]!.vjp(seed, layout);
        for (let b = 0; b < batch; b++) J[b]!.set(row.subarray(b * dim, (b + 1) * dim), i * dim);
      }
      // eq. 6.17 — the product of the steps' Jacobians
      // eq. 7.1 — ∂h_T/∂h_t = J_T ⋯ J_{t+1}, one factor per step
      P = P.map((p, b) => multiplySquare(p, J[b]!, dim));
      for (let b = 0; b < batch; b++) {
        const sigma = largestSingularValue({ data: P[b]!, rows: dim, cols: dim });
        perSample[b]![t - 1] = sigma.value;
        if (!sigma.converged) converged = false;
      }
    }
  } else {
    const maxIterations = options.maxIterations ?? 100;
    const tolerance = options.tolerance ?? 1e-9;
    const eps = options.eps ?? 1e-6;
    for (let t = steps - 1; t >= 1; t--) {
      let v: Float64Array = new Float64Array(batch * dim);
      for (let b = 0; b < batch; b++)
        v.set(randomUnitVector(dim, (options.seed ?? 0) + 7919 * b + t), b * dim);
      let sigma: Float64Array = new Float64Array(batch);
      let done = false;
      for (let k = 0; k < maxIterations && !done; k++) {
        let w = v; // P v, one step at a time from t + 1 to T
        for (let s = t + 1; s <= steps; s++) w = jvp(step, before(s), w, layout, s, eps);
        const next = rowNorms(w, layout);
        let y = w; // Pᵀ(P v), back from T to t + 1
        for (let s = steps; s > t; s--) y = locals[s - 1]!.vjp(y, layout);
        const yNorms = rowNorms(y, layout);
        // Stryker disable next-line ConditionalExpression: at k = 0, sigma is all zeros, so the test fails anyway unless every ‖Pv‖ is 0, and the next iteration returns the same zeros
        done = k > 0 && next.every((x, b) => Math.abs(x - sigma[b]!) <= tolerance * x);
        sigma = next;
        v = y;
        for (let b = 0; b < batch; b++) {
          const n = yNorms[b]!;
          for (let i = 0; i < dim; i++) v[b * dim + i] = n === 0 ? 0 : v[b * dim + i]! / n;
        }
      }
      if (!done) converged = false;
      for (let b = 0; b < batch; b++) perSample[b]![t - 1] = sigma[b]!;
    }
  }
  const mean = Array.from(
    { length: steps },
    (_, i) => perSample.reduce((s, row) => s + row[i]!, 0) / batch,
  );
  return {
    perSample,
    mean,
    method: exact ? 'exact' : 'power-iteration',
    stateSize: dim,
    converged,
  };
}

/** a·b for d×d row-major matrices. */
function multiplySquare(a: Float64Array, b: Float64Array, d: number): Float64Array {
  const c = new Float64Array(d * d);
  for (let i = 0; i < d; i++) {
    for (let k = 0; k < d; k++) {
      const aik = a[i * d + k]!;
      if (aik === 0) continue;
      // Stryker disable next-line AssignmentOperator: c starts at 0, so −= builds −P, and σ₁(−P) = σ₁(P)
      for (let j = 0; j < d; j++) c[i * d + j]! += aik * b[k * d + j]!;
    }
  }
  return c;
}

/**
 * The step function and s₀ of a cell of @unroll/cells over xs [B, T, I]: the state is
 * [h], or [h, c] for an LSTM (so its Jacobians are 2H × 2H). `state0` defaults to zeros.
 */
export function cellRecurrence(
  cell: RNNCell | LSTMCell | GRUCell,
  xs: Tensor,
  state0?: { h: Tensor; c?: Tensor },
): { step: RecurrenceStep; initialState: Tensor[]; steps: number } {
  if (xs.rank !== 3) {
    throw new RangeError(
      `cellRecurrence: xs must be [batch, steps, inputSize], got [${xs.shape.join(', ')}]`,
    );
  }
  const [B, T, I] = xs.shape as [number, number, number];
  const inputs = noGrad(() =>
    Array.from({ length: T }, (_, t) => narrow(xs, 1, t, 1).reshape([B, I])),
  );
  const lstm = cell instanceof LSTMCell;
  const start: { h: Tensor; c?: Tensor } = state0 ?? cell.initialState(B);
  const initialState = lstm ? [start.h, start.c!] : [start.h];
  const step: RecurrenceStep = (state, t) => {
    const x = inputs[t - 1]!;
    if (lstm) {
      const next = cell.step(x, { h: state[0]!, c: state[1]! });
      return [next.h, next.c];
    }
    return [(cell as RNNCell).step(x, { h: state[0]! }).h];
  };
  return { step, initialState, steps: T };
}
