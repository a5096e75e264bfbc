/**
 * The README's opening example must print exactly the output shown under it. The
 * example is copied into a file in this package (so that its '@unroll/…' imports
 * resolve as they would for a user), run with console.log captured, then deleted.
 */

import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { format } from 'node:util';
import { afterEach, expect, it, vi } from 'vitest';

afterEach(() => {
  vi.restoreAllMocks();
});

it('the README example prints what the README says it prints', async () => {
  const readme = readFileSync(new URL('../README.md', import.meta.url), 'utf8');
  const code = /```ts\n([\s\S]*?)```/.exec(readme)?.[1];
  const shown = /```text\n([\s\S]*?)```/.exec(readme)?.[1];
  expect(code, 'README has a ```ts example').toBeDefined();
  expect(shown, 'README has a ```text block of its output').toBeDefined();
  const file = new URL(`./.readme-example-${process.pid}.ts`, import.meta.url);
  writeFileSync(file, `${code}export {};\n`);
  const lines: string[] = [];
  vi.spyOn(console, 'log').mockImplementation((...args: unknown[]) => {
    lines.push(format(...args));
  });
  try {
    await import(file.href);
  } finally {
    rmSync(file, { force: true });
  }
  expect(`${lines.join('\n')}\n`).toBe(shown);
});
