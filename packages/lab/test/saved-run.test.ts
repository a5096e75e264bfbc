/**
 * saved-run.ts: a saved run opened again. `openRun` gives the model its checkpoint's
 * weights; `runFolderFlag` refuses what is not a run folder; and `openForResume` refuses,
 * with the reason and without changing any file, a checkpoint that cannot be trusted —
 * seen here as `unroll train --resume` shows it.
 */

import {
  cpSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  rmSync,
  truncateSync,
  writeFileSync,
} from 'node:fs';
import { join } from 'node:path';
import { saveSafetensors } from '@unroll/cells';
import { beforeAll, describe, expect, it } from 'vitest';
import { UsageError } from '../src/args.ts';
import { encodeCheckpoint, readCheckpoint } from '../src/checkpoint.ts';
import { openRun, runFolderFlag } from '../src/saved-run.ts';
import { makeRun, runMain, tempFolder } from './helpers.ts';

const scratch = tempFolder();
const config = { seqLen: 6, hidden: 5, steps: 10, checkpointEvery: 3 };
let lstmRun: string;
let gruRun: string;

beforeAll(async () => {
  // Stopped at step 7 (checkpoint at 7), so a resume would have work to do.
  lstmRun = (await makeRun(join(scratch, 'lstm'), config, { stopAfterStep: 7 })).folder;
  gruRun = (await makeRun(join(scratch, 'gru'), { ...config, cell: 'gru' }, { stopAfterStep: 4 }))
    .folder;
});

describe('runFolderFlag', () => {
  const usage = 'unroll sample --run DIR';
  const refusal = (value: string | undefined) => {
    try {
      runFolderFlag(value, usage, 'to sample from');
    } catch (error) {
      expect(error).toBeInstanceOf(UsageError);
      expect((error as UsageError).usage).toBe(usage);
      return (error as Error).message;
    }
    throw new Error('expected a UsageError');
  };

  it('accepts a folder with a config.json, and refuses a missing flag, a folder without one, a file', () => {
    expect(runFolderFlag(lstmRun, usage, 'to sample from')).toBe(lstmRun);
    expect(refusal(undefined)).toBe('missing --run DIR: the run folder to sample from');
    expect(refusal(scratch)).toBe(
      `invalid value '${scratch}' for --run: expected a run folder (with config.json)`,
    );
    const file = join(lstmRun, 'config.json');
    expect(refusal(file)).toBe(
      `invalid value '${file}' for --run: expected a run folder (with config.json)`,
    );
  });
});

describe('openRun', () => {
  it("gives a trainer the checkpoint's weights and step", () => {
    const trainer = openRun(lstmRun);
    const { state } = readCheckpoint(join(lstmRun, 'checkpoint.safetensors'));
    expect(trainer.step).toBe(7);
    for (const [name, p] of trainer.model.namedParameters()) {
      expect(Array.from(p.data), name).toEqual(Array.from(state.parameters[name]!.data));
    }
  });
});

/** A copy of the LSTM run, damaged by `damage`, with every file's bytes before resuming. */
function damagedCopy(name: string, damage: (checkpoint: string) => void) {
  const folder = join(scratch, name);
  cpSync(lstmRun, folder, { recursive: true });
  damage(join(folder, 'checkpoint.safetensors'));
  const files = () =>
    Object.fromEntries(readdirSync(folder).map((f) => [f, readFileSync(join(folder, f))]));
  return { folder, before: files(), files };
}

/** Replaces the one occurrence of `from` in the file by `to`, of the same length. */
function replaceBytes(path: string, from: string, to: string) {
  const text = readFileSync(path).toString('latin1');
  expect(text.split(from)).toHaveLength(2);
  expect(to.length).toBe(from.length);
  writeFileSync(path, Buffer.from(text.replace(from, to), 'latin1'));
}

async function expectRefused(name: string, damage: (checkpoint: string) => void, reason: string) {
  const copy = damagedCopy(name, damage);
  const { code, stdout, stderr } = await runMain(['train', '--resume', copy.folder]);
  expect(code).toBe(1);
  expect(stdout).toBe('');
  expect(stderr).toContain(`unroll train: cannot resume from ${copy.folder}: `);
  expect(stderr).toContain(reason);
  expect(copy.files()).toEqual(copy.before);
}

