/**
 * One version for every package. `setVersion` returns each manifest with the new
 * version and with every dependency on another @unroll package pinned to it exactly;
 * `scripts/set-version.ts` writes them back.
 */
import type { Manifest } from './workspace.ts';

const SEMVER = /^(0|[1-9]\d*)\.(0|[1-9]\d*)\.(0|[1-9]\d*)(-[0-9A-Za-z.-]+)?$/;

export function checkVersion(version: string): void {
  if (!SEMVER.test(version)) {
    throw new Error(`set-version: "${version}" is not a version of the form MAJOR.MINOR.PATCH`);
  }
}

export function setVersion(manifest: Manifest, version: string): Manifest {
  checkVersion(version);
  const pin = (deps: Record<string, string> | undefined) =>
    deps &&
    Object.fromEntries(
      Object.entries(deps).map(([name, range]) => [
        name,
        name.startsWith('@unroll/') ? version : range,
      ]),
    );
  const next: Manifest = { ...manifest, version };
  if (manifest.dependencies) next.dependencies = pin(manifest.dependencies);
  if (manifest.devDependencies) next.devDependencies = pin(manifest.devDependencies);
  return next;
}
