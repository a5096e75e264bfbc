import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { gradientNormChart, lineChart, lossChart } from '../src/plot/line-chart.ts';
import {
  axisFromTicks,
  byClass,
  descendants,
  num,
  parseXml,
  points,
  type XmlNode,
} from './svg-parser.ts';

function plotArea(svg: XmlNode) {
  const [rect] = byClass(svg, 'plot-area');
  return {
    x: num(rect!, 'x'),
    y: num(rect!, 'y'),
    w: num(rect!, 'width'),
    h: num(rect!, 'height'),
  };
}

function seriesGroup(svg: XmlNode, name: string): XmlNode {
  const g = byClass(svg, 'series').find((s) => s.attributes['data-series'] === name);
  if (!g) throw new Error(`no series ${name}`);
  return g;
}

describe('gradientNormChart', () => {
  it('puts every point of α^(T−t) where the log axis ticks say it belongs', () => {
    const T = 30;
    const series = [0.5, 0.9, 1.1].map((alpha) => ({
      name: `α = ${alpha}`,
      y: Array.from({ length: T }, (_, i) => alpha ** (T - (i + 1))),
    }));
    const svg = parseXml(gradientNormChart({ series }));
    const x = axisFromTicks(svg, 'x', 'linear');
    const y = axisFromTicks(svg, 'y', 'log');
    for (const s of series) {
      const [line, ...rest] = seriesGroup(svg, s.name).children.filter(
        (c) => c.name === 'polyline',
      );
      expect(rest).toHaveLength(0);
      const drawn = points(line!);
      expect(drawn).toHaveLength(T);
      drawn.forEach(([px, py], i) => {
        expect(px).toBeAllclose(x(i + 1), { atol: 0.011, rtol: 0 });
        expect(py).toBeAllclose(y(s.y[i]!), { atol: 0.011, rtol: 0 });
      });
    }
  });

  it('labels log ticks as powers of ten and keeps every point inside the plot area', () => {
    const pointsArb = fc.array(fc.double({ min: -40, max: 10, noNaN: true }), {
      minLength: 1,
      maxLength: 50,
    });
    fc.assert(
      fc.property(pointsArb, (exponents) => {
        const y = exponents.map((e) => 10 ** e);
        const svg = parseXml(gradientNormChart({ series: [{ name: 'g', y }] }));
        for (const label of byClass(svg, 'y-tick-label'))
          expect(label.text).toMatch(/^(10[⁻⁰¹²³⁴⁵⁶⁷⁸⁹]+|[\d.]+|[\d.]+×10[⁻⁰¹²³⁴⁵⁶⁷⁸⁹]+)$/);
        const area = plotArea(svg);
        const yMap = axisFromTicks(svg, 'y', 'log');
        const drawn = points(seriesGroup(svg, 'g').children.find((c) => c.name === 'polyline')!);
        drawn.forEach(([px, py], i) => {
          expect(px).toBeGreaterThanOrEqual(area.x - 0.01);
          expect(px).toBeLessThanOrEqual(area.x + area.w + 0.01);
          expect(py).toBeGreaterThanOrEqual(area.y - 0.01);
          expect(py).toBeLessThanOrEqual(area.y + area.h + 0.01);
          expect(py).toBeAllclose(yMap(y[i]!), { atol: 0.011, rtol: 0 });
        });
      }),
      { numRuns: 40 },
    );
  });

  it('breaks the line at zeros and non-finite values and says how many it left out', () => {
    const svg = parseXml(
      gradientNormChart({ series: [{ name: 'g', y: [1, 0.1, 0, 0.01, Number.NaN, 1e-3, 1e-4] }] }),
    );
    const runs = seriesGroup(svg, 'g')
      .children.filter((c) => c.name === 'polyline')
      .map((p) => points(p).length);
    expect(runs).toEqual([2, 1, 2]);
    expect(byClass(svg, 'note')[0]!.text).toBe('2 points not drawn (zero, negative or not finite)');
  });
});

