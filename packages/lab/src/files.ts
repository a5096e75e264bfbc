/**
 * Files that are either complete or absent. A training run can be killed at any
 * moment (Ctrl-C, SIGTERM, `kill -9`, a power cut); what it leaves on disk must
 * still be loadable. The rule: write to a temporary file in the same folder, flush
 * it to the disk (fsync), then rename it over the target. On POSIX file systems a
 * rename within one folder is atomic, so a reader sees the old file or the new
 * one, never half of either. The folder is fsynced too, so the rename itself
 * survives a crash.
 *
 * Every operation goes through io-errors.ts: a full disk or a read-only folder is one
 * line naming the file, and the temporary file is removed.
 *
 * Folders are made one level at a time (`makeFolders`), for a reason given there.
 */

import { existsSync, statSync } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
import { fileSystem, guard } from './io-errors.ts';

let counter = 0;

/** The temporary files `writeFileAtomic` makes for `name`: .<name>.<pid>.<n>.tmp */
export function isTemporaryOf(name: string, file: string): boolean {
  const prefix = `.${name}.`;
  return file.startsWith(prefix) && /^\d+\.\d+\.tmp$/.test(file.slice(prefix.length));
}

/** Writes `contents` to `path` atomically (temporary file, fsync, rename, fsync of the folder). */
export function writeFileAtomic(path: string, contents: string | Uint8Array): void {
  const fs = fileSystem();
  const folder = dirname(path);
  const temporary = join(folder, `.${basename(path)}.${process.pid}.${counter++}.tmp`);
  const bytes = typeof contents === 'string' ? new TextEncoder().encode(contents) : contents;
  let fd: number | null = null;
  guard('write', path, () => {
    try {
      fd = fs.openSync(temporary, 'w');
      let written = 0;
      while (written < bytes.length) {
        written += fs.writeSync(fd, bytes, written, bytes.length - written);
      }
      fs.fsyncSync(fd);
      fs.closeSync(fd);
      fd = null;
      fs.renameSync(temporary, path);
    } catch (error) {
      if (fd !== null) fs.closeSync(fd);
      fs.rmSync(temporary, { force: true });
      throw error;
    }
  });
  syncFolder(folder);
}

/**
 * Makes a folder and any missing parents, one level at a time, outermost first.
 *
 * NOTE: not `mkdirSync(path, { recursive: true })`. Under /proc or /sys, mkdir answers
 * ENOENT although the parent exists; Node's recursive mkdir reads ENOENT as "make the
 * parent first", succeeds at that, and tries again, forever, at 100% CPU. One level at
 * a time, that ENOENT is simply the error it is.
 */
export function makeFolders(path: string): void {
  const missing: string[] = [];
  for (let folder = resolve(path); !existsSync(folder); folder = dirname(folder)) {
    missing.push(folder);
    if (dirname(folder) === folder) break;
  }
  for (const folder of missing.reverse()) {
    try {
      fileSystem().mkdirSync(folder);
    } catch (error) {
      // Made by someone else in the meantime: fine, if it is a folder.
      const made = (error as NodeJS.ErrnoException).code === 'EEXIST' && isFolder(folder);
      if (!made) throw error;
    }
  }
  if (!isFolder(path)) {
    throw Object.assign(new Error(`ENOTDIR: not a folder, '${path}'`), { code: 'ENOTDIR' });
  }
}

function isFolder(path: string): boolean {
  try {
    return statSync(path).isDirectory();
  } catch {
    return false;
  }
}

function syncFolder(folder: string): void {
  const fs = fileSystem();
  // Some platforms cannot open a folder for fsync; the rename is still atomic there.
  try {
    const fd = fs.openSync(folder, 'r');
    try {
      fs.fsyncSync(fd);
    } finally {
      fs.closeSync(fd);
    }
  } catch {
    /* best effort */
  }
}
