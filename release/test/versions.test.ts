/**
 * What every shipped package.json must say, and the one-version rule.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { checkVersion, setVersion } from '../src/version.ts';
import { allWorkspaces, publishable, repoDir } from '../src/workspace.ts';

const workspaces = allWorkspaces();
const version = workspaces[0]!.manifest.version;

describe('one version for every package', () => {
  it.each(workspaces.map((w) => [w.dir, w.manifest] as const))('%s', (_dir, manifest) => {
    expect(manifest.version).toBe(version);
    for (const deps of [manifest.dependencies, manifest.devDependencies]) {
      for (const [name, range] of Object.entries(deps ?? {})) {
        if (name.startsWith('@unroll/')) expect(`${name}@${range}`).toBe(`${name}@${version}`);
      }
    }
  });

  it('CHANGELOG.md has a section for the current version', () => {
    const changelog = readFileSync(join(repoDir, 'CHANGELOG.md'), 'utf8');
    expect(changelog).toMatch(new RegExp(`^## ${version.replaceAll('.', '\\.')}\\b`, 'm'));
  });
});

describe('setVersion', () => {
  const manifest = {
    name: '@unroll/x',
    version: '0.2.0',
    dependencies: { '@unroll/tensor': '0.2.0', 'fast-check': '4.10.2' },
    devDependencies: { '@unroll/gradcheck': '*' },
  };

  it('moves the version and pins every @unroll dependency to it, and nothing else', () => {
    const next = setVersion(manifest, '1.4.0');
    expect(next).toEqual({
      name: '@unroll/x',
      version: '1.4.0',
      dependencies: { '@unroll/tensor': '1.4.0', 'fast-check': '4.10.2' },
      devDependencies: { '@unroll/gradcheck': '1.4.0' },
    });
    expect(manifest.version).toBe('0.2.0');
  });

  it.each(['1.4', 'v1.4.0', '01.2.3', '1.2.3.4', ''])('refuses "%s"', (bad) => {
    expect(() => checkVersion(bad)).toThrow(`set-version: "${bad}" is not a version`);
  });
});

describe('what each shipped package.json says', () => {
  const license = readFileSync(join(repoDir, 'LICENSE'), 'utf8');

  it.each(publishable().map((w) => [w.dir, w] as const))('%s', (dir, { manifest }) => {
    expect(manifest.license).toBe('MIT');
    expect(readFileSync(join(repoDir, dir, 'LICENSE'), 'utf8')).toBe(license);
    expect(typeof manifest.description).toBe('string');
    expect((manifest.keywords as string[]).length).toBeGreaterThan(2);
    expect(manifest.repository).toMatchObject({ type: 'git', directory: dir });
    expect(manifest.engines).toEqual({ node: '>=20' });
    expect(manifest.type).toBe('module');
    const exports = manifest.exports as Record<string, Record<string, string>>;
    for (const entry of Object.values(exports)) {
      // The source condition must come first: conditions are tried in the order written.
      expect(Object.keys(entry)).toEqual(['unroll-source', 'types', 'import']);
      expect(entry['unroll-source']).toMatch(/^\.\/src\/.*\.ts$/);
      expect(entry.types).toMatch(/^\.\/dist\/.*\.d\.ts$/);
      expect(entry.import).toBe(entry.types!.replace(/\.d\.ts$/, '.js'));
    }
  });
});
