/**
 * What a student copy is, as a pure function of the repository's files: the cutter.
 * (Reading the repository and writing the copy is the `unroll course make` command's
 * job, in the lab; here the files are a map from repository-relative path to text.)
 *
 * For the chosen exercises it
 *   - replaces every EXERCISE region by its stub and removes every HIDE region,
 *   - adds `src/exercise-not-done.ts` to each package that now throws ExerciseNotDone,
 *   - deletes the files the manifests list under `remove`,
 *   - writes COURSE.md, the student's guide to the copy.
 * Before cutting anything it checks the markers against the manifests: a region whose
 * id has no manifest, a manifest whose files hold none of its regions, or a region in
 * a file its manifest does not list, stops the cut with a MarkerError.
 */

import type { ExerciseManifest } from './manifest.ts';
import {
  cutText,
  EQUATION_TAG,
  EXERCISE_NOT_DONE_SOURCE,
  findRegions,
  MarkerError,
  type Region,
  stubLines,
} from './markers.ts';

export interface StudentCopy {
  /** Every file of the copy (unchanged ones included), by repository-relative path. */
  files: Map<string, string>;
  /** The files whose text the cut changed or added. */
  changed: string[];
  /** The files left out (whether or not they were among the files given). */
  removed: string[];
}

/**
 * Files a student copy never holds: the honesty test grades the library's own solutions,
 * which a student copy does not have.
 */
export const TEACHER_ONLY: readonly string[] = ['packages/lab/test/course-honesty.test.ts'];

/** All regions of all `.ts` files, checked against the manifests. */
export function regionsOf(
  files: ReadonlyMap<string, string>,
  manifests: readonly ExerciseManifest[],
): Region[] {
  const byId = new Map(manifests.map((m) => [m.id, m]));
  const regions: Region[] = [];
  for (const [path, text] of files) {
    // Regions live in a package's src/ (tests and scripts may quote markers in strings).
    if (!/^packages\/[^/]+\/src\/.*\.ts$/.test(path)) continue;
    if (!text.includes('// BEGIN ') && !text.includes('// END ')) continue;
    for (const region of findRegions(text, path)) {
      const manifest = byId.get(region.id);
      if (manifest === undefined) {
        throw new MarkerError(
          `${path}:${region.begin + 1}: no exercise manifest has id '${region.id}'`,
        );
      }
      if (!manifest.files.includes(path)) {
        throw new MarkerError(
          `${path}:${region.begin + 1}: a region of '${region.id}', but exercises/${region.id}.md does not list this file`,
        );
      }
      regions.push(region);
    }
  }
  for (const manifest of manifests) {
    for (const file of manifest.files) {
      if (!regions.some((r) => r.id === manifest.id && r.file === file && r.kind === 'EXERCISE')) {
        throw new MarkerError(
          `exercises/${manifest.id}.md lists ${file}, but it holds no BEGIN/END EXERCISE ${manifest.id} region`,
        );
      }
    }
  }
  return regions;
}

/** The student copy of `files` with the exercises `ids` cut. */
export function makeStudentCopy(
  files: ReadonlyMap<string, string>,
  manifests: readonly ExerciseManifest[],
  ids: readonly string[],
): StudentCopy {
  const byId = new Map(manifests.map((m) => [m.id, m]));
  for (const id of ids) {
    if (!byId.has(id)) throw new MarkerError(`no exercise '${id}' (see: unroll course list)`);
  }
  const regions = regionsOf(files, manifests);
  const cut = new Map(ids.map((id) => [id, byId.get(id)!.chapter]));
  const out = new Map(files);
  const changed: string[] = [];
  const removed: string[] = [];
  const touchedFiles = new Set(regions.filter((r) => cut.has(r.id)).map((r) => r.file));
  for (const path of touchedFiles) {
    const source = packageSource(path);
    const text = cutText(
      files.get(path)!,
      path,
      cut,
      relativeImport(path, `${source}/exercise-not-done.ts`),
    );
    if (text === null) continue;
    out.set(path, text);
    changed.push(path);
    if (text.includes('new ExerciseNotDone(')) {
      const helper = `${source}/exercise-not-done.ts`;
      if (!out.has(helper) || files.get(helper) !== EXERCISE_NOT_DONE_SOURCE) {
        out.set(helper, EXERCISE_NOT_DONE_SOURCE);
        if (!changed.includes(helper)) changed.push(helper);
      }
    }
  }
  for (const path of [...TEACHER_ONLY, ...ids.flatMap((id) => byId.get(id)!.remove)]) {
    out.delete(path);
    if (!removed.includes(path)) removed.push(path);
  }
  out.set('COURSE.md', courseGuide(ids.map((id) => byId.get(id)!)));
  changed.push('COURSE.md');
  return { files: out, changed, removed };
}

