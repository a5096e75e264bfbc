/**
 * The README opens with an example and what it prints; this runs the example and
 * compares, so that the first thing a reader sees is always true.
 */

import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { format } from 'node:util';
import { afterEach, expect, it, vi } from 'vitest';

const packageDir = join(dirname(fileURLToPath(import.meta.url)), '..');

afterEach(() => {
  vi.restoreAllMocks();
});

it('the README example prints exactly what the README shows', async () => {
  const readme = readFileSync(join(packageDir, 'README.md'), 'utf8');
  const match = /```ts\n([\s\S]*?)\n```\s*\n[^`]*```text\n([\s\S]*?)\n```/.exec(readme);
  expect(match, 'a ```ts block followed by a ```text block').not.toBeNull();
  const [, code, expected] = match!;
  // The example imports the package by name; point it at this checkout's source.
  const source = pathToFileURL(join(packageDir, 'src', 'index.ts')).href;
  const dir = mkdtempSync(join(tmpdir(), 'unroll-scalar-readme-'));
  const file = join(dir, 'example.ts');
  writeFileSync(file, `${code!.replaceAll("'@unroll/scalar'", `'${source}'`)}\nexport {};\n`);
  const printed: string[] = [];
  vi.spyOn(console, 'log').mockImplementation((...args: unknown[]) => {
    printed.push(format(...args));
  });
  try {
    await import(pathToFileURL(file).href);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  expect(printed.join('\n')).toBe(expected);
});
