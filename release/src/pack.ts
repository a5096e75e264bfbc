/**
 * Tarballs of every shipped package, as `npm publish` would upload them, plus tarballs
 * of the third-party packages they need at run time, so that the whole set installs
 * with no registry at all (`npm install --offline ./*.tgz`).
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { publishable, repoDir, thirdPartyRuntimeClosure } from './workspace.ts';

/** The environment for npm and node outside the repository: no source condition. */
export function outsideEnv(): NodeJS.ProcessEnv {
  const env = { ...process.env };
  delete env.NODE_OPTIONS;
  // npm passes its own settings to scripts through npm_config_* variables; a child npm
  // run from a test must read its settings afresh, not inherit the repository's.
  for (const key of Object.keys(env)) if (key.startsWith('npm_')) delete env[key];
  return env;
}

/**
 * The files of a package's tarball that should not be there: anything outside dist/,
 * src/, bin/, data/ and the three top-level files, and anything of the repository's own
 * (tests, benchmarks, scripts, fixtures, results, configuration) wherever it sits.
 */
export function unexpectedFiles(files: readonly string[]): string[] {
  const allowed = /^(dist|src|bin|data)\/|^(package\.json|README\.md|LICENSE)$/;
  const repositoryOnly =
    /(^|\/)(test|bench|scripts|fixtures|results)\/|tsconfig.*\.json$|\.test\.ts$|vitest\.config|\.vitest-report/;
  return files.filter((file) => !allowed.test(file) || repositoryOnly.test(file));
}

export interface PackedSet {
  /** The @unroll packages' tarballs, by package name. */
  unroll: Map<string, string>;
  /** The third-party tarballs. */
  thirdParty: string[];
}

export function packAll(destination: string): PackedSet {
  mkdirSync(destination, { recursive: true });
  const packages = publishable();
  for (const { dir } of packages) {
    if (!existsSync(join(repoDir, dir, 'dist'))) {
      throw new Error(`${dir} has no dist/: build first (npx turbo run build)`);
    }
  }
  const workspaces = packages.flatMap(({ manifest }) => ['-w', manifest.name]);
  npm(['pack', '--pack-destination', destination, ...workspaces], repoDir);
  const unroll = new Map<string, string>();
  for (const { manifest } of packages) {
    const file = `${manifest.name.replace('@', '').replace('/', '-')}-${manifest.version}.tgz`;
    unroll.set(manifest.name, join(destination, file));
  }
  const before = new Set(readdirSync(destination));
  for (const dependency of thirdPartyRuntimeClosure()) {
    npm(['pack', '--pack-destination', destination, dependency.dir], repoDir);
  }
  const thirdParty = readdirSync(destination)
    .filter((file) => !before.has(file))
    .map((file) => join(destination, file));
  return { unroll, thirdParty };
}

export function npm(args: string[], cwd: string): string {
  return execFileSync('npm', ['--no-audit', '--no-fund', '--loglevel=error', ...args], {
    cwd,
    env: outsideEnv(),
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'pipe'],
  });
}
