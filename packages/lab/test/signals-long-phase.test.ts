/**
 * Ctrl-C during a long synchronous phase: the gradient-flow probe before the first step
 * of a long-sequence run takes seconds, during which no JavaScript signal handler can
 * run. Pressing Ctrl-C there must end the command at once, not after the probe.
 */

import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { startUnroll, tempFolder, waitFor } from './helpers.ts';

const scratch = tempFolder();

describe('Ctrl-C during the initial gradient-flow probe', () => {
  it('ends the process at once: the probe never finishes, nothing half-written', async () => {
    const out = join(scratch, 'probe');
    // T = 10,000, H = 48: the probe's two sequences take over a second of hand-derived
    // BPTT (forward and backward, one step at a time) on any machine.
    const run = startUnroll([
      'train',
      '--seq-len',
      '10000',
      '--hidden',
      '48',
      '--batch',
      '2',
      '--eval-batch',
      '2',
      '--steps',
      '5',
      '--out',
      out,
    ]);
    await waitFor(() => run.stderr().includes('run folder:'));
    await new Promise((r) => setTimeout(r, 300));
    run.child.kill('SIGINT');
    await new Promise((r) => setTimeout(r, 100));
    if (run.child.exitCode === null && run.child.signalCode === null) run.child.kill('SIGINT');
    const started = Date.now();
    const ended = await run.done;
    const folder = join(out, readdirSync(out)[0]!);
    // Killed by the signal itself (no handler ran), before the probe could write its result.
    expect(ended.code === null || ended.code === 130).toBe(true);
    expect(existsSync(join(folder, 'diagnostics.json'))).toBe(false);
    expect(Date.now() - started).toBeLessThan(1500);
  });
});
