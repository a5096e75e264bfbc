/**
 * train-data.ts: `unroll train --text FILE` and `--series FILE.csv` as a user runs them —
 * the record of the file, samples while training, resume without the file (bit for bit),
 * resume with another file refused, and each bad file refused before anything is written.
 */

import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { expectUsageError, onlyRun, runMain, tempFolder } from './helpers.ts';

const scratch = tempFolder();
const TEXT =
  'the quick brown fox jumps over the lazy dog; pack my box with five dozen jugs. '.repeat(30);
const textFile = join(scratch, 'fox.txt');
writeFileSync(textFile, TEXT);
const tiny = ['--hidden', '8', '--seq-len', '8', '--batch', '2', '--eval-every', '2'];

async function train(out: string, ...extra: string[]) {
  return runMain(['train', '--text', textFile, ...tiny, '--out', out, ...extra]);
}

describe('unroll train --text', () => {
  it('records the file (name, size, sha256, vocabulary), keeps its ids, and samples as it trains', async () => {
    const out = join(scratch, 'first');
    const { code, stderr } = await train(
      out,
      '--steps',
      '4',
      '--sample-every',
      '2',
      '--prime',
      'the ',
    );
    expect(code).toBe(0);
    const distinct = [...new Set(TEXT)].sort();
    expect(stderr).toContain(`fox.txt: ${TEXT.length} characters, ${distinct.length} distinct`);
    const run = onlyRun(out);
    const config = JSON.parse(readFileSync(join(run, 'config.json'), 'utf8'));
    expect(config.text).toMatchObject({
      file: 'fox.txt',
      bytes: TEXT.length,
      sha256: createHash('sha256').update(TEXT).digest('hex'),
      characters: TEXT.length,
      vocabulary: distinct,
    });
    // One byte per character: the ids, in the order of the text.
    const ids = readFileSync(join(run, 'text-ids.bin'));
    expect(Array.from(ids.subarray(0, 9), (id) => distinct[id]).join('')).toBe('the quick');
    const samples = readFileSync(join(run, 'samples.jsonl'), 'utf8')
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l));
    expect(samples.map((s) => s.step)).toEqual([2, 4]);
    expect(samples[0].text).toHaveLength(200);
    expect([...samples[0].text].every((ch: string) => distinct.includes(ch))).toBe(true);
    expect(stderr).toContain('── sample at step 2 (temperature 0.8) ──\nthe ');
    const clock = readFileSync(join(run, 'clock.jsonl'), 'utf8')
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l));
    expect(clock.map((c) => c.step)).toEqual([2, 4]);
    expect(clock[1].seconds).toBeGreaterThanOrEqual(clock[0].seconds);
  });

  it('resumes without the file, line for line as an uninterrupted run, and refuses another file', async () => {
    const whole = join(scratch, 'whole');
    const cut = join(scratch, 'cut');
    expect(
      (await train(whole, '--steps', '6', '--sample-every', '3', '--checkpoint-every', '2')).code,
    ).toBe(0);
    expect(
      (
        await train(
          cut,
          '--steps',
          '6',
          '--sample-every',
          '3',
          '--checkpoint-every',
          '2',
          '--stop-after-step',
          '4',
        )
      ).code,
    ).toBe(0);
    const run = onlyRun(cut);
    const moved = join(scratch, 'moved.txt');
    writeFileSync(moved, TEXT);
    rmSync(textFile);
    try {
      const other = join(scratch, 'other.txt');
      writeFileSync(other, `${TEXT}!`);
      const refused = await runMain(['train', '--resume', run, '--text', other]);
      expect(refused.code).toBe(1);
      expect(refused.stderr).toMatch(
        /^unroll train: cannot resume: --text other\.txt is not the file this run began with \(fox\.txt, \d+ bytes, sha256 [0-9a-f]{12}…; this one's is [0-9a-f]{12}…\): resume without --text, or start a new run\n$/,
      );
      expect((await runMain(['train', '--resume', run, '--text', moved])).code).toBe(0);
    } finally {
      writeFileSync(textFile, TEXT);
    }
    for (const file of ['metrics.jsonl', 'samples.jsonl']) {
      expect(readFileSync(join(run, file), 'utf8')).toBe(
        readFileSync(join(onlyRun(whole), file), 'utf8'),
      );
    }
    const sampled = await runMain(['sample', '--run', run, '--length', '20', '--prime', 'fox']);
    expect(sampled.code).toBe(0);
    expect(sampled.stdout).toMatch(/^fox.{20}\n$/su);
  });

  const bad: [string, Uint8Array | string, RegExp][] = [
    ['an empty file', '', /the file is empty/],
    [
      'a binary file',
      Uint8Array.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 13]),
      /not valid UTF-8|binary file/,
    ],
    [
      'Latin-1 text',
      Uint8Array.from(Buffer.from('caf\u00e9 au lait, '.repeat(50), 'latin1')),
      /byte 3 \(0xE9\) is not valid UTF-8/,
    ],
    ['one distinct character', 'z'.repeat(5000), /one distinct character \("z"\)/],
    [
      'a text shorter than a window',
      'ab ba '.repeat(5),
      /30 characters are too few for one window of --seq-len 8 in each of --batch 2 streams/,
    ],
  ];
  it.each(bad)(
    'refuses %s with one line, before making a run folder',
    async (_, contents, message) => {
      const out = join(scratch, 'refused');
      const file = join(scratch, 'bad.txt');
      writeFileSync(file, contents);
      const { code, stdout, stderr } = await runMain([
        'train',
        '--text',
        file,
        ...tiny,
        '--out',
        out,
      ]);
      expect(code).toBe(1);
      expect(stdout).toBe('');
      expect(stderr).toMatch(/^unroll train: --text bad\.txt: [^\n]+\n$/);
      expect(stderr).toMatch(message);
      expect(existsSync(out) ? readdirSync(out) : []).toEqual([]);
    },
  );

  it('refuses a missing file', async () => {
    const { code, stderr } = await runMain(['train', '--text', join(scratch, 'nope.txt'), ...tiny]);
    expect(code).toBe(1);
    expect(stderr).toMatch(/^unroll train: --text \S+nope\.txt: no such file\n$/);
  });
});

