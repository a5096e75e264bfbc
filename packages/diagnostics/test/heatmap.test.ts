import { describe, expect, it } from 'vitest';
import { NOT_FINITE_COLOR, viridis } from '../src/plot/color.ts';
import { heatmap } from '../src/plot/heatmap.ts';
import { byClass, labelValue, num, parseXml, type XmlNode } from './svg-parser.ts';

function cells(svg: XmlNode): XmlNode[] {
  return byClass(svg, 'cells')[0]!.children;
}

/** Pixel centre of the labelled band tick whose label is `label`. */
function tickAt(svg: XmlNode, axis: 'x' | 'y', label: string): number {
  const t = byClass(svg, `${axis}-tick-label`).find((n) => n.text === label);
  if (!t) throw new Error(`no ${axis} tick '${label}'`);
  return axis === 'x' ? num(t, 'x') : num(t, 'y') - 4;
}

describe('heatmap', () => {
  // rows = training steps 0, 10, 20; columns = timesteps 1..10; value 10^(t − 10 − step/10)
  const rowValues = [0, 10, 20];
  const values = rowValues.map((s) =>
    Array.from({ length: 10 }, (_, j) => 10 ** (j + 1 - 10 - s / 10)),
  );
  const svg = parseXml(
    heatmap({
      title: 'g',
      xLabel: 'timestep t',
      yLabel: 'training step',
      values,
      rowValues,
      colorLabel: '‖∂L/∂hₜ‖',
    }),
  );

  it('draws one cell per entry, row by row, centred on its row and column ticks', () => {
    const rects = cells(svg);
    expect(rects).toHaveLength(30);
    for (const [i, step] of rowValues.entries()) {
      for (const t of [5, 10]) {
        const r = rects[i * 10 + (t - 1)]!;
        expect(num(r, 'x') + num(r, 'width') / 2).toBeAllclose(tickAt(svg, 'x', String(t)), {
          atol: 0.02,
          rtol: 0,
        });
        expect(num(r, 'y') + num(r, 'height') / 2).toBeAllclose(tickAt(svg, 'y', String(step)), {
          atol: 0.02,
          rtol: 0,
        });
      }
    }
  });

  it('colours on a log scale from the darkest viridis colour to the brightest', () => {
    const rects = cells(svg);
    expect(values[2]![0]).toBe(1e-11); // the smallest: step 20, t = 1
    expect(values[0]![9]).toBe(1); // the largest: step 0, t = 10
    expect(rects[20]!.attributes.fill).toBe(viridis(0));
    expect(rects[9]!.attributes.fill).toBe(viridis(1));
    expect(viridis(0)).toBe('#440154');
    expect(viridis(1)).toBe('#fde725');
    // step 10, t = 5 holds 10⁻⁶: 5 of the 11 decades up from 10⁻¹¹
    expect(rects[10 + 4]!.attributes.fill).toBe(viridis(5 / 11));
    expect(viridis(0.5)).toBe('#21918c');
  });

  it('labels the colour bar at powers of ten placed where their colour is', () => {
    const labels = byClass(svg, 'color-tick-label');
    expect(labels.length).toBeGreaterThanOrEqual(2);
    const stripes = byClass(svg, 'colorbar')[0]!.children.filter((c) => c.name === 'rect');
    for (const label of labels) {
      const value = labelValue(label.text);
      const y = num(label, 'y') - 4;
      const stripe = stripes.find((s) => num(s, 'y') <= y && y <= num(s, 'y') + num(s, 'height'))!;
      // the stripe under the tick shows the colour of (about) that value
      const t = (Math.log10(value) + 11) / 11;
      const stripeIndex = stripes.indexOf(stripe);
      expect(Math.abs(stripeIndex - t * 64)).toBeLessThanOrEqual(1);
    }
    expect(byClass(svg, 'color-label')[0]!.text).toBe('‖∂L/∂hₜ‖');
  });

  it('shows zeros at the bottom of a log scale and non-finite entries in magenta, with a note', () => {
    const marked = parseXml(heatmap({ title: 'g', values: [[1, 0, Number.NaN, 10]] }));
    const fills = cells(marked).map((r) => r.attributes.fill);
    expect(fills).toEqual([viridis(0), viridis(0), NOT_FINITE_COLOR, viridis(1)]);
    expect(byClass(marked, 'note')[0]!.text).toBe(
      '1 cell ≤ 0 drawn at the bottom of the scale; 1 not finite cell in magenta',
    );
  });

  it('maps linearly when asked', () => {
    const linear = parseXml(
      heatmap({ title: 'g', values: [[0, 1, 2, 3, 4]], colorScale: 'linear' }),
    );
    expect(cells(linear).map((r) => r.attributes.fill)).toEqual(
      [0, 0.25, 0.5, 0.75, 1].map(viridis),
    );
  });

  it('refuses ragged or empty matrices and mislabelled axes', () => {
    expect(() => heatmap({ title: 'g', values: [[1, 2], [3]] })).toThrow(
      'heatmap: row 1 has 1 values, row 0 has 2',
    );
    expect(() => heatmap({ title: 'g', values: [] })).toThrow(
      'heatmap: values must have at least one row and one column, got 0×0',
    );
    expect(() => heatmap({ title: 'g', values: [[1, 2]], colValues: [1] })).toThrow(
      'heatmap: rowValues/colValues have 1/1 entries for a 1×2 matrix',
    );
  });
});
