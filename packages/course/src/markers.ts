/**
 * Exercise regions in the real source. A region is a run of lines between two marker
 * lines, each on a line of its own:
 *
 *   // BEGIN EXERCISE lstm-step-backward
 *   …the solution…
 *   // END EXERCISE lstm-step-backward
 *
 * In a student copy the solution is replaced by a stub that throws ExerciseNotDone
 * (the markers stay, so the student sees where to write, and so do the book's
 * `// eq. C.N` tags inside, which docs/INDEX.md links to). `// BEGIN HIDE id` …
 * `// END HIDE id` marks text that gives an exercise away without being code that
 * runs (a derivation, a second route to the answer): it is removed outright.
 *
 * Markers are matched strictly: an END without its BEGIN, a BEGIN without its END,
 * nested regions, or a region of one id closed by another's END all stop the cut with
 * the file and line, so a source that moved under the markers never yields a copy
 * with a half-removed solution.
 */

export type RegionKind = 'EXERCISE' | 'HIDE';

export interface Region {
  kind: RegionKind;
  id: string;
  file: string;
  /** 0-based line numbers of the BEGIN and END marker lines. */
  begin: number;
  end: number;
  /** The BEGIN line's indentation, which the stub takes. */
  indent: string;
  /** The lines strictly between the markers: the solution. */
  body: string[];
}

export class MarkerError extends Error {
  override name = 'MarkerError';
}

const MARKER = /^(\s*)\/\/ (BEGIN|END) (EXERCISE|HIDE) ([a-z0-9-]+)\s*$/;
/** A marker that would be missed: text after it, or code before it on the same line. */
const STRAY = /(^\s*|[;{}]\s*)\/\/ (BEGIN|END) (EXERCISE|HIDE)\b/;

/** Every region of `text`, in order; throws MarkerError on any unmatched marker. */
export function findRegions(text: string, file: string): Region[] {
  const lines = text.split('\n');
  const regions: Region[] = [];
  let open: { kind: RegionKind; id: string; begin: number; indent: string } | null = null;
  for (let n = 0; n < lines.length; n++) {
    const line = lines[n]!;
    const match = MARKER.exec(line);
    if (match === null) {
      if (STRAY.test(line)) {
        throw new MarkerError(`${file}:${n + 1}: an exercise marker must be alone on its line`);
      }
      continue;
    }
    const [, indent, edge, kind, id] = match as unknown as [
      string,
      string,
      string,
      RegionKind,
      string,
    ];
    if (edge === 'BEGIN') {
      if (open !== null) {
        throw new MarkerError(
          `${file}:${n + 1}: BEGIN ${kind} ${id} inside ${open.kind} ${open.id} (opened at line ${open.begin + 1}); regions do not nest`,
        );
      }
      open = { kind, id, begin: n, indent };
    } else {
      if (open === null) {
        throw new MarkerError(`${file}:${n + 1}: END ${kind} ${id} has no BEGIN before it`);
      }
      if (open.kind !== kind || open.id !== id) {
        throw new MarkerError(
          `${file}:${n + 1}: END ${kind} ${id} closes BEGIN ${open.kind} ${open.id} (line ${open.begin + 1})`,
        );
      }
      regions.push({ ...open, file, end: n, body: lines.slice(open.begin + 1, n) });
      open = null;
    }
  }
  if (open !== null) {
    throw new MarkerError(
      `${file}:${open.begin + 1}: BEGIN ${open.kind} ${open.id} is never closed`,
    );
  }
  return regions;
}

/** A tag naming the book's equation that the next lines compute: `// eq. 6.3 — …`. */
export const EQUATION_TAG = /^\s*\/\/ eq\. \d+\.\d+/;

/** The lines that replace an exercise region's body in a student copy. */
export function stubLines(id: string, chapter: number, indent: string): string[] {
  return [
    `${indent}// Your code here: see packages/course/exercises/${id}.md (chapter ${chapter}).`,
    `${indent}throw new ExerciseNotDone('${id}', ${chapter});`,
  ];
}

/**
 * `text` with the regions of the `cut` exercises replaced: EXERCISE bodies by the stub,
 * HIDE regions (markers and all) by nothing. Returns null when nothing was cut.
 * `importPath` is where this file imports ExerciseNotDone from.
 */
export function cutText(
  text: string,
  file: string,
  cut: ReadonlyMap<string, number>,
  importPath: string,
): string | null {
  const regions = findRegions(text, file).filter((r) => cut.has(r.id));
  if (regions.length === 0) return null;
  const lines = text.split('\n');
  let needsImport = false;
  // From the bottom up, so earlier line numbers stay valid.
  for (const region of [...regions].reverse()) {
    if (region.kind === 'HIDE') {
      lines.splice(region.begin, region.end - region.begin + 1);
    } else {
      needsImport = true;
      // The book's equation tags stay (docs/INDEX.md links to them); the solution goes.
      const tags = region.body.filter((line) => EQUATION_TAG.test(line));
      const stub = stubLines(region.id, cut.get(region.id)!, region.indent);
      lines.splice(region.begin + 1, region.end - region.begin - 1, ...tags, ...stub);
    }
  }
  if (needsImport) {
    lines.splice(importLine(lines), 0, `import { ExerciseNotDone } from '${importPath}';`);
  }
  return lines.join('\n');
}

/** The line after the last top-level import statement (or after the leading comment). */
function importLine(lines: readonly string[]): number {
  let after = -1;
  for (let n = 0; n < lines.length; n++) {
    if (/^import\s/.test(lines[n]!)) {
      let m = n;
      while (m < lines.length && !/;\s*$/.test(lines[m]!)) m++;
      after = m + 1;
      n = m;
    }
  }
  if (after >= 0) return after;
  let n = 0;
  if (lines[0]?.startsWith('/*')) {
    while (n < lines.length && !lines[n]!.includes('*/')) n++;
    n++;
  }
  return n;
}

/** The source of the ExerciseNotDone class that a student copy gets in each package it cuts. */
export const EXERCISE_NOT_DONE_SOURCE = `/**
 * Thrown by an exercise that is not written yet. Each exercise's stub throws it, so
 * whatever depends on an unfinished exercise stops with its name and chapter instead
 * of a confusing crash further on. (This file exists only in a course copy.)
 */
export class ExerciseNotDone extends Error {
  override name = 'ExerciseNotDone';
  readonly exercise: string;
  readonly chapter: number;

  constructor(exercise: string, chapter: number) {
    super(
      \`exercise '\${exercise}' (chapter \${chapter}) is not done yet: write it between the BEGIN and END EXERCISE \${exercise} markers; what to do is in packages/course/exercises/\${exercise}.md\`,
    );
    this.exercise = exercise;
    this.chapter = chapter;
  }
}
`;
