/**
 * `unroll train`: a new run from flags, or `--resume DIR` to continue one.
 *
 * Resuming checks everything before it writes anything (`openForResume`, saved-run.ts):
 * config.json and the checkpoint must parse, agree with each other and with the model they describe, and
 * metrics.jsonl must reach the checkpoint's step. Only then is metrics.jsonl cut back
 * to that step (the lines an interrupted run wrote after its last checkpoint are
 * written again, identically, by the resumed one). A run killed before its first
 * checkpoint begins again from step 0.
 */

import { join } from 'node:path';
import { parseFlags, UsageError } from './args.ts';
import { trainCommand } from './commands.ts';
import { configProblem, defaultConfig, runName, type TrainConfig } from './config.ts';
import { writeFileAtomic } from './files.ts';
import { IoFailure, resumeAdvice } from './io-errors.ts';
import { lockRunFolder } from './lock.ts';
import type { Io } from './main.ts';
import { limitsProblem } from './memory-estimate.ts';
import { formatNumber, ProgressBoard } from './progress.ts';
import { executeRun } from './run.ts';
import { saveRunData } from './run-data.ts';
import { endOfRunDone } from './run-end.ts';
import {
  createRunFolder,
  defaultRunsFolder,
  displayPath,
  FILES,
  userPath,
  writeJson,
} from './run-folder.ts';
import { runNameProblem } from './run-name.ts';
import { RunWatch } from './run-watch.ts';
import { checkFolderReadable, forgetProgress, openRunForWriting } from './run-writer.ts';
import { openForResume, readRunConfig } from './saved-run.ts';
import { SIGNAL_EXIT_CODES, watchSignals } from './signals.ts';
import { threadsForNewRun, threadsForResume } from './thread-count.ts';
import { attachData, checkResumeFiles, ownData, taskOfData, watchesData } from './train-data.ts';
import { Trainer } from './trainer.ts';

type TrainFlags = ReturnType<typeof parseFlags<typeof trainCommand.flags>>;

export async function runTrain(argv: readonly string[], io: Io): Promise<number> {
  const flags = parseFlags(argv, trainCommand);
  if (flags.resume !== undefined) return resume(flags, io);
  const config = configFromFlags(flags);
  if (flags.threads !== undefined && flags.threads > 1 && config.anomaly) {
    throw new UsageError('--threads cannot be combined with --anomaly', trainCommand.usage);
  }
  const refused = attachData(config, flags, io);
  if (refused !== null) return refused;
  config.threads = chooseThreads(() => threadsForNewRun(config, flags.threads));
  const folder = makeRunFolder(
    flags.out === undefined ? defaultRunsFolder() : userPath(flags.out),
    config.name,
    trainCommand.usage,
  );
  const lock = lockRunFolder(folder, 'unroll train', (m) => io.stderr.write(`${m}\n`));
  try {
    writeJson(join(folder, FILES.config), config);
    saveRunData(folder, config);
    const trainer = new Trainer(config, { threads: config.threads });
    return await drive(trainer, folder, io, flags['stop-after-step']);
  } finally {
    lock.release();
  }
}

