/**
 * Draws a small computation graph as SVG: inputs on the left, the output on the right,
 * each node in the column of its longest path from an input, showing its operation,
 * its data and its grad. Edges run from each input of an operation to the operation.
 */

import { escapeXml } from '@unroll/diagnostics';

export interface DrawnNode {
  id: number;
  title: string;
  data: number;
  grad: number;
  parents: number[];
}

const BOX_W = 128;
const BOX_H = 50;
const GAP_X = 56;
const GAP_Y = 18;

const fmt = (v: number) =>
  Math.abs(v) >= 1e4 || (v !== 0 && Math.abs(v) < 1e-3)
    ? v.toExponential(2)
    : Number(v.toFixed(4)).toString();

/** nodes are in topological order (parents first). */
export function graphSvg(nodes: readonly DrawnNode[], caption: string): string {
  const column = new Map<number, number>();
  for (const node of nodes) {
    column.set(
      node.id,
      node.parents.length === 0 ? 0 : 1 + Math.max(...node.parents.map((p) => column.get(p)!)),
    );
  }
  const rows: number[] = [];
  const position = new Map<number, { x: number; y: number }>();
  for (const node of nodes) {
    const c = column.get(node.id)!;
    const r = rows[c] ?? 0;
    rows[c] = r + 1;
    position.set(node.id, { x: 10 + c * (BOX_W + GAP_X), y: 30 + r * (BOX_H + GAP_Y) });
  }
  const width = 20 + rows.length * (BOX_W + GAP_X) - GAP_X;
  const height = 40 + Math.max(...rows) * (BOX_H + GAP_Y);
  const parts: string[] = [];
  parts.push(`<text x="10" y="18" font-size="13" fill="currentColor">${escapeXml(caption)}</text>`);
  for (const node of nodes) {
    const to = position.get(node.id)!;
    for (const p of node.parents) {
      const from = position.get(p)!;
      parts.push(
        `<path d="M${from.x + BOX_W},${from.y + BOX_H / 2} C${from.x + BOX_W + GAP_X / 2},${from.y + BOX_H / 2} ${to.x - GAP_X / 2},${to.y + BOX_H / 2} ${to.x},${to.y + BOX_H / 2}" fill="none" stroke="#888" marker-end="url(#arrow)"/>`,
      );
    }
  }
  for (const node of nodes) {
    const { x, y } = position.get(node.id)!;
    parts.push(
      `<g class="graph-node" data-title="${escapeXml(node.title)}"><rect x="${x}" y="${y}" width="${BOX_W}" height="${BOX_H}" rx="6" fill="var(--vp-c-bg-soft, #f6f6f7)" stroke="#0072b2"/>` +
        `<text x="${x + 8}" y="${y + 15}" font-size="12" font-weight="bold" fill="currentColor">${escapeXml(node.title)}</text>` +
        `<text x="${x + 8}" y="${y + 30}" font-size="11" fill="currentColor">data ${escapeXml(fmt(node.data))}</text>` +
        `<text x="${x + 8}" y="${y + 44}" font-size="11" fill="#d55e00">grad ${escapeXml(fmt(node.grad))}</text></g>`,
    );
  }
  return `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" role="img" aria-label="${escapeXml(caption)}"><defs><marker id="arrow" viewBox="0 0 10 10" refX="9" refY="5" markerWidth="6" markerHeight="6" orient="auto"><path d="M0,0 L10,5 L0,10 z" fill="#888"/></marker></defs>${parts.join('')}</svg>`;
}
