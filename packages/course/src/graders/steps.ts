/**
 * Graders of the one-step cell functions (bptt's steps/*.ts): forward exercises are
 * compared with the reference steps, backward exercises with central differences of
 * the reference steps, one check per gradient, on random sizes and values.
 */

import {
  type CellWeights,
  gruStepBackward,
  gruStepForward,
  lstmStepBackward,
  lstmStepForward,
  rnnStepBackward,
  rnnStepForward,
  type StepDims,
} from '@unroll/bptt';
import { Failure, type Grader, type GraderCheck } from '../grading/check.ts';
import {
  between,
  call,
  centralDifference,
  type Dims,
  dot,
  expectClose,
  forCases,
  seededRandom,
  uniform,
  withoutMutation,
} from '../grading/judge.ts';
import { referenceGruStep, referenceLstmStep, referenceRnnStep } from '../reference/cells.ts';

type Kind = 'rnn' | 'lstm' | 'gru';
const GATES: Record<Kind, number> = { rnn: 1, lstm: 4, gru: 3 };
const CACHE_FIELDS: Record<Kind, string[]> = {
  rnn: ['h'],
  lstm: ['gates', 'tanhC'],
  gru: ['gates', 'hn'],
};

interface Problem {
  kind: Kind;
  dims: StepDims;
  weights: CellWeights;
  x: Float64Array;
  hPrev: Float64Array;
  cPrev: Float64Array;
  /** Upstream gradients: the loss is L = Σ dhNext ⊙ h_t + Σ dcNext ⊙ c_t. */
  dhNext: Float64Array;
  dcNext: Float64Array;
  nonlinearity: 'tanh' | 'relu';
}

function problem(
  kind: Kind,
  dims: Dims,
  caseSeed: number,
  options: { bias?: boolean; relu?: boolean } = {},
): Problem {
  const random = seededRandom(caseSeed);
  const stepDims = { batchSize: dims.B!, inputSize: dims.I!, hiddenSize: dims.H! };
  const { batchSize: B, inputSize: I, hiddenSize: H } = stepDims;
  const G = GATES[kind] * H;
  const bias = options.bias ?? true;
  return {
    kind,
    dims: stepDims,
    weights: {
      weight_ih: uniform(random, G * I, 0.9),
      weight_hh: uniform(random, G * H, 0.9),
      bias_ih: bias ? uniform(random, G, 0.5) : null,
      bias_hh: bias ? uniform(random, G, 0.5) : null,
    },
    x: uniform(random, B * I),
    hPrev: uniform(random, B * H),
    cPrev: uniform(random, B * H),
    dhNext: uniform(random, B * H),
    dcNext: uniform(random, B * H),
    nonlinearity: options.relu ? 'relu' : 'tanh',
  };
}

interface StepOutput {
  h: Float64Array;
  c?: Float64Array;
  cache: unknown;
}

function reference(p: Problem): StepOutput {
  if (p.kind === 'rnn') return referenceRnnStep(p.x, p.hPrev, p.weights, p.dims, p.nonlinearity);
  if (p.kind === 'lstm') return referenceLstmStep(p.x, p.hPrev, p.cPrev, p.weights, p.dims);
  return referenceGruStep(p.x, p.hPrev, p.weights, p.dims);
}

const forwardName: Record<Kind, string> = {
  rnn: 'rnnStepForward',
  lstm: 'lstmStepForward',
  gru: 'gruStepForward',
};
const backwardName: Record<Kind, string> = {
  rnn: 'rnnStepBackward',
  lstm: 'lstmStepBackward',
  gru: 'gruStepBackward',
};

function studentForward(p: Problem): StepOutput {
  return call(forwardName[p.kind], (): StepOutput => {
    if (p.kind === 'rnn') return rnnStepForward(p.x, p.hPrev, p.weights, p.dims, p.nonlinearity);
    if (p.kind === 'lstm') return lstmStepForward(p.x, p.hPrev, p.cPrev, p.weights, p.dims);
    return gruStepForward(p.x, p.hPrev, p.weights, p.dims);
  });
}

