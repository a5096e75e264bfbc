/**
 * html.ts: the pieces of a report page — numbers formatted for reading, long series
 * thinned to group means, table cells escaped (or inserted as given), one page with
 * nothing fetched.
 */

import { describe, expect, it } from 'vitest';
import { bucketMeans, formatValue, heading, page, table, yesNo } from '../src/html.ts';

describe('formatValue', () => {
  it('keeps integers whole, 4 significant digits otherwise, and the exponent at the extremes', () => {
    expect(formatValue(3000)).toBe('3000');
    expect(formatValue(0.16666666)).toBe('0.1667');
    expect(formatValue(12.3456)).toBe('12.35');
    expect(formatValue(0.000123)).toBe('1.23e-4');
    expect(formatValue(2.5e6)).toBe('2500000'); // an integer below 10⁷
    expect(formatValue(2.5e6 + 0.5)).toBe('2.50e+6');
    expect(formatValue(1e12)).toBe('1.00e+12');
    expect(formatValue(0)).toBe('0');
    expect(formatValue(Number.NaN)).toBe('NaN');
    expect(formatValue(Number.NEGATIVE_INFINITY)).toBe('-Infinity');
  });
});

describe('bucketMeans', () => {
  it('keeps a short series as it is', () => {
    expect(bucketMeans([1, 2, 3], [5, 6, 7], 10)).toEqual({ x: [1, 2, 3], y: [5, 6, 7] });
  });

  it('averages groups of ⌈n / maxPoints⌉, each plotted at its last step, the last group shorter', () => {
    expect(bucketMeans([1, 2, 3, 4, 5, 6, 7], [1, 2, 3, 4, 5, 6, 10], 3)).toEqual({
      x: [3, 6, 7],
      y: [2, 5, 10],
    });
  });
});

describe('table', () => {
  it('escapes text, right-aligns numbers, and inserts { html } as given', () => {
    expect(
      table(
        ['a<b', 'n'],
        [
          ['x & y', 0.5],
          [{ html: '<b>bold</b>' }, yesNo(true)],
        ],
      ),
    ).toBe(
      [
        '<table>',
        '<tr><th>a&lt;b</th><th>n</th></tr>',
        '<tr><td>x &amp; y</td><td class="num">0.5</td></tr>',
        '<tr><td><b>bold</b></td><td class="num yes">yes</td></tr>',
        '</table>',
      ].join('\n'),
    );
  });

  it("writes '—' where there is no yes or no", () => {
    expect(yesNo(null)).toBe('—');
    expect(yesNo(false)).toEqual({ html: 'no', className: 'num no' });
  });
});

describe('page', () => {
  it('is one document: its own style, no script, nothing fetched, the title escaped', () => {
    const html = page('T < 100 — unroll', [heading(1, 'Loss & gradients')]);
    expect(html.startsWith('<!DOCTYPE html>\n<html lang="en">')).toBe(true);
    expect(html).toContain('<title>T &lt; 100 — unroll</title>');
    expect(html).toContain('<h1>Loss &amp; gradients</h1>');
    expect(html).toContain('<style>');
    expect(html).not.toMatch(/<script|<link|src=|href="http/);
    expect(html.endsWith('</html>\n')).toBe(true);
  });
});
