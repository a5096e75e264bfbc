/**
 * The course kit's parts on small hand-made inputs: manifests, markers, the cutter,
 * pasting, the grading verdicts and shrinking, and the report formats.
 */

import { describe, expect, it } from 'vitest';
import { Failure } from '../src/grading/check.ts';
import { call, expectArray, expectClose, forCases, withoutMutation } from '../src/grading/judge.ts';
import {
  type CheckResult,
  cutText,
  findRegions,
  formatReport,
  type GradeReport,
  ManifestError,
  MarkerError,
  makeStudentCopy,
  parseManifest,
  pasteSolutions,
  relativeImport,
  runCheck,
} from '../src/index.ts';

const MANIFEST = `---
id: square
title: "Squares: x²"
chapter: 3
points: 3
files:
  - packages/demo/src/square.ts
checks:
  - value: 2
  - edge: cases: 1
hint: multiply x by itself
---

# Squares

Write it.`;

const SOURCE = [
  "import { other } from './other.ts';",
  '',
  'export function square(x: number): number {',
  '  // BEGIN EXERCISE square',
  '  return x * x;',
  '  // END EXERCISE square',
  '}',
].join('\n');

describe('parseManifest', () => {
  it('reads the front matter and the text', () => {
    const m = parseManifest(MANIFEST, 'square.md');
    expect(m).toMatchObject({
      id: 'square',
      title: 'Squares: x²',
      chapter: 3,
      points: 3,
      files: ['packages/demo/src/square.ts'],
      remove: [],
      checks: [
        { name: 'value', points: 2 },
        { name: 'edge: cases', points: 1 },
      ],
      hint: 'multiply x by itself',
    });
    expect(m.text).toBe('# Squares\n\nWrite it.');
  });

  it.each([
    ['points: 3', 'points: 4', 'points is 4 but the checks add up to 3'],
    ['id: square', 'id: Square', "id 'Square' must be kebab-case"],
    ['chapter: 3', 'chapter: three', 'chapter must be an integer'],
    ['  - value: 2', '  - value', "check 'value' must read 'name: points'"],
    ['hint: multiply', 'hint multiply', "expected 'key: value'"],
  ])('refuses %s → %s with a reason', (from, to, message) => {
    expect(() => parseManifest(MANIFEST.replace(from, to), 'square.md')).toThrow(ManifestError);
    expect(() => parseManifest(MANIFEST.replace(from, to), 'square.md')).toThrow(message);
  });
});

describe('markers', () => {
  it('finds a region with its body and indentation', () => {
    const [region] = findRegions(SOURCE, 'square.ts');
    expect(region).toMatchObject({
      kind: 'EXERCISE',
      id: 'square',
      begin: 3,
      end: 5,
      indent: '  ',
    });
    expect(region!.body).toEqual(['  return x * x;']);
  });

  it.each([
    ['an END without BEGIN', '  // END EXERCISE a', 'has no BEGIN'],
    ['a BEGIN never closed', '  // BEGIN EXERCISE a', 'is never closed'],
    [
      'nested regions',
      '  // BEGIN EXERCISE a\n  // BEGIN EXERCISE b\n  // END EXERCISE b\n  // END EXERCISE a',
      'regions do not nest',
    ],
    [
      'a region closed by another id',
      '  // BEGIN EXERCISE a\n  // END EXERCISE b',
      'closes BEGIN EXERCISE a',
    ],
    ['text after a marker', '  // BEGIN EXERCISE a (the answer)', 'must be alone on its line'],
    ['code before a marker', '  x = 1; // END EXERCISE a', 'must be alone on its line'],
  ])('refuses %s, naming file and line', (_what, text, message) => {
    const source = `const x = 1;\n${text}\n`;
    expect(() => findRegions(source, 'f.ts')).toThrow(MarkerError);
    expect(() => findRegions(source, 'f.ts')).toThrow(
      new RegExp(`^f\\.ts:\\d+: .*${message.replace(/[()]/g, '\\$&')}`),
    );
  });

  it('cuts to the stub, imports ExerciseNotDone after the last import, removes HIDE regions', () => {
    const hidden = SOURCE.replace(
      'export function',
      '// BEGIN HIDE square\n// d(x²)/dx = 2x\n// END HIDE square\nexport function',
    );
    const cut = cutText(
      hidden,
      'packages/demo/src/square.ts',
      new Map([['square', 3]]),
      './exercise-not-done.ts',
    )!;
    expect(cut.split('\n')).toEqual([
      "import { other } from './other.ts';",
      "import { ExerciseNotDone } from './exercise-not-done.ts';",
      '',
      'export function square(x: number): number {',
      '  // BEGIN EXERCISE square',
      '  // Your code here: see packages/course/exercises/square.md (chapter 3).',
      "  throw new ExerciseNotDone('square', 3);",
      '  // END EXERCISE square',
      '}',
    ]);
    expect(cutText(SOURCE, 'f.ts', new Map([['other', 1]]), './x.ts')).toBeNull();
  });

  it("keeps the book's equation tags of a region in the stub", () => {
    const tagged = SOURCE.replace('  return x * x;', '  // eq. 3.1 — the square\n  return x * x;');
    const cut = cutText(tagged, 'f.ts', new Map([['square', 3]]), './e.ts')!;
    expect(cut).toContain(
      '  // BEGIN EXERCISE square\n  // eq. 3.1 — the square\n  // Your code here',
    );
    expect(cut).not.toContain('x * x');
  });

  it('pastes into a stub that kept an equation tag', () => {
    const tagged = SOURCE.replace('  return x * x;', '  // eq. 3.1 — the square\n  return x * x;');
    const manifest = parseManifest(MANIFEST, 'square.md');
    const files = new Map([['packages/demo/src/square.ts', tagged]]);
    const copy = makeStudentCopy(files, [manifest], ['square']).files;
    const { files: pasted } = pasteSolutions(copy, files, [manifest], ['square']);
    expect(pasted.get('packages/demo/src/square.ts')).toBe(
      tagged.replace(
        "import { other } from './other.ts';",
        "import { other } from './other.ts';\nimport { ExerciseNotDone } from './exercise-not-done.ts';",
      ),
    );
  });

  it('computes relative imports', () => {
    expect(relativeImport('packages/a/src/x.ts', 'packages/a/src/e.ts')).toBe('./e.ts');
    expect(relativeImport('packages/a/src/deep/x.ts', 'packages/a/src/e.ts')).toBe('../e.ts');
  });
});

