/**
 * Give every package one new version, and pin their dependencies on each other to it:
 *
 *   npm run set-version -w @unroll/release -- 0.3.0
 *
 * Then run `npm install` (the lock file records the workspaces' versions) and add the
 * release's section to CHANGELOG.md.
 */
import { execFileSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { checkVersion, setVersion } from '../src/version.ts';
import { allWorkspaces, repoDir } from '../src/workspace.ts';

const version = process.argv[2];
if (version === undefined) {
  console.error('usage: npm run set-version -w @unroll/release -- MAJOR.MINOR.PATCH');
  process.exit(2);
}
checkVersion(version);
const written: string[] = [];
for (const { dir, manifest } of allWorkspaces()) {
  const file = join(repoDir, dir, 'package.json');
  writeFileSync(file, `${JSON.stringify(setVersion(manifest, version), null, 2)}\n`);
  written.push(file);
  console.log(`${manifest.name}: ${manifest.version} -> ${version}`);
}
// The repository's formatter decides how a package.json is laid out.
execFileSync('npx', ['biome', 'format', '--write', ...written], { cwd: repoDir, stdio: 'inherit' });
