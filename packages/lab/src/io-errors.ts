/**
 * The one place where the lab touches the file system, and what a failure there says.
 *
 * Every read, write, rename and folder the lab makes goes through `fileSystem` (the
 * functions of node:fs it uses, and nothing else). Two things follow from that:
 *
 *   1. A failure the user can do something about — a full disk, a read-only folder, a
 *      missing file — becomes an `IoFailure`: one line that names the file, what was
 *      being done, what the error means, and what to do. `main` prints that line and
 *      exits 1, instead of a stack trace out of writeFileAtomic.
 *   2. Tests can put a failing layer underneath (`useFileSystem`) and see the lab meet
 *      ENOSPC on exactly the write they choose, without a real full disk.
 *
 * Nothing is lost when a write fails: files are replaced by rename (files.ts), so the
 * last good checkpoint stays where it was.
 */

import * as fs from 'node:fs';
import { displayPath } from './run-folder.ts';

/** The functions of node:fs the lab uses. A test may replace any of them. */
export interface FileSystem {
  openSync: typeof fs.openSync;
  writeSync: (fd: number, bytes: Uint8Array, offset: number, length: number) => number;
  fsyncSync: typeof fs.fsyncSync;
  closeSync: typeof fs.closeSync;
  ftruncateSync: typeof fs.ftruncateSync;
  fstatSync: (fd: number) => fs.Stats;
  renameSync: typeof fs.renameSync;
  rmSync: typeof fs.rmSync;
  mkdirSync: (path: string) => void;
  readFileSync: (path: string) => Buffer;
  readdirSync: (path: string) => string[];
  linkSync: typeof fs.linkSync;
}

const real: FileSystem = {
  openSync: fs.openSync,
  writeSync: (fd, bytes, offset, length) => fs.writeSync(fd, bytes, offset, length),
  fsyncSync: fs.fsyncSync,
  closeSync: fs.closeSync,
  ftruncateSync: fs.ftruncateSync,
  fstatSync: (fd) => fs.fstatSync(fd),
  renameSync: fs.renameSync,
  rmSync: fs.rmSync,
  mkdirSync: (path) => {
    fs.mkdirSync(path);
  },
  readFileSync: (path) => fs.readFileSync(path),
  readdirSync: (path) => fs.readdirSync(path),
  linkSync: fs.linkSync,
};

let current: FileSystem = real;

/** The file-system layer in use. */
export function fileSystem(): FileSystem {
  return current;
}

/** Puts `layer` (any functions it has) over the real file system; returns the undo. */
export function useFileSystem(layer: Partial<FileSystem>): () => void {
  const before = current;
  current = { ...before, ...layer };
  return () => {
    current = before;
  };
}

/** What an error code means, and what to do about it. */
const MEANINGS: Record<string, { meaning: string; advice: string }> = {
  ENOSPC: { meaning: 'no space left on the device', advice: 'free some space' },
  EDQUOT: { meaning: 'disk quota exceeded', advice: 'free some space within your quota' },
  EACCES: { meaning: 'permission denied', advice: 'check the permissions of the folder' },
  EPERM: { meaning: 'operation not permitted', advice: 'check the permissions of the folder' },
  EROFS: { meaning: 'the file system is read-only', advice: 'use a writable folder' },
  EMFILE: {
    meaning: 'too many open files',
    advice: 'close other programs or raise the limit (ulimit -n)',
  },
  ENFILE: { meaning: 'too many open files in the system', advice: 'close other programs' },
  ENOENT: { meaning: 'no such file or folder', advice: 'check the path' },
  EEXIST: { meaning: 'it already exists', advice: 'remove it or choose another name' },
  ENOTDIR: { meaning: 'a part of the path is not a folder', advice: 'check the path' },
  EISDIR: { meaning: 'it is a folder', advice: 'check the path' },
  EIO: { meaning: 'an input/output error of the device', advice: 'check the disk' },
};

/** A file operation that failed for a reason the user can act on: one line, exit 1. */
export class IoFailure extends Error {
  constructor(
    readonly code: string,
    readonly action: string,
    readonly path: string,
    advice?: string,
  ) {
    const known = MEANINGS[code]!;
    super(
      `cannot ${action} ${displayPath(path)}: ${known.meaning} (${code}); ${advice ?? known.advice}`,
    );
    this.name = 'IoFailure';
  }
}

/** The error's code when it is one `IoFailure` explains, else null. */
export function knownCode(error: unknown): string | null {
  const code = (error as NodeJS.ErrnoException | null)?.code;
  return typeof code === 'string' && code in MEANINGS ? code : null;
}

/**
 * Runs `operation`; a failure with a known code becomes an IoFailure saying
 * "cannot <action> <path>: …". Anything else is thrown as it is.
 */
export function guard<T>(action: string, path: string, operation: () => T, advice?: string): T {
  try {
    return operation();
  } catch (error) {
    if (error instanceof IoFailure) throw error;
    const code = knownCode(error);
    if (code === null) throw error;
    throw new IoFailure(code, action, path, advice);
  }
}

/** The advice for a run that stopped on a failed write: its checkpoint is still good. */
export function resumeAdvice(folder: string, code: string): string {
  return `${MEANINGS[code]?.advice ?? 'fix the problem'}, then continue with: unroll train --resume ${displayPath(folder)} (the last checkpoint is intact)`;
}
