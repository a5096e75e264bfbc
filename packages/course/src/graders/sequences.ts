/**
 * Graders of chapters 6–8: BPTT over a whole sequence (the vanilla RNN's hand-derived
 * backward), the largest singular value by power iteration, and the adding problem's
 * generator.
 */

import { type CellWeights, rnnBackward, rnnForward } from '@unroll/bptt';
import { largestSingularValue, singularValues } from '@unroll/diagnostics';
import { AddingProblem } from '@unroll/tasks';
import { Rng } from '@unroll/tensor';
import { Failure, type Grader, type GraderCheck } from '../grading/check.ts';
import {
  between,
  call,
  centralDifference,
  type Dims,
  dot,
  expectArray,
  expectClose,
  forCases,
  seededRandom,
  uniform,
} from '../grading/judge.ts';

interface SequenceProblem {
  weights: CellWeights;
  xs: Float64Array;
  h0: Float64Array;
  dOutput: Float64Array;
  dhT: Float64Array;
  dims: { batchSize: number; steps: number; inputSize: number; hiddenSize: number };
  nonlinearity: 'tanh' | 'relu';
}

function sequenceProblem(dims: Dims, caseSeed: number, relu = false): SequenceProblem {
  const random = seededRandom(caseSeed);
  const { B, T, I, H } = dims as { B: number; T: number; I: number; H: number };
  return {
    weights: {
      weight_ih: uniform(random, H * I, 0.9),
      weight_hh: uniform(random, H * H, 0.9),
      bias_ih: uniform(random, H, 0.5),
      bias_hh: uniform(random, H, 0.5),
    },
    xs: uniform(random, B * T * I),
    h0: uniform(random, B * H),
    dOutput: uniform(random, B * T * H),
    dhT: uniform(random, B * H),
    dims: { batchSize: B, steps: T, inputSize: I, hiddenSize: H },
    nonlinearity: relu ? 'relu' : 'tanh',
  };
}

/** L = Σ dOutput ⊙ outputs + Σ dhT ⊙ h_T, through the library's forward (not an exercise). */
function sequenceLoss(p: SequenceProblem): number {
  const tape = rnnForward(p.weights, p.xs, p.h0, p.dims, p.nonlinearity);
  return dot(p.dOutput, tape.output) + dot(p.dhT, tape.hT);
}

const drawSequence = (r: () => number): Dims => ({
  B: between(r, 1, 3),
  T: between(r, 1, 5),
  I: between(r, 1, 3),
  H: between(r, 1, 3),
});

const RNN_GRADIENTS: {
  name: string;
  key: string;
  input: (p: SequenceProblem) => Float64Array;
  shape: (p: SequenceProblem) => number[];
}[] = [
  {
    name: 'dW_ih',
    key: 'weight_ih',
    input: (p) => p.weights.weight_ih,
    shape: (p) => [p.dims.hiddenSize, p.dims.inputSize],
  },
  {
    name: 'dW_hh',
    key: 'weight_hh',
    input: (p) => p.weights.weight_hh,
    shape: (p) => [p.dims.hiddenSize, p.dims.hiddenSize],
  },
  {
    name: 'db_ih',
    key: 'bias_ih',
    input: (p) => p.weights.bias_ih!,
    shape: (p) => [p.dims.hiddenSize],
  },
  {
    name: 'db_hh',
    key: 'bias_hh',
    input: (p) => p.weights.bias_hh!,
    shape: (p) => [p.dims.hiddenSize],
  },
  {
    name: 'dh0',
    key: 'dh0',
    input: (p) => p.h0,
    shape: (p) => [p.dims.batchSize, p.dims.hiddenSize],
  },
  {
    name: 'dxs',
    key: 'dxs',
    input: (p) => p.xs,
    shape: (p) => [p.dims.batchSize, p.dims.steps, p.dims.inputSize],
  },
];

function gradeRnnBackward(p: SequenceProblem, names: readonly string[]): void {
  const tape = rnnForward(p.weights, p.xs, p.h0, p.dims, p.nonlinearity);
  const grads = call('rnnBackward', () =>
    rnnBackward(p.weights, tape, p.dOutput, { dhT: p.dhT }),
  ) as unknown as Record<string, unknown>;
  if (typeof grads !== 'object' || grads === null)
    throw new Failure(`rnnBackward returned ${String(grads)}`);
  for (const spec of RNN_GRADIENTS.filter((s) => names.includes(s.name))) {
    const expected = centralDifference(() => sequenceLoss(p), spec.input(p));
    expectClose(
      spec.name,
      expected,
      call(`reading ${spec.key}`, () => grads[spec.key]),
      spec.shape(p),
      {
        expectedFrom: 'central difference',
      },
    );
  }
}

