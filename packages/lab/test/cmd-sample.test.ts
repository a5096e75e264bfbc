/**
 * cmd-sample.ts: `unroll sample` on a char-LM trained by the real command — the same
 * text for the same seed, greedy at temperature 0, bad primes and runs refused — and
 * `charModel`, the model read one character at a time.
 */

import { join } from 'node:path';
import { fromData } from '@unroll/tensor';
import { describe, expect, it } from 'vitest';
import { charModel } from '../src/cmd-sample.ts';
import { forwardStack, type LayerState } from '../src/fast-path.ts';
import { openRun } from '../src/saved-run.ts';
import { expectUsageError, onlyRun, runMain, tempFolder, unroll } from './helpers.ts';

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

describe('sample, bad input', () => {
  it('refuses a missing --run', async () => {
    await expectUsageError(
      ['sample'],
      'unroll sample: missing --run DIR: the run folder of a char-LM to sample from',
    );
  });

  it('refuses a folder that is not a run', async () => {
    await expectUsageError(
      ['sample', '--run', join(scratch, '..')],
      `unroll sample: invalid value '${join(scratch, '..')}' for --run: expected a run folder (with config.json)`,
    );
  });

  it('refuses a --top-k larger than the vocabulary, naming its size', async () => {
    await expectUsageError(
      ['sample', '--run', run, '--top-k', '500'],
      "unroll sample: invalid value '500' for --top-k: expected an integer in [1, ",
    );
  });
});

describe('charModel', () => {
  it('read one character at a time, gives the logits of the whole sequence read at once', () => {
    const { model, task } = openRun(run);
    const V = model.spec.inputSize;
    const ids = [...'Call me Ishmael.'].map((ch) => task.vocabulary!.id(ch));
    const oneHot = new Float64Array(ids.length * V);
    ids.forEach((id, t) => {
      oneHot[t * V + id] = 1;
    });
    const whole = forwardStack(model, oneHot, 1, ids.length, null);
    const expected = model.readout.forward(
      fromData(whole.output, [ids.length, model.spec.hiddenSize]),
    );
    const stepper = charModel(model);
    let state: LayerState[] | null = null;
    ids.forEach((id, t) => {
      const { logits, state: next } = stepper.step(id, state);
      expect(logits).toBeAllclose(expected.data.subarray(t * V, (t + 1) * V), {
        atol: 1e-12,
        rtol: 1e-12,
      });
      state = next;
    });
  });
});
