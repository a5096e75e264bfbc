/**
 * The README opens with an example and what it prints; this runs the example and
 * compares, so that the first thing a reader sees is always true.
 */

import { readFileSync, rmSync, writeFileSync } from 'node:fs';
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
  // Written inside the package, so that '@unroll/…' imports resolve as they do for users.
  const file = join(packageDir, 'test', `.readme-example-${process.pid}.ts`);
  writeFileSync(file, `${code}\nexport {};\n`);
  const printed: string[] = [];
  vi.spyOn(console, 'log').mockImplementation((...args: unknown[]) => {
    printed.push(format(...args));
  });
  try {
    await import(pathToFileURL(file).href);
  } finally {
    rmSync(file, { force: true });
  }
  expect(printed.join('\n')).toBe(expected);
});