export const rnnBpttGrader: Grader = {
  id: 'rnn-bptt',
  checks: [
    ...RNN_GRADIENTS.map(
      (spec): GraderCheck => ({
        name: spec.name,
        run: (seed) =>
          forCases(seed, { draw: drawSequence }, (dims, caseSeed) =>
            gradeRnnBackward(sequenceProblem(dims, caseSeed), [spec.name]),
          ),
      }),
    ),
    {
      name: 'edge cases (T = 1, B = 1, H = 1, relu)',
      run(seed) {
        const all = RNN_GRADIENTS.map((s) => s.name);
        forCases(
          seed,
          {
            edges: [
              { B: 1, T: 1, I: 1, H: 1 },
              { B: 1, T: 1, I: 2, H: 3 },
            ],
            runs: 0,
            draw: drawSequence,
          },
          (dims, caseSeed) => gradeRnnBackward(sequenceProblem(dims, caseSeed), all),
        );
        forCases(seed, { runs: 2, draw: drawSequence }, (dims, caseSeed) =>
          gradeRnnBackward(sequenceProblem(dims, caseSeed, true), all),
        );
      },
    },
  ],
};

/** σ₁ of a small matrix from every eigenvalue of WᵀW by Jacobi rotations (the reference). */
function referenceSigma1(W: Float64Array, rows: number, cols: number): number {
  return singularValues(W, rows, cols)[0]!;
}

const drawMatrix = (r: () => number): Dims => ({ rows: between(r, 1, 6), cols: between(r, 1, 6) });

function singularValueOf(W: Float64Array, rows: number, cols: number) {
  const result = call('largestSingularValue', () =>
    largestSingularValue({ data: W, rows, cols }, { seed: 3 }),
  );
  if (typeof result !== 'object' || result === null)
    throw new Failure(`largestSingularValue returned ${String(result)}`);
  return result;
}

export const powerIterationGrader: Grader = {
  id: 'power-iteration',
  checks: [
    {
      name: 'σ₁ of diagonal matrices',
      run(seed) {
        forCases(seed, { draw: (r) => ({ n: between(r, 1, 6) }) }, ({ n }, caseSeed) => {
          const d = uniform(seededRandom(caseSeed), n!, 3);
          const W = new Float64Array(n! * n!);
          for (let i = 0; i < n!; i++) W[i * n! + i] = d[i]!;
          const got = singularValueOf(W, n!, n!);
          expectClose('σ₁', [Math.max(...[...d].map(Math.abs))], [got.value], [1], {
            expectedFrom: 'max |dᵢ|',
            atol: 1e-7,
            rtol: 1e-7,
          });
        });
      },
    },
    {
      name: 'σ₁ of random matrices',
      run(seed) {
        forCases(
          seed,
          { edges: [{ rows: 1, cols: 1 }], draw: drawMatrix },
          ({ rows, cols }, caseSeed) => {
            const W = uniform(seededRandom(caseSeed), rows! * cols!);
            const got = singularValueOf(W, rows!, cols!);
            expectClose('σ₁', [referenceSigma1(W, rows!, cols!)], [got.value], [1], {
              expectedFrom: 'Jacobi eigenvalues of WᵀW',
              atol: 1e-7,
              rtol: 1e-6,
            });
          },
        );
      },
    },
    {
      name: 'the singular vector',
      run(seed) {
        forCases(seed, { draw: drawMatrix }, ({ rows, cols }, caseSeed) => {
          const W = uniform(seededRandom(caseSeed), rows! * cols!);
          const got = singularValueOf(W, rows!, cols!);
          const v = expectArray('vector', got.vector, [cols!]);
          const Wv = new Float64Array(rows!);
          for (let r = 0; r < rows!; r++)
            for (let c = 0; c < cols!; c++) Wv[r]! += W[r * cols! + c]! * v[c]!;
          expectClose(
            '[‖v‖, ‖Wv‖]',
            [1, referenceSigma1(W, rows!, cols!)],
            [Math.sqrt(dot(v, v)), Math.sqrt(dot(Wv, Wv))],
            [2],
            {
              expectedFrom: '[1, σ₁]',
              atol: 1e-6,
              rtol: 1e-5,
            },
          );
        });
      },
    },
    {
      name: 'the zero matrix',
      run() {
        const got = singularValueOf(new Float64Array(6), 2, 3);
        if (got.value !== 0)
          throw new Failure(`σ₁ of the 2×3 zero matrix: expected 0, got ${got.value} (yours)`);
      },
    },
  ],
};

