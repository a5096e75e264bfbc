/**
 * A run folder: runs/<date-time>-<name>/ with
 *
 *   config.json              the run's config (written once, at the start)
 *   metrics.jsonl            one JSON line per training step: loss, gradient norm, lr,
 *                            and the held-out evaluation every few steps
 *   checkpoint.safetensors   the latest checkpoint (see checkpoint.ts)
 *   diagnostics.json         gradient flow through time and spectra, at init and at the end
 *   report.html              the report (rebuilt by `unroll report`)
 *
 * metrics.jsonl holds no clock times on purpose: a resumed run must write the same
 * lines as an uninterrupted one, and wall time differs between any two runs. Timings go
 * to summary.json.
 */

import { existsSync } from 'node:fs';
import { isAbsolute, join, relative, resolve } from 'node:path';
import { makeFolders, writeFileAtomic } from './files.ts';
import { fileSystem, guard } from './io-errors.ts';
import { decodeMetricsLine, encodeMetricsLine } from './metrics-json.ts';
import type { Evaluation } from './task-adapters.ts';

export interface MetricsLine {
  step: number;
  /** The training batch's loss (before this step's update). */
  loss: number;
  /** The global gradient norm before clipping (the largest of a step's truncated-BPTT updates). */
  gradNorm: number;
  /** The learning rate this step used. */
  lr: number;
  eval?: Evaluation;
}

export const FILES = {
  config: 'config.json',
  metrics: 'metrics.jsonl',
  checkpoint: 'checkpoint.safetensors',
  diagnostics: 'diagnostics.json',
  report: 'report.html',
  summary: 'summary.json',
} as const;

/**
 * Where the user typed the command: npm sets INIT_CWD for `npm start`, which runs the
 * script inside packages/lab; runs/ and printed paths are relative to this folder.
 */
export function userFolder(): string {
  return process.env.INIT_CWD ?? process.cwd();
}

/** runs/ under the user's folder: the default parent of every run folder. */
export function defaultRunsFolder(): string {
  return join(userFolder(), 'runs');
}

/** A path the user typed, resolved against their folder. */
export function userPath(path: string): string {
  return resolve(userFolder(), path);
}

/** `path` as the user would type it: relative to their folder when it is inside it. */
export function displayPath(path: string): string {
  const rel = relative(userFolder(), path);
  return rel === '' || rel.startsWith('..') || isAbsolute(rel) ? path : rel;
}

/** 2025-03-07_14-05-09, local time: sorts by time, and is a valid name on every system. */
export function timestamp(date: Date): string {
  const p = (n: number) => String(n).padStart(2, '0');
  return `${date.getFullYear()}-${p(date.getMonth() + 1)}-${p(date.getDate())}_${p(date.getHours())}-${p(date.getMinutes())}-${p(date.getSeconds())}`;
}

/**
 * Makes <parent>/<date-time>-<name> (with -2, -3… if taken) and returns its path. The
 * name is claimed by mkdir itself, which fails when the folder exists: two runs of the
 * same name started in the same second get two folders, never one.
 */
export function createRunFolder(parent: string, name: string, date = new Date()): string {
  makeFolders(parent);
  const base = join(parent, `${timestamp(date)}-${name}`);
  for (let n = 1; ; n++) {
    const folder = n === 1 ? base : `${base}-${n}`;
    try {
      fileSystem().mkdirSync(folder);
      return folder;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    }
  }
}

export function writeJson(path: string, value: unknown): void {
  writeFileAtomic(path, `${JSON.stringify(value, null, 2)}\n`);
}

/** The JSON in `path`; a file that does not parse is an error naming the file. */
export function readJson(path: string): unknown {
  const text = guard('read', path, () => fileSystem().readFileSync(path).toString('utf8'));
  try {
    return JSON.parse(text);
  } catch (error) {
    throw new Error(`${path} is not valid JSON (${(error as Error).message})`);
  }
}

/**
 * Appends one line per step; `sync` flushes them to disk before a checkpoint is written.
 * A line goes in whole or not at all: a short write is continued, and a write that
 * fails part-way (a full disk) is cut back to the end of the previous line.
 */
export class MetricsLog {
  private fd: number;
  private size: number;

  constructor(readonly path: string) {
    this.fd = guard('open', path, () => fileSystem().openSync(path, 'a'));
    this.size = fileSystem().fstatSync(this.fd).size;
  }

  append(line: MetricsLine): void {
    const fs = fileSystem();
    const bytes = new TextEncoder().encode(`${encodeMetricsLine(line)}\n`);
    guard('append to', this.path, () => {
      try {
        let written = 0;
        while (written < bytes.length) {
          written += fs.writeSync(this.fd, bytes, written, bytes.length - written);
        }
      } catch (error) {
        fs.ftruncateSync(this.fd, this.size);
        throw error;
      }
    });
    this.size += bytes.length;
  }

  sync(): void {
    guard('flush', this.path, () => fileSystem().fsyncSync(this.fd));
  }

  close(): void {
    if (this.fd < 0) return;
    const fd = this.fd;
    this.fd = -1;
    try {
      guard('flush', this.path, () => fileSystem().fsyncSync(fd));
    } finally {
      fileSystem().closeSync(fd);
    }
  }
}

export interface MetricsRead {
  lines: MetricsLine[];
  /** A last line cut short by a crash (no newline, not JSON), skipped. */
  tornLastLine: boolean;
}

/**
 * Reads metrics.jsonl and says whether a last line cut short by a crash was skipped;
 * any other bad line throws, naming it.
 */
export function readMetricsFile(path: string): MetricsRead {
  if (!existsSync(path)) return { lines: [], tornLastLine: false };
  const text = guard('read', path, () => fileSystem().readFileSync(path).toString('utf8'));
  const lines = text.split('\n');
  const out: MetricsLine[] = [];
  let tornLastLine = false;
  lines.forEach((text, i) => {
    if (text === '') return;
    try {
      out.push(decodeMetricsLine(text) as MetricsLine);
    } catch {
      if (i < lines.length - 1 && lines.slice(i + 1).some((l) => l !== '')) {
        throw new Error(`${path}: line ${i + 1} is not JSON`);
      }
      tornLastLine = true;
    }
  });
  return { lines: out, tornLastLine };
}

/** Reads metrics.jsonl; a last line cut short by a crash is dropped, any other bad line throws. */
export function readMetrics(path: string): MetricsLine[] {
  return readMetricsFile(path).lines;
}

/** The lines of the steps ≤ `step`, as text: what a resumed run's file must start with. */
export function metricsUpTo(lines: readonly MetricsLine[], step: number): string {
  return lines
    .filter((l) => l.step <= step)
    .map((l) => `${encodeMetricsLine(l)}\n`)
    .join('');
}
