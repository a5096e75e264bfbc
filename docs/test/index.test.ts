/**
 * docs/INDEX.md cannot rot: every `// eq. C.N` tag in the code names an equation of the
 * book, every equation of the book has a row, every tag is listed in its row, and every
 * link resolves to a line that carries the row's tag (or the text the link names).
 */

import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { bookEquations, codeTags, indexRows, linkProblem, repoOf } from './equation-index.ts';

const docsDir = join(dirname(fileURLToPath(import.meta.url)), '..');
const repoDir = repoOf(docsDir);
const equations = bookEquations(docsDir);
const rows = indexRows(readFileSync(join(docsDir, 'INDEX.md'), 'utf8'));
const tags = codeTags(repoDir);

describe('docs/INDEX.md and the equation tags', () => {
  it('finds the book’s equations, the tags and the rows (so the checks below check something)', () => {
    expect(equations.size).toBeGreaterThan(40);
    expect(tags.length).toBeGreaterThan(50);
    expect(rows.length).toBe(equations.size);
  });

  it('every tag in the code names an equation of the book', () => {
    const unknown = tags.filter((t) => !equations.has(t.equation));
    expect(unknown.map((t) => `${t.file}:${t.line} eq. ${t.equation}`)).toEqual([]);
  });

  it('every equation of the book has exactly one row, and every row an equation', () => {
    const listed = rows.map((r) => r.equation);
    expect([...listed].sort()).toEqual([...equations.keys()].sort());
    expect(new Set(listed).size).toBe(listed.length);
  });

  it('every tagged line of the code is linked from its equation’s row', () => {
    const linked = new Set(
      rows.flatMap((r) =>
        r.links
          .filter((l) => l.line !== null)
          .map((l) => `${relative(repoDir, join(docsDir, l.target))}:${l.line}`),
      ),
    );
    const missing = tags.filter((t) => {
      const tagged = `${t.file}:${t.line}`;
      // A tag may sit in a block of tag lines; the link points at one line of the block.
      const lines = readFileSync(join(repoDir, t.file), 'utf8').split('\n');
      let first = t.line;
      while (first > 1 && /^\s*\/\/ eq\. /.test(lines[first - 2]!)) first--;
      let last = t.line;
      while (/^\s*\/\/ eq\. /.test(lines[last] ?? '')) last++;
      for (let k = first; k <= last; k++) if (linked.has(`${t.file}:${k}`)) return false;
      return !linked.has(tagged);
    });
    expect(missing.map((t) => `${t.file}:${t.line} eq. ${t.equation}`)).toEqual([]);
  });

  it('every link resolves: the file exists and the line carries the tag or the named text', () => {
    const problems = rows.flatMap((r) => r.links).map((l) => linkProblem(docsDir, l));
    expect(problems.filter((p) => p !== null)).toEqual([]);
  });

  it('reports a link to a moved line, a missing file and a line past the end', () => {
    const dir = mkdtempSync(join(tmpdir(), 'unroll-index-'));
    writeFileSync(
      join(dir, 'code.ts'),
      'const a = 1;\n// eq. 9.1 — a made-up equation\nconst b = a;\n',
    );
    const [row] = indexRows(
      '| [9.1](x.md) | made up | [`code.ts`](code.ts#L3) · [`gone.ts`](gone.ts#L1) · [`code.ts`](code.ts#L99) · [`code.ts`](code.ts#L2) | — | — |',
    );
    const problems = row!.links.map((l) => linkProblem(dir, l));
    expect(problems[0]).toMatch(
      /line 3 carries neither "eq\. 9\.1" nor "code\.ts" \(it is at line 2 now/,
    );
    expect(problems[1]).toMatch(/no file gone\.ts/);
    expect(problems[2]).toMatch(/line 99 is past the end \(4 lines\)/);
    expect(problems[3]).toBe(null);
  });
});