export function configFromFlags(flags: TrainFlags): TrainConfig {
  const base = defaultConfig(flags.task ?? taskOfData(flags));
  const config: TrainConfig = {
    ...base,
    cell: flags.cell ?? base.cell,
    layers: flags.layers ?? base.layers,
    hidden: flags.hidden ?? base.hidden,
    seqLen: flags['seq-len'] ?? flags.window ?? base.seqLen,
    batch: flags.batch ?? base.batch,
    steps: flags.steps ?? base.steps,
    optimizer: flags.optimizer ?? base.optimizer,
    lr: flags.lr ?? base.lr,
    schedule: flags.schedule ?? base.schedule,
    clip: flags.clip === undefined ? base.clip : flags.clip === 0 ? null : flags.clip,
    tbptt: flags.tbptt ?? base.tbptt,
    forgetBias: flags['forget-bias'] ?? base.forgetBias,
    seed: flags.seed ?? base.seed,
    checkpointEvery: flags['checkpoint-every'] ?? base.checkpointEvery,
    evalEvery: flags['eval-every'] ?? base.evalEvery,
    untilSolved: flags['until-solved'] ?? false,
    anomaly: flags.anomaly ?? false,
  };
  config.name = flags.name ?? runName(config);
  if (flags['eval-batch'] !== undefined) config.evalBatch = flags['eval-batch'];
  const problem =
    (flags.name === undefined ? null : runNameProblem(flags.name)) ??
    configProblem(config) ??
    // With --text or --series, checked once the file is read (train-data.ts).
    (ownData(flags) ? null : limitsProblem(config, flags['skip-memory-check'] === true));
  if (problem !== null) throw new UsageError(problem, trainCommand.usage);
  return config;
}

/** The thread count `choose` gives, or a usage error naming a malformed UNROLL_THREADS. */
function chooseThreads(choose: () => number): number {
  try {
    return choose();
  } catch (error) {
    if (!(error instanceof RangeError)) throw error;
    throw new UsageError(error.message, trainCommand.usage);
  }
}

/** Creates the run folder, or fails with a usage error naming --out. */
export function makeRunFolder(parent: string, name: string, usage: string): string {
  try {
    return createRunFolder(parent, name);
  } catch (error) {
    const reason = (error as NodeJS.ErrnoException).code ?? (error as Error).message;
    throw new UsageError(
      `cannot write to --out '${parent}' (${reason}): expected a writable folder`,
      usage,
    );
  }
}

/** Flags that make sense with --resume; everything else comes from the run's config. */
const RESUME_FLAGS = [
  'resume',
  'stop-after-step',
  'anomaly',
  'restart',
  'threads',
  'text',
  'series',
];

async function resume(flags: TrainFlags, io: Io): Promise<number> {
  const folder = userPath(flags.resume!);
  const extra = Object.keys(flags).filter((f) => !RESUME_FLAGS.includes(f));
  if (extra.length > 0) {
    throw new UsageError(
      `--${extra[0]} cannot be combined with --resume: the run's config.json decides it (allowed with --resume: --stop-after-step, --anomaly, --restart, --threads, and the run's own --text or --series file)`,
      trainCommand.usage,
    );
  }
  if (!checkFolderReadable(folder)) {
    throw new UsageError(
      `invalid value '${folder}' for --resume: expected a run folder, found none`,
      trainCommand.usage,
    );
  }
  const mismatch = checkResumeFiles(folder, flags, io);
  if (mismatch !== null) return mismatch;
  const threads = resumeThreads(folder, flags.threads);
  const lock = openRunForWriting(folder, 'unroll train --resume', (m) => io.stderr.write(`${m}\n`));
  try {
    let loaded: { trainer: Trainer; kept: string };
    try {
      loaded = openForResume(folder, {
        anomaly: flags.anomaly,
        restart: flags.restart,
        threads,
      });
    } catch (error) {
      if (error instanceof IoFailure) throw error;
      io.stderr.write(
        `unroll train: cannot resume from ${displayPath(folder)}: ${(error as Error).message}\n`,
      );
      return 1;
    }
    if (flags.restart === true) forgetProgress(folder);
    const stopAfter = flags['stop-after-step'];
    if (stopAfter !== undefined && stopAfter <= loaded.trainer.step) {
      throw new UsageError(
        `invalid value '${stopAfter}' for --stop-after-step: the run resumes from step ${loaded.trainer.step}; expected an integer > ${loaded.trainer.step}`,
        trainCommand.usage,
      );
    }
    return await continueRun(loaded.trainer, folder, loaded.kept, io, flags);
  } finally {
    lock.release();
  }
}

