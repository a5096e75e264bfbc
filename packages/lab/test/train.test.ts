/**
 * `unroll train` through the real command: the run folder it leaves, and a run that
 * diverges (stopped at the first non-finite loss, the last good state saved, exit 1).
 */

import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { encodeCheckpoint, readCheckpoint } from '../src/checkpoint.ts';
import { readMetrics } from '../src/run-folder.ts';
import { onlyRun, tempFolder, unroll } from './helpers.ts';

const scratch = tempFolder();

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

  it('writes a self-contained report with the plots', () => {
    const html = readFileSync(join(folder, 'report.html'), 'utf8');
    expect(html.startsWith('<!DOCTYPE html>')).toBe(true);
    expect(html.match(/<svg /g)?.length).toBe(3); // loss, gradient norm, gradient flow
    expect(html).toContain('always 1 (1/6) 0.1667'); // the baseline in the loss chart's legend
    expect(html).toContain('at initialisation');
    expect(html).toContain('after 12 steps');
    expect(html).not.toMatch(/<script|<link|src="http|href="http/);
  });

  it('writes the gradient flow at initialisation and at the end', () => {
    const d = JSON.parse(readFileSync(join(folder, 'diagnostics.json'), 'utf8'));
    expect(d.init.step).toBe(0);
    expect(d.final.step).toBe(12);
    expect(d.init.norms[0]).toHaveLength(8);
    expect(['vanishing', 'healthy', 'exploding']).toContain(d.final.verdict.verdict);
  });

  it('rebuilds the same report with unroll report', () => {
    const before = readFileSync(join(folder, 'report.html'), 'utf8');
    const { code, stdout } = unroll(['report', '--run', folder]);
    expect(code).toBe(0);
    expect(stdout).toBe(`report: ${join(folder, 'report.html')}\n`);
    expect(readFileSync(join(folder, 'report.html'), 'utf8')).toBe(before);
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
