/**
 * cmd-train.ts: `unroll train` through the real command — the flags it refuses, the run
 * folder it leaves, a run that diverges (stopped at the first non-finite loss, the last
 * good state saved, exit 1), and resumption: a run interrupted by --stop-after-step,
 * SIGTERM or kill -9 and resumed with --resume writes the same metrics.jsonl, line for
 * line, as the same run left alone.
 */

import { cpSync, existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { encodeCheckpoint, readCheckpoint } from '../src/checkpoint.ts';
import { readMetrics } from '../src/run-folder.ts';
import {
  expectUsageError,
  makeRun,
  onlyRun,
  startUnroll,
  tempFolder,
  unroll,
  waitFor,
} from './helpers.ts';

const scratch = tempFolder();
const metrics = (folder: string) => readFileSync(join(folder, 'metrics.jsonl'), 'utf8');

describe('flags that do not fit together, and folders that cannot be written', () => {
  const file = join(scratch, 'a-file');
  writeFileSync(file, 'not a folder');
  const cases: [string[], string][] = [
    [
      ['train', '--tbptt', '20,10'],
      'unroll train: --tbptt 20,10: expected K1 ≤ K2 (update every K1 steps, backpropagate through K2)',
    ],
    [
      ['train', '--task', 'order', '--seq-len', '5'],
      'unroll train: --seq-len 5 is too short for --task order: expected an integer ≥ 10',
    ],
    [
      ['train', '--cell', 'gru', '--forget-bias', '1'],
      'unroll train: --forget-bias applies to --cell lstm only, got --cell gru',
    ],
    [
      ['train', '--out', join(file, 'runs')],
      `unroll train: cannot write to --out '${join(file, 'runs')}' (ENOTDIR): expected a writable folder`,
    ],
    [
      ['train', '--resume', scratch, '--hidden', '8'],
      "unroll train: --hidden cannot be combined with --resume: the run's config.json decides it",
    ],
    [
      ['train', '--resume', join(scratch, 'nothing')],
      `unroll train: invalid value '${join(scratch, 'nothing')}' for --resume: expected a run folder, found none`,
    ],
  ];
  it.each(cases)('%j', async (argv, message) => {
    await expectUsageError(argv, message);
  });

  it('refuses an --out under /proc at once (where a recursive mkdir would spin forever)', () => {
    const { code, stderr } = unroll(['train', '--out', '/proc/unroll-runs', '--steps', '1']);
    expect(code).toBe(2);
    expect(stderr.split('\n')[0]).toBe(
      "unroll train: cannot write to --out '/proc/unroll-runs' (ENOENT): expected a writable folder",
    );
  });
});

describe('a short run', () => {
  const out = join(scratch, 'short');
  const args = ['train', '--task', 'adding', '--cell', 'lstm', '--seq-len', '8', '--hidden', '6'];
  const result = unroll([
    ...args,
    '--steps',
    '12',
    '--eval-every',
    '4',
    '--checkpoint-every',
    '5',
    '--out',
    out,
  ]);
  const folder = onlyRun(out);

  it('exits 0 and prints the result and the report path', () => {
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(
      /^lstm-adding-T8: step 12\/12, held-out loss [\d.]+ \(baseline 0\.167\), not solved, [\d.]+ s\n/,
    );
    expect(result.stdout).toContain(`report: ${join(folder, 'report.html')}\n`);
  });

  it('names the folder <date-time>-<name>', () => {
    expect(folder).toMatch(/\/\d{4}-\d\d-\d\d_\d\d-\d\d-\d\d-lstm-adding-T8$/);
  });

  it('writes the config it ran with', () => {
    const config = JSON.parse(readFileSync(join(folder, 'config.json'), 'utf8'));
    expect(config).toMatchObject({
      task: 'adding',
      cell: 'lstm',
      seqLen: 8,
      hidden: 6,
      steps: 12,
      optimizer: 'adam',
    });
  });

  it('writes one metrics line per step, with an evaluation every 4 steps', () => {
    const lines = readMetrics(join(folder, 'metrics.jsonl'));
    expect(lines.map((l) => l.step)).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12]);
    expect(lines.filter((l) => l.eval).map((l) => l.step)).toEqual([4, 8, 12]);
    for (const l of lines) {
      expect(Number.isFinite(l.loss) && l.loss > 0).toBe(true);
      expect(l.gradNorm).toBeGreaterThan(0);
      expect(l.lr).toBe(0.01);
    }
  });

  it('leaves the files of a run folder, and no temporary file', () => {
    expect(readdirSync(folder).sort()).toEqual([
      'checkpoint.safetensors',
      'config.json',
      'diagnostics.json',
      'metrics.jsonl',
      'report.html',
      'summary.json',
    ]);
  });

  it('leaves a checkpoint of the last step with PyTorch names', () => {
    const { state, config } = readCheckpoint(join(folder, 'checkpoint.safetensors'));
    expect(state.step).toBe(12);
    expect(config.cell).toBe('lstm');
    expect(Object.keys(state.parameters)).toEqual([
      'weight_ih_l0',
      'weight_hh_l0',
      'bias_ih_l0',
      'bias_hh_l0',
      'readout.weight',
      'readout.bias',
    ]);
    expect(state.parameters.weight_hh_l0!.shape).toEqual([24, 6]);
  });
});

