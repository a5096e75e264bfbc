/**
 * `npm pack --dry-run` of each package: exactly what a user needs ships (the compiled
 * JavaScript with its declarations and source maps, the TypeScript the maps point to,
 * README, LICENSE) and nothing of the repository's own (tests, benchmarks, scripts,
 * fixtures, configuration).
 */
import { readFileSync } from 'node:fs';
import { join, posix } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { npm, unexpectedFiles } from '../src/pack.ts';
import { publishable, repoDir } from '../src/workspace.ts';

const packages = publishable();
const listed = new Map<string, string[]>();

beforeAll(() => {
  const workspaces = packages.flatMap(({ manifest }) => ['-w', manifest.name]);
  const report = JSON.parse(npm(['pack', '--dry-run', '--json', ...workspaces], repoDir)) as {
    name: string;
    files: { path: string }[];
  }[];
  for (const entry of report) listed.set(entry.name, entry.files.map((f) => f.path).sort());
});

describe.each(packages.map((w) => [w.manifest.name, w] as const))(
  '%s',
  (name, { dir, manifest }) => {
    const files = () => listed.get(name)!;

    it('ships package.json, README.md, LICENSE and every file its exports name', () => {
      expect(files()).toEqual(expect.arrayContaining(['package.json', 'README.md', 'LICENSE']));
      const exports = manifest.exports as Record<string, Record<string, string>>;
      for (const entry of Object.values(exports)) {
        for (const target of Object.values(entry)) {
          expect(files()).toContain(posix.normalize(target));
        }
      }
      for (const bin of Object.values((manifest.bin as Record<string, string>) ?? {})) {
        expect(files()).toContain(posix.normalize(bin));
      }
    });

    it('ships nothing but dist/, src/ (and bin/, data/ where the package has them) and the three files', () => {
      expect(unexpectedFiles(files())).toEqual([]);
    });

    it('every compiled module has its declarations and a source map into the shipped TypeScript', () => {
      const modules = files().filter((file) => file.startsWith('dist/') && file.endsWith('.js'));
      expect(modules.length).toBeGreaterThan(0);
      for (const module of modules) {
        expect(files()).toContain(`${module}.map`);
        expect(files()).toContain(module.replace(/\.js$/, '.d.ts'));
        const map = JSON.parse(readFileSync(join(repoDir, dir, `${module}.map`), 'utf8')) as {
          sources: string[];
        };
        for (const source of map.sources) {
          const shipped = posix.normalize(posix.join(posix.dirname(module), source));
          expect(files(), `${module}.map names ${source}`).toContain(shipped);
        }
      }
    });
  },
);

describe('the contents check itself', () => {
  it('names every file a tarball should not hold, and passes the ones it should', () => {
    const good = [
      'package.json',
      'README.md',
      'LICENSE',
      'dist/index.js',
      'src/index.ts',
      'bin/unroll.js',
      'data/x.ts',
    ];
    const bad = [
      'test/tensor.test.ts',
      'src/helpers.test.ts',
      'bench/results/gemm.json',
      'scripts/make.ts',
      'src/test/fixtures/a.bin',
      'tsconfig.json',
      'vitest.config.ts',
      '.vitest-report.json',
      'stryker.config.mjs',
      'CHANGELOG.md',
    ];
    expect(unexpectedFiles([...good, ...bad])).toEqual(bad);
  });
});
