/**
 * A checkpoint that cannot be trusted is refused with the reason, and a refused resume
 * changes nothing in the run folder.
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
import { encodeCheckpoint, readCheckpoint } from '../src/checkpoint.ts';
import { onlyRun, runMain, tempFolder, unroll } from './helpers.ts';

const scratch = tempFolder();
const args = [
  'train',
  '--seq-len',
  '6',
  '--hidden',
  '5',
  '--steps',
  '10',
  '--checkpoint-every',
  '3',
];
let lstmRun: string;
let gruRun: string;

beforeAll(() => {
  // Stopped at step 7 (checkpoint at 7), so a resume would have work to do.
  expect(unroll([...args, '--out', join(scratch, 'lstm'), '--stop-after-step', '7']).code).toBe(0);
  expect(
    unroll([...args, '--cell', 'gru', '--out', join(scratch, 'gru'), '--stop-after-step', '4'])
      .code,
  ).toBe(0);
  lstmRun = onlyRun(join(scratch, 'lstm'));
  gruRun = onlyRun(join(scratch, 'gru'));
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

describe('resume refuses', () => {
  it('a checkpoint with a flipped bit in its tensor data (through the real command)', () => {
    const copy = damagedCopy('flipped', (path) => {
      const bytes = readFileSync(path);
      bytes[bytes.length - 20]! ^= 0x10;
      writeFileSync(path, bytes);
    });
    const { code, stderr } = unroll(['train', '--resume', copy.folder]);
    expect(code).toBe(1);
    expect(stderr).toBe(
      `unroll train: cannot resume from ${copy.folder}: ${join(copy.folder, 'checkpoint.safetensors')} is not a usable checkpoint: its contents do not match the sha256 written with them (the file is damaged)\n`,
    );
    expect(copy.files()).toEqual(copy.before);
  });

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
      'checkpoint.safetensors is missing, but metrics.jsonl reaches step 7 and a checkpoint is written every 3 steps',
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
