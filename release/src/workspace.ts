/**
 * The publishable packages of this repository, read from their package.json files.
 *
 * Every package under packages/ ships; `docs`, `site` and `release` are private. All of them
 * carry one version, and an @unroll package depends on another at exactly that version,
 * so a set of tarballs made together always installs together.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const repoDir = fileURLToPath(new URL('../..', import.meta.url));

export interface Manifest {
  name: string;
  version: string;
  private?: boolean;
  dependencies?: Record<string, string>;
  devDependencies?: Record<string, string>;
  peerDependencies?: Record<string, string>;
  [field: string]: unknown;
}

export interface Workspace {
  /** Folder relative to the repository, e.g. `packages/tensor`. */
  dir: string;
  manifest: Manifest;
}

export function readManifest(dir: string): Manifest {
  return JSON.parse(readFileSync(join(repoDir, dir, 'package.json'), 'utf8')) as Manifest;
}

/** Every workspace with a package.json: the publishable packages, docs, site and release. */
export function allWorkspaces(): Workspace[] {
  const dirs = readdirSync(join(repoDir, 'packages')).map((name) => `packages/${name}`);
  return [...dirs, 'docs', 'site', 'release'].map((dir) => ({ dir, manifest: readManifest(dir) }));
}

/** The packages that ship, each after the packages it depends on. */
export function publishable(): Workspace[] {
  const pending = allWorkspaces().filter((w) => w.manifest.private !== true);
  const ordered: Workspace[] = [];
  const placed = new Set<string>();
  while (pending.length > 0) {
    const next = pending.findIndex((w) =>
      Object.keys(w.manifest.dependencies ?? {}).every(
        (dep) => !dep.startsWith('@unroll/') || placed.has(dep),
      ),
    );
    if (next < 0) throw new Error(`dependency cycle among ${pending.map((w) => w.dir).join(', ')}`);
    const [workspace] = pending.splice(next, 1);
    ordered.push(workspace!);
    placed.add(workspace!.manifest.name);
  }
  return ordered;
}

/**
 * The third-party packages the shipped packages need at run time, with everything
 * they need in turn, as installed in this repository's node_modules (so at the
 * versions the lock file chose).
 */
export function thirdPartyRuntimeClosure(): { name: string; dir: string; version: string }[] {
  const found = new Map<string, { name: string; dir: string; version: string }>();
  const visit = (deps: Record<string, string> | undefined, fromDir: string): void => {
    for (const name of Object.keys(deps ?? {})) {
      if (name.startsWith('@unroll/')) continue;
      const dir = resolveInstalled(name, fromDir);
      if (found.has(dir)) continue;
      const manifest = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')) as Manifest;
      found.set(dir, { name, dir, version: manifest.version });
      visit(manifest.dependencies, dir);
    }
  };
  for (const workspace of publishable()) {
    visit(workspace.manifest.dependencies, join(repoDir, workspace.dir));
  }
  return [...found.values()];
}

/** Node's lookup of an installed package: node_modules here, then in each parent. */
function resolveInstalled(name: string, fromDir: string): string {
  let dir = fromDir;
  for (;;) {
    const candidate = join(dir, 'node_modules', name);
    try {
      readFileSync(join(candidate, 'package.json'));
      return candidate;
    } catch {
      const parent = join(dir, '..');
      if (parent === dir) throw new Error(`${name} is not installed (run npm ci)`);
      dir = parent;
    }
  }
}
