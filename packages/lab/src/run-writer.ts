/**
 * What a command does before it writes into an existing run folder: make sure the
 * folder can be read (a folder the user may not read is "permission denied", not "not a
 * run folder"), take the folder's lock (lock.ts), and clear away the temporary files a
 * killed write left behind.
 */

import { statSync } from 'node:fs';
import { join } from 'node:path';
import { isTemporaryOf } from './files.ts';
import { fileSystem, guard, IoFailure, knownCode } from './io-errors.ts';
import { isRunning, LOCK_FILE, lockRunFolder, type RunLock } from './lock.ts';
import { FILES } from './run-folder.ts';

/**
 * Throws IoFailure when `folder` exists but cannot be listed (EACCES, …); returns
 * whether it exists and is a folder.
 */
export function checkFolderReadable(folder: string): boolean {
  try {
    if (!statSync(folder).isDirectory()) return false;
  } catch (error) {
    if (knownCode(error) === 'ENOENT' || knownCode(error) === 'ENOTDIR') return false;
    throw error;
  }
  guard('read', folder, () => fileSystem().readdirSync(folder));
  return true;
}

/** The pid in a temporary file's name (.<name>.<pid>.<n>.tmp). */
function pidOf(file: string): number {
  return Number(file.split('.').at(-3));
}

/**
 * Removes the temporary files that a write killed half-way left in `folder`: only
 * those of the run's own files (and of its lock), only of processes no longer running.
 * Returns their names.
 */
export function removeStaleTemporaries(folder: string): string[] {
  const names = [...Object.values(FILES), LOCK_FILE, 'diagnose.html'];
  const removed: string[] = [];
  for (const file of guard('read', folder, () => fileSystem().readdirSync(folder))) {
    const ours =
      names.some((name) => isTemporaryOf(name, file)) ||
      (file.startsWith(`${LOCK_FILE}.`) && /\.\d+\.\d+\.tmp$/.test(file));
    if (!ours || isRunning(pidOf(file))) continue;
    guard('remove', join(folder, file), () => fileSystem().rmSync(join(folder, file)));
    removed.push(file);
  }
  return removed;
}

/**
 * Opens `folder` for writing by `command`: readable, locked, tidied. The caller
 * releases the lock when done (or the process's exit does).
 */
export function openRunForWriting(
  folder: string,
  command: string,
  announce: (message: string) => void,
): RunLock {
  if (!checkFolderReadable(folder)) {
    throw new IoFailure('ENOENT', 'open the run folder', folder);
  }
  const lock = lockRunFolder(folder, command, announce);
  try {
    const removed = removeStaleTemporaries(folder);
    if (removed.length > 0) {
      announce(`removed ${removed.length} temporary file(s) left by an interrupted write`);
    }
  } catch (error) {
    lock.release();
    throw error;
  }
  return lock;
}

/**
 * Before a run trains again from step 0 (`--resume --restart`): its checkpoint and
 * summary go, so that a kill before the first new checkpoint cannot leave an old
 * checkpoint beside new metrics.
 */
export function forgetProgress(folder: string): void {
  for (const name of [FILES.checkpoint, FILES.summary]) {
    const path = join(folder, name);
    guard('remove', path, () => fileSystem().rmSync(path, { force: true }));
  }
}