/** The recorded thread count of the run in `folder` (thread-count.ts), or a usage error. */
function resumeThreads(folder: string, explicit: number | undefined): number {
  let saved: TrainConfig;
  try {
    saved = readRunConfig(folder);
  } catch {
    return explicit ?? 1; // a damaged or missing config.json: openForResume says what is wrong
  }
  const choice = threadsForResume(saved, explicit);
  if ('problem' in choice) throw new UsageError(choice.problem, trainCommand.usage);
  return choice.threads;
}

async function continueRun(
  trainer: Trainer,
  folder: string,
  kept: string,
  io: Io,
  flags: TrainFlags,
) {
  const solved = trainer.config.untilSolved && /"solved":true/.test(kept);
  const complete = trainer.step >= trainer.config.steps || solved;
  if (complete && endOfRunDone(folder, trainer.step)) {
    io.stdout.write(
      `${folder} is complete (step ${trainer.step} of ${trainer.config.steps}); nothing to do\n`,
    );
    return 0;
  }
  writeFileAtomic(join(folder, FILES.metrics), kept);
  io.stderr.write(
    complete
      ? `${trainer.config.name}: training is complete; writing the end of the run (final diagnostics, summary, report)\n`
      : `resuming ${trainer.config.name} from step ${trainer.step}\n`,
  );
  return drive(trainer, folder, io, flags['stop-after-step']);
}

/** Trains with a progress bar and signal handling; prints the outcome. */
async function drive(
  trainer: Trainer,
  folder: string,
  io: Io,
  stopAfterStep?: number,
): Promise<number> {
  const { config } = trainer;
  io.stderr.write(`run folder: ${displayPath(folder)}\n`);
  const board = new ProgressBoard(io.stderr);
  const bar = board.add(config.name, config.steps, trainer.step);
  const signals = watchSignals((message) => board.log(message));
  const watch = watchesData(config) ? new RunWatch(trainer, folder, (m) => board.log(m)) : null;
  const outcome = await executeRun(trainer, folder, {
    progress: (step, line) => {
      bar.update(step, line);
      watch?.afterStep(line);
    },
    stopRequested: signals.reason,
    ...(stopAfterStep === undefined ? {} : { stopAfterStep }),
  })
    .catch((error) => {
      // A failed write mid-run: the line says how to go on from the last checkpoint.
      if (!(error instanceof IoFailure)) throw error;
      bar.finish('failed');
      throw new IoFailure(error.code, error.action, error.path, resumeAdvice(folder, error.code));
    })
    .finally(() => signals.dispose());
  bar.finish(outcome.status === 'finished' ? 'done' : outcome.status);
  const report = displayPath(join(folder, FILES.report));
  if (outcome.status === 'failed') {
    io.stderr.write(
      `unroll train: ${outcome.message}\nstopped; the last good state (step ${outcome.step}) is in ${displayPath(join(folder, FILES.checkpoint))}\nreport: ${report}\n`,
    );
    return 1;
  }
  const evaluation = outcome.lastEval;
  const parts = [`${config.name}: step ${outcome.step}/${config.steps}`];
  if (evaluation !== null)
    parts.push(
      `held-out loss ${formatNumber(evaluation.loss)} (baseline ${formatNumber(trainer.task.baselines[0]!.value)})`,
    );
  if (evaluation?.solved !== null && evaluation !== null) {
    parts.push(outcome.solvedAt === null ? 'not solved' : `solved at step ${outcome.solvedAt}`);
  }
  parts.push(`${outcome.seconds.toFixed(1)} s`);
  io.stdout.write(`${parts.join(', ')}\nreport: ${report}\n`);
  if (outcome.status === 'stopped') {
    io.stdout.write(
      `${outcome.message}; checkpoint saved. Resume with: unroll train --resume ${displayPath(folder)}\n`,
    );
    const signal = signalsReason(outcome.message);
    return signal === null ? 0 : SIGNAL_EXIT_CODES[signal]!;
  }
  return 0;
}

const signalsReason = (message: string | null) => /SIGINT|SIGTERM/.exec(message ?? '')?.[0] ?? null;
