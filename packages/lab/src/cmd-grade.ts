/**
 * `unroll grade [id…] [--format text|json|gradescope|junit] [--out FILE] [--seed N]
 * [--timeout-s S]`: grades exercises (all of them when no id is given) in this
 * repository or a student copy.
 *
 * Every check runs on a worker thread (grade-worker.ts) under a time limit: a check
 * that does not answer in time scores 0 as 'timeout', the thread is terminated and a
 * fresh one takes the next check. A student's code can throw, loop forever or return
 * nonsense; the grade still comes out, whole.
 *
 * Exit code 0 when every check passes, 1 when some check fails, 2 on a usage error.
 */

import { renameSync, writeFileSync } from 'node:fs';
import { Worker } from 'node:worker_threads';
import {
  type CheckResult,
  DEFAULT_SEED,
  type ExerciseManifest,
  exerciseResult,
  FORMATS,
  formatReport,
  type GradeReport,
  report,
} from '@unroll/course';
import { type CommandSpec, parseFlags, UsageError } from './args.ts';
import { readManifests } from './course-files.ts';
import type { CheckRequest } from './grade-worker.ts';
import type { Io } from './main.ts';

export const gradeCommand = {
  name: 'grade',
  summary:
    'Grade course exercises (all, or the ids given) with partial credit per check; prints a report or writes Gradescope results.json, JUnit XML or JSON.',
  usage:
    'unroll grade [id…] [--format text|json|gradescope|junit] [--out FILE] [--seed N] [--timeout-s S]',
  flags: {
    format: { kind: 'choice', choices: FORMATS, help: 'report format', default: 'text' },
    out: { kind: 'string', placeholder: 'FILE', help: 'write the report here (default: print it)' },
    seed: {
      kind: 'int',
      min: 0,
      max: 4294967295,
      help: 'seed of the random cases (a teacher may grade with another)',
      default: DEFAULT_SEED,
    },
    'timeout-s': {
      kind: 'number',
      above: 0,
      max: 3600,
      help: 'time limit of each check, in seconds',
      default: 20,
    },
  },
  examples: [
    'unroll grade',
    'unroll grade lstm-step-backward --seed 7',
    'unroll grade --format gradescope --out /autograder/results/results.json',
  ],
} as const satisfies CommandSpec;

export async function runGrade(argv: readonly string[], io: Io): Promise<number> {
  const ids: string[] = [];
  const rest = [...argv];
  while (rest.length > 0 && !rest[0]!.startsWith('-')) ids.push(rest.shift()!);
  const flags = parseFlags(rest, gradeCommand);
  let all: ReturnType<typeof readManifests>;
  try {
    all = readManifests();
  } catch (error) {
    io.stderr.write(`unroll grade: ${(error as Error).message}\n`);
    return 1;
  }
  for (const id of ids) {
    if (!all.some((m) => m.id === id)) {
      throw new UsageError(
        `no exercise '${id}' (unroll course list shows them)`,
        gradeCommand.usage,
      );
    }
  }
  const chosen = ids.length === 0 ? all : all.filter((m) => ids.includes(m.id));
  const seed = flags.seed ?? DEFAULT_SEED;
  const graded = await gradeOnWorkers(chosen, seed, (flags['timeout-s'] ?? 20) * 1000);
  const text = formatReport(graded, flags.format ?? 'text');
  if (flags.out === undefined) io.stdout.write(text);
  else {
    const temporary = `${flags.out}.tmp-${process.pid}`;
    try {
      writeFileSync(temporary, text);
      renameSync(temporary, flags.out);
    } catch (error) {
      io.stderr.write(`unroll grade: cannot write ${flags.out}: ${(error as Error).message}\n`);
      return 1;
    }
    io.stdout.write(
      `score ${graded.score}/${graded.maxScore} (seed ${seed}) written to ${flags.out}\n`,
    );
  }
  const allPassed = graded.exercises.every((e) => e.checks.every((c) => c.status === 'passed'));
  return allPassed ? 0 : 1;
}

/**
 * Grades every check of `manifests` on a worker thread, `timeoutMs` per check. `entry`
 * is the worker's script (tests give one that misbehaves).
 */
export async function gradeOnWorkers(
  manifests: readonly ExerciseManifest[],
  seed: number,
  timeoutMs: number,
  entry: URL = new URL('../bin/grade-worker.js', import.meta.url),
): Promise<GradeReport> {
  let worker: Worker | null = null;
  const exercises = [];
  try {
    for (const exercise of manifests) {
      const checks: CheckResult[] = [];
      for (let check = 0; check < exercise.checks.length; check++) {
        worker ??= new Worker(entry);
        const outcome = await ask(worker, { exercise, check, seed }, timeoutMs);
        if (outcome.kind !== 'result') {
          void worker.terminate();
          worker = null;
        }
        const spec = exercise.checks[check]!;
        checks.push(
          outcome.kind === 'result'
            ? outcome.result
            : {
                name: spec.name,
                points: spec.points,
                score: 0,
                status: outcome.kind === 'timeout' ? 'timeout' : 'threw',
                output:
                  outcome.kind === 'timeout'
                    ? `no answer within ${timeoutMs / 1000} s: does some loop never end?`
                    : `the grading thread died: ${outcome.message}`,
              },
        );
      }
      exercises.push(exerciseResult(exercise, checks));
    }
  } finally {
    if (worker !== null) await worker.terminate();
  }
  return report(seed, exercises);
}

type Outcome =
  | { kind: 'result'; result: CheckResult }
  | { kind: 'timeout' }
  | { kind: 'died'; message: string };

function ask(worker: Worker, request: CheckRequest, timeoutMs: number): Promise<Outcome> {
  return new Promise((resolve) => {
    const done = (outcome: Outcome) => {
      clearTimeout(timer);
      worker.off('message', onMessage);
      worker.off('error', onError);
      worker.off('exit', onExit);
      resolve(outcome);
    };
    const onMessage = (message: { result: CheckResult }) =>
      done({ kind: 'result', result: message.result });
    const onError = (error: Error) => done({ kind: 'died', message: error.message });
    const onExit = (code: number) => done({ kind: 'died', message: `it exited with code ${code}` });
    const timer = setTimeout(() => done({ kind: 'timeout' }), timeoutMs);
    worker.on('message', onMessage);
    worker.on('error', onError);
    worker.on('exit', onExit);
    worker.postMessage(request);
  });
}
