/**
 * Checks of constructor options. Every module takes one options object; a typo in
 * a key (`hidden_size` for `hiddenSize`) or a value out of range is refused with
 * the module's name, the option's name, the value and what is allowed.
 */

/** Refuses keys that are not in `allowed`, and a missing or non-object `options`. */
export function checkKeys(owner: string, options: unknown, allowed: readonly string[]): void {
  if (typeof options !== 'object' || options === null || Array.isArray(options)) {
    throw new TypeError(`${owner}: expected one options object, got ${describe(options)}`);
  }
  for (const key of Object.keys(options)) {
    if (!allowed.includes(key)) {
      throw new RangeError(`${owner}: unknown option '${key}' (allowed: ${allowed.join(', ')})`);
    }
  }
}

/** A required integer ≥ `min`. */
export function integerOption(owner: string, name: string, value: unknown, min = 1): number {
  if (typeof value !== 'number' || !Number.isSafeInteger(value) || value < min) {
    throw new RangeError(`${owner}: ${name} must be an integer ≥ ${min}, got ${describe(value)}`);
  }
  return value;
}

export function booleanOption(owner: string, name: string, value: unknown, fallback: boolean) {
  if (value === undefined) return fallback;
  if (typeof value !== 'boolean') {
    throw new TypeError(`${owner}: ${name} must be true or false, got ${describe(value)}`);
  }
  return value;
}

export function choiceOption<T extends string>(
  owner: string,
  name: string,
  value: unknown,
  allowed: readonly T[],
  fallback: T,
): T {
  if (value === undefined) return fallback;
  if (!allowed.includes(value as T)) {
    throw new RangeError(
      `${owner}: ${name} must be one of ${allowed.map((a) => `'${a}'`).join(', ')}, got ${describe(value)}`,
    );
  }
  return value as T;
}

/** A number in [min, max) (or [min, max] when `closed`). */
export function rangeOption(
  owner: string,
  name: string,
  value: unknown,
  [min, max]: [number, number],
  fallback: number,
  closed = false,
): number {
  if (value === undefined) return fallback;
  const inside = typeof value === 'number' && value >= min && (closed ? value <= max : value < max);
  if (!inside) {
    throw new RangeError(
      `${owner}: ${name} must be in [${min}, ${max}${closed ? ']' : ')'}, got ${describe(value)}`,
    );
  }
  return value as number;
}

function describe(value: unknown): string {
  if (typeof value === 'string') return `'${value}'`;
  if (Array.isArray(value)) return 'an array';
  if (value === null) return 'null';
  if (typeof value === 'object') return 'an object';
  return String(value);
}
