/**
 * The course kit's honesty invariant, on the real repository:
 *   1. with the solutions (this repository) every grader gives full marks;
 *   2. in a student copy with every exercise cut, every check of every grader scores 0
 *      and says "not done yet" (no check passes without the solution);
 *   3. isolation: for each exercise, a copy with every OTHER exercise cut still gives
 *      it full marks, so a grader depends only on code outside every exercise plus its
 *      own (which is what lets a student who has done backward but not forward earn
 *      backward's points, and cutting one exercise never costs another its marks);
 *   4. the student copy holds none of the solutions' distinctive lines;
 *   5. deliberately wrong solutions score below full, and the checks that fail are the
 *      ones that name the wrong quantity.
 * The copies hold only what grading loads (packages' src/, data/ and package.json) and share this repository's installed dependencies through symlinks; each
 * copy's own packages are linked into its own node_modules/@unroll, so importing its
 * course package loads its engine, not this one.
 */

import { execFile } from 'node:child_process';
import {
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import {
  EQUATION_TAG,
  type ExerciseManifest,
  findRegions,
  type GradeReport,
  gradeInProcess,
  makeStudentCopy,
} from '@unroll/course';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readManifests, repositoryFiles, repositoryRoot } from '../src/course-files.ts';

const manifests = readManifests();
const ids = manifests.map((m) => m.id);
const sources = new Map<string, string>();
for (const path of repositoryFiles()) {
  if (path.endsWith('.ts')) sources.set(path, readFileSync(join(repositoryRoot, path), 'utf8'));
}
const workspace = mkdtempSync(join(tmpdir(), 'unroll-course-'));
let copies = 0;

