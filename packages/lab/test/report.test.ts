/**
 * report.ts: a run's report.html, built from the files of its folder alone — one
 * self-contained page with the loss against the baseline, the gradient norm, the
 * gradient flow at initialisation and at the end, the spectra and the config.
 */

import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import type { FlowSnapshot } from '../src/gradient-flow.ts';
import { lossSeries, runReport, spectraRows, verdictCell } from '../src/report.ts';
import type { MetricsLine } from '../src/run-folder.ts';
import { makeRun, tempFolder } from './helpers.ts';

const scratch = tempFolder();
const short = { cell: 'lstm', seqLen: 8, hidden: 6, steps: 12, evalEvery: 4 } as const;
let finished: string;

beforeAll(async () => {
  finished = (await makeRun(join(scratch, 'finished'), { ...short, checkpointEvery: 5 })).folder;
});

describe('runReport', () => {
  it('writes a self-contained report with the plots', () => {
    const html = readFileSync(join(finished, 'report.html'), 'utf8');
    expect(html.startsWith('<!DOCTYPE html>')).toBe(true);
    expect(html.match(/<svg /g)?.length).toBe(3); // loss, gradient norm, gradient flow
    expect(html).toContain('always 1 (1/6) 0.1667'); // the baseline in the loss chart's legend
    expect(html).toContain('at initialisation');
    expect(html).toContain('after 12 steps');
    expect(html).not.toMatch(/<script|<link|src="http|href="http/);
  });

  it('depends on the files only: built again, it is the same page', () => {
    expect(runReport(finished)).toBe(readFileSync(join(finished, 'report.html'), 'utf8'));
  });

  it('says when a run stopped early, and then has no flow after training', async () => {
    const { folder } = await makeRun(join(scratch, 'stopped'), short, { stopAfterStep: 5 });
    const html = runReport(folder);
    expect(html).toContain('The run stopped: stopped by --stop-after-step after step 5');
    expect(html.match(/<svg /g)?.length).toBe(3);
    expect(html).not.toContain('after 5 steps'); // the final probe runs at the end only
  });
});

describe('lossSeries', () => {
  const lines = (n: number): MetricsLine[] =>
    Array.from({ length: n }, (_, i) => ({
      step: i + 1,
      loss: i + 1,
      gradNorm: 1,
      lr: 0.1,
      ...((i + 1) % 100 === 0 ? { eval: { loss: 1 / (i + 1), solved: false, extra: {} } } : {}),
    }));

  it('keeps every step of a short run, and the held-out loss at each evaluation', () => {
    const [training, heldOut] = lossSeries(lines(200));
    expect(training!.x).toEqual(lines(200).map((l) => l.step));
    expect(heldOut).toEqual({ name: 'held-out', x: [100, 200], y: [1 / 100, 1 / 200] });
  });

  it('averages a long run in groups, to at most 250 points, each at its last step', () => {
    const [training] = lossSeries(lines(1000)); // groups of 4: steps 1–4, 5–8, …
    const { x, y } = training!;
    expect(x).toHaveLength(250);
    expect([x![0], x![1], x![249]]).toEqual([4, 8, 1000]);
    expect([y[0], y[1], y[249]]).toEqual([2.5, 6.5, 998.5]);
  });
});

describe('spectraRows and verdictCell', () => {
  const snapshot = (radius: number): FlowSnapshot => ({
    step: 0,
    loss: 1,
    norms: [[1, 2]],
    verdict: null,
    note: 'too short to judge',
    spectra: [
      {
        name: 'weight_hh_l0',
        gates: [
          { gate: 'r', spectralRadius: radius, largestSingularValue: 2 * radius },
          { gate: 'z', spectralRadius: radius / 2, largestSingularValue: radius },
        ],
      },
    ] as FlowSnapshot['spectra'],
  });

  it('gives one row per gate, with ρ and σ₁ of each snapshot, and — for a missing one', () => {
    expect(spectraRows([snapshot(0.5), null])).toEqual([
      ['weight_hh_l0', 'r', 0.5, 1, '—', '—'],
      ['weight_hh_l0', 'z', 0.25, 0.5, '—', '—'],
    ]);
    expect(spectraRows([null, null])).toEqual([]);
  });

  it('shows the note of a snapshot without a verdict', () => {
    expect(verdictCell(snapshot(1))).toBe('too short to judge');
    expect(verdictCell(null)).toBe('—');
  });
});
