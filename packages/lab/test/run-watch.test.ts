/**
 * run-watch.ts: samples that depend only on the weights, the seed and the step, and JSON
 * lines read back with a line cut short by a crash dropped.
 */

import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { defaultConfig } from '../src/config.ts';
import { readLines, sampleAt } from '../src/run-watch.ts';
import { Trainer } from '../src/trainer.ts';
import { tempFolder } from './helpers.ts';

describe('sampleAt', () => {
  const trainer = new Trainer({ ...defaultConfig('charlm'), hidden: 8, batch: 2, seqLen: 8 });
  const options = { every: 1, temperature: 1, prime: 'Call ', length: 40 };

  it('gives the same text at the same step, and other text at another step', () => {
    const a = sampleAt(trainer, options);
    expect(a).toHaveLength(40);
    expect(sampleAt(trainer, options)).toBe(a);
    trainer.step = 1;
    expect(sampleAt(trainer, options)).not.toBe(a);
  });
});

describe('readLines', () => {
  it('drops a line cut short, and gives nothing for a missing file', () => {
    const folder = tempFolder();
    const path = join(folder, 'samples.jsonl');
    writeFileSync(path, '{"step":1}\n{"step":2}\n{"st');
    expect(readLines(path)).toEqual([{ step: 1 }, { step: 2 }]);
    expect(readLines(join(folder, 'none.jsonl'))).toEqual([]);
  });
});
