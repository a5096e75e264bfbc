/**
 * `unroll course list [--json]`: the exercises, with chapter, points and title.
 * `unroll course make --out DIR [--exercises id,id|all]`: a student copy of the
 *   repository with those exercises cut (see @unroll/course and docs/10).
 * `unroll course paste --from DIR [--exercises …]`: in a student copy, take the
 *   bodies of the exercise regions from another copy (a submission).
 * `unroll course autograder --out FILE.zip [--exercises …] [--seed N]`: a Gradescope
 *   autograder (setup.sh, run_autograder, a student copy).
 */

import { readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { DEFAULT_SEED, pasteSolutions } from '@unroll/course';
import { type CommandSpec, parseFlags, UsageError } from './args.ts';
import { autograderZip } from './autograder.ts';
import { readManifests, repositoryFiles, repositoryRoot } from './course-files.ts';
import type { Io } from './main.ts';
import { writeStudentCopy } from './student-copy-writer.ts';
import { textTable } from './text-table.ts';

export const courseCommand = {
  name: 'course',
  summary:
    'The course kit: list the exercises, or make a student copy of the repository with their solutions cut out (each stub throws ExerciseNotDone), ready for unroll grade.',
  usage:
    'unroll course list [--json] | make --out DIR [--exercises IDS] | paste --from DIR [--exercises IDS] | autograder --out FILE.zip [--exercises IDS] [--seed N]',
  flags: {
    json: { kind: 'boolean', help: 'list: print JSON instead of a table' },
    out: {
      kind: 'string',
      placeholder: 'PATH',
      help: 'make: the new folder (absent or empty); autograder: the zip file',
    },
    from: { kind: 'string', placeholder: 'DIR', help: 'paste: the submission (a student copy)' },
    seed: {
      kind: 'int',
      min: 0,
      max: 4294967295,
      help: 'autograder: the grading seed (keep it from students)',
    },
    exercises: {
      kind: 'string',
      placeholder: 'IDS',
      help: 'make: comma-separated exercise ids to cut, or all',
      default: 'all',
    },
  },
  examples: [
    'unroll course list',
    'unroll course make --out ../rnn-course',
    'unroll course make --out /tmp/hw3 --exercises lstm-step-forward,lstm-step-backward',
    'unroll course autograder --out hw3-autograder.zip --exercises lstm-step-backward --seed 81',
  ],
} as const satisfies CommandSpec;

export async function runCourse(argv: readonly string[], io: Io): Promise<number> {
  const [action, ...rest] = argv;
  const actions = ['list', 'make', 'paste', 'autograder'];
  if (action === undefined || !actions.includes(action)) {
    throw new UsageError(
      action === undefined
        ? `say what to do: ${actions.join(', ')}`
        : `unknown action '${action}' (${actions.join(', ')})`,
      courseCommand.usage,
    );
  }
  const flags = parseFlags(rest, courseCommand);
  let manifests: ReturnType<typeof readManifests>;
  try {
    manifests = readManifests();
  } catch (error) {
    io.stderr.write(`unroll course: ${(error as Error).message}\n`);
    return 1;
  }
  if (action === 'list') {
    if (Object.keys(flags).some((f) => f !== 'json')) {
      throw new UsageError('list takes only --json', courseCommand.usage);
    }
    const rows = manifests.map((m) => ({
      id: m.id,
      chapter: m.chapter,
      points: m.points,
      title: m.title,
    }));
    if (flags.json) io.stdout.write(`${JSON.stringify(rows, null, 2)}\n`);
    else {
      io.stdout.write(
        `${textTable(
          ['exercise', 'chapter', 'points', 'title'],
          rows.map((r) => [r.id, String(r.chapter), String(r.points), r.title]),
        )}\n${rows.length} exercises, ${rows.reduce((s, r) => s + r.points, 0)} points\n`,
      );
    }
    return 0;
  }
  const allowed: Record<string, string[]> = {
    make: ['out', 'exercises'],
    paste: ['from', 'exercises'],
    autograder: ['out', 'exercises', 'seed'],
  };
  for (const flag of Object.keys(flags)) {
    if (!allowed[action]!.includes(flag)) {
      throw new UsageError(`${action} does not take --${flag}`, courseCommand.usage);
    }
  }
  if (action !== 'paste' && flags.out === undefined) {
    throw new UsageError(`${action} needs --out`, courseCommand.usage);
  }
  if (action === 'paste' && flags.from === undefined) {
    throw new UsageError('paste needs --from DIR', courseCommand.usage);
  }
  const known = manifests.map((m) => m.id);
  const wanted = flags.exercises ?? 'all';
  const ids = wanted === 'all' ? known : wanted.split(',').map((id) => id.trim());
  for (const id of ids) {
    if (!known.includes(id)) {
      throw new UsageError(
        `invalid value '${id}' for --exercises: not an exercise (unroll course list shows them)`,
        courseCommand.usage,
      );
    }
  }
  if (action === 'paste') return paste(flags.from!, ids, manifests, io);
  if (action === 'autograder') {
    const seed = flags.seed ?? DEFAULT_SEED;
    try {
      const bytes = autograderZip(manifests, ids, seed);
      const temporary = `${flags.out}.tmp-${process.pid}`;
      writeFileSync(temporary, bytes);
      renameSync(temporary, flags.out!);
    } catch (error) {
      io.stderr.write(`unroll course autograder: ${(error as Error).message}\n`);
      return 1;
    }
    io.stdout.write(
      `wrote ${flags.out}: a Gradescope autograder for ${ids.length} exercises, grading seed ${seed}\n`,
    );
    return 0;
  }
  let written: ReturnType<typeof writeStudentCopy>;
  try {
    written = writeStudentCopy({ out: flags.out!, ids, manifests });
  } catch (error) {
    io.stderr.write(`unroll course make: ${(error as Error).message}\n`);
    return 1;
  }
  io.stdout.write(
    `wrote ${flags.out}: ${written.files} files, ${ids.length} exercises cut (${written.changed.length} files changed, ${written.removed.length} left out)\n` +
      `next: cd ${flags.out} && npm ci && npx unroll grade   (COURSE.md explains the rest)\n`,
  );
  return 0;
}

/** Pastes the submission's region bodies into this repository (which must be a student copy). */
function paste(
  from: string,
  ids: readonly string[],
  manifests: ReturnType<typeof readManifests>,
  io: Io,
): number {
  const wanted = new Set(manifests.filter((m) => ids.includes(m.id)).flatMap((m) => m.files));
  const read = (root: string, paths: Iterable<string>) => {
    const files = new Map<string, string>();
    for (const path of paths) {
      try {
        files.set(path, readFileSync(join(root, path), 'utf8'));
      } catch {
        // absent from the submission: its exercises are reported missing
      }
    }
    return files;
  };
  const target = read(
    repositoryRoot,
    repositoryFiles().filter((p) => wanted.has(p)),
  );
  try {
    const { files, pasted, missing } = pasteSolutions(target, read(from, wanted), manifests, ids);
    for (const [path, text] of files) {
      const to = join(repositoryRoot, path);
      writeFileSync(`${to}.tmp-${process.pid}`, text);
      renameSync(`${to}.tmp-${process.pid}`, to);
    }
    io.stdout.write(`pasted ${pasted.length} exercises from ${from}\n`);
    if (missing.length > 0) {
      io.stderr.write(`not found in ${from}: ${missing.join(', ')}\n`);
      return 1;
    }
    return 0;
  } catch (error) {
    io.stderr.write(`unroll course paste: ${(error as Error).message}\n`);
    return 1;
  }
}
