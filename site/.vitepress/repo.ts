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
 *   a folder without one          → its first Markdown file
 *   a source file (.ts, .json …)  → the code page, which shows it with line numbers,
 *                                   the line of `#L42` marked
 */
export function siteLink(fromFile: string, href: string): { href: string; source?: string } | null {
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
    return first === undefined ? null : { href: rel(posix.join(target, first)) };
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
