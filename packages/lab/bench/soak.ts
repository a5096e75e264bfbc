/**
 * A soak test of resumption (not part of the test suite: it takes minutes).
 *
 * Trains one small run uninterrupted as the reference. Then, for each of R runs, C
 * times: start two `unroll train --resume` on the same folder at once (a user pressing
 * the up arrow in two terminals); once one of them has the folder and trains, wait a
 * random 0–1.5 s and `kill -9` whatever still runs — often in the middle of a
 * checkpoint or metrics write, and leaving a stale lock behind every time. Between
 * cycles nothing is repaired by hand. At the end each run is resumed to completion and compared with the reference,
 * bit for bit: metrics.jsonl as text, and every tensor of the final checkpoint.
 *
 *   npx tsx bench/soak.ts [--runs R] [--cycles C] [--seed N]     (default 10 × 10 = 100 cycles)
 *
 * Prints a table of what happened and how many runs ended bit-identical; writes
 * bench/results/soak.json.
 */

import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Rng } from '@unroll/tensor';
import { readCheckpoint } from '../src/checkpoint.ts';

const lab = fileURLToPath(new URL('..', import.meta.url));
const BIN = join(lab, 'bin', 'unroll.js');

function option(name: string, fallback: number): number {
  const at = process.argv.indexOf(`--${name}`);
  return at < 0 ? fallback : Number(process.argv[at + 1]);
}
const runs = option('runs', 10);
const cycles = option('cycles', 10);
const rng = new Rng(option('seed', 1));

const MODEL = ['--seq-len', '10', '--hidden', '8', '--steps', '1000'];
const SCHEDULE = ['--checkpoint-every', '7', '--eval-every', '25'];
const scratch = mkdtempSync(join(tmpdir(), 'unroll-soak-'));

function train(args: string[]): { code: number | null; stdout: string; stderr: string } {
  const r = spawnSync(process.execPath, [BIN, 'train', ...args], { encoding: 'utf8' });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

function onlyFolder(parent: string): string {
  return join(parent, readdirSync(parent)[0]!);
}

interface Ended {
  code: number | null;
  signal: NodeJS.Signals | null;
  stderr: string;
}

function start(folder: string): {
  child: ChildProcess;
  ended: Promise<Ended>;
  stderr: () => string;
} {
  const child = spawn(process.execPath, [BIN, 'train', '--resume', folder], {
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let stderr = '';
  child.stderr!.on('data', (d) => {
    stderr += d;
  });
  const ended = new Promise<Ended>((resolve) => {
    child.on('close', (code, signal) => resolve({ code, signal, stderr }));
  });
  return { child, ended, stderr: () => stderr };
}

const running = (child: ChildProcess) => child.exitCode === null && child.signalCode === null;

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

function sameBits(folder: string, reference: string): boolean {
  const metrics = (f: string) => readFileSync(join(f, 'metrics.jsonl'), 'utf8');
  if (metrics(folder) !== metrics(reference)) return false;
  const a = readCheckpoint(join(folder, 'checkpoint.safetensors')).state;
  const b = readCheckpoint(join(reference, 'checkpoint.safetensors')).state;
  if (a.step !== b.step) return false;
  return Object.entries(b.parameters).every(([name, p]) => {
    const q = a.parameters[name]?.data;
    return (
      q !== undefined && q.length === p.data.length && q.every((x, i) => Object.is(x, p.data[i]))
    );
  });
}

const started = performance.now();
const whole = join(scratch, 'whole');
const made = train([...MODEL, ...SCHEDULE, '--out', whole]);
if (made.code !== 0) throw new Error(`the reference run failed: ${made.stderr}`);
const reference = onlyFolder(whole);

const tally = { killed: 0, refused: 0, otherFailures: 0, finishedInCycle: 0, identical: 0 };
const failures: string[] = [];
for (let r = 0; r < runs; r++) {
  const out = join(scratch, `run-${r}`);
  mkdirSync(out);
  // The run's first part: stopped early, so every cycle has a checkpoint to resume from.
  train([...MODEL, ...SCHEDULE, '--out', out, '--stop-after-step', String(1 + rng.int(20))]);
  const folder = onlyFolder(out);
  for (let c = 0; c < cycles; c++) {
    const pair = [start(folder), start(folder)];
    // Wait until one of them holds the folder and trains (or both have ended).
    for (let waited = 0; waited < 120_000; waited += 20) {
      if (pair.some((p) => p.stderr().includes('resuming'))) break;
      if (pair.every((p) => !running(p.child))) break;
      await sleep(20);
    }
    await sleep(rng.int(1500));
    for (const p of pair) if (running(p.child)) p.child.kill('SIGKILL');
    for (const p of pair) {
      const ended = await p.ended;
      if (ended.signal === 'SIGKILL') tally.killed++;
      else if (ended.code === 1 && ended.stderr.includes('is in use by another unroll process'))
        tally.refused++;
      else if (ended.code === 0) tally.finishedInCycle++;
      else {
        tally.otherFailures++;
        failures.push(
          `run ${r} cycle ${c}: exit ${ended.code}: ${ended.stderr.trim().split('\n').at(-1)}`,
        );
      }
    }
  }
  const last = train(['--resume', folder]);
  if (last.code !== 0)
    failures.push(`run ${r} final resume: ${last.stderr.trim().split('\n').at(-1)}`);
  if (sameBits(folder, reference)) tally.identical++;
  else failures.push(`run ${r}: differs from the uninterrupted run`);
}
const seconds = (performance.now() - started) / 1000;
rmSync(scratch, { recursive: true, force: true });

const rows: [string, string | number][] = [
  ['cycles (two resumes at once, then kill -9)', runs * cycles],
  ['processes killed by SIGKILL', tally.killed],
  ['resumes refused: folder in use', tally.refused],
  ['resumes that ran to completion', tally.finishedInCycle],
  ['other failures', tally.otherFailures],
  ['runs ended bit-identical', `${tally.identical} of ${runs}`],
  ['wall time (s)', seconds.toFixed(0)],
];
const width = Math.max(...rows.map(([k]) => k.length));
console.log(rows.map(([k, v]) => `${k.padEnd(width)}  ${v}`).join('\n'));
for (const f of failures) console.log(`  ${f}`);
const results = join(lab, 'bench', 'results');
mkdirSync(results, { recursive: true });
writeFileSync(
  join(results, 'soak.json'),
  `${JSON.stringify({ runs, cycles, ...tally, seconds, failures }, null, 2)}\n`,
);
process.exitCode = tally.identical === runs ? 0 : 1;
