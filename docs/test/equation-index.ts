/**
 * The equation index: the book's numbered equations (`\tag{C.N}` in docs/NN-*.md), the
 * code that computes them (a comment line `// eq. C.N — …` above the computation) and
 * docs/INDEX.md, whose table links each equation to its forward site, backward site
 * and test as `path#Lline`. index.test.ts checks the three against each other;
 * scripts/update-index.ts moves the links' line numbers after code has moved.
 *
 * A link resolves when its file exists, its line is in range, and that line carries
 * the row's tag (`eq. C.N`) or the link's own text (a test's title, a function's name).
 * A link whose text is a function name points at the first tag of the row's
 * equation inside that function.
 */

import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';

export const TAG = /^\s*\/\/ eq\. (\d+\.\d+)\b/;
const BOOK_TAG = /\\tag\{(\d+\.\d+)\}/g;
const LINK = /\[([^\]]+)\]\(([^)#\s]+)(?:#L(\d+))?\)/g;

/** Every numbered equation of the book, with the chapter file that defines it. */
export function bookEquations(docsDir: string): Map<string, string> {
  const equations = new Map<string, string>();
  for (const file of readdirSync(docsDir)
    .filter((f) => /^\d\d-.*\.md$/.test(f))
    .sort()) {
    for (const match of readFileSync(join(docsDir, file), 'utf8').matchAll(BOOK_TAG)) {
      equations.set(match[1]!, file);
    }
  }
  return equations;
}

export interface CodeTag {
  /** Relative to the repository. */
  file: string;
  /** 1-based. */
  line: number;
  equation: string;
}

/** Every `// eq. C.N` comment line in packages/NAME/src and docs/examples. */
export function codeTags(repoDir: string): CodeTag[] {
  const roots = [
    ...readdirSync(join(repoDir, 'packages')).map((p) => join(repoDir, 'packages', p, 'src')),
    join(repoDir, 'docs', 'examples'),
  ];
  const tags: CodeTag[] = [];
  const walk = (dir: string): void => {
    if (!existsSync(dir)) return;
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      const path = join(dir, entry.name);
      if (entry.isDirectory()) walk(path);
      else if (entry.name.endsWith('.ts')) {
        readFileSync(path, 'utf8')
          .split('\n')
          .forEach((text, k) => {
            const match = TAG.exec(text);
            if (match)
              tags.push({ file: relative(repoDir, path), line: k + 1, equation: match[1]! });
          });
      }
    }
  };
  roots.forEach(walk);
  return tags;
}

export interface IndexLink {
  equation: string;
  text: string;
  /** As written in INDEX.md, relative to docs/. */
  target: string;
  line: number | null;
  /** 1-based line of INDEX.md. */
  indexLine: number;
}

/** The rows of INDEX.md's table: the equation of each row, and every link in it. */
export function indexRows(markdown: string): { equation: string; links: IndexLink[] }[] {
  const rows: { equation: string; links: IndexLink[] }[] = [];
  markdown.split('\n').forEach((text, k) => {
    const first = /^\|\s*\[(\d+\.\d+)\]/.exec(text);
    if (!first) return;
    const equation = first[1]!;
    const links = [...text.matchAll(LINK)].slice(1).map((m) => ({
      equation,
      text: m[1]!.replaceAll('`', ''),
      target: m[2]!,
      line: m[3] === undefined ? null : Number(m[3]),
      indexLine: k + 1,
    }));
    rows.push({ equation, links });
  });
  return rows;
}

/** The tag a link wants: its own text when that is `eq. C.N`, else its row's equation. */
const wantedTag = (link: IndexLink) =>
  new RegExp(
    `// eq\\. ${(/^eq\. (\d+\.\d+)$/.exec(link.text)?.[1] ?? link.equation).replace('.', '\\.')}\\b`,
  );

const carries = (text: string, link: IndexLink) =>
  wantedTag(link).test(text) || (!link.text.startsWith('eq. ') && text.includes(link.text));

/** Where the link should point: the line that carries its tag or its text (null: none). */
export function expectedLine(lines: readonly string[], link: IndexLink): number | null {
  if (/^[A-Za-z_$][\w$]*$/.test(link.text)) {
    // A function or method is declared at the start of its line: `function name(`, `name(`.
    const declaration = new RegExp(
      `^\\s*(export\\s+)?(async\\s+)?(function\\s+)?(protected\\s+|private\\s+)?${link.text}\\s*[(<]`,
    );
    let start = lines.findIndex((l) => declaration.test(l));
    if (start >= 0) {
      while (start > 0 && TAG.test(lines[start - 1]!)) start--; // its tags may sit just above it
      const tagged = lines.findIndex((l, k) => k >= start && wantedTag(link).test(l));
      return tagged >= 0 ? tagged + 1 : start + 1;
    }
  }
  const found = lines.findIndex((l) => carries(l, link));
  return found >= 0 ? found + 1 : null;
}

/** Why a link does not resolve, or null when it does. */
export function linkProblem(docsDir: string, link: IndexLink): string | null {
  const where = `INDEX.md line ${link.indexLine}, [${link.text}](${link.target}${link.line === null ? '' : `#L${link.line}`})`;
  const path = resolve(docsDir, link.target);
  if (!existsSync(path)) return `${where}: no file ${link.target}`;
  if (link.line === null) return null; // a link to a whole file (a chapter)
  const lines = readFileSync(path, 'utf8').split('\n');
  if (link.line < 1 || link.line > lines.length) {
    return `${where}: line ${link.line} is past the end (${lines.length} lines)`;
  }
  if (carries(lines[link.line - 1]!, link)) return null;
  const now = expectedLine(lines, link);
  return `${where}: line ${link.line} carries neither "${wantedTag(link).source.replaceAll('\\', '').slice(3, -1)}" nor "${link.text}"${
    now === null ? '' : ` (it is at line ${now} now: run npm run index -w @unroll/docs)`
  }`;
}

export const repoOf = (docsDir: string) => dirname(resolve(docsDir));
