/**
 * Checking hyperparameters and parameter lists, with messages that name the owner,
 * the option, the value received and the range allowed:
 *
 *   Adam: betas[1] must be a number in [0, 1), got 1
 *   SGD: unknown option 'weight_decay' (did you mean 'weightDecay'?); the options are lr, ...
 *
 * A value of the wrong kind (a string, undefined) is a TypeError; a number outside
 * its range (NaN included) is a RangeError.
 */

import { formatShape, Tensor } from '@unroll/tensor';

/** An interval of the real line, open or closed at either end. */
export interface Interval {
  readonly low: number;
  readonly high: number;
  readonly lowClosed: boolean;
  readonly highClosed: boolean;
  /** Only whole numbers (step sizes, patience). */
  readonly integer?: boolean;
}

/** `interval('[', 0, 1, ')')` is [0, 1). Infinite ends print as ∞. */
export function interval(
  open: '[' | '(',
  low: number,
  high: number,
  close: ']' | ')',
  integer = false,
): Interval {
  return { low, high, lowClosed: open === '[', highClosed: close === ']', integer };
}

export const NON_NEGATIVE = interval('[', 0, Infinity, ')');
export const POSITIVE = interval('(', 0, Infinity, ')');
export const UNIT_HALF_OPEN = interval('[', 0, 1, ')');
export const UNIT_CLOSED = interval('[', 0, 1, ']');
export const POSITIVE_INTEGER = interval('[', 1, Infinity, ')', true);
export const NON_NEGATIVE_INTEGER = interval('[', 0, Infinity, ')', true);

export function formatInterval(range: Interval): string {
  const end = (x: number) => (x === Infinity ? '∞' : x === -Infinity ? '-∞' : String(x));
  const text = `${range.lowClosed ? '[' : '('}${end(range.low)}, ${end(range.high)}${range.highClosed ? ']' : ')'}`;
  return range.integer ? `an integer in ${text}` : `a number in ${text}`;
}

/** How a received value is shown in a message: numbers as numbers, the rest with its kind. */
export function describeValue(value: unknown): string {
  if (typeof value === 'number') return Object.is(value, -0) ? '-0' : String(value);
  if (typeof value === 'string') return `${JSON.stringify(value)} (a string)`;
  if (value === null) return 'null';
  if (value === undefined) return 'undefined';
  if (Array.isArray(value)) return `[${value.map(describeValue).join(', ')}] (an array)`;
  if (value instanceof Tensor) return `a Tensor of shape ${formatShape(value.shape)}`;
  const kind = typeof value;
  return `${String(value)} (${/^[aeiou]/.test(kind) ? 'an' : 'a'} ${kind})`;
}

function inside(x: number, range: Interval): boolean {
  const aboveLow = range.lowClosed ? x >= range.low : x > range.low;
  const belowHigh = range.highClosed ? x <= range.high : x < range.high;
  return aboveLow && belowHigh && (!range.integer || Number.isInteger(x));
}

/** Throws unless `value` is a number in `range` (NaN never is). */
export function checkNumber(owner: string, name: string, value: unknown, range: Interval): number {
  if (typeof value !== 'number') {
    throw new TypeError(
      `${owner}: ${name} must be ${formatInterval(range)}, got ${describeValue(value)}`,
    );
  }
  if (!inside(value, range)) {
    throw new RangeError(
      `${owner}: ${name} must be ${formatInterval(range)}, got ${describeValue(value)}`,
    );
  }
  return value;
}

export function checkBoolean(owner: string, name: string, value: unknown): boolean {
  if (typeof value !== 'boolean') {
    const got = typeof value === 'number' ? `${value} (a number)` : describeValue(value);
    throw new TypeError(`${owner}: ${name} must be true or false, got ${got}`);
  }
  return value;
}

/** Throws unless `value` is one of `choices`. */
export function checkChoice<C extends string>(
  owner: string,
  name: string,
  value: unknown,
  choices: readonly C[],
): C {
  if (!choices.includes(value as C)) {
    const allowed = choices.map((c) => `'${c}'`).join(' or ');
    const error = typeof value === 'string' ? RangeError : TypeError;
    throw new error(`${owner}: ${name} must be ${allowed}, got ${describeValue(value)}`);
  }
  return value as C;
}

const snakeToCamel = (name: string) => name.replace(/_([a-z])/g, (_, c: string) => c.toUpperCase());

/**
 * Rejects option names the owner does not know. PyTorch's snake_case names are the
 * likeliest typo, so the message suggests the camelCase spelling.
 */
export function checkKnownOptions(owner: string, options: object, known: readonly string[]): void {
  for (const key of Object.keys(options)) {
    if (known.includes(key)) continue;
    const camel = snakeToCamel(key);
    const hint = camel !== key && known.includes(camel) ? ` (did you mean '${camel}'?)` : '';
    throw new TypeError(
      `${owner}: unknown option '${key}'${hint}; the options are ${known.join(', ')}`,
    );
  }
}

/** The options argument itself must be a plain object (or left out). */
export function checkOptionsObject(owner: string, options: unknown): void {
  if (typeof options !== 'object' || options === null || Array.isArray(options)) {
    throw new TypeError(
      `${owner}: options must be an object such as { lr: 0.01 }, got ${describeValue(options)}`,
    );
  }
}

/**
 * Checks one tensor handed to an optimizer or a clipping function: it must be a
 * Tensor, a leaf (the optimizer writes its data in place), and require grad.
 * `where` names it in the message, e.g. "params[2]".
 */
export function checkParameter(owner: string, where: string, value: unknown): Tensor {
  if (!(value instanceof Tensor)) {
    throw new TypeError(`${owner}: ${where} must be a Tensor, got ${describeValue(value)}`);
  }
  if (!value.requiresGrad) {
    throw new TypeError(
      `${owner}: ${where} (shape ${formatShape(value.shape)}) does not require grad, so it never gets one; create it with { requiresGrad: true } or leave it out`,
    );
  }
  if (!value.isLeaf) {
    throw new TypeError(
      `${owner}: ${where} (shape ${formatShape(value.shape)}) was computed by '${value.node?.op}', not created: only leaf tensors can be optimized`,
    );
  }
  return value;
}
