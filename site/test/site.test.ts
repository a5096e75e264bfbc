/**
 * The website, built and driven in headless Chromium: every page loads cleanly, the
 * math is typeset, each live figure draws its first frame in time and refuses bad
 * settings beside the control, the chapter 9 experiment trains in workers while the
 * page stays responsive, and links to source files open the right lines. Screenshots
 * of every figure go to test/artifacts/ (not committed).
 */

import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import type { Server } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readEquationIndex, sidebar } from '../.vitepress/repo.ts';
import { buildSite, distDir, launch, repoDir, screenshot, serve, watch } from './browser.ts';

let browser: Browser;
let server: Server;
let base: string;

/**
 * Why the build, the server or Chromium did not start. A hook's failure would leave
 * every test "skipped" in the report, so each test rethrows it instead and fails.
 */
let setupError: unknown = null;

beforeAll(async () => {
  try {
    buildSite();
    ({ url: base, server } = await serve());
    browser = await launch();
  } catch (error) {
    setupError = error;
  }
}, 240_000);

function ready(): void {
  if (setupError !== null) throw setupError;
}

afterAll(async () => {
  await browser?.close();
  server?.close();
});

async function open(
  path: string,
  waitUntil: 'load' | 'networkidle' = 'networkidle',
): Promise<{ page: Page; errors: string[] }> {
  ready();
  const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
  const { errors } = watch(page);
  await page.goto(`${base}${path}`, { waitUntil });
  return { page, errors };
}

/** Milliseconds the main thread takes to run a task queued now: large when it is busy. */
async function mainThreadDelay(page: Page): Promise<number> {
  return page.evaluate(
    () =>
      new Promise<number>((resolve) => {
        const start = performance.now();
        setTimeout(() => resolve(performance.now() - start), 0);
      }),
  );
}

/** Every link to a source file in the built pages (the HTML of every page of dist/). */
function sourceLinks(): string[] {
  const links: string[] = [];
  const walk = (dir: string) => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      const path = join(dir, entry.name);
      if (entry.isDirectory() && entry.name !== 'assets' && entry.name !== 'source') walk(path);
      else if (entry.name.endsWith('.html')) {
        for (const m of readFileSync(path, 'utf8').matchAll(
          /<a [^>]*href="(\/code\.html\?(?:file|folder)=[^"]+)"/g,
        )) {
          links.push(m[1]!.replaceAll('&amp;', '&'));
        }
      }
    }
  };
  walk(distDir);
  return links;
}

const equations = readEquationIndex();

const pages = sidebar()
  .flatMap((group) => group.items)
  .map((item) => `${item.link.endsWith('/') ? `${item.link}index` : item.link}.html`);

describe('every page', () => {
  it('the site builds and Chromium starts', () => {
    ready();
    expect(browser.isConnected()).toBe(true);
  });

  it.each(['/index.html', ...pages])(
    '%s loads with no console error, failed request or raw $$',
    async (path) => {
      // 'load': the page and its scripts; the figures' own loading is checked below.
      const { page, errors } = await open(path, 'load');
      const text = await page.locator('.vp-doc').innerText();
      await page.close();
      expect(errors).toEqual([]);
      expect(text).not.toContain('$$');
    },
  );

  it('typesets every display equation of a chapter (one mjx-container per $$ … $$)', async () => {
    for (const file of readdirSync(join(repoDir, 'docs')).filter((f) => /^\d\d-.*\.md$/.test(f))) {
      const source = readFileSync(join(repoDir, 'docs', file), 'utf8');
      const blocks = (source.match(/^\$\$\s*$/gm) ?? []).length / 2;
      if (blocks === 0) continue;
      const { page } = await open(`/docs/${file.replace(/\.md$/, '.html')}`);
      const rendered = await page.locator('mjx-container[display="true"]').count();
      // Each numbered equation that docs/INDEX.md lists carries its links to the code.
      const indexed = [...source.matchAll(/\\tag\{(\d+\.\d+)\}/g)]
        .map((m) => m[1]!)
        .filter((tag) => (equations.get(tag) ?? []).length > 0);
      const linked = await page
        .locator('.equation-links')
        .evaluateAll((ps) => ps.map((p) => p.getAttribute('data-equation')));
      await page.close();
      expect(rendered, file).toBeGreaterThanOrEqual(blocks);
      expect(linked, file).toEqual(expect.arrayContaining(indexed));
    }
  });
});

