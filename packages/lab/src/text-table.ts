/** A plain-text table for the terminal: columns padded to their widest cell, numbers right-aligned. */
export function textTable(
  header: readonly string[],
  rows: readonly (readonly (string | number)[])[],
): string {
  const cells = [header, ...rows].map((row) => row.map((c) => String(c)));
  const widths = header.map((_, j) => Math.max(...cells.map((row) => row[j]!.length)));
  const numeric = header.map(
    (_, j) => rows.length > 0 && rows.every((r) => typeof r[j] === 'number' || r[j] === '—'),
  );
  const line = (row: readonly string[]) =>
    row
      .map((c, j) => (numeric[j] ? c.padStart(widths[j]!) : c.padEnd(widths[j]!)))
      .join('  ')
      .trimEnd();
  return [
    line(cells[0]!),
    widths.map((w) => '─'.repeat(w)).join('  '),
    ...cells.slice(1).map(line),
  ].join('\n');
}
