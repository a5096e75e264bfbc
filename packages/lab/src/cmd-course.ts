/**
 * `unroll course list [--json]`: the exercises, with chapter, points and title.
 * `unroll course make --out DIR [--exercises id,id|all]`: a student copy of the
 * repository with those exercises cut (see @unroll/course and docs/10).
 */

import { type CommandSpec, parseFlags, UsageError } from './args.ts';
import { readManifests } from './course-files.ts';
import type { Io } from './main.ts';
import { writeStudentCopy } from './student-copy-writer.ts';
import { textTable } from './text-table.ts';

export const courseCommand = {
  name: 'course',
  summary:
    'The course kit: list the exercises, or make a student copy of the repository with their solutions cut out (each stub throws ExerciseNotDone), ready for unroll grade.',
  usage: 'unroll course list [--json] | unroll course make --out DIR [--exercises id,id|all]',
  flags: {
    json: { kind: 'boolean', help: 'list: print JSON instead of a table' },
    out: { kind: 'string', placeholder: 'DIR', help: 'make: the new folder (absent or empty)' },
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
  ],
} as const satisfies CommandSpec;

export async function runCourse(argv: readonly string[], io: Io): Promise<number> {
  const [action, ...rest] = argv;
  if (action !== 'list' && action !== 'make') {
    throw new UsageError(
      action === undefined
        ? 'say what to do: list or make'
        : `unknown action '${action}' (list or make)`,
      courseCommand.usage,
    );
  }
  const flags = parseFlags(rest, courseCommand);
  const manifests = readManifests();
  if (action === 'list') {
    if (flags.out !== undefined || flags.exercises !== undefined) {
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
  if (flags.json) throw new UsageError('make does not take --json', courseCommand.usage);
  if (flags.out === undefined) throw new UsageError('make needs --out DIR', courseCommand.usage);
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
  let written: ReturnType<typeof writeStudentCopy>;
  try {
    written = writeStudentCopy({ out: flags.out, ids, manifests });
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
