/**
 * One writer per run folder.
 *
 * Two `unroll train --resume` on the same folder would each cut metrics.jsonl back to
 * their checkpoint and append to it, and replace each other's checkpoints: the folder
 * ends with a checkpoint of one and the metrics of the other. So every command that
 * writes into a run folder first takes its lock, the file `.lock`:
 *
 *   taking it    the lock's contents (pid, command, start time) are written to a
 *                temporary file, which is then hard-linked to `.lock`. A link fails if
 *                the name exists, so exactly one process gets the lock, and the file
 *                is never seen half-written.
 *   held         a second writer is refused with a line naming the holder's pid.
 *   stale        a lock whose pid is no longer running (its process was killed with
 *                `kill -9`, or the machine went down) is taken over, with a message.
 *                The takeover is itself guarded by `.lock.takeover`, taken the same
 *                way, so two processes cannot both take over the same stale lock.
 *   released     when the command ends, and on process exit (a second Ctrl-C).
 */

import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { fileSystem, guard, knownCode } from './io-errors.ts';
import { displayPath } from './run-folder.ts';

export const LOCK_FILE = '.lock';

export interface LockOwner {
  pid: number;
  command: string;
  started: string;
}

/** A run folder that another live process is writing to. */
export class FolderLockedError extends Error {
  constructor(
    readonly folder: string,
    readonly owner: LockOwner,
  ) {
    super(
      `${displayPath(folder)} is in use by another unroll process (pid ${owner.pid}, ${owner.command}, since ${owner.started}); wait for it to end or stop it, then try again`,
    );
    this.name = 'FolderLockedError';
  }
}

export interface RunLock {
  readonly folder: string;
  release(): void;
}

/** Whether a process with this pid is running (EPERM: it runs, as another user). */
export function isRunning(pid: number): boolean {
  if (!Number.isInteger(pid) || pid <= 0) return false;
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

let counter = 0;

/** Creates `path` holding `owner`, atomically; false when `path` exists. */
function createExclusive(path: string, owner: LockOwner): boolean {
  const fs = fileSystem();
  const temporary = `${path}.${process.pid}.${counter++}.tmp`;
  const fd = fs.openSync(temporary, 'w');
  try {
    const bytes = new TextEncoder().encode(`${JSON.stringify(owner)}\n`);
    fs.writeSync(fd, bytes, 0, bytes.length);
  } finally {
    fs.closeSync(fd);
  }
  try {
    fs.linkSync(temporary, path);
    return true;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'EEXIST') return false;
    throw error;
  } finally {
    fs.rmSync(temporary, { force: true });
  }
}

/** The owner written in a lock file, or null if it is gone or not one. */
function readOwner(path: string): LockOwner | null {
  try {
    const owner = JSON.parse(fileSystem().readFileSync(path).toString('utf8')) as LockOwner;
    return typeof owner.pid === 'number' ? owner : null;
  } catch (error) {
    if (knownCode(error) !== null && knownCode(error) !== 'ENOENT') throw error;
    return null;
  }
}

/**
 * Takes the lock of `folder` for `command`, or throws FolderLockedError naming the live
 * holder. `announce` is told when a stale lock is taken over.
 */
export function lockRunFolder(
  folder: string,
  command: string,
  announce: (message: string) => void = () => {},
): RunLock {
  const path = join(folder, LOCK_FILE);
  const owner: LockOwner = { pid: process.pid, command, started: new Date().toISOString() };
  guard('lock', folder, () => {
    for (let attempt = 0; ; attempt++) {
      if (createExclusive(path, owner)) return;
      const holder = readOwner(path);
      if (holder === null && !existsSync(path)) continue; // released meanwhile: try again
      if (holder !== null && isRunning(holder.pid)) throw new FolderLockedError(folder, holder);
      if (attempt >= 5) {
        throw new Error(`cannot lock ${displayPath(folder)}: ${LOCK_FILE} keeps changing`);
      }
      takeOver(path, holder, owner, announce);
    }
  });
  let held = true;
  const release = () => {
    if (!held) return;
    held = false;
    process.off('exit', release);
    // Only our own lock: never remove one a later process took over.
    if (readOwner(path)?.pid === process.pid) fileSystem().rmSync(path, { force: true });
  };
  process.on('exit', release);
  return { folder, release };
}

/** Removes a stale lock, under `.lock.takeover` so that only one process does it. */
function takeOver(
  path: string,
  stale: LockOwner | null,
  owner: LockOwner,
  announce: (message: string) => void,
): void {
  const guardPath = `${path}.takeover`;
  if (!createExclusive(guardPath, owner)) {
    const other = readOwner(guardPath);
    // A takeover guard left by a process killed in the middle of one is stale too.
    if (other === null || !isRunning(other.pid)) fileSystem().rmSync(guardPath, { force: true });
    return;
  }
  try {
    const now = readOwner(path);
    if (now === null || !isRunning(now.pid)) {
      fileSystem().rmSync(path, { force: true });
      const who = stale === null ? 'an unreadable lock' : `a stale lock of pid ${stale.pid}`;
      announce(`taking over ${who} (${stale?.command ?? 'unknown'}), no longer running`);
    }
  } finally {
    fileSystem().rmSync(guardPath, { force: true });
  }
}
