/**
 * The site's pure parts, in Node: where links go, the code page's path and line
 * checks, the chapter 2 parser, the singular values of the spectrum panel, and the
 * run-file readers' refusals.
 */

import type { Value } from '@unroll/scalar';
import { describe, expect, it } from 'vitest';
import { siteLink } from '../.vitepress/repo.ts';
import { lineRange, safeSourcePath } from '../.vitepress/theme/figures/code-viewer.ts';
import { RunFileError, readConfig, readMetrics } from '../.vitepress/theme/figures/run-files.ts';
import { buildExpression, parseValues } from '../.vitepress/theme/workers/expression.ts';

describe('siteLink', () => {
  it('sends a source file with a line to the code page', () => {
    expect(siteLink('docs/INDEX.md', '../packages/scalar/src/value.ts#L62')).toEqual({
      href: '/code.html?file=packages%2Fscalar%2Fsrc%2Fvalue.ts#L62',
      source: 'packages/scalar/src/value.ts',
    });
  });
  it('sends a package folder to its README page, and leaves chapters and the web alone', () => {
    expect(siteLink('docs/02-scalar-autodiff.md', '../packages/scalar')?.href).toBe(
      '../packages/scalar/',
    );
    expect(siteLink('docs/00-introduction.md', '01-gradient-checking.md')).toBeNull();
    expect(siteLink('docs/00-introduction.md', 'https://example.org/x.ts')).toBeNull();
    expect(siteLink('docs/00-introduction.md', '../packages/nothing/here.ts')).toBeNull();
  });
  it('sends a folder without Markdown to the code page listing its sources', () => {
    expect(siteLink('README.md', 'packages/tensor/src')).toEqual({
      href: '/code.html?folder=packages%2Ftensor%2Fsrc',
      folder: 'packages/tensor/src',
    });
  });
});

describe('the code page', () => {
  it('reads #L42 and #L42-L50, and nothing else', () => {
    expect(lineRange('#L42')).toEqual([42, 42]);
    expect(lineRange('#L50-L42')).toEqual([42, 50]);
    expect(lineRange('#section')).toBeNull();
  });
  it('refuses paths that climb out of the sources', () => {
    expect(safeSourcePath('packages/tensor/src/tensor.ts')).toBe('packages/tensor/src/tensor.ts');
    expect(safeSourcePath('../../etc/passwd')).toBeNull();
    expect(safeSourcePath('packages/../../x.ts')).toBeNull();
    expect(safeSourcePath('/etc/passwd')).toBeNull();
  });
});

describe('the expression parser', () => {
  const run = (source: string, values: string) => buildExpression(source, parseValues(values));
  it('follows precedence: a + b * c ^ 2 - -d', () => {
    // d = −4, so −d = 4: 1 + 2 · 3² − 4 = 15, by hand (and 23 if unary minus were dropped).
    expect(run('a + b * c ^ 2 - -d', 'a = 1, b = 2, c = 3, d = -4').data).toBe(15);
  });
  it('shares one leaf per name, so a * a has gradient 2a', () => {
    const out = run('a * a', 'a = 3');
    out.backward();
    expect((out.parents[0] as Value).grad).toBe(6);
  });
  it('refuses what it cannot read, saying where', () => {
    expect(() => run('a * (b', 'a = 1, b = 2')).toThrow('expected ")"');
    expect(() => run('a * z', 'a = 1')).toThrow('z has no value');
    expect(() => run('sin(a)', 'a = 1')).toThrow('unknown function sin');
    expect(() => parseValues('a = two')).toThrow('finite number');
  });
});

describe('run files', () => {
  it('refuses a config without the fields of a run', () => {
    expect(() => readConfig('config.json', '{"task":"adding"}')).toThrow(
      "config.json is not a run's config: it has no cell, seqLen, hidden, steps",
    );
    expect(() => readConfig('config.json', '[1')).toThrow(RunFileError);
  });
  it('drops a last metrics line cut short, and refuses a bad line before the end', () => {
    const good = '{"step":1,"loss":0.5,"gradNorm":1,"lr":0.01}\n';
    expect(readMetrics('m', `${good}{"step":2,"lo`)).toHaveLength(1);
    expect(() => readMetrics('m', `{"step":1,"lo\n${good}`)).toThrow('m: line 1 is not JSON');
  });
});
