/**
 * The smallest SVG writer that keeps charts honest: every attribute value and every
 * piece of text goes through `escapeXml`, so a series called `a<b & "c"` cannot break
 * the document (or inject markup into the HTML report that inlines it).
 */

/** Replaces the five characters that are special in XML text and attribute values. */
export function escapeXml(text: string): string {
  return text
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&#39;');
}

/** A pixel coordinate rounded to 1/100 px: smaller files, no visible difference. */
export function px(value: number): string {
  const rounded = Math.round(value * 100) / 100;
  return String(rounded === 0 ? 0 : rounded); // no "-0"
}

export type Attributes = Record<string, string | number | undefined>;

function attributeList(attributes: Attributes): string {
  let out = '';
  for (const [name, value] of Object.entries(attributes)) {
    if (value === undefined) continue;
    out += ` ${name}="${escapeXml(typeof value === 'number' ? px(value) : value)}"`;
  }
  return out;
}

/** `<name a="1"/>` or `<name a="1">children</name>`; children are already-built markup. */
export function element(name: string, attributes: Attributes, children: string[] = []): string {
  const open = `<${name}${attributeList(attributes)}`;
  return children.length === 0 ? `${open}/>` : `${open}>${children.join('')}</${name}>`;
}

/** A `<text>` element whose content is escaped. */
export function textElement(content: string, attributes: Attributes): string {
  return `<text${attributeList(attributes)}>${escapeXml(content)}</text>`;
}

export interface DocumentOptions {
  width: number;
  height: number;
  title: string;
  /** A longer description for screen readers and for anyone reading the file. */
  description?: string;
}

/**
 * The outer `<svg>`: explicit width, height and viewBox, the xmlns (so the string works
 * as a standalone .svg file and inline in HTML), a white background, and the font set
 * on the root so no stylesheet is needed. One top-level element per line keeps the
 * committed figures' diffs readable.
 */
export function svgDocument(options: DocumentOptions, body: string[]): string {
  const { width, height, title, description } = options;
  const head = [`<title>${escapeXml(title)}</title>`];
  if (description !== undefined) head.push(`<desc>${escapeXml(description)}</desc>`);
  return element(
    'svg',
    {
      xmlns: 'http://www.w3.org/2000/svg',
      width,
      height,
      viewBox: `0 0 ${px(width)} ${px(height)}`,
      role: 'img',
      'font-family': 'Helvetica, Arial, sans-serif',
      'font-size': 12,
    },
    [...head, element('rect', { width, height, fill: '#ffffff' }), ...body].map(
      (part) => `\n${part}`,
    ),
  ).replace(/<\/svg>$/, '\n</svg>');
}

/** Rough width of a label in px, for layout only (0.6 em per character). */
export function textWidth(text: string, fontSize = 12): number {
  return text.length * fontSize * 0.6;
}
