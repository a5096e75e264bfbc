/**
 * Plants, one at a time, the mistakes a gradient checker must never let through — in
 * its comparison, in the restoring of the probed entry, in the relative error, in the
 * central difference — and runs gradcheck's own tests against each. Every mutant must
 * make some test fail. Works on a copy in the root's .stryker-tmp/, never on src/ itself.
 *
 *   npx tsx scripts/judge-the-judge.ts      (from packages/gradcheck; about a minute)
 */

import { spawnSync } from 'node:child_process';
import { cpSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const packageDir = join(dirname(fileURLToPath(import.meta.url)), '..');
// At the depth of a package below the root, so relative paths out of it still resolve.
const copy = join(packageDir, '..', '..', '.stryker-tmp', 'judge-the-judge');

interface Mutant {
  what: string;
  file: string;
  from: string;
  to: string;
}

const mutants: Mutant[] = [
  {
    what: 'comparison: ≤ becomes >',
    file: 'compare.ts',
    from: 'diff <= allowed',
    to: 'diff > allowed',
  },
  {
    what: 'comparison: ≤ becomes <',
    file: 'compare.ts',
    from: 'diff <= allowed',
    to: 'diff < allowed',
  },
  {
    what: 'comparison: rtol scales the analytic side, not the numerical',
    file: 'compare.ts',
    from: 'const allowed = atol + rtol * Math.abs(n);',
    to: 'const allowed = atol + rtol * Math.abs(a);',
  },
  {
    what: 'comparison: equal values are not enough, also within tolerance',
    file: 'compare.ts',
    from: 'const pass = bothSame ||',
    to: 'const pass = bothSame &&',
  },
  {
    what: 'restore: the probed entry is left at x − ε',
    file: 'numerical.ts',
    from: 'x[i] = original; // restore',
    to: '// restore',
  },
  {
    what: 'restore: the probed entry is set to x + ε − ε (not bit for bit)',
    file: 'numerical.ts',
    from: 'x[i] = original; // restore',
    to: 'x[i] = original + eps - eps; // restore',
  },
  {
    what: 'restore: the Jacobian probe is left at x − ε',
    file: 'numerical.ts',
    from: '    x[c] = original;\n',
    to: '\n',
  },
  {
    what: 'relative error: divided by the smaller magnitude',
    file: 'compare.ts',
    from: 'Math.max(Math.abs(a), Math.abs(b))',
    to: 'Math.min(Math.abs(a), Math.abs(b))',
  },
  {
    what: 'relative error: |a + b| instead of |a − b|',
    file: 'compare.ts',
    from: 'Math.abs(a - b) / scale',
    to: 'Math.abs(a + b) / scale',
  },
  {
    what: 'relative error: two zeros count as wholly different',
    file: 'compare.ts',
    from: 'scale === 0 ? 0 :',
    to: 'scale === 0 ? 1 :',
  },
  {
    what: 'central difference: divided by ε instead of 2ε',
    file: 'numerical.ts',
    from: '(fPlus - fMinus) / (2 * eps)',
    to: '(fPlus - fMinus) / eps',
  },
];

let survivors = 0;
for (const mutant of mutants) {
  rmSync(copy, { recursive: true, force: true });
  mkdirSync(copy, { recursive: true });
  for (const part of ['src', 'test', 'package.json', 'vitest.config.ts']) {
    cpSync(join(packageDir, part), join(copy, part), { recursive: true });
  }
  const path = join(copy, 'src', mutant.file);
  const source = readFileSync(path, 'utf8');
  if (!source.includes(mutant.from))
    throw new Error(`${mutant.file} no longer contains ${mutant.from}`);
  writeFileSync(path, source.replace(mutant.from, mutant.to));
  const run = spawnSync('npx', ['vitest', 'run', '--reporter=json'], {
    cwd: copy,
    encoding: 'utf8',
  });
  const failed = /"numFailedTests":(\d+)/.exec(run.stdout)?.[1] ?? '?';
  const killed = run.status !== 0;
  if (!killed) survivors++;
  console.log(
    `${killed ? 'killed  ' : 'SURVIVED'} ${failed.padStart(3)} failing tests  ${mutant.what}`,
  );
}
rmSync(copy, { recursive: true, force: true });
console.log(`${mutants.length - survivors} of ${mutants.length} mutants killed`);
process.exitCode = survivors === 0 ? 0 : 1;