/** `packages/bptt/src/steps/x.ts` → `packages/bptt/src` (the package's source root). */
function packageSource(path: string): string {
  const match = /^(packages\/[^/]+\/src)\//.exec(path);
  if (match === null) throw new MarkerError(`${path}: exercise regions live in a package's src/`);
  return match[1]!;
}

/** The import specifier from file `from` to file `to` (both repository-relative). */
export function relativeImport(from: string, to: string): string {
  const fromDir = from.split('/').slice(0, -1);
  const target = to.split('/');
  let common = 0;
  while (common < fromDir.length && fromDir[common] === target[common]) common++;
  const up = fromDir.length - common;
  const rest = target.slice(common).join('/');
  return up === 0 ? `./${rest}` : `${'../'.repeat(up)}${rest}`;
}

/** COURSE.md: what a student reads first. */
export function courseGuide(exercises: readonly ExerciseManifest[]): string {
  const sorted = [...exercises].sort((a, b) => a.chapter - b.chapter || a.id.localeCompare(b.id));
  const total = sorted.reduce((sum, e) => sum + e.points, 0);
  return [
    '# Your course copy of unroll',
    '',
    'This is the whole of unroll, the book and its library, with some of its code taken out.',
    'Each piece that was taken out is an exercise: the function is still there, with the',
    'same name and the same comments above it, but between its `// BEGIN EXERCISE id` and',
    '`// END EXERCISE id` lines it now throws `ExerciseNotDone`. Anything that needs an',
    "unfinished exercise stops with that error and the exercise's name.",
    '',
    '## The loop',
    '',
    '```sh',
    'npm ci                                  # once',
    'npx unroll course list                  # the exercises, their chapters and points',
    'npx unroll grade lstm-step-backward     # grade one exercise (or several, or all)',
    'npx unroll grade --format json          # the same as data',
    '```',
    '',
    'Each exercise is graded by several checks, each worth part of its points: the forward',
    'value, each gradient on its own, the shapes, the edge cases. Gradients are judged',
    'against central differences on random sizes and values; a failing check shows the',
    'smallest failing case it could find, the worst entry with the expected value and',
    'yours, and a hint. Your teacher may grade with another `--seed`: make it right, not',
    'right for one seed.',
    '',
    "Read the exercise's chapter of the book (docs/) first, then its text in",
    '`packages/course/exercises/<id>.md`. `npm run typecheck` must pass at every step.',
    '',
    `## Your exercises (${total} points)`,
    '',
    '| exercise | chapter | points | what |',
    '|---|---|---|---|',
    ...sorted.map((e) => `| \`${e.id}\` | ${e.chapter} | ${e.points} | ${e.title} |`),
    '',
  ].join('\n');
}

/**
 * Pastes a submission's solutions into a student copy: for each chosen exercise, every
 * region's body in `target` (which must still be the stub, so a copy with solutions is
 * never overwritten) is replaced by the body of the same region, in the same file, of
 * `submission`. Only region bodies move: graders, references and everything else stay
 * the target's own. Returns the changed files and, per exercise, whether it was found.
 */
export function pasteSolutions(
  target: ReadonlyMap<string, string>,
  submission: ReadonlyMap<string, string>,
  manifests: readonly ExerciseManifest[],
  ids: readonly string[],
): { files: Map<string, string>; pasted: string[]; missing: string[] } {
  const files = new Map<string, string>();
  const pasted = new Set<string>();
  const missing = new Set<string>();
  for (const manifest of manifests.filter((m) => ids.includes(m.id))) {
    for (const path of manifest.files) {
      const text = files.get(path) ?? target.get(path);
      if (text === undefined) throw new MarkerError(`${path}: not in this copy`);
      const lines = text.split('\n');
      const mine = findRegions(text, path).filter(
        (r) => r.id === manifest.id && r.kind === 'EXERCISE',
      );
      const theirs = submission.has(path)
        ? findRegions(submission.get(path)!, `submission ${path}`).filter(
            (r) => r.id === manifest.id && r.kind === 'EXERCISE',
          )
        : [];
      if (theirs.length !== mine.length) {
        missing.add(manifest.id);
        continue;
      }
      for (let k = mine.length - 1; k >= 0; k--) {
        const region = mine[k]!;
        const stub = stubLines(manifest.id, manifest.chapter, region.indent);
        const untagged = region.body.filter((line) => !EQUATION_TAG.test(line));
        if (untagged.join('\n') !== stub.join('\n')) {
          throw new MarkerError(
            `${path}:${region.begin + 1}: the region of '${manifest.id}' is not the stub; paste only into a student copy`,
          );
        }
        lines.splice(region.begin + 1, region.end - region.begin - 1, ...theirs[k]!.body);
      }
      files.set(path, lines.join('\n'));
      pasted.add(manifest.id);
    }
  }
  for (const id of missing) pasted.delete(id);
  return { files, pasted: [...pasted], missing: [...missing] };
}