describe('links to source files', () => {
  it('every link to a source file opens it on the code page, its line marked', async () => {
    // The scalar README links its engine; a line number checks the marking too.
    const targets = new Set([
      ...sourceLinks(),
      '/code.html?file=packages%2Fscalar%2Fsrc%2Fvalue.ts#L62',
    ]);
    expect(targets.size).toBeGreaterThan(5);
    ready();
    const page = await browser.newPage();
    const { errors } = watch(page);
    // One visit per file; its other lines are reached by changing the #L… fragment.
    const byPage = new Map<string, string[]>();
    for (const href of targets) {
      const [address = '', line = ''] = href.split('#');
      byPage.set(address, [...(byPage.get(address) ?? []), line]);
    }
    for (const [address, fragments] of byPage) {
      await page.goto(`${base}${address}`, { waitUntil: 'domcontentloaded' });
      const figure = page.locator('[data-figure="code-viewer"]');
      const folder = /folder=(.+)$/.exec(address);
      if (folder !== null) {
        // A folder link lists the folder's files, each linking to its own page.
        await figure.locator('.code-listing a').first().waitFor({ timeout: 10_000 });
        const names = await figure.locator('.code-listing a').allInnerTexts();
        const path = decodeURIComponent(folder[1]!);
        expect(names.length, address).toBeGreaterThan(0);
        for (const name of names) expect(existsSync(join(repoDir, path, name)), name).toBe(true);
        continue;
      }
      await figure.locator('.code-line').first().waitFor({ timeout: 10_000 });
      const file = decodeURIComponent(/file=(.+)$/.exec(address)![1]!);
      const lines = readFileSync(join(repoDir, file), 'utf8').replace(/\n$/, '').split('\n');
      expect(Number(await figure.getAttribute('data-lines')), address).toBe(lines.length);
      for (const fragment of fragments) {
        const line = /^L(\d+)$/.exec(fragment);
        if (line === null) continue;
        await page.evaluate((hash) => {
          location.hash = hash;
        }, fragment);
        const marked = figure.locator(`#${fragment}.marked`);
        await marked.waitFor({ timeout: 5_000 });
        expect(await figure.locator('.code-line.marked').count(), `${address}#${fragment}`).toBe(1);
        expect((await marked.innerText()).replace(/^\d+/, '').trimEnd()).toBe(
          lines[Number(line[1]) - 1]!.trimEnd(),
        );
        if (file.endsWith('scalar/src/value.ts')) await screenshot(page, 'code-viewer');
      }
    }
    await page.close();
    expect(errors, [...targets].join('\n')).toEqual([]);
  });

  it('the code page refuses a path outside the sources', async () => {
    const { page } = await open('/code.html?file=..%2F..%2Fetc%2Fpasswd');
    await expect
      .poll(() => page.locator('[data-figure="code-viewer"] .figure-error').innerText())
      .toContain('No source file given');
    await page.close();
  });
});

describe('chapter 2: the expression graph', () => {
  it('draws the graph with data and grad, and follows edits', async () => {
    const started = Date.now();
    const { page, errors } = await open('/docs/02-scalar-autodiff.html');
    const figure = page.locator('[data-figure="expression-graph"]');
    await figure.locator('svg .graph-node').first().waitFor({ timeout: 10_000 });
    expect(Date.now() - started).toBeLessThan(10_000);
    // L = tanh(a·b + c)·d at a = 2, b = −3, c = 10, d = −2, by hand: ∂L/∂d = tanh(4),
    // ∂L/∂c = d·(1 − tanh²(4)).
    const readout = () => figure.locator('.figure-readout').innerText();
    await expect.poll(readout).toContain(`∂L/∂d = ${Math.tanh(4)}`);
    expect(await readout()).toContain(`∂L/∂c = ${-2 * (1 - Math.tanh(4) ** 2)}`);
    await figure.scrollIntoViewIfNeeded();
    await screenshot(page, 'ch02-expression-graph', '[data-figure="expression-graph"]');
    await figure.locator('input[name="expression"]').fill('a * a');
    await expect.poll(readout).toBe('L = 4; ∂L/∂a = 4'); // d(a²)/da = 2a, both uses summed
    await figure.locator('input[name="expression"]').fill('a * (b');
    await expect
      .poll(() => figure.locator('[data-for="expression"]').innerText())
      .toContain('expected ")"');
    await figure.locator('input[name="expression"]').fill('a * z');
    await expect
      .poll(() => figure.locator('[data-for="expression"]').innerText())
      .toContain('z has no value');
    await figure.locator('input[name="values"]').fill('a = two');
    await expect
      .poll(() => figure.locator('[data-for="values"]').innerText())
      .toContain('finite number');
    await page.close();
    expect(errors).toEqual([]);
  });
});

