/** `unroll sample` and `unroll diagnose` on a saved char-LM. */

import { cpSync, existsSync, mkdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { onlyRun, runMain, tempFolder, unroll } from './helpers.ts';

const scratch = tempFolder();
const train = unroll([
  'train',
  ...['--task', 'charlm', '--cell', 'lstm', '--hidden', '16', '--seq-len', '12', '--batch', '4'],
  ...['--steps', '8', '--out', scratch],
]);
const run = onlyRun(scratch);

describe('sample', () => {
  it('trains a char-LM to sample from', () => {
    expect(train.code).toBe(0);
  });

  it('writes the same text for the same seed, and other text for another', () => {
    const sample = (seed: string) =>
      unroll(['sample', '--run', run, '--seed', seed, '--length', '60', '--prime', 'Call me ']);
    const a = sample('7');
    const b = sample('7');
    const c = sample('8');
    expect(a.code).toBe(0);
    expect(a.stdout).toMatch(/^Call me [^\n]{60}\n$/u);
    expect(b.stdout).toBe(a.stdout);
    expect(c.stdout).not.toBe(a.stdout);
  });

  it('is greedy, whatever the seed, at temperature 0', async () => {
    const greedy = (seed: string) =>
      runMain(['sample', '--run', run, '--temperature', '0', '--seed', seed, '--length', '30']);
    const [a, b] = [await greedy('1'), await greedy('2')];
    expect(a.code).toBe(0);
    expect(a.stdout).toBe(b.stdout);
  });

  it('refuses a prime with a character the corpus never uses', async () => {
    const { code, stderr } = await runMain(['sample', '--run', run, '--prime', 'naïve ☃']);
    expect(code).toBe(2);
    expect(stderr).toMatch(
      /^unroll sample: invalid value for --prime: "[ï☃]" is not one of the \d+ characters of the corpus\n/,
    );
  });

  it('refuses a run that is not a char-LM', async () => {
    const adding = join(scratch, '..', `${run.split('/').at(-2)}-adding`);
    expect(
      unroll(['train', '--seq-len', '4', '--hidden', '3', '--steps', '2', '--out', adding]).code,
    ).toBe(0);
    const { code, stderr } = await runMain(['sample', '--run', onlyRun(adding)]);
    expect(code).toBe(2);
    expect(stderr).toContain('expected a char-LM run (--task charlm), this one is --task adding');
  });
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
      new RegExp(`^unroll diagnose: cannot write ${copy}/diagnose.html: EISDIR[^\n]*\n$`),
    );
  });
});
