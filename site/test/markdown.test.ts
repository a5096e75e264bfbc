/**
 * Pages rendered through the site's Markdown setup, without building the site: a
 * numbered equation is typeset by MathJax with its number, and gets the links that
 * docs/INDEX.md gives for it, pointing at the code page.
 */

import { join } from 'node:path';
import { createMarkdownRenderer } from 'vitepress';
import { describe, expect, it } from 'vitest';
import { repositoryLinks } from '../.vitepress/markdown.ts';
import { equationIndex, repoDir } from '../.vitepress/repo.ts';

const INDEX = `# Index

| equation | what | forward site | backward site | test |
|---|---|---|---|---|
| (6.3) | one step's Jacobian | [rnn-cell.ts](../packages/cells/src/rnn-cell.ts#L40) | [unroll.ts](../packages/bptt/src/unroll.ts#L66) | [unroll.test.ts](../packages/bptt/test/unroll.test.ts) |
`;

async function render(markdown: string): Promise<{ html: string; linked: Set<string> }> {
  const linked = new Set<string>();
  const md = await createMarkdownRenderer(repoDir, {
    math: true,
    config: (r) =>
      repositoryLinks(r, {
        equations: () => equationIndex(INDEX),
        linkedSources: linked,
        linkedFolders: new Set(),
      }),
  });
  const html = md.render(markdown, {
    path: join(repoDir, 'docs', '06-backprop-through-time.md'),
    relativePath: 'docs/06-backprop-through-time.md',
    cleanUrls: false,
  });
  return { html, linked };
}

describe('the Markdown of the site', () => {
  it('reads docs/INDEX.md rows into links per equation, labelled by column', () => {
    const links = equationIndex(INDEX).get('6.3')!;
    expect(links.map((l) => l.label)).toEqual([
      'forward site: rnn-cell.ts',
      'backward site: unroll.ts',
      'test: unroll.test.ts',
    ]);
    expect(links[0]!.href).toBe('../packages/cells/src/rnn-cell.ts#L40');
  });

  it('typesets a numbered equation and puts its code links under it', async () => {
    const { html, linked } = await render(
      'Text.\n\n$$\n\\frac{\\partial h_{t+1}}{\\partial h_t} = \\mathrm{diag}(1 - h_{t+1}^2) W_{hh}\n\\tag{6.3}\n$$\n\nMore.\n',
    );
    expect(html).toContain('<mjx-container');
    expect(html).not.toContain('$$');
    expect(html).toContain('(6.3) in the code:');
    expect(html).toContain('data-equation="6.3"');
    expect(html).toContain('href="/code.html?file=packages%2Fcells%2Fsrc%2Frnn-cell.ts#L40"');
    expect([...linked].sort()).toEqual([
      'packages/bptt/src/unroll.ts',
      'packages/bptt/test/unroll.test.ts',
      'packages/cells/src/rnn-cell.ts',
    ]);
  });

  it('leaves an equation the index does not list without links', async () => {
    const { html } = await render('$$\nx = 1 \\tag{6.99}\n$$\n');
    expect(html).toContain('<mjx-container');
    expect(html).not.toContain('equation-links');
  });
});
