/**
 * Resuming is bit-exact: a run interrupted — by --stop-after-step, by SIGTERM, or by
 * kill -9 at any moment — and resumed with `unroll train --resume` writes the same
 * metrics.jsonl, line for line, as the same run left alone.
 */

import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { readCheckpoint } from '../src/checkpoint.ts';
import { readMetrics } from '../src/run-folder.ts';
import { onlyRun, startUnroll, tempFolder, unroll, waitFor } from './helpers.ts';

const scratch = tempFolder();
const metrics = (folder: string) => readFileSync(join(folder, 'metrics.jsonl'), 'utf8');

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
