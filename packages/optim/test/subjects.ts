/**
 * Test fixtures shared by the optimizer tests: each optimizer paired with its
 * reference implementation and with fast-check generators of its options, one
 * generator per combination of its switches (momentum on/off, nesterov, amsgrad...),
 * and random problems: parameters, and gradients that change from step to step
 * (in scale too) and are sometimes missing.
 */

import { arbitraries } from '@unroll/gradcheck';
import { type Tensor, tensor } from '@unroll/tensor';
import fc from 'fast-check';
import {
  Adagrad,
  Adam,
  AdamW,
  type OptimizerStateDict,
  type OptimizerStateDictInput,
  RMSprop,
  SGD,
} from '../src/index.ts';
import {
  type AdagradHyper,
  type AdamHyper,
  adagradReference,
  adamReference,
  type Reference,
  type RMSpropHyper,
  rmspropReference,
  type SGDHyper,
  sgdReference,
  type Vec,
} from './reference.ts';

export type OptimizerName = 'SGD' | 'Adagrad' | 'RMSprop' | 'Adam' | 'AdamW';

/** What the tests need of an optimizer, whatever its options type. */
export interface Stepper {
  step(): void;
  zeroGrad(setToNone?: boolean): void;
  stateDict(): OptimizerStateDict;
  loadStateDict(dict: OptimizerStateDictInput): void;
}

/** Hyperparameters of any of the five (each reference reads its own fields). */
export type Hyper = SGDHyper | AdagradHyper | RMSpropHyper | AdamHyper;

export interface Subject {
  name: OptimizerName;
  make(params: Tensor[] | { params: Tensor[] }[], hyper: Hyper | Record<string, never>): Stepper;
  reference(size: number, hyper: Hyper): Reference<Hyper>;
  /** The switches, each on or off: every combination is tested. */
  switches: string[];
  /** Options with exactly the switches in `on` turned on, other values drawn at random. */
  hyper(on: ReadonlySet<string>): fc.Arbitrary<Hyper>;
}

const unit = (min: number, max: number) => fc.double({ min, max, noNaN: true });
const when = (on: boolean, arb: fc.Arbitrary<number>) => (on ? arb : fc.constant(0));

export const subjects: Subject[] = [
  {
    name: 'SGD',
    make: (params, hyper) => new SGD(params as Tensor[], hyper as Partial<SGDHyper>),
    reference: () => sgdReference() as Reference<Hyper>,
    switches: ['momentum', 'dampening', 'nesterov', 'weightDecay', 'maximize'],
    hyper: (on) =>
      fc.record({
        lr: unit(1e-3, 0.5),
        momentum: when(on.has('momentum') || on.has('nesterov'), unit(0.05, 0.99)),
        dampening: when(on.has('dampening') && !on.has('nesterov'), unit(0.05, 1)),
        weightDecay: when(on.has('weightDecay'), unit(1e-3, 0.5)),
        nesterov: fc.constant(on.has('nesterov')),
        maximize: fc.constant(on.has('maximize')),
      }),
  },
  {
    name: 'Adagrad',
    make: (params, hyper) => new Adagrad(params as Tensor[], hyper as Partial<AdagradHyper>),
    reference: (size, hyper) =>
      adagradReference(size, (hyper as AdagradHyper).initialAccumulatorValue) as Reference<Hyper>,
    switches: ['lrDecay', 'weightDecay', 'initialAccumulatorValue', 'maximize'],
    hyper: (on) =>
      fc.record({
        lr: unit(1e-3, 0.5),
        lrDecay: when(on.has('lrDecay'), unit(1e-3, 1)),
        weightDecay: when(on.has('weightDecay'), unit(1e-3, 0.5)),
        initialAccumulatorValue: when(on.has('initialAccumulatorValue'), unit(1e-3, 1)),
        eps: unit(1e-10, 0.1),
        maximize: fc.constant(on.has('maximize')),
      }),
  },
  {
    name: 'RMSprop',
    make: (params, hyper) => new RMSprop(params as Tensor[], hyper as Partial<RMSpropHyper>),
    reference: (size) => rmspropReference(size) as Reference<Hyper>,
    switches: ['momentum', 'centered', 'weightDecay', 'maximize'],
    hyper: (on) =>
      fc.record({
        lr: unit(1e-3, 0.1),
        alpha: unit(0.5, 0.999),
        eps: unit(1e-8, 0.1),
        weightDecay: when(on.has('weightDecay'), unit(1e-3, 0.5)),
        momentum: when(on.has('momentum'), unit(0.05, 0.99)),
        centered: fc.constant(on.has('centered')),
        maximize: fc.constant(on.has('maximize')),
      }),
  },
  ...(['Adam', 'AdamW'] as const).map(
    (name): Subject => ({
      name,
      make: (params, hyper) =>
        name === 'Adam'
          ? new Adam(params as Tensor[], hyper as Partial<AdamHyper>)
          : new AdamW(params as Tensor[], hyper as Partial<AdamHyper>),
      reference: (size) => adamReference(size, name === 'AdamW') as Reference<Hyper>,
      switches: ['weightDecay', 'amsgrad', 'maximize'],
      hyper: (on) =>
        fc.record({
          lr: unit(1e-4, 0.1),
          betas: fc.tuple(unit(0, 0.99), unit(0.5, 0.9999)),
          eps: unit(1e-8, 0.1),
          weightDecay: when(on.has('weightDecay'), unit(1e-3, 0.5)),
          amsgrad: fc.constant(on.has('amsgrad')),
          maximize: fc.constant(on.has('maximize')),
        }),
    }),
  ),
];

