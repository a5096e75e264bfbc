/**
 * What the site's browser tests share: the site built once into dist/, a small static
 * server for it, and Debian's Chromium driven by playwright-core. Chromium that cannot
 * start is an error, never a skip: the tests exist to run in a real browser.
 */

import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, statSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { dirname, extname, join, normalize } from 'node:path';
import { fileURLToPath } from 'node:url';
import { type Browser, chromium, type Page } from 'playwright-core';

export const siteDir = join(dirname(fileURLToPath(import.meta.url)), '..');
export const repoDir = join(siteDir, '..');
export const distDir = join(siteDir, 'dist');
export const artifactsDir = join(siteDir, 'test', 'artifacts');
export const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

/** Builds the site into dist/ (UNROLL_SITE_BUILT=1 reuses a dist/ built just before). */
export function buildSite(): void {
  if (process.env.UNROLL_SITE_BUILT === '1' && existsSync(join(distDir, 'index.html'))) return;
  execFileSync(
    process.execPath,
    [join(repoDir, 'node_modules', 'vitepress', 'bin', 'vitepress.js'), 'build', siteDir],
    {
      stdio: 'pipe',
    },
  );
}

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript',
  '.css': 'text/css',
  '.svg': 'image/svg+xml',
  '.json': 'application/json',
  '.woff2': 'font/woff2',
  '.ts': 'text/plain; charset=utf-8',
};

/** Serves dist/ on a free port of 127.0.0.1; resolves to its address. */
export async function serve(): Promise<{ url: string; server: Server }> {
  const server = createServer((req, res) => {
    const path = normalize(decodeURIComponent(new URL(req.url ?? '/', 'http://x').pathname));
    let file = join(distDir, path);
    if (!file.startsWith(distDir)) file = join(distDir, '404.html');
    if (existsSync(file) && statSync(file).isDirectory()) file = join(file, 'index.html');
    if (!existsSync(file) && existsSync(`${file}.html`)) file = `${file}.html`;
    if (!existsSync(file)) {
      res.writeHead(404, { 'Content-Type': 'text/plain' }).end('not found');
      return;
    }
    res.writeHead(200, { 'Content-Type': TYPES[extname(file)] ?? 'application/octet-stream' });
    res.end(readFileSync(file));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address() as { port: number };
  return { url: `http://127.0.0.1:${address.port}`, server };
}

export async function launch(): Promise<Browser> {
  if (!existsSync(CHROMIUM)) {
    throw new Error(
      `Chromium is not at ${CHROMIUM}: install Debian's chromium package (apt-get install -y chromium), or set CHROMIUM_PATH`,
    );
  }
  // Playwright starts every launch with a fresh profile in a temporary folder of its own.
  return chromium.launch({
    executablePath: CHROMIUM,
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  });
}

export interface Watched {
  errors: string[];
}

/** Records console errors, page errors and failed or non-2xx requests of `page`. */
export function watch(page: Page): Watched {
  const watched: Watched = { errors: [] };
  page.on('console', (m) => {
    if (m.type() === 'error') watched.errors.push(`console: ${m.text()}`);
  });
  page.on('pageerror', (e) => watched.errors.push(`page error: ${e.message}`));
  page.on('requestfailed', (r) => {
    // Leaving a page cancels what it was still fetching (VitePress prefetches the pages
    // its links lead to): a cancelled request is not a failed one.
    if (r.failure()?.errorText === 'net::ERR_ABORTED') return;
    watched.errors.push(`request failed: ${r.url()} ${r.failure()?.errorText}`);
  });
  page.on('response', (r) => {
    if (r.status() >= 400) watched.errors.push(`HTTP ${r.status()}: ${r.url()}`);
  });
  return watched;
}

export async function screenshot(page: Page, name: string, selector?: string): Promise<void> {
  mkdirSync(artifactsDir, { recursive: true });
  const path = join(artifactsDir, `${name}.png`);
  if (selector === undefined) await page.screenshot({ path, fullPage: false });
  else await page.locator(selector).screenshot({ path });
}
