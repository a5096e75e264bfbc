/**
 * The course kit's files on disk: the exercise manifests, and the repository's files
 * that a student copy is made from. (The course package itself stays free of Node APIs;
 * reading and writing files is the lab's job.)
 */

import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join, relative, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { type ExerciseManifest, parseManifest } from '@unroll/course';

/** The repository this lab runs from (lab sits in packages/lab). */
export const repositoryRoot = fileURLToPath(new URL('../../../', import.meta.url));

/** Every manifest in packages/course/exercises, sorted by chapter then id. */
export function readManifests(root = repositoryRoot): ExerciseManifest[] {
  const dir = join(root, 'packages', 'course', 'exercises');
  if (!existsSync(dir)) {
    throw new Error(
      `no exercises in ${dir}: the course commands run in a checkout of the unroll repository or in a student copy of it`,
    );
  }
  return readdirSync(dir)
    .filter((f) => f.endsWith('.md'))
    .map((f) => parseManifest(readFileSync(join(dir, f), 'utf8'), `exercises/${f}`))
    .sort((a, b) => a.chapter - b.chapter || a.id.localeCompare(b.id));
}

/** What is never copied: installed packages, build caches, run folders, reports. */
const SKIPPED = new Set(['node_modules', '.git', '.turbo', 'runs', 'dist', '.snippets']);
const SKIPPED_FILES = /(^|\/)(\.vitest-report\.json|.*\.log|.*\.tmp)$|(^|\/)bench\/results\//;

/**
 * The repository's files, repository-relative with '/' separators: what git tracks
 * (plus new files not ignored) when this is a git checkout, else a walk of the tree
 * that skips what .gitignore lists.
 */
export function repositoryFiles(root = repositoryRoot): string[] {
  if (existsSync(join(root, '.git'))) {
    try {
      const listed = execFileSync('git', ['ls-files', '-co', '--exclude-standard', '-z'], {
        cwd: root,
        encoding: 'utf8',
        maxBuffer: 64 * 1024 * 1024,
      });
      return listed
        .split('\0')
        .filter((f) => f !== '' && existsSync(join(root, f)) && !SKIPPED_FILES.test(f))
        .sort();
    } catch {
      // no git on this machine: walk the tree instead
    }
  }
  const files: string[] = [];
  const walk = (dir: string) => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      if (SKIPPED.has(entry.name)) continue;
      const path = join(dir, entry.name);
      if (entry.isDirectory()) walk(path);
      else if (entry.isFile()) {
        const rel = relative(root, path).split(sep).join('/');
        if (!SKIPPED_FILES.test(rel)) files.push(rel);
      }
    }
  };
  walk(root);
  return files.sort();
}