function studentBackward(p: Problem, cache: unknown): Record<string, unknown> {
  const result = call(backwardName[p.kind], () => {
    if (p.kind === 'rnn') return rnnStepBackward(p.dhNext, cache as never);
    if (p.kind === 'lstm') return lstmStepBackward(p.dhNext, p.dcNext, cache as never);
    return gruStepBackward(p.dhNext, cache as never);
  });
  if (typeof result !== 'object' || result === null) {
    throw new Failure(
      `${backwardName[p.kind]} returned ${String(result)}, not an object of gradients`,
    );
  }
  return result as unknown as Record<string, unknown>;
}

/** The loss whose gradients the backward step computes, through the reference forward. */
function loss(p: Problem): number {
  const { h, c } = reference(p);
  return dot(p.dhNext, h) + (p.kind === 'lstm' ? dot(p.dcNext, c!) : 0);
}

const draw = (random: () => number): Dims => ({
  B: between(random, 1, 3),
  I: between(random, 1, 4),
  H: between(random, 1, 4),
});
const ONES: Dims = { B: 1, I: 1, H: 1 };

interface GradientSpec {
  /** The check's name, also the gradient's name in the result. */
  name: string;
  key: string;
  input: (p: Problem) => Float64Array | null;
  shape: (p: Problem) => number[];
}

function gradientSpecs(kind: Kind): GradientSpec[] {
  const G = (p: Problem) => GATES[kind] * p.dims.hiddenSize;
  const specs: GradientSpec[] = [
    {
      name: 'dx',
      key: 'dx',
      input: (p) => p.x,
      shape: (p) => [p.dims.batchSize, p.dims.inputSize],
    },
    {
      name: 'dhPrev',
      key: 'dhPrev',
      input: (p) => p.hPrev,
      shape: (p) => [p.dims.batchSize, p.dims.hiddenSize],
    },
    {
      name: 'dW_ih',
      key: 'weight_ih',
      input: (p) => p.weights.weight_ih,
      shape: (p) => [G(p), p.dims.inputSize],
    },
    {
      name: 'dW_hh',
      key: 'weight_hh',
      input: (p) => p.weights.weight_hh,
      shape: (p) => [G(p), p.dims.hiddenSize],
    },
    { name: 'db_ih', key: 'bias_ih', input: (p) => p.weights.bias_ih, shape: (p) => [G(p)] },
    { name: 'db_hh', key: 'bias_hh', input: (p) => p.weights.bias_hh, shape: (p) => [G(p)] },
  ];
  if (kind === 'lstm') {
    specs.splice(2, 0, {
      name: 'dcPrev',
      key: 'dcPrev',
      input: (p) => p.cPrev,
      shape: (p) => [p.dims.batchSize, p.dims.hiddenSize],
    });
  }
  return specs;
}

function checkGradient(p: Problem, spec: GradientSpec, grads: Record<string, unknown>): void {
  const input = spec.input(p);
  if (input === null) {
    if (grads[spec.key] !== null) {
      throw new Failure(
        `${spec.name}: the cell has no bias, so it must be null, got ${String(grads[spec.key])}`,
      );
    }
    return;
  }
  const expected = centralDifference(() => loss(p), input);
  expectClose(spec.name, expected, grads[spec.key], spec.shape(p), {
    expectedFrom: 'central difference',
  });
}