describe('makeStudentCopy and pasteSolutions', () => {
  const manifest = parseManifest(MANIFEST, 'square.md');
  const files = new Map([
    ['packages/demo/src/square.ts', SOURCE],
    ['packages/demo/src/other.ts', 'export const other = 1;'],
  ]);

  it('cuts, adds the error class and COURSE.md, and leaves other files alone', () => {
    const copy = makeStudentCopy(files, [manifest], ['square']);
    expect(copy.files.get('packages/demo/src/square.ts')).toContain(
      "throw new ExerciseNotDone('square', 3);",
    );
    expect(copy.files.get('packages/demo/src/square.ts')).not.toContain('x * x');
    expect(copy.files.get('packages/demo/src/exercise-not-done.ts')).toContain(
      'class ExerciseNotDone',
    );
    expect(copy.files.get('packages/demo/src/other.ts')).toBe('export const other = 1;');
    expect(copy.files.get('COURSE.md')).toContain('| `square` | 3 | 3 | Squares: x² |');
  });

  it('refuses markers that do not match the manifests', () => {
    const stray = new Map(files).set(
      'packages/demo/src/other.ts',
      '// BEGIN EXERCISE ghost\n// END EXERCISE ghost',
    );
    expect(() => makeStudentCopy(stray, [manifest], ['square'])).toThrow(
      "no exercise manifest has id 'ghost'",
    );
    const empty = new Map(files).set('packages/demo/src/square.ts', 'export const square = 0;');
    expect(() => makeStudentCopy(empty, [manifest], ['square'])).toThrow(
      'holds no BEGIN/END EXERCISE square region',
    );
    expect(() => makeStudentCopy(files, [manifest], ['cube'])).toThrow("no exercise 'cube'");
  });

  it('pastes a submission into the stub, and refuses to overwrite a solution', () => {
    const copy = makeStudentCopy(files, [manifest], ['square']).files;
    const submission = new Map([
      ['packages/demo/src/square.ts', SOURCE.replace('x * x', 'x ** 2')],
    ]);
    const pasted = pasteSolutions(copy, submission, [manifest], ['square']);
    expect(pasted.pasted).toEqual(['square']);
    expect(pasted.files.get('packages/demo/src/square.ts')).toContain('  return x ** 2;');
    expect(pasted.files.get('packages/demo/src/square.ts')).not.toContain('ExerciseNotDone(');
    expect(pasteSolutions(copy, new Map(), [manifest], ['square']).missing).toEqual(['square']);
    expect(() => pasteSolutions(files, submission, [manifest], ['square'])).toThrow(
      'is not the stub',
    );
  });
});

