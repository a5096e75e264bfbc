/**
 * A grader is a list of named checks; each check calls the student's code, compares
 * what comes back with what it should be, and either returns (full points) or throws
 * a Failure whose message says what was compared, on which case, the worst entry
 * with the expected and the student's value, labelled. A check scores all or nothing;
 * partial credit comes from having many small checks (each gradient its own).
 *
 * Whatever the student's code does, the check turns it into a verdict: an
 * ExerciseNotDone becomes "not done yet", any other exception "your code threw …",
 * a wrong type, length or a NaN a failure naming the output. Hanging is the one thing
 * a check cannot catch in its own thread; the lab runs checks in a worker with a
 * time limit for that.
 */

export class Failure extends Error {
  override name = 'Failure';
}

export interface GraderCheck {
  name: string;
  /** Throws Failure (or lets the student's exception through) when the check fails. */
  run(seed: number): void;
}

export interface Grader {
  id: string;
  checks: GraderCheck[];
}

export type CheckStatus = 'passed' | 'failed' | 'not-done' | 'threw' | 'timeout';

export interface CheckResult {
  name: string;
  points: number;
  score: number;
  status: CheckStatus;
  /** One or more lines: empty when passed. */
  output: string;
}

/** Runs one check in this thread and turns every outcome into a CheckResult. */
export function runCheck(
  check: GraderCheck,
  points: number,
  seed: number,
  hint: string,
): CheckResult {
  const result = (status: CheckStatus, output: string): CheckResult => ({
    name: check.name,
    points,
    score: status === 'passed' ? points : 0,
    status,
    output,
  });
  try {
    check.run(seed);
    return result('passed', '');
  } catch (error) {
    const hinted = (text: string) => (hint === '' ? text : `${text}\nhint: ${hint}`);
    if (error instanceof Failure) return result('failed', hinted(error.message));
    if (isNotDone(error)) return result('not-done', (error as Error).message);
    return result('threw', hinted(`your code threw ${describeError(error)}`));
  }
}

/** An ExerciseNotDone from any package's copy of the class (they are told apart by name). */
export function isNotDone(error: unknown): boolean {
  return error instanceof Error && error.name === 'ExerciseNotDone';
}

export function describeError(error: unknown): string {
  if (!(error instanceof Error)) return `a non-Error value: ${String(error)}`;
  const frame = error.stack
    ?.split('\n')
    .find((line) => /^\s+at /.test(line) && !line.includes('/course/src/'));
  return `${error.name}: ${error.message}${frame === undefined ? '' : `\n  ${frame.trim()}`}`;
}
