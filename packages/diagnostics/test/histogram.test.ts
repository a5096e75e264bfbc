import { describe, expect, it } from 'vitest';
import { binValues, histogram } from '../src/plot/histogram.ts';
import { axisFromTicks, byClass, num, parseXml } from './svg-parser.ts';

describe('binValues', () => {
  it('uses half-open bins with the last one closed, and counts what falls outside', () => {
    const { counts, outside, notFinite } = binValues(
      [0, 0.1, 0.25, 0.5, 0.99, 1, 1.5, -1, Number.NaN],
      4,
      0,
      1,
    );
    expect(counts).toEqual([2, 1, 1, 2]);
    expect(outside).toBe(2);
    expect(notFinite).toBe(1);
  });

  it('refuses an empty range or a bin count that is no positive integer', () => {
    expect(() => binValues([1], 4, 1, 1)).toThrow('binValues: need finite low < high, got [1, 1]');
    expect(() => binValues([1], 2.5, 0, 1)).toThrow(
      'binValues: bins must be a positive integer, got 2.5',
    );
  });
});

describe('histogram', () => {
  // 10 values: 4 in [0, 0.25), 1 in [0.25, 0.5), 0 in [0.5, 0.75), 5 in [0.75, 1]
  const values = [0.01, 0.02, 0.03, 0.2, 0.3, 0.8, 0.9, 0.97, 0.99, 1];
  it('draws each bin between its edges with the height of its fraction', () => {
    const svg = parseXml(
      histogram({
        title: 'gates',
        xLabel: 'activation',
        series: [{ name: 'f', values }],
        bins: 4,
        range: [0, 1],
      }),
    );
    const x = axisFromTicks(svg, 'x', 'linear');
    const y = axisFromTicks(svg, 'y', 'linear');
    const bars = byClass(svg, 'bar');
    expect(bars).toHaveLength(3); // the empty bin draws nothing
    const expected = [
      { from: 0, to: 0.25, fraction: 0.4 },
      { from: 0.25, to: 0.5, fraction: 0.1 },
      { from: 0.75, to: 1, fraction: 0.5 },
    ];
    bars.forEach((bar, k) => {
      const e = expected[k]!;
      expect(num(bar, 'x')).toBeAllclose(x(e.from), { atol: 0.02, rtol: 0 });
      expect(num(bar, 'x') + num(bar, 'width')).toBeAllclose(x(e.to), { atol: 0.02, rtol: 0 });
      expect(num(bar, 'y')).toBeAllclose(y(e.fraction), { atol: 0.02, rtol: 0 });
      expect(num(bar, 'y') + num(bar, 'height')).toBeAllclose(y(0), { atol: 0.02, rtol: 0 });
    });
    expect(byClass(svg, 'y-label')[0]!.text).toBe('fraction of values');
  });

  it('draws counts when not normalised, and the markers where they belong', () => {
    const svg = parseXml(
      histogram({
        title: 'gates',
        series: [
          { name: 'i', values },
          { name: 'o', values: [0.5, 0.6] },
        ],
        bins: 4,
        range: [0, 1],
        normalize: false,
        markers: [
          { x: 0.05, label: 'σ < 0.05' },
          { x: 0.95, label: 'σ > 0.95' },
        ],
      }),
    );
    const x = axisFromTicks(svg, 'x', 'linear');
    const y = axisFromTicks(svg, 'y', 'linear');
    const [first, second] = byClass(svg, 'series');
    expect(first!.children.map((b) => num(b, 'y'))).toEqual(
      [4, 1, 5].map((c) => Number(y(c).toFixed(2))),
    );
    expect(second!.children).toHaveLength(1);
    expect(num(second!.children[0]!, 'y')).toBeAllclose(y(2), { atol: 0.02, rtol: 0 });
    const markers = byClass(svg, 'marker');
    expect(markers.map((m) => num(m, 'x1'))).toEqual(
      [0.05, 0.95].map((v) => Number(x(v).toFixed(2))),
    );
    expect(byClass(svg, 'legend-label').map((l) => l.text)).toEqual([
      'i',
      'o',
      'σ < 0.05',
      'σ > 0.95',
    ]);
  });

  it('notes values outside the range', () => {
    const svg = parseXml(
      histogram({ title: 'h', series: [{ name: 'a', values: [-2, 0.5, 3] }], range: [0, 1] }),
    );
    expect(byClass(svg, 'note')[0]!.text).toBe('2 values outside [0, 1]');
  });

  it('refuses a bad bin count or range', () => {
    expect(() => histogram({ title: 'h', series: [], bins: 0 })).toThrow(
      'histogram: bins must be an integer in [1, 10000], got 0',
    );
    expect(() => histogram({ title: 'h', series: [], range: [1, 1] })).toThrow(
      'histogram: range must be finite with low < high, got [1, 1]',
    );
  });
});
