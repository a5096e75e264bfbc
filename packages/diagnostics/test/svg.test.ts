/**
 * plot/svg.ts: escaping, pixel rounding, elements and the <svg> document — read back
 * with the strict parser in svg-parser.ts.
 */

import { describe, expect, it } from 'vitest';
import { element, escapeXml, px, svgDocument, textElement, textWidth } from '../src/plot/svg.ts';
import { parseXml } from './svg-parser.ts';

describe('escapeXml', () => {
  it('replaces the five special characters, & first so nothing is escaped twice', () => {
    expect(escapeXml(`a<b & "c" 'd'>`)).toBe('a&lt;b &amp; &quot;c&quot; &#39;d&#39;&gt;');
    expect(escapeXml('&lt;')).toBe('&amp;lt;');
    expect(escapeXml('plain text')).toBe('plain text');
  });
});

describe('px', () => {
  it('rounds to 1/100 px and never writes -0', () => {
    expect(px(12.3456)).toBe('12.35');
    expect(px(-7.4151)).toBe('-7.42');
    expect(px(40)).toBe('40');
    expect(px(-0.001)).toBe('0');
    expect(px(-0)).toBe('0');
  });
});

describe('element and textElement', () => {
  it('self-close without children, skip undefined attributes, round numbers and escape values', () => {
    expect(element('line', { x1: 1.234, x2: undefined, stroke: '#000' })).toBe(
      '<line x1="1.23" stroke="#000"/>',
    );
    expect(element('g', { class: 'a"b' }, ['<rect/>', '<line/>'])).toBe(
      '<g class="a&quot;b"><rect/><line/></g>',
    );
    expect(textElement('x < y & z', { x: 5 })).toBe('<text x="5">x &lt; y &amp; z</text>');
  });
});

describe('svgDocument', () => {
  it('is one well-formed <svg> with size, viewBox, xmlns, an escaped title and a white background', () => {
    const source = svgDocument({ width: 300.5, height: 200, title: 'loss < 1 & "ok"' }, [
      element('circle', { r: 3 }),
    ]);
    const svg = parseXml(source);
    expect(svg.name).toBe('svg');
    expect(svg.attributes).toMatchObject({
      xmlns: 'http://www.w3.org/2000/svg',
      width: '300.5',
      height: '200',
      viewBox: '0 0 300.5 200',
      role: 'img',
    });
    expect(svg.children.map((c) => c.name)).toEqual(['title', 'rect', 'circle']);
    expect(svg.children[0]!.text).toBe('loss < 1 & "ok"');
    expect(svg.children[1]!.attributes).toMatchObject({ width: '300.5', fill: '#ffffff' });
    expect(source.endsWith('\n</svg>')).toBe(true);
    expect(source.split('\n')).toHaveLength(5); // <svg …>, title, rect, circle, </svg>
  });

  it('adds a <desc> after the title only when a description is given', () => {
    const svg = parseXml(
      svgDocument({ width: 200, height: 200, title: 't', description: 'd' }, []),
    );
    expect(svg.children.map((c) => [c.name, c.text])).toEqual([
      ['title', 't'],
      ['desc', 'd'],
      ['rect', ''],
    ]);
  });
});

describe('textWidth', () => {
  it('is 0.6 em per character', () => {
    expect(textWidth('abcd')).toBeAllclose(4 * 12 * 0.6);
    expect(textWidth('abcd', 20)).toBeAllclose(4 * 20 * 0.6);
    expect(textWidth('')).toBe(0);
  });
});
