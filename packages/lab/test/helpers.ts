/**
 * Running the real `unroll` command in a child process (as a user would), or `main` in
 * this process with captured output (for the many quick checks of bad input); and run
 * folders made in this process, for the tests of what reads them.
 */

import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, expect } from 'vitest';
import { defaultConfig, runName, type TrainConfig } from '../src/config.ts';
import { main } from '../src/main.ts';
import { executeRun, type RunHooks } from '../src/run.ts';
import { createRunFolder, FILES, writeJson } from '../src/run-folder.ts';
import { Trainer } from '../src/trainer.ts';

export const BIN = fileURLToPath(new URL('../bin/unroll.js', import.meta.url));

export interface CliResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** Runs `unroll ...args` to completion. */
export function unroll(args: readonly string[], cwd?: string): CliResult {
  const result = spawnSync(process.execPath, [BIN, ...args], {
    cwd,
    encoding: 'utf8',
    env: { ...process.env, INIT_CWD: cwd ?? process.cwd() },
    timeout: 60_000, // a hang fails the test (status null) instead of stalling the run
  });
  return { code: result.status, stdout: result.stdout, stderr: result.stderr };
}

/** Starts `unroll ...args`; `lines` collects stderr as it arrives. */
export function startUnroll(args: readonly string[]): {
  child: ChildProcess;
  stderr: () => string;
  done: Promise<CliResult>;
} {
  const child = spawn(process.execPath, [BIN, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stdout!.on('data', (d) => {
    stdout += d;
  });
  child.stderr!.on('data', (d) => {
    stderr += d;
  });
  const done = new Promise<CliResult>((resolve) => {
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
  return { child, stderr: () => stderr, done };
}

/** Resolves once `predicate` holds (checked every 20 ms), or rejects after `ms`. */
export async function waitFor(predicate: () => boolean, ms = 30_000): Promise<void> {
  const start = Date.now();
  while (!predicate()) {
    if (Date.now() - start > ms) throw new Error('waitFor: timed out');
    await new Promise((r) => setTimeout(r, 20));
  }
}

/** `main` in this process, with stdout and stderr captured. */
export async function runMain(argv: readonly string[]): Promise<CliResult> {
  let stdout = '';
  let stderr = '';
  const code = await main(argv, {
    stdout: { write: (t: string) => (stdout += t) },
    stderr: { write: (t: string) => (stderr += t) },
  });
  return { code, stdout, stderr };
}

/** A fresh temporary folder, removed after the test file. */
export function tempFolder(): string {
  const folder = mkdtempSync(join(tmpdir(), 'unroll-lab-'));
  afterAll(() => rmSync(folder, { recursive: true, force: true }));
  return folder;
}

/** The one run folder inside `parent`. */
export function onlyRun(parent: string): string {
  const entries = readdirSync(parent);
  if (entries.length !== 1)
    throw new Error(`expected one run folder in ${parent}, found ${entries.join(', ')}`);
  return join(parent, entries[0]!);
}

/**
 * `unroll ...argv` (in this process) fails as bad input must: exit 2, nothing on stdout,
 * and exactly two lines on stderr — the error, which contains `message`, and the usage.
 */
export async function expectUsageError(argv: readonly string[], message: string): Promise<void> {
  const { code, stdout, stderr } = await runMain(argv);
  expect(code).toBe(2);
  expect(stdout).toBe('');
  const lines = stderr.split('\n');
  expect(lines).toHaveLength(3); // the error, the usage, and the final newline
  expect(lines[0]).toContain(message);
  expect(lines[1]).toMatch(/^usage: unroll /);
}

/**
 * A run trained in this process, as `unroll train` would leave it: `<parent>/<date-time>-<name>/`
 * with config.json and whatever `executeRun` writes. `overrides` change the task's defaults.
 */
export async function makeRun(
  parent: string,
  overrides: Partial<TrainConfig>,
  hooks: RunHooks = {},
) {
  const run = prepareRun(parent, overrides);
  const outcome = await executeRun(run.trainer, run.folder, hooks);
  return { ...run, outcome };
}

/** The folder, config.json and trainer of such a run, before its first step. */
export function prepareRun(parent: string, overrides: Partial<TrainConfig>) {
  const base = { ...defaultConfig(overrides.task ?? 'adding'), ...overrides };
  const config: TrainConfig = { ...base, name: overrides.name ?? runName(base) };
  const folder = createRunFolder(parent, config.name);
  writeJson(join(folder, FILES.config), config);
  return { folder, config, trainer: new Trainer(config) };
}