function addingBatch(T: number, B: number, seed: number) {
  const problem = new AddingProblem({ length: T });
  return call('AddingProblem.batch', () => problem.batch(B, new Rng(seed)));
}

const drawAdding = (r: () => number): Dims => ({ T: between(r, 2, 30), B: between(r, 1, 6) });

export const addingProblemGrader: Grader = {
  id: 'adding-problem',
  checks: [
    {
      name: 'shapes and values',
      run(seed) {
        forCases(seed, { edges: [{ T: 2, B: 1 }], draw: drawAdding }, ({ T, B }, caseSeed) => {
          const batch = addingBatch(T!, B!, caseSeed);
          const inputs = expectArray('inputs', batch.inputs?.data, [B!, T!, 2]);
          expectArray('targets', batch.targets?.data, [B!, 1]);
          for (let i = 0; i < inputs.length; i += 2) {
            if (!(inputs[i]! >= 0 && inputs[i]! < 1))
              throw new Failure(`inputs value channel holds ${inputs[i]}, outside [0, 1)`);
            if (inputs[i + 1] !== 0 && inputs[i + 1] !== 1)
              throw new Failure(`the marker channel holds ${inputs[i + 1]}, not 0 or 1`);
          }
        });
      },
    },
    {
      name: 'one marker in each half',
      run(seed) {
        forCases(
          seed,
          {
            edges: [
              { T: 2, B: 1 },
              { T: 3, B: 2 },
            ],
            draw: drawAdding,
          },
          ({ T, B }, caseSeed) => {
            const batch = addingBatch(T!, B!, caseSeed);
            const inputs = expectArray('inputs', batch.inputs?.data, [B!, T!, 2]);
            const half = Math.floor(T! / 2);
            for (let b = 0; b < B!; b++) {
              const marked: number[] = [];
              for (let t = 0; t < T!; t++) if (inputs[(b * T! + t) * 2 + 1] === 1) marked.push(t);
              if (marked.length !== 2 || marked[0]! >= half || marked[1]! < half) {
                throw new Failure(
                  `sequence ${b} (T = ${T}) is marked at steps [${marked}]; expected exactly two, the first before T/2 = ${half}, the second at or after it`,
                );
              }
              const listed = batch.markers?.[b];
              if (listed?.[0] !== marked[0] || listed?.[1] !== marked[1]) {
                throw new Failure(
                  `markers[${b}] is ${JSON.stringify(listed)}, but the marked steps are [${marked}]`,
                );
              }
            }
          },
        );
      },
    },
    {
      name: 'targets are the marked sums',
      run(seed) {
        forCases(seed, { draw: drawAdding }, ({ T, B }, caseSeed) => {
          const batch = addingBatch(T!, B!, caseSeed);
          const inputs = expectArray('inputs', batch.inputs?.data, [B!, T!, 2]);
          const expected = new Float64Array(B!);
          for (let b = 0; b < B!; b++) {
            for (let t = 0; t < T!; t++)
              if (inputs[(b * T! + t) * 2 + 1] === 1) expected[b]! += inputs[(b * T! + t) * 2]!;
          }
          expectClose('targets', expected, batch.targets?.data, [B!, 1], {
            expectedFrom: 'sum of the marked values',
            atol: 1e-15,
            rtol: 0,
          });
        });
      },
    },
    {
      name: 'seeded and spread out',
      run(seed) {
        const a = addingBatch(40, 200, seed);
        const b = addingBatch(40, 200, seed);
        const x = expectArray('inputs', a.inputs?.data, [200, 40, 2]);
        expectClose('inputs drawn twice from the same seed', x, b.inputs?.data, [200, 40, 2], {
          expectedFrom: 'first draw',
          atol: 0,
          rtol: 0,
        });
        // Values ~ U[0, 1): mean 1/2 (sd of the mean of 8000 is 0.003); both markers land on every step of their half.
        let mean = 0;
        const firsts = new Set<number>();
        const seconds = new Set<number>();
        for (let i = 0; i < x.length; i += 2) mean += x[i]! / (x.length / 2);
        for (const [first, second] of a.markers ?? []) {
          firsts.add(first);
          seconds.add(second);
        }
        if (Math.abs(mean - 0.5) > 0.02)
          throw new Failure(`the values average ${mean}; uniform on [0, 1) averages 0.5`);
        if (firsts.size < 15 || seconds.size < 15) {
          throw new Failure(
            `over 200 sequences of T = 40 the markers hit only ${firsts.size} and ${seconds.size} of the 20 steps of each half`,
          );
        }
      },
    },
  ],
};
