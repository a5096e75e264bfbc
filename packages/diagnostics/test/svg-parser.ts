/**
 * A tiny XML reader for the plot tests: enough of XML to read back what the plots
 * write (elements, attributes, text, the five entities), and strict enough to fail on
 * a mismatched tag or an unescaped '<' or '&'.
 */

export interface XmlNode {
  name: string;
  attributes: Record<string, string>;
  children: XmlNode[];
  /** Concatenated text directly inside this element. */
  text: string;
}

const ENTITIES: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', '#39': "'" };

function decode(raw: string): string {
  if (/&(?!(amp|lt|gt|quot|#39);)/.test(raw))
    throw new Error(`unescaped '&' in ${JSON.stringify(raw)}`);
  if (raw.includes('<')) throw new Error(`unescaped '<' in ${JSON.stringify(raw)}`);
  return raw.replace(/&(amp|lt|gt|quot|#39);/g, (_, e: string) => ENTITIES[e]!);
}

export function parseXml(source: string): XmlNode {
  const token = /<(\/?)([A-Za-z][\w:-]*)((?:\s+[\w:-]+="[^"]*")*)\s*(\/?)>|([^<]+)/gy;
  const root: XmlNode = { name: '#root', attributes: {}, children: [], text: '' };
  const stack: XmlNode[] = [root];
  let m: RegExpExecArray | null;
  let consumed = 0;
  while ((m = token.exec(source)) !== null) {
    consumed = token.lastIndex;
    const [, closing, name, attrs, selfClosing, text] = m;
    const top = stack[stack.length - 1]!;
    if (text !== undefined) {
      top.text += decode(text);
      continue;
    }
    if (closing) {
      if (top.name !== name) throw new Error(`</${name}> closes <${top.name}>`);
      stack.pop();
      continue;
    }
    const attributes: Record<string, string> = {};
    for (const a of attrs!.matchAll(/([\w:-]+)="([^"]*)"/g)) {
      if (a[1]! in attributes) throw new Error(`duplicate attribute ${a[1]} on <${name}>`);
      attributes[a[1]!] = decode(a[2]!);
    }
    const node: XmlNode = { name: name!, attributes, children: [], text: '' };
    top.children.push(node);
    if (!selfClosing) stack.push(node);
  }
  if (consumed !== source.length)
    throw new Error(`cannot parse at offset ${consumed}: ${source.slice(consumed, consumed + 40)}`);
  if (stack.length !== 1) throw new Error(`<${stack[stack.length - 1]!.name}> is never closed`);
  if (root.children.length !== 1) throw new Error('expected exactly one root element');
  return root.children[0]!;
}

/** Every element in document order. */
export function descendants(node: XmlNode): XmlNode[] {
  const out: XmlNode[] = [];
  const walk = (n: XmlNode) => {
    for (const c of n.children) {
      out.push(c);
      walk(c);
    }
  };
  walk(node);
  return out;
}

export function byClass(node: XmlNode, className: string): XmlNode[] {
  return descendants(node).filter((n) => (n.attributes.class ?? '').split(' ').includes(className));
}

export function num(node: XmlNode, attribute: string): number {
  const v = node.attributes[attribute];
  if (v === undefined) throw new Error(`<${node.name}> has no ${attribute}`);
  return Number(v);
}

const SUPER: Record<string, string> = {
  '⁻': '-',
  '⁰': '0',
  '¹': '1',
  '²': '2',
  '³': '3',
  '⁴': '4',
  '⁵': '5',
  '⁶': '6',
  '⁷': '7',
  '⁸': '8',
  '⁹': '9',
};

/** Reads a tick label back as a number: "0.25", "10⁻³", "2×10⁻⁵", "−10²". */
export function labelValue(label: string): number {
  const m = /^([−-]?)(?:([\d.]+)×)?10([⁻⁰¹²³⁴⁵⁶⁷⁸⁹]+)$/.exec(label);
  if (m) {
    const exponent = Number(
      m[3]!
        .split('')
        .map((c) => SUPER[c])
        .join(''),
    );
    return (m[1] ? -1 : 1) * Number(m[2] ?? 1) * 10 ** exponent;
  }
  return Number(label.replace('−', '-'));
}

/** Polyline points as [x, y] pairs. */
export function points(polyline: XmlNode): [number, number][] {
  return polyline.attributes
    .points!.split(' ')
    .map((p) => p.split(',').map(Number) as [number, number]);
}

/**
 * The data → pixel map a reader would infer from an axis: two labelled ticks fix it
 * (in log₁₀ space for a log axis). Throws if the other ticks disagree with those two,
 * so the ticks themselves are checked to be evenly placed.
 */
export function axisFromTicks(
  svg: XmlNode,
  axis: 'x' | 'y',
  kind: 'linear' | 'log',
): (v: number) => number {
  const labels = byClass(svg, `${axis}-tick-label`);
  const ticks = labels.map((t) => ({
    value: labelValue(t.text),
    pixel: axis === 'x' ? num(t, 'x') : num(t, 'y') - 4, // labels sit 4 px below the tick line
  }));
  if (ticks.length < 2) throw new Error(`fewer than two ${axis} ticks`);
  const f = kind === 'log' ? Math.log10 : (v: number) => v;
  const a = ticks[0]!;
  const b = ticks[ticks.length - 1]!;
  const map = (v: number) =>
    a.pixel + ((f(v) - f(a.value)) / (f(b.value) - f(a.value))) * (b.pixel - a.pixel);
  for (const t of ticks) {
    if (Math.abs(map(t.value) - t.pixel) > 0.05) {
      throw new Error(`${axis} tick ${t.value} at ${t.pixel} px, expected ${map(t.value)} px`);
    }
  }
  return map;
}
