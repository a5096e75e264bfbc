/**
 * The book as a website. The pages are the repository's own Markdown (srcDir is the
 * repository root): docs/NN-*.md are the chapters, each package's README is its page,
 * the top README is the home page. Nothing is copied; the snippet tests and the site
 * read the same files.
 */

import { copyFileSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { defineConfig } from 'vitepress';
import { repositoryLinks } from './markdown.ts';
import {
  folderListing,
  isViewableSource,
  PAGE_REWRITES,
  readEquationIndex,
  repoDir,
  sidebar,
} from './repo.ts';

/** Every source file some page links to; the build copies them next to the pages. */
const linkedSources = new Set<string>();
/** Every folder some page lists; the build writes each one's listing.json. */
const linkedFolders = new Set<string>();

/** The dev server answers /source/<repo path> with the file, as the build's copies do. */
function sourceFiles() {
  return {
    name: 'unroll-source-files',
    configureServer(server: {
      middlewares: {
        use(fn: (req: { url?: string }, res: ServerResponse, next: () => void) => void): void;
      };
    }) {
      server.middlewares.use((req, res, next) => {
        const match = /^\/source\/([^?#]+)/.exec(req.url ?? '');
        const path = match ? decodeURIComponent(match[1]!) : '';
        if (path.endsWith('/listing.json')) {
          res.setHeader('Content-Type', 'application/json');
          res.end(
            Buffer.from(JSON.stringify(folderListing(path.slice(0, -'/listing.json'.length)))),
          );
          return;
        }
        if (!match || !isViewableSource(path)) return next();
        res.setHeader('Content-Type', 'text/plain; charset=utf-8');
        res.end(readFileSync(join(repoDir, path)));
      });
    },
  };
}

interface ServerResponse {
  setHeader(name: string, value: string): void;
  end(body: Buffer): void;
}

export default defineConfig({
  title: 'unroll',
  description:
    'Recurrent-network training from scratch in TypeScript, with live figures computed by the same code.',
  srcDir: '..',
  srcExclude: [
    '**/node_modules/**',
    '**/dist/**',
    '**/reports/**',
    '**/.stryker-tmp/**',
    'site/test/**',
    'docs/.snippets/**',
    '**/runs/**',
  ],
  rewrites: {
    ...PAGE_REWRITES,
    'README.md': 'index.md',
    // A folder's README is that folder's page: packages/tensor/README.md → /packages/tensor/
    ':dir/README.md': ':dir/index.md',
    ':dir/:name/README.md': ':dir/:name/index.md',
    ':dir/:name/:sub/README.md': ':dir/:name/:sub/index.md',
    'site/pages/:page': ':page',
  },
  outDir: 'dist',
  cacheDir: '.vitepress/cache',
  lastUpdated: false,
  // No favicon request to answer with a 404.
  head: [['link', { rel: 'icon', href: 'data:,' }]],
  markdown: {
    math: true,
    // The pages are plain Markdown written for GitHub too: a line ending in h_{t−1} is
    // math, not a {attribute} list.
    attrs: { disable: true },
    lineNumbers: false,
    config: (md) =>
      repositoryLinks(md, { equations: readEquationIndex, linkedSources, linkedFolders }),
  },
  themeConfig: {
    nav: [
      { text: 'Book', link: '/docs/00-introduction' },
      { text: 'Run folder', link: '/run-viewer' },
    ],
    sidebar: sidebar(),
    search: { provider: 'local' },
    outline: { level: [2, 3] },
  },
  vite: {
    plugins: [sourceFiles()],
    // Inside the repository the packages are read as TypeScript source (their exports'
    // unroll-source condition), so the figures run the code as it is written: no build.
    resolve: { conditions: ['unroll-source'] },
    ssr: { resolve: { conditions: ['unroll-source'], externalConditions: ['unroll-source'] } },
    server: { fs: { allow: [repoDir] } },
    worker: { format: 'es' },
  },
  buildEnd(site) {
    for (const path of linkedSources) {
      const to = join(site.outDir, 'source', path);
      mkdirSync(dirname(to), { recursive: true });
      copyFileSync(join(repoDir, path), to);
    }
    for (const folder of linkedFolders) {
      mkdirSync(join(site.outDir, 'source', folder), { recursive: true });
      writeFileSync(
        join(site.outDir, 'source', folder, 'listing.json'),
        JSON.stringify(folderListing(folder)),
      );
    }
  },
});
