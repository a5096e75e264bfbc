/**
 * @unroll/course — the course kit. Read in this order:
 *   manifest.ts        an exercise's manifest: exercises/<id>.md, front matter and text
 *   markers.ts         BEGIN/END EXERCISE regions in the real source, and their stubs
 *   student-copy.ts    the cutter: the repository's files → a student copy
 *   grading/check.ts   checks, verdicts, ExerciseNotDone and exceptions as scores
 *   grading/judge.ts   calling student code safely, comparing, random cases, shrinking
 *   reference/cells.ts the forward steps the graders keep for themselves
 *   graders/*.ts       one grader per exercise
 *   grade.ts           grading in this thread
 *   report.ts          text, json, Gradescope results.json and JUnit XML
 */

export {
  checkSeed,
  DEFAULT_SEED,
  type ExerciseResult,
  exerciseResult,
  type GradeReport,
  gradeCheck,
  gradeInProcess,
  graderFor,
  report,
} from './grade.ts';
export { graders } from './graders/index.ts';
export {
  type CheckResult,
  type CheckStatus,
  Failure,
  type Grader,
  type GraderCheck,
  runCheck,
} from './grading/check.ts';
export { type ExerciseManifest, ManifestError, parseManifest } from './manifest.ts';
export {
  cutText,
  EQUATION_TAG,
  EXERCISE_NOT_DONE_SOURCE,
  findRegions,
  MarkerError,
  type Region,
  stubLines,
} from './markers.ts';
export { FORMATS, type Format, formatReport } from './report.ts';
export {
  courseGuide,
  makeStudentCopy,
  pasteSolutions,
  regionsOf,
  relativeImport,
  type StudentCopy,
} from './student-copy.ts';
