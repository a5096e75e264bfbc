/**
 * The controls of the live figures: a labelled input whose value is checked before
 * anything runs, with the reason shown next to it when it cannot be used. The same
 * checks run in the workers (they receive settings, never trust them).
 */

export interface IntegerRange {
  min: number;
  max: number;
}

/** A whole number in [min, max], or the sentence that says why `text` is not one. */
export function parseInteger(name: string, text: string, range: IntegerRange): number | string {
  const value = Number(text.trim());
  if (text.trim() === '' || !Number.isFinite(value))
    return `${name} must be a number, got "${text}"`;
  if (!Number.isInteger(value)) return `${name} must be a whole number, got ${value}`;
  if (value < range.min || value > range.max) {
    return `${name} must be between ${range.min} and ${range.max}, got ${value}`;
  }
  return value;
}

/** A number in (min, max], or the reason. */
export function parsePositive(name: string, text: string, max: number): number | string {
  const value = Number(text.trim());
  if (text.trim() === '' || !Number.isFinite(value))
    return `${name} must be a number, got "${text}"`;
  if (!(value > 0) || value > max)
    return `${name} must be above 0 and at most ${max}, got ${value}`;
  return value;
}

export function element<K extends keyof HTMLElementTagNameMap>(
  tag: K,
  attributes: Record<string, string> = {},
  children: (Node | string)[] = [],
): HTMLElementTagNameMap[K] {
  const node = document.createElement(tag);
  for (const [key, value] of Object.entries(attributes)) node.setAttribute(key, value);
  node.append(...children);
  return node;
}

export interface Field {
  /** The label, the input and its message, to put in a form. */
  root: HTMLElement;
  input: HTMLInputElement | HTMLSelectElement;
  /** Shows `message` next to the control (or clears it with null). */
  complain(message: string | null): void;
}

/** A labelled text or number input (or a select, when `choices` is given). */
export function field(
  key: string,
  label: string,
  value: string,
  choices?: readonly (readonly [string, string])[],
): Field {
  const input =
    choices === undefined
      ? element('input', { name: key, value, type: 'text', inputmode: 'decimal', size: '8' })
      : element(
          'select',
          { name: key },
          choices.map(([v, text]) => element('option', { value: v }, [text])),
        );
  input.value = value;
  const message = element('span', { class: 'field-error', role: 'alert', 'data-for': key });
  const root = element('label', { class: 'field' }, [
    element('span', { class: 'field-label' }, [label]),
    input,
    message,
  ]);
  return {
    root,
    input,
    complain(text) {
      message.textContent = text ?? '';
      input.setAttribute('aria-invalid', text === null ? 'false' : 'true');
    },
  };
}

/** An SVG string made by the engine's own plotting code, placed in a panel. */
export function setSvg(panel: HTMLElement, svg: string): void {
  panel.innerHTML = svg;
}

/** The worker's module URL is resolved by Vite at build time (new URL + import.meta.url). */
export type WorkerFactory = () => Worker;