describe('the data flags on the command line', () => {
  it.each([
    [['--val-fraction', '0.2'], '--val-fraction needs --text'],
    [
      ['--text', 'a.txt', '--task', 'adding'],
      "--text is the char-LM's text: it needs --task charlm, got --task adding",
    ],
    [['--series', 'a.csv'], '--series needs --column NAME: the column of numbers to forecast'],
    [['--column', 'y'], '--column needs --series'],
    [
      ['--text', 'a.txt', '--threads', '2'],
      '--threads cannot be combined with --text or --series yet',
    ],
    [
      ['--sample-every', '5'],
      '--sample-every samples text: it needs --task charlm, got --task adding',
    ],
    [['--temperature', '1'], '--temperature needs --sample-every'],
    [
      ['--series', 'a.csv', '--column', 'y', '--window', '5', '--seq-len', '5'],
      '--window and --seq-len are the same thing',
    ],
  ])('%j is a usage error', async (flags, message) => {
    await expectUsageError(['train', ...flags], message);
  });

  it('refuses a prime with a character the text does not have', async () => {
    await expectUsageError(
      ['train', '--text', textFile, ...tiny, '--sample-every', '2', '--prime', 'Zebra'],
      'invalid value for --prime: "Z" is not one of the',
    );
  });
});

describe('a run on your own text leaves unroll', () => {
  it('for ONNX, but not as a PyTorch folder, whose train.py rebuilds only the shipped data', async () => {
    const out = join(scratch, 'exported');
    expect((await train(out, '--steps', '2')).code).toBe(0);
    const run = onlyRun(out);
    const torch = await runMain([
      'export',
      '--run',
      run,
      '--to',
      'pytorch',
      '--out',
      join(scratch, 'torch'),
    ]);
    expect(torch.code).toBe(1);
    expect(torch.stderr.trim().split('\n')).toHaveLength(1);
    expect(torch.stderr).toContain('this run trains on the text file fox.txt');
    expect(existsSync(join(scratch, 'torch'))).toBe(false);
    const onnx = await runMain([
      'export',
      '--run',
      run,
      '--to',
      'onnx',
      '--out',
      join(scratch, 'm.onnx'),
    ]);
    expect(onnx.code).toBe(0);
    expect(existsSync(join(scratch, 'm.onnx'))).toBe(true);
  });
});
