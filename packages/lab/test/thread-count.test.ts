/**
 * thread-count.ts: `unroll train` without --threads splits each batch across what the
 * machine has (UNROLL_THREADS stands in for the machine here), at most the batch size,
 * and 1 where threads are not supported; the run records N, and a resume uses it on any
 * machine — bit-exactly — and refuses a different explicit --threads.
 *
 * The lab's tests run with UNROLL_THREADS=1 (vitest.config.ts); these set it themselves.
 */

import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { defaultConfig, type TrainConfig } from '../src/config.ts';
import { FILES } from '../src/run-folder.ts';
import { machineThreads, threadsForNewRun, threadsForResume } from '../src/thread-count.ts';
import { expectUsageError, onlyRun, runMain, tempFolder } from './helpers.ts';

const scratch = tempFolder();
const inTests = process.env.UNROLL_THREADS;
afterEach(() => {
  process.env.UNROLL_THREADS = inTests;
});

const config = (c: Partial<TrainConfig>): TrainConfig => ({ ...defaultConfig('adding'), ...c });
const recorded = (folder: string) =>
  (JSON.parse(readFileSync(join(folder, FILES.config), 'utf8')) as TrainConfig).threads;

describe('the default thread count', () => {
  it("is the machine's parallelism, or UNROLL_THREADS; a malformed value names the variable", () => {
    expect(machineThreads({}, 6)).toBe(6);
    expect(machineThreads({ UNROLL_THREADS: '' }, 6)).toBe(6);
    expect(machineThreads({}, 200)).toBe(63); // the engine's limit
    expect(machineThreads({ UNROLL_THREADS: '3' }, 6)).toBe(3);
    for (const bad of ['0', '64', '2.5', 'two', '-1', ' 2']) {
      expect(() => machineThreads({ UNROLL_THREADS: bad }, 6)).toThrow(
        `UNROLL_THREADS must be an integer from 1 to 63, got ${JSON.stringify(bad)}`,
      );
    }
  });

  it('is at most the batch size, and 1 with --anomaly, --text or --series; --threads decides when given', () => {
    const machine = (n: number) => () => n;
    expect(threadsForNewRun(config({ batch: 32 }), undefined, machine(2))).toBe(2);
    expect(threadsForNewRun(config({ batch: 3 }), undefined, machine(8))).toBe(3);
    expect(threadsForNewRun(config({ batch: 32, anomaly: true }), undefined, machine(8))).toBe(1);
    // Only whether a file is attached matters here, not what it holds.
    const withText = config({ task: 'charlm', text: {} as TrainConfig['text'] });
    expect(threadsForNewRun(withText, undefined, machine(8))).toBe(1);
    const withSeries = config({ task: 'forecast', series: {} as TrainConfig['series'] });
    expect(threadsForNewRun(withSeries, undefined, machine(8))).toBe(1);
    expect(threadsForNewRun(config({ batch: 32 }), 1, machine(8))).toBe(1);
    expect(threadsForNewRun(config({ batch: 4 }), 9, machine(8))).toBe(4);
  });

  it('on resume is the recorded N; a different --threads is refused; a run recorded without N takes --threads or 1', () => {
    const two = config({ batch: 8, threads: 2 });
    expect(threadsForResume(two, undefined)).toEqual({ threads: 2 });
    expect(threadsForResume(two, 2)).toEqual({ threads: 2 });
    expect(threadsForResume(config({ batch: 2, threads: 2 }), 5)).toEqual({ threads: 2 }); // 5 → 2 rows
    expect(threadsForResume(two, 1)).toEqual({
      problem: expect.stringContaining(
        'this run trains on 2 threads (recorded in its config.json)',
      ),
    });
    expect(threadsForResume(config({ batch: 8 }), undefined)).toEqual({ threads: 1 });
    expect(threadsForResume(config({ batch: 8 }), 3)).toEqual({ threads: 3 });
  });
});

describe('unroll train without --threads', () => {
  const tiny = ['--hidden', '5', '--seq-len', '6', '--batch', '4', '--eval-every', '2'];
  const train = (out: string, ...extra: string[]) =>
    runMain(['train', ...tiny, '--steps', '4', '--checkpoint-every', '2', '--out', out, ...extra]);

  it('records the N it chose, and resumes with it bit-exactly on a machine with another count', async () => {
    process.env.UNROLL_THREADS = '2';
    const cut = join(scratch, 'cut');
    expect((await train(cut, '--stop-after-step', '2')).code).toBe(0);
    const run = onlyRun(cut);
    expect(recorded(run)).toBe(2);

    // "Another machine": one core. The run still resumes on its two threads…
    process.env.UNROLL_THREADS = '1';
    const resumed = await runMain(['train', '--resume', run]);
    expect(resumed.code).toBe(0);
    expect(recorded(run)).toBe(2);
    // …and ends exactly where a run never interrupted ends; one thread ends elsewhere.
    const whole = join(scratch, 'whole');
    expect((await train(whole, '--threads', '2')).code).toBe(0);
    const one = join(scratch, 'one');
    expect((await train(one)).code).toBe(0);
    expect(recorded(onlyRun(one))).toBe(1);
    const metrics = (folder: string) => readFileSync(join(folder, FILES.metrics), 'utf8');
    expect(metrics(run)).toBe(metrics(onlyRun(whole)));
    expect(metrics(run)).not.toBe(metrics(onlyRun(one)));

    // An explicit different N is refused before anything is written.
    const before = metrics(run);
    await expectUsageError(
      ['train', '--resume', run, '--threads', '1'],
      '--threads 1: this run trains on 2 threads (recorded in its config.json), and a different number adds the gradients in a different order',
    );
    expect(metrics(run)).toBe(before);
  });

  it('trains on one thread with --anomaly and with --text, where threads are not supported', async () => {
    process.env.UNROLL_THREADS = '2';
    const anomaly = join(scratch, 'anomaly');
    expect(
      (await runMain(['train', ...tiny, '--steps', '1', '--anomaly', '--out', anomaly])).code,
    ).toBe(0);
    expect(recorded(onlyRun(anomaly))).toBe(1);
    const textFile = join(scratch, 'fox.txt');
    writeFileSync(textFile, 'the quick brown fox jumps over the lazy dog. '.repeat(20));
    const text = join(scratch, 'text');
    const fromText = await runMain([
      'train',
      '--text',
      textFile,
      ...tiny,
      '--steps',
      '1',
      '--out',
      text,
    ]);
    expect(fromText.code).toBe(0);
    expect(recorded(onlyRun(text))).toBe(1);
  });

  it('refuses a malformed UNROLL_THREADS before creating a folder', async () => {
    process.env.UNROLL_THREADS = 'many';
    const out = join(scratch, 'malformed');
    await expectUsageError(
      ['train', ...tiny, '--out', out],
      'UNROLL_THREADS must be an integer from 1 to 63, got "many"',
    );
    expect(existsSync(out) && readdirSync(out).length > 0).toBe(false);
  });
});
