/**
 * A Gradescope autograder for a set of exercises, as a zip: a student copy of the
 * repository (the exercises cut), `setup.sh` (Node 20, then `npm ci` in the copy) and
 * `run_autograder` (paste the submission's solutions into the copy, then grade with the
 * teacher's seed into /autograder/results/results.json). Only the bodies of the
 * exercise regions are taken from a submission, so a student cannot change a grader.
 */

import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative, sep } from 'node:path';
import type { ExerciseManifest } from '@unroll/course';
import { writeStudentCopy } from './student-copy-writer.ts';
import { type ZipEntry, zip } from './zip.ts';

export function setupScript(): string {
  return `#!/usr/bin/env bash
# Gradescope runs this once, as root, when the autograder is built.
set -euo pipefail
apt-get update
apt-get install -y ca-certificates curl gnupg
curl -fsSL https://deb.nodesource.com/setup_20.x | bash -
apt-get install -y nodejs
cd /autograder/source
npm ci --no-audit --no-fund
`;
}

export function runScript(ids: readonly string[], seed: number): string {
  return `#!/usr/bin/env bash
# Gradescope runs this for every submission: the student's solutions go into the
# regions of a clean copy, then every check runs (seed ${seed}, which students do not see).
set -uo pipefail
cd /autograder/source
mkdir -p /autograder/results
npx unroll course paste --from /autograder/submission --exercises ${ids.join(',')} \\
  || echo "some exercises were not found in the submission; they score 0"
npx unroll grade ${ids.join(' ')} --seed ${seed} --format gradescope --out /autograder/results/results.json
exit 0
`;
}

/** Builds the autograder zip's bytes. */
export function autograderZip(
  manifests: readonly ExerciseManifest[],
  ids: readonly string[],
  seed: number,
): Buffer {
  const folder = mkdtempSync(join(tmpdir(), 'unroll-autograder-'));
  try {
    const source = join(folder, 'source');
    writeStudentCopy({ out: source, ids, manifests });
    const entries: ZipEntry[] = [
      { path: 'setup.sh', data: Buffer.from(setupScript()), mode: 0o755 },
      { path: 'run_autograder', data: Buffer.from(runScript(ids, seed)), mode: 0o755 },
    ];
    const walk = (dir: string) => {
      for (const name of readdirSync(dir).sort()) {
        const path = join(dir, name);
        if (statSync(path).isDirectory()) walk(path);
        else {
          const rel = relative(folder, path).split(sep).join('/');
          entries.push({ path: rel, data: readFileSync(path), mode: statSync(path).mode & 0o777 });
        }
      }
    };
    walk(source);
    return zip(entries);
  } finally {
    rmSync(folder, { recursive: true, force: true });
  }
}
