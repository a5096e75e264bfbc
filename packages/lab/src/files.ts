/**
 * Files that are either complete or absent. A training run can be killed at any
 * moment (Ctrl-C, SIGTERM, `kill -9`, a power cut); what it leaves on disk must
 * still be loadable. The rule: write to a temporary file in the same folder, flush
 * it to the disk (fsync), then rename it over the target. On POSIX file systems a
 * rename within one folder is atomic, so a reader sees the old file or the new
 * one, never half of either. The folder is fsynced too, so the rename itself
 * survives a crash.
 */

import { closeSync, fsyncSync, mkdirSync, openSync, renameSync, rmSync, writeSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';

let counter = 0;

/** Writes `contents` to `path` atomically (temporary file, fsync, rename, fsync of the folder). */
export function writeFileAtomic(path: string, contents: string | Uint8Array): void {
  const folder = dirname(path);
  const temporary = join(folder, `.${basename(path)}.${process.pid}.${counter++}.tmp`);
  const bytes = typeof contents === 'string' ? new TextEncoder().encode(contents) : contents;
  let fd: number | null = null;
  try {
    fd = openSync(temporary, 'w');
    let written = 0;
    while (written < bytes.length) {
      written += writeSync(fd, bytes, written, bytes.length - written);
    }
    fsyncSync(fd);
    closeSync(fd);
    fd = null;
    renameSync(temporary, path);
  } catch (error) {
    if (fd !== null) closeSync(fd);
    rmSync(temporary, { force: true });
    throw error;
  }
  syncFolder(folder);
}

/** Makes a folder (and its parents) if it does not exist. */
export function ensureFolder(path: string): void {
  mkdirSync(path, { recursive: true });
}

function syncFolder(folder: string): void {
  // Some platforms cannot open a folder for fsync; the rename is still atomic there.
  try {
    const fd = openSync(folder, 'r');
    try {
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
  } catch {
    /* best effort */
  }
}