describe('a run whose loss overflows', () => {
  const out = join(scratch, 'diverge');
  const args = ['train', '--cell', 'rnn', '--seq-len', '10', '--hidden', '8', '--optimizer', 'sgd'];
  const result = unroll([
    ...args,
    '--lr',
    '50',
    '--clip',
    '0',
    '--steps',
    '200',
    '--anomaly',
    '--out',
    out,
  ]);
  const folder = onlyRun(out);

  it('stops at the first non-finite value, names the op, and exits 1', () => {
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(
      /unroll train: step (\d+): anomaly in the forward pass: '\w+' produced (Infinity|-Infinity|NaN) at \[[\d, ]+\] of its output of shape \[[\d, ]+\]/,
    );
  });

  it('saves the last good state, the step before', () => {
    const failed = Number(/step (\d+): anomaly/.exec(result.stderr)![1]);
    expect(result.stderr).toContain(
      `the last good state (step ${failed - 1}) is in ${join(folder, 'checkpoint.safetensors')}`,
    );
    const { state } = readCheckpoint(join(folder, 'checkpoint.safetensors'));
    expect(state.step).toBe(failed - 1);
    for (const { data } of Object.values(state.parameters))
      expect(data.every(Number.isFinite)).toBe(true);
    expect(readMetrics(join(folder, 'metrics.jsonl')).at(-1)!.step).toBe(failed - 1);
    expect(existsSync(join(folder, 'report.html'))).toBe(true);
  });
});

describe('a run whose recurrent weight became infinite, with --anomaly', () => {
  it('names the op, the timestep and the layer where the NaN was born', () => {
    const out = join(scratch, 'infinite-weight');
    const args = ['train', '--cell', 'gru', '--seq-len', '6', '--hidden', '4', '--steps', '5'];
    expect(unroll([...args, '--anomaly', '--stop-after-step', '2', '--out', out]).code).toBe(0);
    const folder = onlyRun(out);
    const path = join(folder, 'checkpoint.safetensors');
    const { config, state } = readCheckpoint(path);
    state.parameters.weight_hh_l0!.data[0] = Number.POSITIVE_INFINITY; // row 0: the reset gate r
    writeFileSync(path, encodeCheckpoint(config, state));
    const { code, stderr } = unroll(['train', '--resume', folder]);
    expect(code).toBe(1);
    // h_0 = 0, and ∞ · 0 is NaN: the first recurrent product of step 1 makes it.
    expect(stderr).toMatch(
      /unroll train: step 3: anomaly in the forward pass: '\w+' produced NaN at \[0, 0\] of its output of shape \[32, 12\] at timestep 1, layer 0; its input 1 \(shape \[12, 4\], a leaf\) already held Infinity at \[0, 0\]\n/,
    );
    expect(stderr).toContain(`the last good state (step 2) is in ${path}`);
  });
});

describe('a char-LM with everything that has state (2 layers, truncated BPTT, cosine schedule, RMSprop)', () => {
  const args = [
    'train',
    ...['--task', 'charlm', '--cell', 'gru', '--layers', '2', '--hidden', '12', '--seq-len', '16'],
    ...[
      '--batch',
      '4',
      '--steps',
      '24',
      '--tbptt',
      '5,8',
      '--schedule',
      'cosine',
      '--optimizer',
      'rmsprop',
    ],
    ...['--checkpoint-every', '4', '--eval-every', '6', '--seed', '3'],
  ];

  it('resumed twice, writes the same lines as uninterrupted', () => {
    const whole = unroll([...args, '--out', join(scratch, 'lm-whole')]);
    expect(whole.code).toBe(0);
    const reference = metrics(onlyRun(join(scratch, 'lm-whole')));
    expect(reference.split('\n')).toHaveLength(25);

    const first = unroll([...args, '--out', join(scratch, 'lm-parts'), '--stop-after-step', '10']);
    const folder = onlyRun(join(scratch, 'lm-parts'));
    expect(first.code).toBe(0);
    expect(first.stdout).toContain(
      `stopped by --stop-after-step after step 10; checkpoint saved. Resume with: unroll train --resume ${folder}\n`,
    );
    expect(readCheckpoint(join(folder, 'checkpoint.safetensors')).state.step).toBe(10);
    expect(unroll(['train', '--resume', folder, '--stop-after-step', '17']).code).toBe(0);
    const last = unroll(['train', '--resume', folder]);
    expect(last.code).toBe(0);
    expect(last.stderr).toContain('resuming gru-charlm-T16-2x12 from step 17');
    expect(metrics(folder)).toBe(reference);
  });
});

