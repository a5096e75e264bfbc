/**
 * `unroll` / `unroll experiment`: the vanishing-gradient experiment (experiment.ts),
 * with one progress bar per run, then the result table, the findings and the path of
 * report.html.
 *
 * The experiment folder holds experiment.json (every run's config and outcome),
 * config.json, metrics.jsonl (every run's lines, each tagged with its run), report.html,
 * and one ordinary run folder per run — so each run can be resumed, diagnosed or
 * reported on by itself. While the experiment runs it holds the lock (lock.ts) of its
 * folder and of every run folder; a failed write in any run ends it with one line.
 */

import { appendFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseFlags } from './args.ts';
import { makeRunFolder } from './cmd-train.ts';
import { experimentCommand } from './commands.ts';
import { CELLS, type TrainConfig } from './config.ts';
import {
  defaultWorkers,
  EXPERIMENT_NAME,
  experimentConfigs,
  prepareRunFolders,
  type RunRecord,
  runInProcess,
} from './experiment.ts';
import {
  EXPERIMENT_FILE,
  type ExperimentRecord,
  findings,
  resultTable,
  writeExperimentReport,
} from './experiment-report.ts';
import { runOnWorkers } from './experiment-worker.ts';
import { lockRunFolder, type RunLock } from './lock.ts';
import type { Io } from './main.ts';
import { type ProgressBar, ProgressBoard } from './progress.ts';
import { readDiagnostics } from './run.ts';
import {
  defaultRunsFolder,
  displayPath,
  FILES,
  readMetrics,
  userPath,
  writeJson,
} from './run-folder.ts';
import { SIGNAL_EXIT_CODES, watchSignals } from './signals.ts';

export async function runExperimentCommand(argv: readonly string[], io: Io): Promise<number> {
  const flags = parseFlags(argv, experimentCommand);
  const seed = flags.seed ?? 0;
  const configs = experimentConfigs(seed, flags.steps);
  const workers = flags.workers ?? defaultWorkers(configs.length);
  const folder = makeRunFolder(
    flags.out === undefined ? defaultRunsFolder() : userPath(flags.out),
    EXPERIMENT_NAME,
    experimentCommand.usage,
  );
  // One writer per folder (lock.ts): the experiment holds its own folder and every
  // run's, so `unroll train --resume` or `unroll report` on one of them is refused
  // while the runs go. The worker threads write under this process's locks.
  const locks: RunLock[] = [];
  const claim = (sub: string) => locks.push(lockRunFolder(sub, 'unroll experiment'));
  try {
    claim(folder);
    return await runExperiment(folder, configs, seed, workers, claim, io);
  } finally {
    for (const lock of locks) lock.release();
  }
}

async function runExperiment(
  folder: string,
  configs: TrainConfig[],
  seed: number,
  workers: number,
  claim: (sub: string) => void,
  io: Io,
): Promise<number> {
  const folders = prepareRunFolders(folder, configs, claim);
  writeJson(join(folder, FILES.config), {
    experiment: EXPERIMENT_NAME,
    seed,
    workers,
    runs: configs,
  });
  io.stderr.write(
    `The vanishing-gradient experiment: tanh RNN, LSTM and GRU on the adding problem, ${configs.length} runs on ${workers} worker thread${workers === 1 ? '' : 's'}.\nrun folder: ${displayPath(folder)}\n`,
  );

  const board = new ProgressBoard(io.stderr);
  const bars = new Map<string, ProgressBar>();
  // Bars in reading order (by length, then cell); the runs start longest first.
  const order = (c: TrainConfig) => c.seqLen * 10 + CELLS.indexOf(c.cell);
  for (const config of [...configs].sort((a, b) => order(a) - order(b))) {
    bars.set(config.name, board.add(config.name.padEnd(9), config.steps));
  }
  const records: RunRecord[] = [];
  const signals = watchSignals((message) => board.log(message));
  const started = performance.now();
  const events = {
    progress: (name: string, step: number, fields: { loss: number; gradNorm: number }) =>
      bars.get(name)?.update(step, fields),
    done: (record: RunRecord) => {
      records.push(record);
      const { outcome } = record;
      const bar = bars.get(record.config.name)!;
      if (outcome.step > bar.step) bar.update(outcome.step, bar.fields);
      bar.finish(
        outcome.solvedAt !== null
          ? `solved at ${outcome.solvedAt}`
          : outcome.status === 'finished'
            ? 'not solved'
            : outcome.status,
      );
    },
  };
  try {
    if (workers === 1) await runInProcess(configs, folders, events, signals.reason);
    else await runOnWorkers(configs, folders, workers, events, signals.reason);
  } finally {
    signals.dispose();
  }
  const seconds = (performance.now() - started) / 1000;

  const runs = configs.map((c) => records.find((r) => r.config.name === c.name)!);
  const record: ExperimentRecord = { name: EXPERIMENT_NAME, seed, workers, seconds, runs };
  writeJson(join(folder, EXPERIMENT_FILE), record);
  for (const run of runs) {
    const lines = readMetrics(join(folder, run.folder, FILES.metrics));
    appendFileSync(
      join(folder, FILES.metrics),
      lines.map((l) => `${JSON.stringify({ run: run.config.name, ...l })}\n`).join(''),
    );
  }
  const report = writeExperimentReport(folder);
  const diagnostics = runs.map(
    (r) => [r.config.name, readDiagnostics(join(folder, r.folder))] as const,
  );
  const initFlows = new Map(diagnostics.map(([name, d]) => [name, d.init]));
  const finalFlows = new Map(diagnostics.map(([name, d]) => [name, d.final]));
  io.stdout.write(
    [
      '',
      resultTable(runs),
      '',
      ...findings(runs, initFlows, finalFlows),
      '',
      `${seconds.toFixed(1)} s in all.`,
      `report: ${displayPath(report)}`,
      '',
    ].join('\n'),
  );
  const stopped = runs.filter((r) => r.outcome.status === 'stopped');
  if (stopped.length === 0) return 0;
  io.stdout.write(
    `Stopped early. Continue a run with unroll train --resume ${displayPath(join(folder, '<run>'))} (${stopped.map((r) => r.config.name).join(', ')}), then rebuild the report with unroll report --run ${displayPath(folder)}\n`,
  );
  return SIGNAL_EXIT_CODES[signals.reason() ?? ''] ?? 130;
}
