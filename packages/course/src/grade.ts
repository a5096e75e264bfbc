/**
 * Grading in this thread: every check of an exercise, its points from the manifest.
 * (`unroll grade` runs the same checks in a worker with a time limit per check; see
 * the lab's cmd-grade.ts.)
 */

import { graders } from './graders/index.ts';
import { type CheckResult, type Grader, runCheck } from './grading/check.ts';
import type { ExerciseManifest } from './manifest.ts';

/** The seed students see by default; a teacher may grade with another. */
export const DEFAULT_SEED = 20_26;

export interface ExerciseResult {
  id: string;
  title: string;
  chapter: number;
  points: number;
  score: number;
  checks: CheckResult[];
}

export interface GradeReport {
  seed: number;
  score: number;
  maxScore: number;
  exercises: ExerciseResult[];
}

/** The grader of `manifest`, after checking that both name the same checks. */
export function graderFor(manifest: ExerciseManifest): Grader {
  const grader = graders.get(manifest.id);
  if (grader === undefined)
    throw new Error(`exercise '${manifest.id}' has a manifest but no grader`);
  const inCode = grader.checks.map((c) => c.name).join(' | ');
  const inManifest = manifest.checks.map((c) => c.name).join(' | ');
  if (inCode !== inManifest) {
    throw new Error(
      `exercises/${manifest.id}.md lists the checks [${inManifest}] but its grader has [${inCode}]`,
    );
  }
  return grader;
}

/** Each check's own seed: the grading seed mixed with the check's position. */
export function checkSeed(seed: number, index: number): number {
  return (Math.imul(seed ^ 0x9e3779b9, 0x85ebca6b) + Math.imul(index + 1, 0xc2b2ae35)) >>> 0;
}

/** Runs check `index` of `manifest`'s grader. */
export function gradeCheck(manifest: ExerciseManifest, index: number, seed: number): CheckResult {
  const grader = graderFor(manifest);
  return runCheck(
    grader.checks[index]!,
    manifest.checks[index]!.points,
    checkSeed(seed, index),
    manifest.hint,
  );
}

/** Assembles an exercise's result from its check results. */
export function exerciseResult(manifest: ExerciseManifest, checks: CheckResult[]): ExerciseResult {
  return {
    id: manifest.id,
    title: manifest.title,
    chapter: manifest.chapter,
    points: manifest.points,
    score: checks.reduce((sum, c) => sum + c.score, 0),
    checks,
  };
}

/** Grades `manifests` in this thread (no time limit: for tests and trusted code). */
export function gradeInProcess(
  manifests: readonly ExerciseManifest[],
  seed = DEFAULT_SEED,
): GradeReport {
  return report(
    seed,
    manifests.map((m) =>
      exerciseResult(
        m,
        m.checks.map((_, i) => gradeCheck(m, i, seed)),
      ),
    ),
  );
}

export function report(seed: number, exercises: ExerciseResult[]): GradeReport {
  return {
    seed,
    score: exercises.reduce((sum, e) => sum + e.score, 0),
    maxScore: exercises.reduce((sum, e) => sum + e.points, 0),
    exercises,
  };
}