/** Every subset of the switches, skipping the invalid ones (nesterov with dampening). */
export function combinations(subject: Subject): Set<string>[] {
  const out: Set<string>[] = [];
  const k = subject.switches.length;
  for (let mask = 0; mask < 1 << k; mask++) {
    const on = new Set(subject.switches.filter((_, i) => mask & (1 << i)));
    if (on.has('nesterov') && (on.has('dampening') || !on.has('momentum'))) continue;
    out.push(on);
  }
  return out;
}

/** A problem: starting parameters, and per step a gradient for each (null = none this step). */
export interface Problem {
  initial: Vec[];
  grads: (Vec | null)[][];
}

const entries = (n: number) =>
  fc.array(arbitraries.value({ min: -2, max: 2 }), { minLength: n, maxLength: n });

/** 1–3 parameters of 1–5 entries, 2–6 steps; gradient scales change by 10³ between steps. */
export const problems: fc.Arbitrary<Problem> = fc
  .record({
    sizes: fc.array(fc.integer({ min: 1, max: 5 }), { minLength: 1, maxLength: 3 }),
    steps: fc.integer({ min: 2, max: 6 }),
  })
  .chain(({ sizes, steps }) =>
    fc.record({
      initial: fc.tuple(...sizes.map(entries)),
      grads: fc.array(
        fc
          .tuple(
            fc.constantFrom(0.01, 1, 10),
            fc.tuple(...sizes.map((n) => fc.option(entries(n), { freq: 5 }))),
          )
          .map(([s, gs]) => gs.map((g) => (g === null ? null : g.map((x) => s * x)))),
        { minLength: steps, maxLength: steps },
      ),
    }),
  );

export function leaves(values: Vec[]): Tensor[] {
  return values.map((v) => tensor(v, { requiresGrad: true }));
}

/** Sets every parameter's grad for one step. */
export function setGrads(params: Tensor[], grads: (Vec | null)[]): void {
  params.forEach((p, i) => {
    const g = grads[i];
    p.grad = g === null || g === undefined ? null : tensor(g);
  });
}

/**
 * The reference trajectory: θ after every step, for every parameter, each under its
 * own hyperparameters. A parameter's state is created at its first gradient, and a
 * step without a gradient leaves it (and its state) alone.
 */
export function referenceTrajectory(subject: Subject, hypers: Hyper[], problem: Problem): Vec[][] {
  const states: (Reference<Hyper> | null)[] = problem.initial.map(() => null);
  let thetas = problem.initial.map((v) => [...v]);
  return problem.grads.map((stepGrads) => {
    thetas = thetas.map((theta, i) => {
      const g = stepGrads[i];
      if (g === null || g === undefined) return theta;
      states[i] ??= subject.reference(theta.length, hypers[i]!);
      return states[i]!.step(theta, g, hypers[i]!);
    });
    return thetas;
  });
}

/** The subject of one optimizer. */
export function subjectNamed(name: OptimizerName): Subject {
  const subject = subjects.find((s) => s.name === name);
  if (subject === undefined) throw new Error(`no test subject named ${name}`);
  return subject;
}

/** An SGD with one group per base lr, each holding one scalar parameter (for schedules). */
export const optimizerWith = (lrs: number[]) =>
  new SGD(lrs.map((lr) => ({ params: [tensor([0], { requiresGrad: true })], lr })));
