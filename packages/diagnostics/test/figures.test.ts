/**
 * The chapter's figures are made by scripts/figures.ts; this checks that the script
 * still runs (in its quick form, into a scratch directory) and makes the same set of
 * well-formed SVG files that docs/figures holds and the chapter shows.
 */

import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { makeFigures } from '../scripts/figures.ts';
import { byClass, parseXml } from './svg-parser.ts';

const here = dirname(fileURLToPath(import.meta.url));
const committed = join(here, '../../../docs/figures');
const chapter = join(here, '../../../docs/07-vanishing-and-exploding-gradients.md');
const scratch = mkdtempSync(join(tmpdir(), 'unroll-figures-'));

afterAll(() => {
  rmSync(scratch, { recursive: true, force: true });
});

describe('scripts/figures.ts', () => {
  const written = makeFigures(scratch, { quick: true });

  it('writes one well-formed SVG with a title for every figure', () => {
    expect(readdirSync(scratch).sort()).toEqual([...written].sort());
    for (const name of written) {
      const svg = parseXml(readFileSync(join(scratch, name), 'utf8'));
      expect(svg.name).toBe('svg');
      expect(byClass(svg, 'title')[0]!.text.length).toBeGreaterThan(0);
    }
  });

  it('makes exactly the figures that are committed, and the chapter shows each of them', () => {
    const onDisk = readdirSync(committed).filter((f) => f.startsWith('07-') && f.endsWith('.svg'));
    expect(onDisk.sort()).toEqual([...written].sort());
    const text = readFileSync(chapter, 'utf8');
    for (const name of written) expect(text).toContain(`figures/${name}`);
  });
});
