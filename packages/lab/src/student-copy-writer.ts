/**
 * Writes a student copy to disk: the repository's files through the cutter of
 * @unroll/course, into a new folder, atomically (everything goes into a sibling
 * temporary folder first, which is renamed into place only when complete).
 */

import { execFileSync } from 'node:child_process';
import {
  copyFileSync,
  existsSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  renameSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { type ExerciseManifest, makeStudentCopy } from '@unroll/course';
import { repositoryFiles, repositoryRoot } from './course-files.ts';

export interface WriteOptions {
  /** The folder to create (absent or empty). */
  out: string;
  /** The exercises to cut. */
  ids: readonly string[];
  manifests: readonly ExerciseManifest[];
  root?: string;
  /** Let Biome sort the imports the cut added (default true). */
  format?: boolean;
}

export interface WrittenCopy {
  files: number;
  changed: string[];
  removed: string[];
}

export function writeStudentCopy({
  out,
  ids,
  manifests,
  root = repositoryRoot,
  format = true,
}: WriteOptions): WrittenCopy {
  const target = resolve(out);
  if (existsSync(target) && readdirSync(target).length > 0) {
    throw new Error(`${out} exists and is not empty; give a new folder`);
  }
  if (`${target}/`.startsWith(`${resolve(root)}/`)) {
    throw new Error(`${out} is inside the repository; give a folder outside it`);
  }
  const paths = repositoryFiles(root);
  const sources = new Map<string, string>();
  for (const path of paths)
    if (path.endsWith('.ts')) sources.set(path, readFileSync(join(root, path), 'utf8'));
  const copy = makeStudentCopy(sources, manifests, ids);
  const removed = new Set(copy.removed);
  const temporary = `${target}.partial-${process.pid}`;
  rmSync(temporary, { recursive: true, force: true });
  try {
    let files = 0;
    const write = (path: string, text: string | null) => {
      const to = join(temporary, path);
      mkdirSync(dirname(to), { recursive: true });
      if (text === null) copyFileSync(join(root, path), to);
      else writeFileSync(to, text);
      files++;
    };
    for (const path of paths) {
      if (removed.has(path)) continue;
      write(path, path.endsWith('.ts') ? copy.files.get(path)! : null);
    }
    for (const path of copy.changed) if (!sources.has(path)) write(path, copy.files.get(path)!);
    const changedSources = copy.changed.filter((p) => p.endsWith('.ts'));
    if (format && changedSources.length > 0) sortImports(temporary, changedSources, root);
    moveIndexLinks(temporary, root);
    if (existsSync(target)) rmSync(target, { recursive: true });
    mkdirSync(dirname(target), { recursive: true });
    renameSync(temporary, target);
    return { files, changed: copy.changed, removed: [...removed] };
  } catch (error) {
    rmSync(temporary, { recursive: true, force: true });
    throw error;
  }
}

/** The cut added an import; Biome puts it where the project's import order wants it. */
function sortImports(folder: string, files: readonly string[], root: string): void {
  const biome = join(root, 'node_modules', '@biomejs', 'biome', 'bin', 'biome');
  if (!existsSync(biome)) return;
  execFileSync(process.execPath, [biome, 'check', '--write', '--linter-enabled=false', ...files], {
    cwd: folder,
    stdio: 'pipe',
  });
}

/**
 * The cut moved lines, so docs/INDEX.md's links to equation tags move with them (the
 * book's own script, run in the copy with this repository's tsx).
 */
function moveIndexLinks(folder: string, root: string): void {
  const script = join(folder, 'docs', 'scripts', 'update-index.ts');
  const tsx = join(root, 'node_modules', 'tsx', 'dist', 'cli.mjs');
  if (!existsSync(script) || !existsSync(tsx)) return;
  execFileSync(process.execPath, [tsx, script], { cwd: folder, stdio: 'pipe' });
}
