/**
 * The pieces of a report page: one self-contained HTML file (inline CSS and SVG, no
 * script, nothing fetched), readable offline, attachable to an email, diffable.
 */

import { escapeXml } from '@unroll/diagnostics';

export const escapeHtml = escapeXml;

const STYLE = `
body { font: 15px/1.5 system-ui, -apple-system, "Segoe UI", sans-serif; color: #222; max-width: 1340px; margin: 2em auto; padding: 0 1em; }
h1 { font-size: 1.6em; margin-bottom: 0.2em; } h2 { margin-top: 1.8em; border-bottom: 1px solid #ddd; }
.lead { color: #555; margin-top: 0; }
table { border-collapse: collapse; margin: 1em 0; }
th, td { padding: 0.3em 0.8em; border-bottom: 1px solid #e4e4e4; text-align: left; vertical-align: top; }
th { background: #f6f6f6; } td.num { text-align: right; font-variant-numeric: tabular-nums; }
.yes { color: #087f23; font-weight: 600; } .no { color: #b00020; font-weight: 600; }
.charts { display: flex; flex-wrap: wrap; gap: 1em; } .charts svg { border: 1px solid #eee; }
.note { background: #fff8e1; border-left: 4px solid #f0b400; padding: 0.6em 1em; }
code { background: #f3f3f3; padding: 0 0.25em; border-radius: 3px; }
`;

export function page(title: string, body: readonly string[]): string {
  return [
    '<!DOCTYPE html>',
    '<html lang="en">',
    '<head>',
    '<meta charset="utf-8">',
    `<title>${escapeHtml(title)}</title>`,
    `<style>${STYLE}</style>`,
    '</head>',
    '<body>',
    ...body,
    '</body>',
    '</html>',
    '',
  ].join('\n');
}

/** A table; a cell given as { html } is inserted as is, a number is right-aligned. */
export type Cell = string | number | { html: string; className?: string };

export function table(header: readonly string[], rows: readonly (readonly Cell[])[]): string {
  const th = header.map((h) => `<th>${escapeHtml(h)}</th>`).join('');
  const body = rows
    .map((row) => {
      const cells = row.map((cell) => {
        if (typeof cell === 'number')
          return `<td class="num">${escapeHtml(formatValue(cell))}</td>`;
        if (typeof cell === 'string') return `<td>${escapeHtml(cell)}</td>`;
        return `<td${cell.className ? ` class="${cell.className}"` : ''}>${cell.html}</td>`;
      });
      return `<tr>${cells.join('')}</tr>`;
    })
    .join('\n');
  return `<table>\n<tr>${th}</tr>\n${body}\n</table>`;
}

export const yesNo = (value: boolean | null): Cell =>
  value === null ? '—' : { html: value ? 'yes' : 'no', className: value ? 'num yes' : 'num no' };

/** 4 significant digits, or scientific notation for very small or large numbers. */
export function formatValue(x: number): string {
  if (!Number.isFinite(x)) return String(x);
  const magnitude = Math.abs(x);
  if (Number.isInteger(x) && magnitude < 1e7) return String(x);
  if (magnitude !== 0 && (magnitude < 1e-3 || magnitude >= 1e6)) return x.toExponential(2);
  return Number(x.toPrecision(4)).toString();
}

/** Means of consecutive groups of `size` values, with the step at each group's end. */
export function bucketMeans(
  steps: readonly number[],
  values: readonly number[],
  maxPoints = 250,
): { x: number[]; y: number[] } {
  const size = Math.max(1, Math.ceil(values.length / maxPoints));
  const x: number[] = [];
  const y: number[] = [];
  for (let i = 0; i < values.length; i += size) {
    const group = values.slice(i, i + size);
    y.push(group.reduce((a, b) => a + b, 0) / group.length);
    x.push(steps[Math.min(i + size, values.length) - 1]!);
  }
  return { x, y };
}

export const paragraph = (html: string) => `<p>${html}</p>`;
export const heading = (level: 1 | 2 | 3, text: string) =>
  `<h${level}>${escapeHtml(text)}</h${level}>`;
export const charts = (svgs: readonly string[]) =>
  `<div class="charts">\n${svgs.join('\n')}\n</div>`;
