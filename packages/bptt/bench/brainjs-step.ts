/**
 * The peer from npm that trains recurrent networks in plain JavaScript: brain.js 1.6.1
 * (`recurrent.LSTMTimeStep`, `GRUTimeStep`, `RNNTimeStep`, one hidden layer of H).
 * It trains one sequence at a time (no batch dimension), so one step of the benchmark
 * is B calls of `trainPattern` — forward over T steps with a readout at every step,
 * backward, weight update — on the same B sequences of [T, I] inputs. Its targets are
 * the next step's inputs (that is what a TimeStep network learns; I = O in both
 * benchmark sizes), so only the time is comparable, not the loss. Float32 storage.
 */

import brain from 'brain.js';
import { type BenchProblem, learningRate } from './sizes.ts';

interface TimeStepNetwork {
  train(data: number[][][], options: { iterations: number }): unknown;
  trainPattern(sequence: number[][], logErrorRate: boolean): number;
}

type Recurrent = Record<string, new (options: object) => TimeStepNetwork>;

export function brainjsStep(problem: BenchProblem): () => number {
  const { size, cell } = problem;
  const { batchSize: B, steps: T, inputSize: I, hiddenSize: H, outputSize: O } = size;
  const recurrent = (brain as unknown as { recurrent: Recurrent }).recurrent;
  const Network =
    recurrent[cell === 'lstm' ? 'LSTMTimeStep' : cell === 'gru' ? 'GRUTimeStep' : 'RNNTimeStep']!;
  const network = new Network({ inputSize: I, hiddenLayers: [H], outputSize: O, learningRate });
  const sequences = Array.from({ length: B }, (_, b) =>
    Array.from({ length: T }, (_, t) =>
      Array.from(problem.xs.subarray((b * T + t) * I, (b * T + t + 1) * I)),
    ),
  );
  network.train(sequences.slice(0, 1), { iterations: 0 }); // builds the model, trains nothing
  return () => {
    let sum = 0;
    for (const sequence of sequences) sum += network.trainPattern(sequence, true);
    return sum / B;
  };
}