describe('chapter 6: the unrolled RNN', () => {
  it('sends the gradient back one step per click', async () => {
    const { page, errors } = await open('/docs/06-backprop-through-time.html');
    const figure = page.locator('[data-figure="unrolled-rnn"]');
    await figure.locator('svg rect.state').first().waitFor({ timeout: 10_000 });
    expect(await figure.locator('rect.state').count()).toBe(6);
    for (let i = 0; i < 3; i++) await figure.locator('[data-action="back"]').click();
    expect(await figure.getAttribute('data-reached')).toBe('4');
    expect(await figure.locator('rect.state[data-reached="true"]').count()).toBe(3);
    await figure.scrollIntoViewIfNeeded();
    await screenshot(page, 'ch06-unrolled-rnn', '[data-figure="unrolled-rnn"]');
    await figure.locator('input[name="T"]').fill('0');
    await figure.locator('input[name="T"]').dispatchEvent('change');
    await expect
      .poll(() => figure.locator('[data-for="T"]').innerText())
      .toContain('between 2 and 12');
    await figure.locator('input[name="radius"]').fill('-1');
    await figure.locator('input[name="radius"]').dispatchEvent('change');
    await expect.poll(() => figure.locator('[data-for="radius"]').innerText()).toContain('above 0');
    await page.close();
    expect(errors).toEqual([]);
  });
});

describe('chapter 7: the vanishing/exploding explorer', () => {
  it('draws its panels, refuses impossible settings, and trains in a worker', async () => {
    const started = Date.now();
    const { page, errors } = await open('/docs/07-vanishing-and-exploding-gradients.html');
    const figure = page.locator('[data-figure="gradient-explorer"]');
    for (const panel of ['flow', 'spectrum', 'saturation']) {
      await figure.locator(`[data-panel="${panel}"] svg`).waitFor({ timeout: 15_000 });
    }
    expect(Date.now() - started).toBeLessThan(15_000);
    expect(await figure.locator('.figure-status').innerText()).toMatch(
      /vanishing|healthy|exploding/,
    );
    const refuse = async (name: string, value: string, reason: string) => {
      await figure.locator(`[name="${name}"]`).fill(value);
      await figure.locator(`[name="${name}"]`).dispatchEvent('change');
      await expect.poll(() => figure.locator(`[data-for="${name}"]`).innerText()).toContain(reason);
    };
    await refuse('T', '0', 'T must be between 2 and 200, got 0');
    await refuse('hidden', '1000000', 'hidden size must be between 1 and 128, got 1000000');
    await refuse('radius', '-1', 'spectral radius must be above 0');
    await figure.locator('[name="T"]').fill('20');
    await figure.locator('[name="hidden"]').fill('8');
    await figure.locator('[name="radius"]').fill('');
    await figure.locator('[name="steps"]').fill('150');
    await figure.locator('[data-action="train"]').click();
    await expect.poll(() => figure.getAttribute('data-training'), { timeout: 10_000 }).toBe('true');
    const delays: number[] = [];
    while ((await figure.getAttribute('data-training')) === 'true' && delays.length < 20) {
      delays.push(await mainThreadDelay(page));
    }
    expect(Math.max(...delays)).toBeLessThan(200);
    await expect.poll(() => figure.getAttribute('data-step'), { timeout: 60_000 }).toBe('150');
    expect(await figure.locator('[data-panel="loss"] svg').count()).toBe(1);
    await figure.scrollIntoViewIfNeeded();
    await screenshot(page, 'ch07-explorer', '[data-figure="gradient-explorer"]');
    await page.close();
    expect(errors).toEqual([]);
  });
});

