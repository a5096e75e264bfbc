/**
 * The grading thread. `unroll grade` runs the checks here, one message each, so that
 * the main thread can stop a check that never returns (a student's infinite loop)
 * by terminating this thread, and carry on with a new one.
 *
 *   main → worker   { exercise, check, seed }       (exercise: the manifest)
 *   worker → main   { result }                       (a CheckResult)
 *
 * Loaded through bin/grade-worker.js, which registers the TypeScript loader first.
 */

import { parentPort } from 'node:worker_threads';
import { type ExerciseManifest, gradeCheck } from '@unroll/course';

export interface CheckRequest {
  exercise: ExerciseManifest;
  check: number;
  seed: number;
}

parentPort?.on('message', (request: CheckRequest) => {
  let result: ReturnType<typeof gradeCheck>;
  try {
    result = gradeCheck(request.exercise, request.check, request.seed);
  } catch (error) {
    // The grader itself failed (not the student's code, which gradeCheck catches).
    const spec = request.exercise.checks[request.check]!;
    result = {
      name: spec.name,
      points: spec.points,
      score: 0,
      status: 'threw',
      output: `the grader failed: ${(error as Error).stack ?? String(error)}`,
    };
  }
  parentPort!.postMessage({ result });
});
