/**
 * config.ts: a run described by one plain object — each task's complete defaults, the
 * run's name, the conditions between fields that no single flag can check, and the
 * refusal of a config.json that is not a config.
 */

import { describe, expect, it } from 'vitest';
import {
  checkConfigShape,
  configProblem,
  defaultConfig,
  runName,
  TASKS,
  type TrainConfig,
} from '../src/config.ts';

describe('defaultConfig', () => {
  it.each(TASKS)('is a complete, consistent config for %s', (task) => {
    const config = defaultConfig(task);
    expect(config.task).toBe(task);
    expect(checkConfigShape(JSON.parse(JSON.stringify(config)), 'config')).toEqual(config);
    expect(configProblem(config)).toBe(null);
    expect(config.name).toBe(runName(config));
  });
});

describe('runName', () => {
  it('says cell, task and T, and the stack when there is one', () => {
    const adding = defaultConfig('adding');
    expect(runName(adding)).toBe('lstm-adding-T50');
    expect(
      runName({ ...adding, cell: 'gru', task: 'charlm', seqLen: 64, layers: 2, hidden: 128 }),
    ).toBe('gru-charlm-T64-2x128');
  });
});

describe('configProblem', () => {
  const base = defaultConfig('adding');
  const problem = (c: Partial<TrainConfig>) => configProblem({ ...base, ...c });

  it("refuses a T below the task's own minimum", () => {
    expect(problem({ task: 'order', seqLen: 9 })).toBe(
      '--seq-len 9 is too short for --task order: expected an integer ≥ 10',
    );
    expect(problem({ task: 'order', seqLen: 10 })).toBe(null);
    expect(problem({ seqLen: 1 })).toBe(
      '--seq-len 1 is too short for --task adding: expected an integer ≥ 2',
    );
  });

  it('refuses K1 > K2 and K1 > T, and accepts K2 > T', () => {
    expect(problem({ tbptt: [8, 4] })).toBe(
      '--tbptt 8,4: expected K1 ≤ K2 (update every K1 steps, backpropagate through K2)',
    );
    expect(problem({ seqLen: 20, tbptt: [30, 30] })).toBe(
      '--tbptt 30,30: expected K1 ≤ --seq-len 20',
    );
    expect(problem({ seqLen: 20, tbptt: [10, 40] })).toBe(null);
  });

  it('refuses a forget-gate bias for a cell without a forget gate', () => {
    expect(problem({ cell: 'rnn', forgetBias: 1 })).toBe(
      '--forget-bias applies to --cell lstm only, got --cell rnn',
    );
    expect(problem({ cell: 'lstm', forgetBias: 1 })).toBe(null);
  });
});

describe('checkConfigShape', () => {
  const valid = () => JSON.parse(JSON.stringify(defaultConfig('copy')));
  const refusal = (value: unknown) => () => checkConfigShape(value, 'run/config.json');

  it('refuses what is not a config, naming the file and the field', () => {
    expect(refusal([1, 2])).toThrow(/^run\/config.json: not a training config/);
    expect(refusal(null)).toThrow('run/config.json: not a training config (not a JSON object)');
    const { hidden: _, ...noHidden } = valid();
    expect(refusal(noHidden)).toThrow(
      "run/config.json: not a training config ('hidden' is missing)",
    );
    expect(refusal({ ...valid(), lr: '0.1' })).toThrow(
      `run/config.json: not a training config ('lr' should be a number, got "0.1")`,
    );
    expect(refusal({ ...valid(), task: 'poetry' })).toThrow(
      'run/config.json: not a training config (unknown task poetry)',
    );
  });

  it('accepts null where a field may be off (clip, tbptt, forgetBias), and a K1,K2 pair', () => {
    const config = { ...valid(), clip: null, tbptt: [4, 8], forgetBias: null };
    expect(checkConfigShape(config, 'config')).toEqual(config);
  });
});