describe('chapter 9: the experiment in the page', () => {
  it('trains the three cells in workers; the gated cells beat the baseline', async () => {
    const { page, errors } = await open('/docs/09-the-lab.html');
    const figure = page.locator('[data-figure="main-experiment"]');
    await figure.locator('[name="T"]').fill('0');
    await figure.locator('[data-action="run"]').click();
    await expect
      .poll(() => figure.locator('[data-for="T"]').innerText())
      .toContain('between 2 and 100');
    await figure.locator('[name="T"]').fill('20');
    await figure.locator('[name="steps"]').fill('400');
    const started = Date.now();
    await figure.locator('[data-action="run"]').click();
    await figure.locator('[data-panel="loss"] svg').waitFor({ timeout: 10_000 });
    expect(Date.now() - started).toBeLessThan(10_000);
    const delays: number[] = [];
    while ((await figure.getAttribute('data-state')) === 'running' && delays.length < 20) {
      delays.push(await mainThreadDelay(page));
    }
    expect(Math.max(...delays)).toBeLessThan(200);
    await expect.poll(() => figure.getAttribute('data-state'), { timeout: 90_000 }).toBe('done');
    const mse = async (cell: string) =>
      Number(await figure.locator(`tr[data-cell="${cell}"] td`).nth(2).innerText());
    const baseline = 1 / 6; // E[(a + b − 1)²] = Var(a) + Var(b) for a, b ~ U[0, 1)
    expect(await mse('lstm')).toBeLessThan(baseline);
    expect(await mse('gru')).toBeLessThan(baseline);
    expect(await figure.locator('th').allInnerTexts()).toEqual(
      expect.arrayContaining([
        'model',
        'T',
        'final MSE',
        'baseline',
        'solved',
        'steps to solve',
        'time (s)',
      ]),
    );
    await figure.scrollIntoViewIfNeeded();
    await screenshot(page, 'ch09-experiment', '[data-figure="main-experiment"]');
    await page.close();
    expect(errors).toEqual([]);
  });
});

describe('the run-folder page', () => {
  it("draws a lab run's files and refuses damaged ones with the reason", async () => {
    const parent = mkdtempSync(join(tmpdir(), 'unroll-site-run-'));
    execFileSync(
      process.execPath,
      [
        join(repoDir, 'packages', 'lab', 'bin', 'unroll.js'),
        'train',
        '--task',
        'adding',
        '--cell',
        'gru',
        '--hidden',
        '6',
        '--seq-len',
        '8',
        '--steps',
        '40',
        '--eval-every',
        '10',
        '--out',
        parent,
      ],
      { stdio: 'pipe', cwd: parent },
    );
    const folder = join(parent, readdirSync(parent)[0]!);
    const files = readdirSync(folder).map((f) => join(folder, f));
    const { page, errors } = await open('/run-viewer.html');
    const figure = page.locator('[data-figure="run-viewer"]');
    await figure.locator('input[name="files"]').setInputFiles(files);
    await figure.locator('[data-panel="loss"] svg').waitFor({ timeout: 10_000 });
    await figure.locator('[data-panel="flow"] svg').waitFor();
    expect(await figure.locator('[data-panel="problems"] li').count()).toBe(0);
    expect(await figure.locator('h3').allInnerTexts()).toContain('Checkpoint at step 40');
    await screenshot(page, 'run-viewer', '[data-figure="run-viewer"]');

    const checkpoint = readFileSync(join(folder, 'checkpoint.safetensors'));
    checkpoint[checkpoint.length - 3]! ^= 0x40; // a bit flipped inside the last tensor
    const damaged = join(parent, 'checkpoint.safetensors');
    writeFileSync(damaged, checkpoint);
    const notJson = join(parent, 'config.json');
    writeFileSync(notJson, 'not json {');
    await figure.locator('input[name="files"]').setInputFiles([damaged, notJson]);
    const problems = figure.locator('[data-panel="problems"] li');
    await expect.poll(() => problems.count()).toBe(2);
    const text = (await problems.allInnerTexts()).join('\n');
    expect(text).toContain('do not match the sha256');
    expect(text).toContain('config.json is not valid JSON');
    await page.close();
    expect(errors).toEqual([]);
  });
});