describe('grading verdicts', () => {
  const check = (run: () => void) => runCheck({ name: 'c', run }, 2, 1, 'a hint');

  it('scores a pass, a Failure, ExerciseNotDone and any other exception', () => {
    expect(check(() => {})).toMatchObject({ status: 'passed', score: 2, output: '' });
    expect(
      check(() => {
        throw new Failure('dx is off');
      }),
    ).toMatchObject({ status: 'failed', score: 0, output: 'dx is off\nhint: a hint' });
    const notDone = Object.assign(new Error("exercise 'x' (chapter 1) is not done yet"), {
      name: 'ExerciseNotDone',
    });
    expect(
      check(() => {
        throw notDone;
      }),
    ).toMatchObject({ status: 'not-done', score: 0 });
    expect(
      check(() => {
        throw new TypeError('boom');
      }).output,
    ).toMatch(/^your code threw TypeError: boom/);
  });

  it('turns exceptions, wrong shapes, NaN and mutation into Failures naming the output', () => {
    expect(() =>
      call('f', () => {
        throw new RangeError('bad');
      }),
    ).toThrow('f threw RangeError: bad');
    expect(() => expectArray('dx', 3, [2])).toThrow(
      'dx: expected an array of shape [2], got number',
    );
    expect(() => expectArray('dx', [1, 2, 3], [2])).toThrow(
      'dx: expected shape [2] (2 entries), got 3 entries',
    );
    expect(() => expectArray('dx', [1, Number.NaN], [1, 2])).toThrow('dx: entry [0, 1] is NaN');
    const x = Float64Array.of(1, 2);
    expect(() =>
      withoutMutation({ x }, () => {
        x[1] = 5;
      }),
    ).toThrow('changed its input x[1] from 2 to 5');
  });

  it('labels the worst entry: expected (how it was found) vs yours', () => {
    expect(() =>
      expectClose('dW', [1, 2, 3, 4], [1, 2, 3, 5], [2, 2], { expectedFrom: 'central difference' }),
    ).toThrow(
      'dW [2, 2]: 1 of 4 entries off; worst at [1, 1]: expected 4 (central difference), got 5 (yours)',
    );
  });

  it('shrinks a failing case to the smallest sizes that still fail', () => {
    // Fails whenever H ≥ 3: the smallest failing case is B = 1, H = 3.
    const failing = () =>
      forCases(
        1,
        { runs: 20, draw: (r) => ({ B: 1 + Math.floor(r() * 5), H: 1 + Math.floor(r() * 8) }) },
        ({ H }) => {
          if (H! >= 3) throw new Failure('too wide');
        },
      );
    expect(failing).toThrow(/too wide\non B=1, H=3, case seed \d+/);
  });
});

describe('report formats', () => {
  const checks: CheckResult[] = [
    { name: 'dx', points: 2, score: 2, status: 'passed', output: '' },
    { name: 'dW <T>', points: 1, score: 0, status: 'failed', output: 'off & wrong\nhint: "x"' },
  ];
  const report: GradeReport = {
    seed: 5,
    score: 2,
    maxScore: 3,
    exercises: [{ id: 'square', title: 'Squares', chapter: 3, points: 3, score: 2, checks }],
  };

  it('writes Gradescope results.json with a test per check', () => {
    const json = JSON.parse(formatReport(report, 'gradescope'));
    expect(json.score).toBe(2);
    expect(json.tests).toEqual([
      expect.objectContaining({
        name: 'square: dx',
        score: 2,
        max_score: 2,
        visibility: 'visible',
      }),
      expect.objectContaining({
        name: 'square: dW <T>',
        score: 0,
        max_score: 1,
        output: 'off & wrong\nhint: "x"',
      }),
    ]);
  });

  it('writes JUnit XML with escaped failures', () => {
    const xml = formatReport(report, 'junit');
    expect(xml).toContain('<testsuites name="unroll grade" tests="2" failures="1">');
    expect(xml).toContain('<testcase classname="square" name="dx"/>');
    expect(xml).toContain('<testcase classname="square" name="dW &lt;T&gt;">');
    expect(xml).toContain(
      '<failure message="off &amp; wrong" type="failed">off &amp; wrong\nhint: &quot;x&quot;</failure>',
    );
  });

  it('writes our JSON and a text report', () => {
    expect(JSON.parse(formatReport(report, 'json'))).toEqual({
      schema: 'unroll-grade/1',
      ...report,
    });
    expect(formatReport(report, 'text')).toContain(
      'square  2/3  Squares (chapter 3)\n  ✓ dx  2/2\n  ✗ dW <T>  0/1\n      off & wrong',
    );
  });
});
