/**
 * `unroll course` and `unroll grade`: listing, usage errors, grading in worker threads
 * (a check that never returns times out, a thread that dies is replaced, and the rest
 * is graded), the report on stdout or in a file, and the zip writer under the
 * Gradescope autograder.
 */

import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { inflateRawSync } from 'node:zlib';
import type { ExerciseManifest } from '@unroll/course';
import { describe, expect, it } from 'vitest';
import { gradeOnWorkers } from '../src/cmd-grade.ts';
import { repositoryRoot } from '../src/course-files.ts';
import { crc32, zip } from '../src/zip.ts';
import { expectUsageError, runMain, tempFolder } from './helpers.ts';

describe('unroll course', () => {
  it('lists the exercises as JSON', async () => {
    const { code, stdout } = await runMain(['course', 'list', '--json']);
    expect(code).toBe(0);
    const rows = JSON.parse(stdout) as { id: string; chapter: number; points: number }[];
    expect(rows.length).toBeGreaterThanOrEqual(15);
    expect(rows).toContainEqual({
      id: 'lstm-step-backward',
      chapter: 6,
      points: 11,
      title: 'Backward through one LSTM step',
    });
  });

  it.each([
    [['course'], 'say what to do: list, make, paste, autograder'],
    [['course', 'bake'], "unknown action 'bake'"],
    [['course', 'make'], 'make needs --out'],
    [
      ['course', 'make', '--out', '/tmp/x', '--exercises', 'adam,nope'],
      "invalid value 'nope' for --exercises",
    ],
    [['course', 'list', '--out', '/tmp/x'], 'list takes only --json'],
    [['course', 'paste'], 'paste needs --from DIR'],
    [['grade', 'nope'], "no exercise 'nope'"],
    [['grade', '--format', 'pdf'], "invalid value 'pdf' for --format"],
  ])('refuses %j', async (argv, message) => {
    await expectUsageError(argv, message);
  });

  it('refuses to paste into a copy that has its solutions', async () => {
    const { code, stderr } = await runMain([
      'course',
      'paste',
      '--from',
      repositoryRoot,
      '--exercises',
      'adam',
    ]);
    expect(code).toBe(1);
    expect(stderr).toContain("the region of 'adam' is not the stub");
  });
});

describe('unroll grade', () => {
  const folder = tempFolder();

  it('grades on worker threads and writes the report to a file', async () => {
    const out = join(folder, 'results.json');
    const { code, stdout } = await runMain([
      'grade',
      'adam',
      '--format',
      'gradescope',
      '--out',
      out,
    ]);
    // 8/8 here, where adam has its solution (0/8 in a student copy, exit code 1).
    const results = JSON.parse(readFileSync(out, 'utf8'));
    expect(stdout).toBe(`score ${results.score}/8 (seed 2026) written to ${out}\n`);
    expect(code).toBe(results.score === 8 ? 0 : 1);
    expect(results.tests.map((t: { name: string }) => t.name)).toContain(
      'adam: first step (bias correction)',
    );
  });

  it('times out a check that never returns, survives a dying thread, grades the rest', async () => {
    const manifest: ExerciseManifest = {
      id: 'demo',
      title: 'Demo',
      chapter: 1,
      points: 4,
      files: [],
      remove: [],
      checks: ['fine', 'loops', 'dies', 'fine again'].map((name) => ({ name, points: 1 })),
      hint: '',
      text: '',
    };
    const entry = new URL('./fixtures/misbehaving-grade-worker.mjs', import.meta.url);
    const report = await gradeOnWorkers([manifest], 1, 1500, entry);
    const checks = report.exercises[0]!.checks;
    expect(checks.map((c) => c.status)).toEqual(['passed', 'timeout', 'threw', 'passed']);
    expect(checks[1]!.output).toBe('no answer within 1.5 s: does some loop never end?');
    expect(checks[2]!.output).toContain('the grading thread died');
    expect(report.score).toBe(2);
  });
});

describe('zip', () => {
  it('computes CRC-32 as the standard check value says', () => {
    // The CRC-32 of the ASCII digits 123456789 is 0xCBF43926 (the catalogue's check value).
    expect(crc32(Buffer.from('123456789'))).toBe(0xcbf43926);
  });

  it('writes entries that read back through their headers', () => {
    const entries = [
      { path: 'run_autograder', data: Buffer.from('#!/bin/sh\necho hi\n'), mode: 0o755 },
      { path: 'source/a.txt', data: Buffer.from('a'.repeat(1000)) },
    ];
    const archive = zip(entries);
    // End of central directory: the last 22 bytes.
    const end = archive.length - 22;
    expect(archive.readUInt32LE(end)).toBe(0x06054b50);
    expect(archive.readUInt16LE(end + 10)).toBe(2);
    let central = archive.readUInt32LE(end + 16);
    for (const entry of entries) {
      expect(archive.readUInt32LE(central)).toBe(0x02014b50);
      const nameLength = archive.readUInt16LE(central + 28);
      expect(archive.toString('utf8', central + 46, central + 46 + nameLength)).toBe(entry.path);
      expect(archive.readUInt32LE(central + 38) >>> 16).toBe(0o100000 | (entry.mode ?? 0o644));
      const local = archive.readUInt32LE(central + 42);
      expect(archive.readUInt32LE(local)).toBe(0x04034b50);
      const size = archive.readUInt32LE(local + 18);
      const start = local + 30 + archive.readUInt16LE(local + 26);
      const data = inflateRawSync(archive.subarray(start, start + size));
      expect(data.equals(entry.data)).toBe(true);
      expect(archive.readUInt32LE(local + 14)).toBe(crc32(entry.data));
      central += 46 + nameLength;
    }
  });
});
