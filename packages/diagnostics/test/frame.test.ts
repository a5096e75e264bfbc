/**
 * plot/frame.ts, what every chart shares: the size check, the layout of the plot
 * area, the title, the axes with ticks, grid and labels, the legend and the note.
 */

import { describe, expect, it } from 'vitest';
import {
  type Axis,
  axes,
  checkSize,
  layout,
  legend,
  legendWidth,
  noteElement,
  TITLE_SIZE,
  titleElement,
} from '../src/plot/frame.ts';
import { lineChart } from '../src/plot/line-chart.ts';
import { textWidth } from '../src/plot/svg.ts';
import { byClass, descendants, num, parseXml } from './svg-parser.ts';

/** Parses loose elements by wrapping them in one root. */
const parseAll = (parts: string[]) => parseXml(`<g>${parts.join('')}</g>`);

const area = { left: 50, top: 46, width: 400, height: 300 };
/** An axis with ticks at 0, 1, 2 drawn at 100 + 10·value px. */
const axis: Axis = {
  ticks: [
    { value: 0, label: '0' },
    { value: 1, label: '1' },
    { value: 2, label: '2' },
  ],
  map: (v) => 100 + 10 * v,
};

describe('checkSize', () => {
  it('accepts 120 to 10000 px and names the dimension and value otherwise', () => {
    expect(() => checkSize('lineChart', 120, 10_000)).not.toThrow();
    expect(() => checkSize('lineChart', 119, 400)).toThrow(
      'lineChart: width must be between 120 and 10000 px, got 119',
    );
    expect(() => checkSize('heatmap', 640, 10_001)).toThrow(
      'heatmap: height must be between 120 and 10000 px, got 10001',
    );
    expect(() => checkSize('heatmap', Number.NaN, 400)).toThrow(
      'heatmap: width must be between 120 and 10000 px, got NaN',
    );
  });
});

describe('layout', () => {
  it('leaves room for the y tick labels, the title, the x labels and what is on the right', () => {
    const labels = ['0.5', '10⁻¹²'];
    const plot = layout(640, 400, labels, 30);
    const left = Math.ceil(textWidth('10⁻¹²') + 38);
    expect(plot).toEqual({ left, top: 46, width: 640 - left - 20 - 30, height: 400 - 46 - 50 });
  });

  it('never makes the plot area smaller than 10 px', () => {
    expect(layout(120, 120, ['a very long tick label indeed'], 500)).toMatchObject({
      width: 10,
      height: 24,
    });
    expect(layout(120, 50, [], 0).height).toBe(10);
  });

  it('legendWidth is 0 without entries, else swatch, gaps and the longest name', () => {
    expect(legendWidth([])).toBe(0);
    const entries = [
      { name: 'h', color: '#000', swatch: 'line' as const },
      { name: 'layer 10', color: '#000', swatch: 'box' as const },
    ];
    expect(legendWidth(entries)).toBeAllclose(22 + 8 + textWidth('layer 10') + 16);
  });
});

describe('titleElement', () => {
  it('centres the escaped title in bold at the full size when it fits', () => {
    const title = parseAll([titleElement('‖∂L/∂hₜ‖ < 1', 640)]).children[0]!;
    expect(title.text).toBe('‖∂L/∂hₜ‖ < 1');
    expect(title.attributes).toMatchObject({
      class: 'title',
      x: '320',
      'text-anchor': 'middle',
      'font-weight': 'bold',
      'font-size': String(TITLE_SIZE),
    });
  });
});

describe('titles', () => {
  it('shrink to fit the width, and no further than 10 px', () => {
    const size = (title: string) =>
      Number(
        byClass(parseXml(lineChart({ title, series: [] })), 'title')[0]!.attributes['font-size'],
      );
    expect(size('Short')).toBe(15);
    const long = 'A title long enough that it would not fit on one line of a 640 px chart at 15 px';
    expect(size(long)).toBeLessThan(15);
    expect(size(long) * long.length * 0.66).toBeLessThanOrEqual(620);
    expect(size(long.repeat(4))).toBe(10);
  });
});

describe('axes', () => {
  it('draws the frame, a tick, a label and a grid line per tick, and the axis labels', () => {
    const svg = parseAll(axes(area, axis, axis, { xLabel: 'timestep t', yLabel: 'norm' }));
    const [frame] = byClass(svg, 'plot-area');
    expect([
      num(frame!, 'x'),
      num(frame!, 'y'),
      num(frame!, 'width'),
      num(frame!, 'height'),
    ]).toEqual([50, 46, 400, 300]);
    expect(byClass(svg, 'x-tick')).toHaveLength(3);
    expect(byClass(svg, 'y-tick')).toHaveLength(3);
    expect(byClass(svg, 'grid')).toHaveLength(6);
    expect(byClass(svg, 'x-tick-label').map((t) => [t.text, num(t, 'x')])).toEqual([
      ['0', 100],
      ['1', 110],
      ['2', 120],
    ]);
    // y labels sit 4 px below their tick, right-aligned 8 px left of the plot area
    expect(byClass(svg, 'y-tick-label').map((t) => [num(t, 'x'), num(t, 'y')])).toEqual([
      [42, 104],
      [42, 114],
      [42, 124],
    ]);
    const [xLabel] = byClass(svg, 'x-label');
    expect([xLabel!.text, num(xLabel!, 'x'), num(xLabel!, 'y')]).toEqual(['timestep t', 250, 386]);
    const [yLabel] = byClass(svg, 'y-label');
    expect([yLabel!.text, yLabel!.attributes.transform]).toEqual(['norm', 'rotate(-90 16 196)']);
  });

  it('draws no grid when asked, and no axis label that was not given', () => {
    const svg = parseAll(axes(area, axis, axis, { grid: false }));
    expect(byClass(svg, 'grid')).toHaveLength(0);
    expect(byClass(svg, 'x-tick')).toHaveLength(3);
    expect([...byClass(svg, 'x-label'), ...byClass(svg, 'y-label')]).toHaveLength(0);
  });
});

describe('legend and note', () => {
  it('stacks the entries top-down right of the plot area, each with its kind of swatch', () => {
    expect(legend([], area)).toEqual([]);
    const svg = parseAll(
      legend(
        [
          { name: 'layer 0', color: '#0072B2', swatch: 'line' },
          { name: 'baseline', color: '#000000', swatch: 'dashed' },
          { name: 'a<b', color: '#D55E00', swatch: 'box' },
        ],
        area,
      ),
    );
    const [group] = byClass(svg, 'legend');
    const shapes = descendants(group!).filter((n) => n.name !== 'text');
    expect(shapes.map((n) => [n.name, n.attributes['stroke-dasharray']])).toEqual([
      ['line', undefined],
      ['line', '6 4'],
      ['rect', undefined],
    ]);
    const x0 = 50 + 400 + 14;
    expect(num(shapes[0]!, 'x1')).toBe(x0);
    expect(byClass(svg, 'legend-label').map((t) => [t.text, num(t, 'y')])).toEqual([
      ['layer 0', 46 + 10 + 4],
      ['baseline', 46 + 30 + 4],
      ['a<b', 46 + 50 + 4],
    ]);
  });

  it('noteElement puts the escaped note just above the plot area', () => {
    const note = parseAll([noteElement('3 points < 0 left out', area)]).children[0]!;
    expect([note.text, num(note, 'x'), num(note, 'y'), note.attributes.class]).toEqual([
      '3 points < 0 left out',
      50,
      39,
      'note',
    ]);
  });
});
