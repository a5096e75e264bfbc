/**
 * Every ```ts snippet of every chapter, and of every package README, is run here, and
 * what it prints is compared with the ```text block that follows it, so the book and
 * the first example a reader meets cannot drift from the code.
 */

import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { format } from 'node:util';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { extractSnippets, normalizeOutput } from './snippets.ts';

const docsDir = join(dirname(fileURLToPath(import.meta.url)), '..');
const scratchDir = join(docsDir, '.snippets');
const repoDir = join(docsDir, '..');
const chapters = readdirSync(docsDir)
  .filter((f) => /^\d\d-.*\.md$/.test(f))
  .sort()
  .map((f) => join('docs', f));
const readmes = readdirSync(join(repoDir, 'packages'))
  .sort()
  .map((name) => join('packages', name, 'README.md'))
  .filter((path) => existsSync(join(repoDir, path)));

afterEach(() => {
  vi.restoreAllMocks();
});

describe.each([...chapters, 'README.md', ...readmes])('%s', (chapter) => {
  const markdown = readFileSync(join(repoDir, chapter), 'utf8');
  it('has well-formed code fences', () => {
    expect(() => extractSnippets(markdown)).not.toThrow();
  });
  const snippets = extractSnippets(markdown);
  if (snippets.length === 0) return;
  it.each(snippets.map((s, i) => [s.line, s, i] as const))(
    'snippet at line %i runs',
    async (_line, snippet, index) => {
      mkdirSync(scratchDir, { recursive: true });
      const file = join(
        scratchDir,
        `${chapter.replace(/\.md$/, '').replaceAll('/', '-')}-${index}.ts`,
      );
      writeFileSync(file, `${snippet.code}\nexport {};\n`);
      const printed: string[] = [];
      vi.spyOn(console, 'log').mockImplementation((...args: unknown[]) => {
        printed.push(format(...args));
      });
      await import(`${pathToFileURL(file).href}?run=${Date.now()}`);
      if (snippet.expectedOutput !== null) {
        expect(normalizeOutput(printed.join('\n'))).toBe(normalizeOutput(snippet.expectedOutput));
      }
    },
  );
});
