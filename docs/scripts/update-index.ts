/**
 * Moves the line numbers of docs/INDEX.md's links to where their tags are now (after
 * code above them was added or removed). `npm run index -w @unroll/docs`.
 */

import { readFileSync, renameSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { expectedLine, indexRows } from '../test/equation-index.ts';

const docsDir = join(dirname(fileURLToPath(import.meta.url)), '..');
const indexPath = join(docsDir, 'INDEX.md');
const lines = readFileSync(indexPath, 'utf8').split('\n');
let moved = 0;
for (const { links } of indexRows(lines.join('\n'))) {
  const k = links[0]?.indexLine;
  if (k === undefined) continue;
  // The row's links in order (the first link of a row is its equation, not listed).
  let n = -1;
  lines[k - 1] = lines[k - 1]!.replace(/\]\(([^)#\s]+)#L(\d+)\)/g, (whole, target: string) => {
    const link = links.find((l, i) => i > n && l.target === target && l.line !== null);
    if (link === undefined) return whole;
    n = links.indexOf(link);
    const now = expectedLine(readFileSync(resolve(docsDir, target), 'utf8').split('\n'), link);
    if (now === null || now === link.line) return whole;
    moved++;
    return `](${target}#L${now})`;
  });
}
writeFileSync(`${indexPath}.tmp`, lines.join('\n'));
renameSync(`${indexPath}.tmp`, indexPath);
console.log(`INDEX.md: ${moved} link(s) moved`);
