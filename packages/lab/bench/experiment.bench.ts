/**
 * The whole system as a benchmark: `unroll` with no arguments — the vanishing-gradient
 * experiment, nine training runs on worker threads — timed from the command's start to
 * its exit (what `npm start` costs a newcomer; the target is under 2 minutes on 2 cores).
 * Prints the wall time and the experiment's own table; writes bench/results/experiment.json
 * (and keeps the run folder, with its report, under bench/results/runs/).
 */

import { spawnSync } from 'node:child_process';
import { mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { availableParallelism, cpus, loadavg } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const lab = fileURLToPath(new URL('..', import.meta.url));
const results = join(lab, 'bench', 'results');
const out = join(results, 'runs');
mkdirSync(out, { recursive: true });
const before = new Set(readdirSync(out));

const load = loadavg()[0]!;
const started = performance.now();
const run = spawnSync(
  process.execPath,
  [join(lab, 'bin', 'unroll.js'), 'experiment', '--out', out],
  {
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'inherit'],
  },
);
const wallSeconds = (performance.now() - started) / 1000;
if (run.status !== 0) throw new Error(`unroll exited with ${run.status}\n${run.stdout}`);

const folder = join(out, readdirSync(out).find((f) => !before.has(f))!);
const experiment = JSON.parse(readFileSync(join(folder, 'experiment.json'), 'utf8'));
console.log(run.stdout);
console.log(
  `unroll (the default experiment): ${wallSeconds.toFixed(1)} s wall, start to exit, on ${availableParallelism()} cores (1-minute load average before: ${load.toFixed(2)})`,
);
writeFileSync(
  join(results, 'experiment.json'),
  `${JSON.stringify(
    {
      wallSeconds,
      experimentSeconds: experiment.seconds,
      workers: experiment.workers,
      node: process.version,
      cpu: cpus()[0]?.model,
      cores: availableParallelism(),
      loadAverageBefore: load,
      folder,
      runs: experiment.runs.map(
        (r: { config: { name: string }; outcome: Record<string, unknown> }) => ({
          name: r.config.name,
          status: r.outcome.status,
          step: r.outcome.step,
          solvedAt: r.outcome.solvedAt,
          finalMse: (r.outcome.lastEval as { loss: number } | null)?.loss ?? null,
          seconds: r.outcome.seconds,
        }),
      ),
      table: run.stdout,
    },
    null,
    2,
  )}\n`,
);
