/**
 * What the site knows about the repository it is built from: which chapters and
 * package READMEs exist (read from disk at build time, so a new chapter appears in
 * the sidebar without editing this file), and how a relative link in one of them is
 * turned into a link of the site.
 */

import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, posix, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

export const repoDir = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');

/**
 * Pages published under another name. VitePress takes any file called index.md, in
 * any case, for its folder's index page, so docs/INDEX.md gets a name of its own.
 */
export const PAGE_REWRITES: Record<string, string> = { 'docs/INDEX.md': 'docs/equations.md' };

/** A chapter is docs/NN-name.md; its title is its first `# ` heading. */
export function chapterFiles(): string[] {
  return readdirSync(join(repoDir, 'docs'))
    .filter((f) => /^\d\d-.*\.md$/.test(f))
    .sort();
}

export function titleOf(path: string): string {
  const text = readFileSync(join(repoDir, path), 'utf8');
  const heading = /^# (.+)$/m.exec(text);
  return heading ? heading[1]!.trim() : posix.basename(path, '.md');
}

export function packageNames(): string[] {
  return readdirSync(join(repoDir, 'packages'))
    .filter((name) => existsSync(join(repoDir, 'packages', name, 'README.md')))
    .sort();
}

export interface SidebarItem {
  text: string;
  link: string;
}

export function sidebar() {
  const chapters: SidebarItem[] = chapterFiles().map((f) => ({
    text: titleOf(`docs/${f}`),
    link: `/docs/${f.replace(/\.md$/, '')}`,
  }));
  const extra: SidebarItem[] = [];
  if (existsSync(join(repoDir, 'docs', 'INDEX.md'))) {
    extra.push({ text: 'Equation index', link: '/docs/equations' });
  }
  extra.push({ text: 'Open a run folder', link: '/run-viewer' });
  return [
    { text: 'The book', items: chapters },
    { text: 'Reference', items: extra },
    {
      text: 'Packages',
      collapsed: false,
      items: packageNames().map((name) => ({
        text: `@unroll/${name}`,
        link: `/packages/${name}/`,
      })),
    },
  ];
}

/** Files a page may show as source: anything in the repository but installed or built things. */
export function isViewableSource(repoPath: string): boolean {
  if (repoPath.startsWith('..') || repoPath.includes('node_modules')) return false;
  if (!/\.(ts|js|mjs|json|txt|csv|yml|yaml|sh)$/.test(repoPath) && !repoPath.endsWith('.ci/run')) {
    return false;
  }
  const file = join(repoDir, repoPath);
  return existsSync(file) && statSync(file).isFile();
}

/**
 * Where a relative link written in `fromFile` (a path inside the repository) should
 * go on the site, or null to leave it as written:
 *
 *   a folder with a README        → that README's page (folder/)
 *   a folder without one          → its first Markdown file, or if it has none, the
 *                                   code page listing its source files
 *   a source file (.ts, .json …)  → the code page, which shows it with line numbers,
 *                                   the line of `#L42` marked
 */
export interface SiteLink {
  href: string;
  /** The source file the link shows (the build copies it next to the pages). */
  source?: string;
  /** The folder of source files the link lists. */
  folder?: string;
}

/** The viewable source files directly inside a folder of the repository, by name. */
export function folderListing(repoPath: string): string[] {
  const absolute = join(repoDir, repoPath);
  if (repoPath.startsWith('..') || !existsSync(absolute) || !statSync(absolute).isDirectory())
    return [];
  return readdirSync(absolute)
    .filter((name) => isViewableSource(posix.join(repoPath, name)))
    .sort();
}

export function siteLink(fromFile: string, href: string): SiteLink | null {
  if (/^[a-z][a-z0-9+.-]*:/i.test(href) || href.startsWith('#') || href.startsWith('/')) {
    return null;
  }
  const [pathPart = '', hash = ''] = href.split('#', 2);
  if (pathPart === '') return null;
  const target = posix.normalize(posix.join(posix.dirname(fromFile), pathPart));
  const absolute = join(repoDir, target);
  if (!existsSync(absolute)) return null;
  const fromDir = posix.dirname(fromFile);
  const rel = (to: string) => posix.relative(fromDir, to) || '.';
  if (statSync(absolute).isDirectory()) {
    if (existsSync(join(absolute, 'README.md'))) return { href: `${rel(target)}/` };
    const first = readdirSync(absolute)
      .filter((f) => f.endsWith('.md'))
      .sort()[0];
    if (first !== undefined) return { href: rel(posix.join(target, first)) };
    if (folderListing(target).length === 0) return null;
    return { href: `/code.html?folder=${encodeURIComponent(target)}`, folder: target };
  }
  const renamed = PAGE_REWRITES[target];
  if (renamed !== undefined) return { href: `${rel(renamed)}${hash ? `#${hash}` : ''}` };
  if (target.endsWith('/README.md') || target === 'README.md') {
    const folder = posix.dirname(target);
    const link = folder === '.' ? rel('index.md') : `${rel(folder)}/`;
    return { href: hash ? `${link}#${hash}` : link };
  }
  if (isViewableSource(target)) {
    return {
      href: `/code.html?file=${encodeURIComponent(target)}${hash ? `#${hash}` : ''}`,
      source: target,
    };
  }
  return null;
}

export function repoPathOf(absolutePath: string): string {
  return relative(repoDir, absolutePath).split('\\').join('/');
}

export interface EquationLink {
  /** The index column it came from and the link's text: "forward site: lstm.ts:42". */
  label: string;
  /** The link as written in docs/INDEX.md, relative to docs/. */
  href: string;
}

/**
 * docs/INDEX.md's table read into equation number → its links. The first column names
 * the equation ("6.3", "(6.3)" or "eq. 6.3"); every Markdown link in the other columns
 * is kept, labelled with its column's header.
 */
export function equationIndex(markdown: string): Map<string, EquationLink[]> {
  const index = new Map<string, EquationLink[]>();
  const rows = markdown
    .split('\n')
    .map((line) => line.trim())
    .filter((line) => line.startsWith('|') && line.endsWith('|'));
  const cellsOf = (line: string) =>
    line
      .slice(1, -1)
      .split(/(?<!\\)\|/)
      .map((cell) => cell.trim());
  const header = rows[0] === undefined ? [] : cellsOf(rows[0]);
  for (const row of rows.slice(1)) {
    if (/^\|[\s:|-]+\|$/.test(row)) continue; // the |---|---| line
    const cells = cellsOf(row);
    const equation = /(\d+\.\d+)/.exec(cells[0] ?? '')?.[1];
    if (equation === undefined) continue;
    const links: EquationLink[] = [];
    cells.slice(1).forEach((cell, j) => {
      for (const m of cell.matchAll(/\[([^\]]*)\]\(([^)\s]+)\)/g)) {
        links.push({ label: `${header[j + 1] ?? ''}: ${m[1]!.replaceAll('`', '')}`, href: m[2]! });
      }
    });
    index.set(equation, [...(index.get(equation) ?? []), ...links]);
  }
  return index;
}

export function readEquationIndex(): Map<string, EquationLink[]> {
  const file = join(repoDir, 'docs', 'INDEX.md');
  return existsSync(file) ? equationIndex(readFileSync(file, 'utf8')) : new Map();
}
