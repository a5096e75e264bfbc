/**
 * The Markdown side of the site: links and equations. Kept apart from config.ts so
 * that a test can render a page through it without building the site.
 */

import type { MarkdownRenderer } from 'vitepress';
import { type EquationLink, folderListing, repoPathOf, siteLink } from './repo.ts';

/**
 * Rewrites relative links to folders and source files (see siteLink in repo.ts), and
 * puts under each numbered equation ($$ … \tag{6.3} $$) the links docs/INDEX.md
 * gives for it: where it is computed, where its gradient is, where it is tested.
 */
export function repositoryLinks(
  md: MarkdownRenderer,
  options: {
    equations: () => Map<string, EquationLink[]>;
    linkedSources: Set<string>;
    linkedFolders: Set<string>;
  },
): void {
  const { linkedSources, linkedFolders } = options;
  md.core.ruler.push('unroll-repository-links', (state) => {
    const file = (state.env as { path?: string }).path;
    if (file === undefined) return;
    const from = repoPathOf(file);
    const rewrite = (href: string, fromFile: string) => {
      const link = siteLink(fromFile, href);
      if (link?.source !== undefined) linkedSources.add(link.source);
      if (link?.folder !== undefined) {
        linkedFolders.add(link.folder);
        for (const name of folderListing(link.folder)) linkedSources.add(`${link.folder}/${name}`);
      }
      return link;
    };
    for (const block of state.tokens) {
      for (const token of block.children ?? []) {
        if (token.type !== 'link_open') continue;
        const href = token.attrGet('href');
        const link = href === null ? null : rewrite(href, from);
        if (link === null) continue;
        token.attrSet('href', link.href);
        if (link.source !== undefined || link.folder !== undefined) {
          token.attrSet('target', '_self');
          token.attrJoin('class', 'source-link');
        }
      }
    }
    const equations = options.equations();
    if (equations.size === 0) return;
    for (let i = state.tokens.length - 1; i >= 0; i--) {
      const token = state.tokens[i]!;
      if (token.type !== 'math_block') continue;
      const tag = /\\tag\{(\d+\.\d+)\}/.exec(token.content)?.[1];
      const links = tag === undefined ? undefined : equations.get(tag);
      if (links === undefined || links.length === 0) continue;
      const anchors = links.map(({ label, href }) => {
        const link = rewrite(href, 'docs/INDEX.md');
        const target = link?.href ?? href;
        const attributes = link?.source !== undefined ? ' target="_self" class="source-link"' : '';
        return `<a href="${md.utils.escapeHtml(target)}"${attributes}>${md.utils.escapeHtml(label)}</a>`;
      });
      const html = new state.Token('html_block', '', 0);
      html.content = `<p class="equation-links" data-equation="${tag}">(${tag}) in the code: ${anchors.join(' · ')}</p>\n`;
      state.tokens.splice(i + 1, 0, html);
    }
  });
}