export function stepBackwardGrader(kind: Kind): Grader {
  const specs = gradientSpecs(kind);
  const checks: GraderCheck[] = specs.map((spec) => ({
    name: spec.name,
    run(seed) {
      forCases(seed, { draw, runs: 4 }, (dims, caseSeed) => {
        const p = problem(kind, dims, caseSeed);
        checkGradient(p, spec, studentBackward(p, reference(p).cache));
      });
    },
  }));
  checks.push({
    name: 'edge cases',
    run(seed) {
      const variants = [{}, { bias: false }, ...(kind === 'rnn' ? [{ relu: true }] : [])];
      for (const variant of variants) {
        forCases(seed, { edges: [ONES, { B: 1, I: 2, H: 1 }], runs: 1, draw }, (dims, caseSeed) => {
          const p = problem(kind, dims, caseSeed, variant);
          const grads = studentBackward(p, reference(p).cache);
          for (const spec of specs) checkGradient(p, spec, grads);
        });
      }
    },
  });
  checks.push({
    name: 'inputs unchanged',
    run(seed) {
      const p = problem(kind, { B: 2, I: 3, H: 2 }, seed);
      const { cache } = reference(p);
      const arrays = cache as Record<string, Float64Array>;
      withoutMutation(
        {
          dhNext: p.dhNext,
          dcNext: p.dcNext,
          x: p.x,
          hPrev: p.hPrev,
          weight_ih: p.weights.weight_ih,
          weight_hh: p.weights.weight_hh,
          ...Object.fromEntries(CACHE_FIELDS[kind].map((f) => [`cache.${f}`, arrays[f]!])),
        },
        () => studentBackward(p, cache),
      );
    },
  });
  return { id: `${kind}-step-backward`, checks };
}

export function stepForwardGrader(kind: Kind): Grader {
  const outputs = kind === 'lstm' ? ['h', 'c'] : ['h'];
  const compareOutputs = (p: Problem, names: string[]) => {
    const expected = reference(p) as unknown as Record<string, Float64Array>;
    const got = studentForward(p) as unknown as Record<string, unknown>;
    if (typeof got !== 'object' || got === null) {
      throw new Failure(`${forwardName[kind]} returned ${String(got)}, not { h, cache }`);
    }
    const shape = [p.dims.batchSize, p.dims.hiddenSize];
    for (const name of names) {
      if (name.startsWith('cache.')) {
        const field = name.slice(6);
        const cache = got.cache as Record<string, unknown> | undefined;
        if (typeof cache !== 'object' || cache === null)
          throw new Failure('the result has no cache object');
        const reference = (expected.cache as unknown as Record<string, Float64Array>)[field]!;
        expectClose(
          name,
          reference,
          cache[field],
          [p.dims.batchSize, reference.length / p.dims.batchSize],
          {
            expectedFrom: 'reference',
            atol: 1e-10,
            rtol: 1e-8,
          },
        );
      } else {
        expectClose(name, expected[name]!, got[name], shape, {
          expectedFrom: 'reference',
          atol: 1e-10,
          rtol: 1e-8,
        });
      }
    }
  };
  const checks: GraderCheck[] = outputs.map((name) => ({
    name,
    run(seed) {
      forCases(seed, { draw, runs: 5 }, (dims, caseSeed) =>
        compareOutputs(problem(kind, dims, caseSeed), [name]),
      );
    },
  }));
  checks.push({
    name: 'cache',
    run(seed) {
      const fields = CACHE_FIELDS[kind].map((f) => `cache.${f}`);
      forCases(seed, { draw, runs: 3 }, (dims, caseSeed) =>
        compareOutputs(problem(kind, dims, caseSeed), fields),
      );
    },
  });
  checks.push({
    name: 'edge cases',
    run(seed) {
      const variants = [{}, { bias: false }, ...(kind === 'rnn' ? [{ relu: true }] : [])];
      for (const variant of variants) {
        forCases(seed, { edges: [ONES], runs: 1, draw }, (dims, caseSeed) =>
          compareOutputs(problem(kind, dims, caseSeed, variant), outputs),
        );
      }
    },
  });
  checks.push({
    name: 'inputs unchanged',
    run(seed) {
      const p = problem(kind, { B: 2, I: 3, H: 2 }, seed);
      withoutMutation(
        {
          x: p.x,
          hPrev: p.hPrev,
          cPrev: p.cPrev,
          weight_ih: p.weights.weight_ih,
          weight_hh: p.weights.weight_hh,
          bias_ih: p.weights.bias_ih,
          bias_hh: p.weights.bias_hh,
        },
        () => studentForward(p),
      );
    },
  });
  return { id: `${kind}-step-forward`, checks };
}
