/**
 * One training run in its folder, from its first step (or a checkpoint) to the end:
 * the loop around `Trainer.trainStep` that writes metrics, checkpoints, diagnostics
 * and the report, and stops cleanly when asked.
 *
 * Checkpoints are written every `checkpointEvery` steps, at the last step, and when a
 * stop is requested (Ctrl-C, SIGTERM, or `--stop-after-step`). Before each one the
 * metrics file is flushed to disk, so the checkpoint never claims a step whose line
 * could be lost. Between two steps the loop yields to the event loop: that is when a
 * signal handler (or a message to a worker thread) gets to set the stop flag.
 */

import { join } from 'node:path';
import { encodeCheckpoint, type TrainingState } from './checkpoint.ts';
import { writeFileAtomic } from './files.ts';
import { type FlowSnapshot, probeGradientFlow } from './gradient-flow.ts';
import { writeRunReport } from './report.ts';
import {
  FILES,
  type MetricsLine,
  MetricsLog,
  readJson,
  readMetrics,
  writeJson,
} from './run-folder.ts';
import { withDefaultSignals } from './signals.ts';
import type { Evaluation } from './task-adapters.ts';
import type { Trainer } from './trainer.ts';

export interface RunHooks {
  /** After every step. */
  progress?(step: number, line: MetricsLine): void;
  /** A reason to stop ('SIGINT', …) once one is requested, else null. Asked between steps. */
  stopRequested?(): string | null;
  /** Stop after this step as if interrupted (for testing resumption). */
  stopAfterStep?: number;
}

export interface RunOutcome {
  status: 'finished' | 'stopped' | 'failed';
  /** Steps completed. */
  step: number;
  /** Why it stopped or failed. */
  message: string | null;
  lastEval: Evaluation | null;
  /** The first evaluation step at which the task's criterion was met. */
  solvedAt: number | null;
  /** Wall time of this process's share of the run. */
  seconds: number;
}

export interface Diagnostics {
  init: FlowSnapshot | null;
  final: FlowSnapshot | null;
}

export function saveCheckpoint(folder: string, trainer: Trainer, state?: TrainingState): void {
  const bytes = encodeCheckpoint(trainer.config, state ?? trainer.captureState());
  writeFileAtomic(join(folder, FILES.checkpoint), bytes);
}

export function readDiagnostics(folder: string): Diagnostics {
  try {
    return readJson(join(folder, FILES.diagnostics)) as Diagnostics;
  } catch {
    return { init: null, final: null };
  }
}

const nextTurn = () => new Promise<void>((resolve) => setImmediate(resolve));

export async function executeRun(
  trainer: Trainer,
  folder: string,
  hooks: RunHooks = {},
): Promise<RunOutcome> {
  const started = performance.now();
  const { config, model, task } = trainer;
  const diagnostics = readDiagnostics(folder);
  if (trainer.step === 0 && diagnostics.init === null) {
    // Nothing to save yet: a Ctrl-C during this long phase ends the process at once.
    diagnostics.init = withDefaultSignals(() =>
      probeGradientFlow(model, task, trainer.probeBatch, 0),
    );
    writeJson(join(folder, FILES.diagnostics), diagnostics);
  }
  const earlier = readMetrics(join(folder, FILES.metrics));
  let lastEval: Evaluation | null = null;
  let solvedAt: number | null = null;
  const noteEval = (line: MetricsLine) => {
    if (line.eval === undefined) return;
    lastEval = line.eval;
    if (line.eval.solved === true) solvedAt ??= line.step;
  };
  earlier.forEach(noteEval);

  const log = new MetricsLog(join(folder, FILES.metrics));
  const checkpoint = (state?: TrainingState) => {
    log.sync();
    saveCheckpoint(folder, trainer, state);
  };
  const finish = (status: RunOutcome['status'], message: string | null): RunOutcome => {
    log.close();
    const outcome = {
      status,
      step: trainer.step,
      message,
      lastEval,
      solvedAt,
      seconds: (performance.now() - started) / 1000,
    };
    if (status === 'finished') {
      // The last checkpoint is on disk; resume redoes this end of the run if it is cut short.
      diagnostics.final = withDefaultSignals(() =>
        probeGradientFlow(model, task, trainer.probeBatch, trainer.step),
      );
      writeJson(join(folder, FILES.diagnostics), diagnostics);
    }
    const peakMemoryMB = Math.round(process.resourceUsage().maxRSS / 1024);
    writeJson(join(folder, FILES.summary), { ...outcome, peakMemoryMB, config });
    writeRunReport(folder);
    return outcome;
  };

  // A run that met its criterion before it was interrupted is done training.
  const solvedBefore = config.untilSolved && solvedAt !== null;
  while (trainer.step < config.steps && !solvedBefore) {
    const lastGood = trainer.captureState();
    const result = trainer.trainStep();
    if (!result.ok) {
      checkpoint(lastGood);
      return finish('failed', result.message);
    }
    log.append(result.line);
    noteEval(result.line);
    hooks.progress?.(trainer.step, result.line);
    const reason =
      hooks.stopAfterStep === trainer.step
        ? '--stop-after-step'
        : (hooks.stopRequested?.() ?? null);
    const solvedNow = config.untilSolved && result.line.eval?.solved === true;
    const last = trainer.step === config.steps || solvedNow;
    if (trainer.step % config.checkpointEvery === 0 || last || reason !== null) checkpoint();
    if (solvedNow) return finish('finished', `solved at step ${trainer.step}`);
    if (reason !== null && !last) {
      return finish('stopped', `stopped by ${reason} after step ${trainer.step}`);
    }
    await nextTurn();
  }
  return finish('finished', solvedBefore ? `solved at step ${solvedAt}` : null);
}