describe('an adding-problem run stopped from outside', () => {
  const model = [
    'train',
    ...[
      '--cell',
      'lstm',
      '--seq-len',
      '20',
      '--hidden',
      '8',
      '--steps',
      '600',
      '--eval-every',
      '50',
    ],
  ];
  // How often checkpoints are written changes no number of the run: one reference serves.
  const args = [...model, '--checkpoint-every', '50'];
  const reference = (() => {
    const result = unroll([...args, '--out', join(scratch, 'adding-whole')]);
    if (result.code !== 0) throw new Error(result.stderr);
    return metrics(onlyRun(join(scratch, 'adding-whole')));
  })();

  it('by SIGTERM: saves a checkpoint, says how to resume, exits 143; the resumed run matches', async () => {
    const out = join(scratch, 'adding-term');
    const run = startUnroll([...args, '--out', out]);
    await waitFor(() => /\b60\/600\b/.test(run.stderr()));
    run.child.kill('SIGTERM');
    const stopped = await run.done;
    const folder = onlyRun(out);
    expect(stopped.code).toBe(143);
    expect(stopped.stderr).toContain('SIGTERM: stopping after the current step');
    const step = Number(/stopped by SIGTERM after step (\d+)/.exec(stopped.stdout)?.[1]);
    expect(step).toBeGreaterThanOrEqual(60);
    expect(step).toBeLessThan(600);
    expect(stopped.stdout).toContain(
      `checkpoint saved. Resume with: unroll train --resume ${folder}\n`,
    );
    expect(readCheckpoint(join(folder, 'checkpoint.safetensors')).state.step).toBe(step);
    const resumed = unroll(['train', '--resume', folder]);
    expect(resumed.code).toBe(0);
    expect(metrics(folder)).toBe(reference);
  });

  it('by kill -9: the last checkpoint loads, and the resumed run matches', async () => {
    const out = join(scratch, 'adding-kill');
    const run = startUnroll([...args, '--out', out]);
    await waitFor(() => /\b180\/600\b/.test(run.stderr()));
    run.child.kill('SIGKILL');
    const killed = await run.done;
    expect(killed.code).toBe(null);
    const folder = onlyRun(out);
    expect(existsSync(join(folder, 'checkpoint.safetensors'))).toBe(true);
    const { state } = readCheckpoint(join(folder, 'checkpoint.safetensors'));
    expect(state.step % 50).toBe(0);
    expect(readMetrics(join(folder, 'metrics.jsonl')).at(-1)!.step).toBeGreaterThanOrEqual(
      state.step,
    );
    const resumed = unroll(['train', '--resume', folder]);
    expect(resumed.code).toBe(0);
    expect(resumed.stderr).toContain(`from step ${state.step}`);
    expect(metrics(folder)).toBe(reference);
  });

  it('by kill -9 before its first checkpoint: the resumed run begins again and matches', async () => {
    const out = join(scratch, 'adding-early-kill');
    const run = startUnroll([...model, '--checkpoint-every', '500', '--out', out]);
    await waitFor(() => /\b60\/600\b/.test(run.stderr()));
    run.child.kill('SIGKILL');
    await run.done;
    const folder = onlyRun(out);
    expect(existsSync(join(folder, 'checkpoint.safetensors'))).toBe(false);
    expect(readMetrics(join(folder, 'metrics.jsonl')).length).toBeGreaterThanOrEqual(60);
    const resumed = unroll(['train', '--resume', folder]);
    expect(resumed.code).toBe(0);
    expect(resumed.stderr).toContain('from step 0');
    expect(metrics(folder)).toBe(reference);
  });
});

describe('a resume from a damaged checkpoint, through the real command', () => {
  it('is refused with the reason, exit 1, every file as it was', async () => {
    const { folder: original } = await makeRun(
      join(scratch, 'to-damage'),
      { seqLen: 6, hidden: 5, steps: 10, checkpointEvery: 3 },
      { stopAfterStep: 7 },
    );
    const folder = `${original}-flipped`;
    cpSync(original, folder, { recursive: true });
    const path = join(folder, 'checkpoint.safetensors');
    const bytes = readFileSync(path);
    bytes[bytes.length - 20]! ^= 0x10; // one bit of the tensor data
    writeFileSync(path, bytes);
    const files = () =>
      Object.fromEntries(readdirSync(folder).map((f) => [f, readFileSync(join(folder, f))]));
    const before = files();
    const { code, stderr } = unroll(['train', '--resume', folder]);
    expect(code).toBe(1);
    expect(stderr).toBe(
      `unroll train: cannot resume from ${folder}: ${path} is not a usable checkpoint: its contents do not match the sha256 written with them (the file is damaged)\n`,
    );
    expect(files()).toEqual(before);
  });
});
