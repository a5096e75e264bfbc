/**
 * Command-line flags, declared once and used three ways: to parse, to validate (each
 * bad value gets a one-line error naming the flag and what is allowed), and to print
 * `--help`. Hand-written rather than a library, because the error messages are part
 * of the lesson: a student who types `--lr -1` should learn the allowed range.
 */

export type FlagSpec =
  | { kind: 'int'; help: string; min?: number; max?: number; default?: number }
  | { kind: 'number'; help: string; min?: number; max?: number; above?: number; default?: number }
  | { kind: 'choice'; help: string; choices: readonly string[]; default?: string }
  | { kind: 'string'; help: string; default?: string; placeholder?: string }
  | { kind: 'boolean'; help: string }
  | { kind: 'intPair'; help: string; min?: number; placeholder: string };

export type FlagSpecs = Record<string, FlagSpec>;

/** The parsed value of each kind of flag (a choice is one of its own strings). */
type ValueOf<S extends FlagSpec> = S extends { kind: 'boolean' }
  ? boolean
  : S extends { kind: 'int' | 'number' }
    ? number
    : S extends { kind: 'intPair' }
      ? [number, number]
      : S extends { kind: 'choice'; choices: readonly (infer C extends string)[] }
        ? C
        : string;

export type Parsed<S extends FlagSpecs> = { [K in keyof S]?: ValueOf<S[K]> };

export interface CommandSpec<S extends FlagSpecs = FlagSpecs> {
  name: string;
  summary: string;
  usage: string;
  flags: S;
  examples: readonly string[];
}

/** A mistake on the command line: printed in one line with the usage, exit code 2. */
export class UsageError extends Error {
  constructor(
    message: string,
    readonly usage: string,
  ) {
    super(message);
    this.name = 'UsageError';
  }
}

/**
 * Parses `--flag value`, `--flag=value` and bare boolean `--flag`. Returns only the
 * flags given (defaults are applied by the command, which knows the context).
 */
export function parseFlags<S extends FlagSpecs>(
  argv: readonly string[],
  command: CommandSpec<S>,
): Parsed<S> {
  const fail = (message: string): never => {
    throw new UsageError(message, command.usage);
  };
  const parsed: Record<string, unknown> = {};
  for (let i = 0; i < argv.length; i++) {
    const token = argv[i]!;
    if (!token.startsWith('--')) fail(`unexpected argument '${token}'`);
    const eq = token.indexOf('=');
    const name = token.slice(2, eq === -1 ? undefined : eq);
    const spec = command.flags[name];
    if (spec === undefined) {
      const known = Object.keys(command.flags)
        .map((f) => `--${f}`)
        .join(', ');
      fail(`unknown flag '--${name}' for '${command.name}' (known flags: ${known})`);
    }
    if (name in parsed) fail(`flag '--${name}' given twice`);
    if (spec!.kind === 'boolean') {
      if (eq !== -1) fail(`flag '--${name}' takes no value`);
      parsed[name] = true;
      continue;
    }
    let raw: string;
    if (eq !== -1) raw = token.slice(eq + 1);
    else {
      const next = argv[i + 1];
      if (next === undefined || next.startsWith('--'))
        fail(`flag '--${name}' needs a value: ${describeAllowed(spec!)}`);
      raw = next!;
      i++;
    }
    parsed[name] = parseValue(name, raw, spec!, fail);
  }
  return parsed as Parsed<S>;
}

function parseValue(
  name: string,
  raw: string,
  spec: FlagSpec,
  fail: (m: string) => never,
): unknown {
  const bad = () => fail(`invalid value '${raw}' for --${name}: ${describeAllowed(spec)}`);
  switch (spec.kind) {
    case 'int': {
      if (!/^-?\d+$/.test(raw)) return bad();
      const value = Number(raw);
      if (!Number.isSafeInteger(value)) return bad();
      if (spec.min !== undefined && value < spec.min) return bad();
      if (spec.max !== undefined && value > spec.max) return bad();
      return value;
    }
    case 'number': {
      const value = raw.trim() === '' ? Number.NaN : Number(raw);
      if (!Number.isFinite(value)) return bad();
      if (spec.min !== undefined && value < spec.min) return bad();
      if (spec.above !== undefined && value <= spec.above) return bad();
      if (spec.max !== undefined && value > spec.max) return bad();
      return value;
    }
    case 'choice':
      return spec.choices.includes(raw) ? raw : bad();
    case 'string':
      return raw === '' ? bad() : raw;
    case 'intPair': {
      const match = /^(\d+),(\d+)$/.exec(raw);
      if (!match) return bad();
      const pair = [Number(match[1]), Number(match[2])];
      if (spec.min !== undefined && pair.some((v) => v < spec.min!)) return bad();
      return pair;
    }
    case 'boolean':
      return true;
  }
}

/** The allowed values of a flag, in words: 'an integer ≥ 1', 'one of rnn, lstm, gru'. */
export function describeAllowed(spec: FlagSpec): string {
  switch (spec.kind) {
    case 'int':
      return `expected an integer${range(spec.min, spec.max)}`;
    case 'number':
      return spec.above !== undefined
        ? `expected a number > ${spec.above}${spec.max !== undefined ? ` and ≤ ${spec.max}` : ''}`
        : `expected a number${range(spec.min, spec.max)}`;
    case 'choice':
      return `expected one of ${spec.choices.join(', ')}`;
    case 'string':
      return `expected ${spec.placeholder ?? 'a non-empty value'}`;
    case 'intPair':
      return `expected ${spec.placeholder}`;
    case 'boolean':
      return 'a switch without a value';
  }
}

function range(min?: number, max?: number): string {
  if (min !== undefined && max !== undefined) return ` in [${min}, ${max}]`;
  if (min !== undefined) return ` ≥ ${min}`;
  if (max !== undefined) return ` ≤ ${max}`;
  return '';
}

/** `--help` text of a command: usage, summary, one line per flag, examples. */
export function formatHelp(command: CommandSpec): string {
  const rows = Object.entries(command.flags).map(([name, spec]) => {
    const value =
      spec.kind === 'boolean'
        ? ''
        : spec.kind === 'choice'
          ? ` ${spec.choices.join('|')}`
          : spec.kind === 'intPair' || spec.kind === 'string'
            ? ` ${spec.kind === 'string' ? (spec.placeholder ?? 'VALUE') : spec.placeholder}`
            : ' N';
    const fallback =
      'default' in spec && spec.default !== undefined ? ` (default ${spec.default})` : '';
    return [`  --${name}${value}`, `${spec.help}${fallback}`] as const;
  });
  const width = Math.max(0, ...rows.map(([left]) => left.length)) + 2;
  return [
    `usage: ${command.usage}`,
    '',
    command.summary,
    ...(rows.length > 0 ? ['', 'options:', ...rows.map(([l, r]) => l.padEnd(width) + r)] : []),
    ...(command.examples.length > 0
      ? ['', 'examples:', ...command.examples.map((e) => `  ${e}`)]
      : []),
  ].join('\n');
}