describe('lineChart', () => {
  it('escapes the title, series names and labels, and reads them back intact', () => {
    const name = `a<b & "c" 'd'>`;
    const svg = parseXml(
      lineChart({ title: name, xLabel: '<x>', yLabel: '&y', series: [{ name, y: [1, 2, 3] }] }),
    );
    expect(svg.attributes.xmlns).toBe('http://www.w3.org/2000/svg');
    expect(descendants(svg).find((n) => n.name === 'title')!.text).toBe(name);
    expect(byClass(svg, 'title')[0]!.text).toBe(name);
    expect(byClass(svg, 'legend-label').map((l) => l.text)).toEqual([name]);
    expect(byClass(svg, 'x-label')[0]!.text).toBe('<x>');
    expect(byClass(svg, 'y-label')[0]!.text).toBe('&y');
    expect(seriesGroup(svg, name)).toBeDefined();
  });

  it('places explicit x values on a linear axis with nice ticks', () => {
    const xs = [0, 50, 100, 150, 200, 250];
    const ys = [2.3, 1.1, 0.7, 0.55, 0.41, 0.4];
    const svg = parseXml(lineChart({ title: 'loss', series: [{ name: 'train', x: xs, y: ys }] }));
    const x = axisFromTicks(svg, 'x', 'linear');
    const y = axisFromTicks(svg, 'y', 'linear');
    const drawn = points(seriesGroup(svg, 'train').children.find((c) => c.name === 'polyline')!);
    drawn.forEach(([px, py], i) => {
      expect(px).toBeAllclose(x(xs[i]!), { atol: 0.011, rtol: 0 });
      expect(py).toBeAllclose(y(ys[i]!), { atol: 0.011, rtol: 0 });
    });
    const circles = seriesGroup(svg, 'train').children.filter((c) => c.name === 'circle');
    expect(circles.map((c) => [num(c, 'cx'), num(c, 'cy')])).toEqual(drawn);
  });

  it('refuses mismatched x and y, an unknown scale and a baseline a log axis cannot show', () => {
    expect(() => lineChart({ title: 't', series: [{ name: 's', x: [1, 2], y: [1] }] })).toThrow(
      "lineChart: series 's' has 2 x values but 1 y values",
    );
    expect(() => lineChart({ title: 't', series: [], yScale: 'sqrt' as 'log' })).toThrow(
      "lineChart: yScale must be 'linear' or 'log', got 'sqrt'",
    );
    expect(() => gradientNormChart({ series: [], baselines: [{ y: 0, label: 'zero' }] })).toThrow(
      "lineChart: baseline 'zero' must be a finite positive number, got 0",
    );
    expect(() => lineChart({ title: 't', series: [], width: 50 })).toThrow(
      'lineChart: width must be between 120 and 10000 px, got 50',
    );
  });
});

describe('lossChart', () => {
  it('draws the baseline at its value, inside the y range even when the losses are far below', () => {
    const svg = parseXml(
      lossChart({
        series: [{ name: 'LSTM', y: [0.02, 0.015, 0.01] }],
        baselines: [{ y: 0.167, label: 'predict 1 (MSE 0.167)' }],
      }),
    );
    const y = axisFromTicks(svg, 'y', 'linear');
    const [baseline] = byClass(svg, 'baseline');
    expect(num(baseline!, 'y1')).toBeAllclose(y(0.167), { atol: 0.011, rtol: 0 });
    expect(byClass(svg, 'legend-label').map((l) => l.text)).toEqual([
      'LSTM',
      'predict 1 (MSE 0.167)',
    ]);
    const area = plotArea(svg);
    expect(num(baseline!, 'x1')).toBe(area.x);
    expect(num(baseline!, 'x2')).toBeAllclose(area.x + area.w, { atol: 0.011, rtol: 0 });
  });
});
