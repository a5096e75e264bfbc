/**
 * report-data.ts: a char-LM run's report shows bits per character against steps and
 * against seconds, and its samples by step; other tasks get no such sections.
 */

import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { defaultConfig } from '../src/config.ts';
import { dataSections } from '../src/report-data.ts';
import { onlyRun, runMain, tempFolder } from './helpers.ts';

describe('dataSections', () => {
  it('draws bits/char against steps and seconds, and lists the samples with their bits/char', async () => {
    const scratch = tempFolder();
    const file = join(scratch, 'song.txt');
    writeFileSync(file, 'row, row, row your boat, gently down the stream. '.repeat(30));
    const out = join(scratch, 'runs');
    const args = ['--hidden', '8', '--seq-len', '8', '--batch', '2', '--steps', '4'];
    const { code } = await runMain([
      'train',
      '--text',
      file,
      ...args,
      '--eval-every',
      '2',
      '--sample-every',
      '2',
      '--prime',
      'row',
      '--out',
      out,
    ]);
    expect(code).toBe(0);
    const run = onlyRun(out);
    const html = readFileSync(join(run, 'report.html'), 'utf8');
    expect(html).toContain('Held-out bits per character against steps');
    expect(html).toContain('Held-out bits per character against time');
    expect(html).toContain('song.txt: 1470 characters (1470 bytes, sha256 ');
    const rows = html.match(
      /<tr><td class="num">[24]<\/td><td class="num">[\d.]+<\/td><td><pre[^>]*>row/g,
    );
    expect(rows).toHaveLength(2);
  });

  it('adds nothing for the synthetic tasks', () => {
    expect(dataSections('/nowhere', defaultConfig('adding'), [])).toEqual([]);
  });
});
