/**
 * experiment-report.ts: the experiment's table and findings, computed from what the runs
 * did — a prediction that failed is said to have failed — and its report, which shows a
 * run's newer outcome once that run has been resumed on its own.
 */

import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  experimentConfigs,
  prepareRunFolders,
  type RunRecord,
  runInProcess,
} from '../src/experiment.ts';
import {
  EXPERIMENT_FILE,
  type ExperimentRecord,
  experimentReport,
  findings,
  resultRows,
} from '../src/experiment-report.ts';
import type { FlowSnapshot } from '../src/gradient-flow.ts';
import { FILES, writeJson } from '../src/run-folder.ts';
import { tempFolder } from './helpers.ts';

const configs = experimentConfigs(0, 3000);

/** The runs, each solved at the step given (null: not solved; its last held-out MSE 0.2). */
function records(solvedAt: Record<string, number | null>): RunRecord[] {
  return configs.map((config) => {
    const at = solvedAt[config.name] ?? null;
    return {
      config,
      folder: config.name,
      outcome: {
        status: 'finished',
        step: at ?? 3000,
        message: null,
        lastEval: { loss: at === null ? 0.2 : 0.005, solved: at !== null, extra: {} },
        solvedAt: at,
        seconds: 1,
      },
    };
  });
}

const asTheoryPredicts = {
  'rnn-T10': 700,
  'lstm-T10': 300,
  'gru-T10': 150,
  'lstm-T50': 950,
  'gru-T50': 300,
  'lstm-T100': 1550,
  'gru-T100': 350,
};
const noFlows = new Map<string, FlowSnapshot | null>();

describe('findings', () => {
  it('say so when every prediction held, then what each model did', () => {
    const [headline, rnn, lstm] = findings(records(asTheoryPredicts), noFlows, noFlows);
    expect(headline).toBe(
      'As predicted: the tanh RNN learns the adding problem at T = 10 but not at T = 100, where the LSTM and the GRU do (at most 3000 steps each).',
    );
    expect(rnn).toBe(
      'The tanh RNN solved T = 10 at step 700, but not T = 50 (held-out MSE 0.2 after 3000 steps), T = 100 (held-out MSE 0.2 after 3000 steps).',
    );
    expect(lstm).toBe(
      'The LSTM solved every length: T = 10 at step 300, T = 50 at step 950, T = 100 at step 1550.',
    );
  });

  it('name each prediction that failed', () => {
    const surprising = { ...asTheoryPredicts, 'rnn-T100': 2000, 'gru-T100': null };
    expect(findings(records(surprising), noFlows, noFlows)[0]).toBe(
      'Not as predicted. These expectations did not hold (at most 3000 steps per run): the tanh RNN fails at T = 100; the GRU solves T = 100. What happened:',
    );
  });

  it('give the share of the gradient that reaches step 1 at the longest length', () => {
    const flow = (ratio: number, verdict: string) =>
      ({ verdict: { ratio, verdict } }) as unknown as FlowSnapshot;
    const init = new Map([
      ['rnn-T100', flow(3e-23, 'vanishing')],
      ['lstm-T100', flow(0.5, 'healthy')],
    ]);
    expect(findings(records(asTheoryPredicts), init, noFlows).at(-1)).toBe(
      'At T = 100, the share of the gradient that reaches the first step, ‖∂L/∂h₁‖ / ‖∂L/∂h_T‖, is at initialisation 3.00e-23 for the tanh RNN (vanishing), 0.5 for the LSTM (healthy).',
    );
  });
});

describe('resultRows', () => {
  it('are ordered by length, then RNN, LSTM, GRU, with the baseline and — where nothing was measured', () => {
    const runs = records(asTheoryPredicts);
    runs[0]!.outcome = {
      ...runs[0]!.outcome,
      status: 'stopped',
      step: 120,
      lastEval: null,
      solvedAt: null,
    };
    const rows = resultRows(runs);
    expect(rows.map((r) => `${r[0]} ${r[1]}`)).toEqual([
      'tanh RNN 10',
      'LSTM 10',
      'GRU 10',
      'tanh RNN 50',
      'LSTM 50',
      'GRU 50',
      'tanh RNN 100',
      'LSTM 100',
      'GRU 100',
    ]);
    expect(rows[0]).toEqual(['tanh RNN', 10, 0.005, 0.167, 'yes', 700, 1]);
    expect(rows[7]).toEqual(['LSTM', 100, '—', 0.167, 'stopped at 120', '—', 1]); // runs[0] is lstm-T100
  });
});

describe('experimentReport', () => {
  it("shows a run's newer outcome once it has been resumed on its own (its summary.json)", async () => {
    const folder = tempFolder();
    const tiny = experimentConfigs(0, 2).filter((c) => c.seqLen === 10);
    const folders = prepareRunFolders(folder, tiny);
    const runs: RunRecord[] = [];
    await runInProcess(
      tiny,
      folders,
      { progress: () => {}, done: (r) => runs.push(r) },
      () => null,
    );
    const record: ExperimentRecord = { name: 'test', seed: 0, workers: 1, seconds: 1, runs };
    writeJson(join(folder, EXPERIMENT_FILE), record);
    const before = experimentReport(folder);
    expect(before).toContain('The tanh RNN solved no length');
    // As if rnn-T10 had since been resumed and solved at step 40.
    const summary = join(folder, 'rnn-T10', FILES.summary);
    writeJson(summary, { ...JSON.parse(readFileSync(summary, 'utf8')), step: 40, solvedAt: 40 });
    expect(experimentReport(folder)).toContain(
      'The tanh RNN solved every length: T = 10 at step 40.',
    );
  });
});
