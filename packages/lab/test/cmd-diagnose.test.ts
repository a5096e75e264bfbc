/**
 * cmd-diagnose.ts: `unroll diagnose` on a saved char-LM — ‖∂L/∂h_t‖ at a dozen timesteps,
 * the verdict, the spectra, diagnose.html — and `sampleSteps`, the timesteps it shows.
 */

import { cpSync, existsSync, mkdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { sampleSteps } from '../src/cmd-diagnose.ts';
import { makeRun, runMain, tempFolder } from './helpers.ts';

const scratch = tempFolder();
let run: string;

beforeAll(async () => {
  const charLM = { task: 'charlm', cell: 'lstm', hidden: 16, seqLen: 12, batch: 4 } as const;
  run = (await makeRun(scratch, { ...charLM, steps: 8 })).folder;
});

describe('diagnose', () => {
  it('prints ‖∂L/∂h_t‖ at a dozen steps, the verdict and the spectra, and writes diagnose.html', async () => {
    const { code, stdout } = await runMain(['diagnose', '--run', run, '--batch', '8']);
    expect(code).toBe(0);
    expect(stdout).toMatch(
      /^lstm-charlm-T12 at step 8: 8 fresh sequences \(seed 1\), loss [\d.]+\n/,
    );
    expect(stdout).toMatch(/^ 1 {2}\d\.\d\de[-+]\d+/m);
    expect(stdout).toMatch(/^12 +\d\.\d\de[-+]\d+ +1\.00e\+0$/m);
    expect(stdout).toMatch(/^verdict: (vanishing|healthy|exploding) — ‖∂L\/∂h₁‖ \/ ‖∂L\/∂h_T‖ = /m);
    for (const gate of ['i', 'f', 'g', 'o'])
      expect(stdout).toMatch(new RegExp(`^weight_hh_l0  ${gate} `, 'm'));
    expect(existsSync(join(run, 'diagnose.html'))).toBe(true);
  });

  it('prints the table, then one line saying why diagnose.html could not be written, exit 1', async () => {
    const copy = `${run}-unwritable`;
    cpSync(run, copy, { recursive: true });
    rmSync(join(copy, 'diagnose.html'), { force: true });
    mkdirSync(join(copy, 'diagnose.html')); // a folder in the file's place
    const { code, stdout, stderr } = await runMain(['diagnose', '--run', copy, '--batch', '4']);
    expect(code).toBe(1);
    expect(stdout).toMatch(/^verdict: /m);
    expect(stdout).not.toContain('report:');
    expect(stderr).toMatch(
      new RegExp(
        `^unroll diagnose: cannot write ${copy}/diagnose.html: it is a folder \\(EISDIR\\); check the path\n$`,
      ),
    );
  });
});

describe('sampleSteps', () => {
  it('takes both ends and about a dozen steps between, in order, each once', () => {
    expect(sampleSteps(12)).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12]);
    expect(sampleSteps(3)).toEqual([1, 2, 3]);
    const steps = sampleSteps(100);
    expect(steps).toHaveLength(12);
    expect([steps[0], steps[11]]).toEqual([1, 100]);
    expect(steps.every((t, i) => i === 0 || t > steps[i - 1]!)).toBe(true);
  });
});
