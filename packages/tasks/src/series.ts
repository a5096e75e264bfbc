/**
 * Two synthetic time series to forecast: a seeded sum of sines with noise (periodic,
 * predictable from a few periods of context) and the Mackey–Glass series (chaotic:
 * deterministic, but small errors grow, so the horizon matters).
 */

import type { Rng } from '@unroll/tensor';
import { checkInteger, checkNumber } from './task.ts';

export interface SineComponent {
  amplitude: number;
  /** In steps. */
  period: number;
  /** In radians. */
  phase: number;
}

export interface SumOfSinesOptions {
  /** Number of samples. */
  length: number;
  /** Number of sines (default 3). */
  components?: number;
  /** Periods are drawn log-uniformly from [minPeriod, maxPeriod] steps (default 8 and 64). */
  minPeriod?: number;
  maxPeriod?: number;
  /** Standard deviation of the Gaussian noise added to every sample (default 0.05). */
  noise?: number;
}

export interface SumOfSines {
  values: Float64Array;
  components: SineComponent[];
}

/**
 * x_t = Σ_k a_k sin(2π t / P_k + φ_k) + σ ε_t, with ε_t ~ N(0, 1).
 * Each component draws a_k ~ U[0.5, 1.5) / K, log P_k ~ U[log minPeriod, log maxPeriod),
 * φ_k ~ U[0, 2π) from `rng`, in that order; then the noise is drawn sample by sample.
 */
export function sumOfSines(options: SumOfSinesOptions, rng: Rng): SumOfSines {
  const { length, components: K = 3, minPeriod = 8, maxPeriod = 64, noise = 0.05 } = options;
  checkInteger('sumOfSines', 'length', length, 1);
  checkInteger('sumOfSines', 'components', K, 1);
  checkNumber('sumOfSines', 'minPeriod', minPeriod, 2, Number.MAX_VALUE);
  checkNumber('sumOfSines', 'maxPeriod', maxPeriod, minPeriod, Number.MAX_VALUE);
  checkNumber('sumOfSines', 'noise', noise, 0, Number.MAX_VALUE);
  const components: SineComponent[] = [];
  for (let k = 0; k < K; k++) {
    const amplitude = (0.5 + rng.uniform()) / K;
    const period = Math.exp(Math.log(minPeriod) + rng.uniform() * Math.log(maxPeriod / minPeriod));
    const phase = 2 * Math.PI * rng.uniform();
    components.push({ amplitude, period, phase });
  }
  const values = new Float64Array(length);
  for (let t = 0; t < length; t++) {
    let x = 0;
    for (const { amplitude, period, phase } of components) {
      x += amplitude * Math.sin((2 * Math.PI * t) / period + phase);
    }
    values[t] = noise === 0 ? x : x + noise * rng.normal();
  }
  return { values, components };
}

export interface MackeyGlassOptions {
  /** Number of samples returned. */
  length: number;
  /** Delay τ (default 17: chaotic). */
  tau?: number;
  /** β (default 0.2), γ (default 0.1), exponent n (default 10): the usual constants. */
  beta?: number;
  gamma?: number;
  exponent?: number;
  /** Integration step (default 0.1); τ and sampleEvery must be multiples of it. */
  dt?: number;
  /** Time between returned samples (default 1). */
  sampleEvery?: number;
  /** x(t) for t ≤ 0 (default 1.2). */
  history?: number;
  /** Time to integrate before the first returned sample, to leave the start behind (default 0). */
  warmup?: number;
}

/**
 * The Mackey–Glass delay differential equation (Mackey & Glass 1977, Science 197:287):
 *
 *   dx/dt = β x(t − τ) / (1 + x(t − τ)^n) − γ x(t)
 *
 * With β = 0.2, γ = 0.1, n = 10 the fixed point is x* = (β/γ − 1)^(1/n) = 1. It attracts
 * for small delays; longer delays give oscillations, and τ = 17 gives the chaotic series
 * used as a forecasting benchmark since Farmer 1982 and Lapedes & Farber 1987. From the
 * default start its values stay inside [0.4, 1.35].
 *
 * Integration: classical 4th-order Runge–Kutta with step dt, the history held on the same
 * grid (τ/dt steps back). The stages at t + dt/2 need x(t + dt/2 − τ), which falls between
 * two grid points: we take their mean (linear interpolation). That interpolation is only
 * second-order accurate, so the scheme as a whole is second order: halving dt cuts the
 * error about fourfold, not sixteenfold (the tests measure it). At dt = 0.1 the error
 * over the first 50 time units is below 1e-4; later, chaos amplifies it, as it amplifies
 * any perturbation — the series stays a faithful sample of the attractor, not of one
 * exact trajectory. Deterministic: no rng.
 */
export function mackeyGlass(options: MackeyGlassOptions): Float64Array {
  const {
    length,
    tau = 17,
    beta = 0.2,
    gamma = 0.1,
    exponent = 10,
    dt = 0.1,
    sampleEvery = 1,
    history = 1.2,
    warmup = 0,
  } = options;
  checkInteger('mackeyGlass', 'length', length, 1);
  checkNumber('mackeyGlass', 'dt', dt, Number.MIN_VALUE, 1);
  checkNumber('mackeyGlass', 'history', history, 0, Number.MAX_VALUE);
  checkNumber('mackeyGlass', 'warmup', warmup, 0, Number.MAX_VALUE);
  const delaySteps = stepsOf('tau', tau, dt);
  const stride = stepsOf('sampleEvery', sampleEvery, dt);
  const warmupSteps = Math.round(warmup / dt);
  const totalSteps = warmupSteps + (length - 1) * stride;

  const f = (x: number, xDelayed: number) =>
    (beta * xDelayed) / (1 + xDelayed ** exponent) - gamma * x;
  const x = new Float64Array(totalSteps + 1);
  x[0] = history;
  const delayed = (k: number) => (k >= delaySteps ? x[k - delaySteps]! : history);
  for (let k = 0; k < totalSteps; k++) {
    const xk = x[k]!;
    const dNow = delayed(k);
    const dNext = delayed(k + 1); // k + 1 − τ/dt ≤ k: already computed
    const dHalf = 0.5 * (dNow + dNext);
    const k1 = f(xk, dNow);
    const k2 = f(xk + 0.5 * dt * k1, dHalf);
    const k3 = f(xk + 0.5 * dt * k2, dHalf);
    const k4 = f(xk + dt * k3, dNext);
    x[k + 1] = xk + (dt / 6) * (k1 + 2 * k2 + 2 * k3 + k4);
  }
  const out = new Float64Array(length);
  for (let i = 0; i < length; i++) out[i] = x[warmupSteps + i * stride]!;
  return out;
}

/** value / dt as a whole number of steps (at least 1), or a RangeError. */
function stepsOf(name: string, value: number, dt: number): number {
  const steps = Math.round(value / dt);
  if (
    !Number.isFinite(value) ||
    steps < 1 ||
    Math.abs(steps * dt - value) > 1e-9 * Math.max(1, value)
  ) {
    throw new RangeError(
      `mackeyGlass: ${name} must be a positive multiple of dt = ${dt}, got ${value}`,
    );
  }
  return steps;
}