/** Writes the files grading loads into a new folder; returns the folder. */
function writeCopy(files: ReadonlyMap<string, string>): string {
  const root = join(workspace, `copy-${copies++}`);
  for (const [path, text] of files) {
    if (!/^packages\/[^/]+\/(src|data)\//.test(path)) continue;
    mkdirSync(dirname(join(root, path)), { recursive: true });
    writeFileSync(join(root, path), text);
  }
  const packages = readdirSync(join(repositoryRoot, 'packages'));
  for (const name of packages) {
    const from = join(repositoryRoot, 'packages', name, 'package.json');
    mkdirSync(join(root, 'packages', name), { recursive: true });
    writeFileSync(join(root, 'packages', name, 'package.json'), readFileSync(from));
  }
  mkdirSync(join(root, 'node_modules', '@unroll'), { recursive: true });
  for (const entry of readdirSync(join(repositoryRoot, 'node_modules'))) {
    if (entry === '@unroll') continue;
    symlinkSync(join(repositoryRoot, 'node_modules', entry), join(root, 'node_modules', entry));
  }
  for (const name of packages) {
    symlinkSync(join(root, 'packages', name), join(root, 'node_modules', '@unroll', name));
  }
  return root;
}

interface Job {
  root: string;
  manifests: readonly ExerciseManifest[];
}

/**
 * Grades each job in its copy, all in one child process (tsx compiles the TypeScript,
 * and the unroll-source condition points each @unroll import at its src/):
 * each copy's course package is imported from its own folder, so it loads that copy's
 * engine, a module graph of its own.
 */
function gradeCopies(jobs: readonly Job[]): Promise<GradeReport[]> {
  const script = join(workspace, 'grade-copies.mts');
  writeFileSync(
    script,
    [
      "import { readFileSync } from 'node:fs';",
      "import { pathToFileURL } from 'node:url';",
      "const jobs = JSON.parse(readFileSync(0, 'utf8'));",
      'const reports = [];',
      'for (const job of jobs) {',
      "  const course = await import(pathToFileURL(job.root + '/packages/course/src/index.ts').href);",
      '  reports.push(course.gradeInProcess(job.manifests));',
      '}',
      'process.stdout.write(JSON.stringify(reports));',
      '',
    ].join('\n'),
  );
  return new Promise((resolve, reject) => {
    const child = execFile(
      process.execPath,
      ['--conditions=unroll-source', '--import', 'tsx', script],
      { cwd: repositoryRoot, maxBuffer: 64 * 1024 * 1024 },
      (error, stdout, stderr) => {
        if (error) reject(new Error(`grading the copies failed: ${stderr}`));
        else resolve(JSON.parse(stdout) as GradeReport[]);
      },
    );
    child.stdin!.end(JSON.stringify(jobs));
  });
}

afterAll(() => rmSync(workspace, { recursive: true, force: true }));

const byCheck = (report: GradeReport) =>
  report.exercises.flatMap((e) => e.checks.map((c) => ({ exercise: e.id, ...c })));

describe('the course kit on this repository', () => {
  let studentCopy: ReturnType<typeof makeStudentCopy>;
  beforeAll(() => {
    studentCopy = makeStudentCopy(sources, manifests, ids);
  });

  it('gives full marks to the solutions', () => {
    const report = gradeInProcess(manifests);
    const failing = byCheck(report).filter((c) => c.status !== 'passed');
    expect(failing).toEqual([]);
    expect(report.score).toBe(report.maxScore);
  });

  it('has at least 15 exercises, covering chapters 1 to 8', () => {
    expect(ids.length).toBeGreaterThanOrEqual(15);
    expect(new Set(manifests.map((m) => m.chapter))).toEqual(new Set([1, 2, 3, 4, 5, 6, 7, 8]));
  });

  it('scores 0 on every check when every exercise is cut', async () => {
    const [report] = await gradeCopies([{ root: writeCopy(studentCopy.files), manifests }]);
    const checks = byCheck(report!);
    const earned = checks.filter((c) => c.score !== 0 || c.status !== 'not-done');
    expect(earned.map((c) => `${c.exercise}: ${c.name} (${c.status}) ${c.output}`)).toEqual([]);
    for (const c of checks) expect(c.output).toContain(`exercise '${c.exercise}'`);
  });

  it('gives each exercise full marks with every other exercise cut', async () => {
    const jobs = manifests.map((manifest) => {
      const others = ids.filter((id) => id !== manifest.id);
      return {
        root: writeCopy(makeStudentCopy(sources, manifests, others).files),
        manifests: [manifest],
      };
    });
    // Two child processes, one per core, each grading half of the copies.
    const half = Math.ceil(jobs.length / 2);
    const reports = (
      await Promise.all([gradeCopies(jobs.slice(0, half)), gradeCopies(jobs.slice(half))])
    ).flat();
    const short = byCheck({ ...reports[0]!, exercises: reports.flatMap((r) => r.exercises) })
      .filter((c) => c.status !== 'passed')
      .map((c) => `${c.exercise}: ${c.name}: ${c.output}`);
    expect(short).toEqual([]);
  });

  it('leaves none of the distinctive solution lines in the student copy', () => {
    // A solution line is distinctive when it occurs nowhere in the repository outside the regions.
    const inRegions = new Map<string, number>();
    const everywhere = new Map<string, number>();
    const count = (map: Map<string, number>, line: string) =>
      map.set(line, (map.get(line) ?? 0) + 1);
    for (const [path, text] of sources) {
      for (const line of text.split('\n')) count(everywhere, line.trim());
      if (!/^packages\/[^/]+\/src\//.test(path)) continue;
      for (const region of findRegions(text, path)) {
        for (const line of region.body) count(inRegions, line.trim());
      }
    }
    const distinctive = [...inRegions.keys()].filter(
      (line) =>
        line.length >= 16 &&
        !EQUATION_TAG.test(line) &&
        everywhere.get(line) === inRegions.get(line),
    );
    expect(distinctive.length).toBeGreaterThan(100);
    const copied = new Set<string>();
    for (const text of studentCopy.files.values())
      for (const line of text.split('\n')) copied.add(line.trim());
    expect(distinctive.filter((line) => copied.has(line))).toEqual([]);
  });
});

/**
 * Wrong solutions, each a one-line change of the library's solution, as a student might
 * write it; `fails` are the checks that must fail (by name), `passes` some that must not.
 */
const WRONG: {
  what: string;
  exercise: string;
  file: string;
  from: string;
  to: string;
  fails: string[];
  passes: string[];
}[] = [
  {
    what: 'dc_{t−1} without ⊙ f',
    exercise: 'lstm-step-backward',
    file: 'packages/bptt/src/steps/lstm-step.ts',
    from: 'dcPrev[k] = dc * f;',
    to: 'dcPrev[k] = dc;',
    fails: ['dcPrev'],
    passes: ['dx', 'dhPrev', 'dW_ih', 'dW_hh', 'db_ih'],
  },
  {
    what: "a sign flip in tanh' = 1 − h²",
    exercise: 'rnn-step-backward',
    file: 'packages/bptt/src/steps/rnn-step.ts',
    from: "const slope = nonlinearity === 'tanh' ? 1 - h[j]! * h[j]! : h[j]! > 0 ? 1 : 0;",
    to: "const slope = nonlinearity === 'tanh' ? h[j]! * h[j]! - 1 : h[j]! > 0 ? 1 : 0;",
    fails: ['dx', 'dhPrev', 'dW_ih', 'dW_hh', 'db_ih', 'db_hh'],
    passes: ['inputs unchanged'],
  },
  {
    what: 'a transposed weight gradient (h_{t−1}ᵀ·dGh instead of dGhᵀ·h_{t−1})',
    exercise: 'gru-step-backward',
    file: 'packages/bptt/src/steps/gru-step.ts',
    from: 'gemm(weight_hh, dGh, hPrev, { m: 3 * H, n: H, k: B, transA: true });',
    to: 'gemm(weight_hh, hPrev, dGh, { m: H, n: 3 * H, k: B, transA: true });',
    fails: ['dW_hh'],
    passes: ['dW_ih', 'dx', 'dhPrev', 'db_hh'],
  },
  {
    what: 'Adam without bias correction',
    exercise: 'adam',
    file: 'packages/optim/src/adam.ts',
    from: 'const biasCorrection1 = 1 - beta1 ** t;',
    to: 'const biasCorrection1 = 1;',
    fails: ['first step (bias correction)', 'several steps'],
    passes: [],
  },
  {
    what: 'Nesterov looking the wrong way',
    exercise: 'sgd-momentum',
    file: 'packages/optim/src/sgd.ts',
    from: 'theta[i] = theta[i]! - lr * (nesterov ? g + mu * bi : bi);',
    to: 'theta[i] = theta[i]! - lr * (nesterov ? g - mu * bi : bi);',
    fails: ['nesterov'],
    passes: ['momentum', 'dampening'],
  },
  {
    what: 'a gradient assigned instead of accumulated',
    exercise: 'value-mul-tanh',
    file: 'packages/scalar/src/value.ts',
    from: 'b.grad += this.data * out.grad;',
    to: 'b.grad = this.data * out.grad;',
    fails: ['accumulates (a·a)'],
    passes: ['mul backward', 'tanh backward'],
  },
  {
    what: 'p + y instead of p − y',
    exercise: 'cross-entropy-backward',
    file: 'packages/tensor/src/loss.ts',
    from: 'dz[row + target]! -= scale; // p − y',
    to: 'dz[row + target]! += scale; // p − y',
    fails: ["reduction 'mean'", "reduction 'sum'", "reduction 'none'"],
    passes: [],
  },
  {
    what: 'a one-sided difference',
    exercise: 'central-difference',
    file: 'packages/gradcheck/src/numerical.ts',
    from: 'gradient[i] = (fPlus - fMinus) / (2 * eps);',
    to: 'gradient[i] = (fPlus - f(x)) / eps;',
    fails: ['central, not one-sided'],
    passes: ['x restored exactly'],
  },
  {
    what: 'the graph cut k1 (not k2) steps before the window ends',
    exercise: 'tbptt-cut',
    file: 'packages/bptt/src/tbptt.ts',
    from: 'windows.push({ start, end, cut: Math.max(0, end - k2), index });',
    to: 'windows.push({ start, end, cut: Math.max(0, end - k1), index });',
    fails: ['windows', 'gradient of each window'],
    passes: ['losses', 'final state'],
  },
  {
    what: "relu' taken from the wrong side",
    exercise: 'rnn-bptt',
    file: 'packages/bptt/src/manual/rnn.ts',
    from: 'for (let r = 0; r < BH; r++) dhRaw[r] = h[r]! > 0 ? dh[r]! + dhNext[r]! : 0;',
    to: 'for (let r = 0; r < BH; r++) dhRaw[r] = h[r]! > 0 ? 0 : dh[r]! + dhNext[r]!;',
    fails: ['edge cases (T = 1, B = 1, H = 1, relu)'],
    passes: ['dW_ih', 'dh0'],
  },
];

describe('wrong solutions', () => {
  it('each scores below full marks, failing the checks of the quantity it gets wrong', async () => {
    // One copy holds every wrong solution: the isolation test shows that graders do not
    // see each other's exercises, so one wrong exercise cannot hide another.
    const files = new Map(sources);
    for (const wrong of WRONG) {
      const text = files.get(wrong.file)!;
      expect(
        text.split(wrong.from).length - 1,
        `${wrong.what}: '${wrong.from}' in ${wrong.file}`,
      ).toBe(1);
      files.set(wrong.file, text.replace(wrong.from, wrong.to));
    }
    const chosen = manifests.filter((m) => WRONG.some((w) => w.exercise === m.id));
    const [graded] = await gradeCopies([{ root: writeCopy(files), manifests: chosen }]);
    for (const wrong of WRONG) {
      const result = graded!.exercises.find((e) => e.id === wrong.exercise)!;
      expect(result.score, wrong.what).toBeLessThan(result.points);
      const failed = result.checks.filter((c) => c.status === 'failed').map((c) => c.name);
      for (const name of wrong.fails) expect(failed, `${wrong.what}: ${name}`).toContain(name);
      for (const name of wrong.passes) expect(failed, `${wrong.what}: ${name}`).not.toContain(name);
      for (const check of result.checks.filter((c) => c.status === 'failed')) {
        expect(check.output, wrong.what).toMatch(/expected .* got /s);
      }
    }
  });
});
