/**
 * One metrics line as JSON, with the numbers JSON has no word for.
 *
 * JSON.stringify writes Infinity, −Infinity and NaN as `null`, so a held-out loss of
 * Infinity would read back as "no loss". Here they are written as the strings
 * "Infinity", "-Infinity" and "NaN" and read back as the numbers; every finite number
 * is written exactly as JSON.stringify writes it, so the lines of ordinary runs do not
 * change.
 */

const NON_FINITE: Record<string, number> = {
  Infinity: Number.POSITIVE_INFINITY,
  '-Infinity': Number.NEGATIVE_INFINITY,
  NaN: Number.NaN,
};

/** The line as JSON, with non-finite numbers as strings. */
export function encodeMetricsLine(line: unknown): string {
  return JSON.stringify(line, (_key, value) =>
    typeof value === 'number' && !Number.isFinite(value) ? String(value) : value,
  );
}

/** The line a `encodeMetricsLine` wrote, with "Infinity", "-Infinity" and "NaN" as numbers. */
export function decodeMetricsLine(text: string): unknown {
  return JSON.parse(text, (_key, value) =>
    typeof value === 'string' && value in NON_FINITE ? NON_FINITE[value] : value,
  );
}