describe('openForResume refuses, as `unroll train --resume` shows it,', () => {
  it('a checkpoint whose step count was changed in its metadata', async () => {
    await expectRefused(
      'step-changed',
      // The run's own step, at the start of unroll.state (an escaped JSON string in the header).
      (path) =>
        replaceBytes(path, '{\\"step\\":7,\\"parameterNames', '{\\"step\\":5,\\"parameterNames'),
      'its contents do not match the sha256 written with them (the file is damaged)',
    );
  });

  it('a checkpoint in another format version', async () => {
    await expectRefused(
      'old-format',
      (path) => replaceBytes(path, '"checkpoint-v2"', '"checkpoint-v1"'),
      "it is in the format 'checkpoint-v1'; this version of unroll reads 'checkpoint-v2'",
    );
  });

  it('a truncated checkpoint', async () => {
    await expectRefused('truncated', (path) => truncateSync(path, 300), 'truncated or damaged');
  });

  it('an empty checkpoint', async () => {
    await expectRefused('empty', (path) => truncateSync(path, 0), 'the file has 0 bytes');
  });

  it('a checkpoint that is missing although one was due', async () => {
    await expectRefused(
      'missing',
      (path) => rmSync(path),
      'checkpoint.safetensors is missing, but metrics.jsonl reaches step 7 and the first checkpoint is written at step 3; to train again from step 0, add --restart',
    );
  });

  it("another run's checkpoint", async () => {
    await expectRefused(
      'swapped',
      (path) => cpSync(join(gruRun, 'checkpoint.safetensors'), path),
      'checkpoint.safetensors belongs to another run: config.json and the checkpoint differ in cell "lstm" ≠ "gru", name "lstm-adding-T6" ≠ "gru-adding-T6"',
    );
  });

  it('a checkpoint whose tensors have the wrong sizes for its model', async () => {
    await expectRefused(
      'resized',
      (path) => {
        const { config, state } = readCheckpoint(path);
        state.parameters.weight_hh_l0 = { shape: [20, 4], data: new Float64Array(80) };
        state.optimizer.state = {}; // its buffers would not fit either
        writeFileSync(path, encodeCheckpoint(config, state));
      },
      "refused, nothing was changed — shape mismatches: 'weight_hh_l0': the dict has [20, 4] (80 values), the module [20, 5]",
    );
  });

  it('a plain weights file', async () => {
    await expectRefused(
      'plain',
      (path) => writeFileSync(path, saveSafetensors({ weight_hh_l0: { shape: [1], data: [0] } })),
      'its metadata has no unroll.format (a plain weights file?)',
    );
  });

  it('an experiment folder, pointing at its runs instead', async () => {
    const folder = join(scratch, 'experiment');
    mkdirSync(folder);
    writeFileSync(join(folder, 'experiment.json'), '{}');
    const { code, stderr } = await runMain(['train', '--resume', folder]);
    expect(code).toBe(1);
    expect(stderr).toContain(
      `${folder} is an experiment: resume its runs one at a time (unroll train --resume ${join(folder, '<run>')})`,
    );
  });

  it('a damaged config.json, naming it', async () => {
    const copy = damagedCopy('bad-config', () => {});
    writeFileSync(join(copy.folder, 'config.json'), '{"task":');
    const before = copy.files();
    const { code, stderr } = await runMain(['train', '--resume', copy.folder]);
    expect(code).toBe(1);
    expect(stderr).toBe(
      `unroll train: cannot resume from ${copy.folder}: ${join(copy.folder, 'config.json')} is not valid JSON (Unexpected end of JSON input)\n`,
    );
    expect(copy.files()).toEqual(before);
  });

  it('a run whose metrics stop before its checkpoint', async () => {
    const copy = damagedCopy('short-metrics', () => {});
    writeFileSync(
      join(copy.folder, 'metrics.jsonl'),
      readFileSync(join(copy.folder, 'metrics.jsonl'), 'utf8').split('\n').slice(0, 5).join('\n'),
    );
    const before = copy.files();
    const { code, stderr } = await runMain(['train', '--resume', copy.folder]);
    expect(code).toBe(1);
    expect(stderr).toContain("metrics.jsonl ends at step 5, before the checkpoint's step 7");
    expect(copy.files()).toEqual(before);
  });
});
