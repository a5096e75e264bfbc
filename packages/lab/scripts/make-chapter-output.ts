/**
 * Regenerates the vanishing-gradient experiment's output in docs/09-the-lab.md: runs
 * `unroll experiment` (the real command, as `npm start` does), pastes what it prints
 * between the chapter's experiment-output markers, and copies five of the report's
 * charts to docs/figures/09-*.svg.
 *
 *   npx tsx scripts/make-chapter-output.ts      (about a minute on 2 cores)
 */

import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { availableParallelism, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const lab = fileURLToPath(new URL('..', import.meta.url));
const docs = join(lab, '..', '..', 'docs');
const chapter = join(docs, '09-the-lab.md');
const out = mkdtempSync(join(tmpdir(), 'unroll-chapter-'));
const load = loadavg()[0]!;

const run = spawnSync(
  process.execPath,
  [join(lab, 'bin', 'unroll.js'), 'experiment', '--out', out],
  {
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'inherit'],
  },
);
if (run.status !== 0) throw new Error(`unroll experiment exited with ${run.status}`);
const folder = join(out, readdirSync(out)[0]!);

// What the terminal shows, with the temporary folder replaced by the usual one.
const printed = run.stdout
  .trim()
  .replace(folder, 'runs/2025-01-31_10-22-05-vanishing-gradients')
  .replace(
    /^(\d+(\.\d+)? s in all)\.$/m,
    `$1 (on ${availableParallelism()} cores; load average ${load.toFixed(1)} at the start).`,
  );
const begin = '<!-- experiment-output:begin -->';
const end = '<!-- experiment-output:end -->';
const text = readFileSync(chapter, 'utf8');
const from = text.indexOf(begin);
const to = text.indexOf(end);
if (from < 0 || to < from) throw new Error(`${chapter} has no ${begin} … ${end} block`);
writeFileSync(
  chapter,
  `${text.slice(0, from + begin.length)}\n\n\`\`\`text\n${printed}\n\`\`\`\n\n${text.slice(to)}`,
);

// The report's charts, in its order: loss at T = 10, 50, 100, then gradient flow at
// initialisation and after training for each T.
const svgs = readFileSync(join(folder, 'report.html'), 'utf8').match(/<svg[\s\S]*?<\/svg>/g) ?? [];
if (svgs.length !== 9) throw new Error(`expected 9 charts in the report, found ${svgs.length}`);
const keep: Record<string, number> = {
  '09-loss-T10.svg': 0,
  '09-loss-T100.svg': 2,
  '09-flow-T10-trained.svg': 4,
  '09-flow-T100-init.svg': 7,
  '09-flow-T100-trained.svg': 8,
};
for (const [name, index] of Object.entries(keep))
  writeFileSync(join(docs, 'figures', name), `${svgs[index]}\n`);
rmSync(out, { recursive: true, force: true });
console.log(`updated ${chapter} and ${Object.keys(keep).length} figures`);
