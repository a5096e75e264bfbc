/**
 * @unroll/lab — the `unroll` command (bin/unroll.js → main.ts) and the pieces it is made
 * of, usable from code too. Read in this order:
 *
 *   config.ts             a run described by one plain object, and each task's defaults
 *   task-adapters.ts      the tasks as the trainer sees them: batches, readout, loss, baseline
 *   forecast-task.ts      a column of the user's CSV as a task, against two baselines
 *   run-data.ts           --text and --series files: read once, recorded, kept in the run folder
 *   series-csv.ts         the CSV file read with csv-parse
 *   model.ts              stacked RNN/LSTM/GRU + linear readout, with PyTorch's names
 *   fast-path.ts          the stack forward and backward by the hand-derived BPTT
 *   engines.ts            one window's gradients: the fast path, or the graph (anomaly mode)
 *   trainer.ts            one training step; the whole state, captured and restored
 *   parallel-engine.ts    --threads N: a batch split across worker threads (train-worker.ts)
 *   thread-count.ts       the default N (the machine's cores, at most the batch), recorded for resume
 *   kernel-env.ts         UNROLL_GEMM: the matrix-multiply kernel every command uses
 *   checkpoint.ts         that state in one safetensors file, checked when read back
 *   files.ts              atomic writes: a file is complete or absent
 *   run-folder.ts         config.json, metrics.jsonl, … of a run folder
 *   gradient-flow.ts      ‖∂L/∂h_t‖ over t, the verdict, the spectra of weight_hh
 *   run.ts                a run from start (or checkpoint) to end: metrics, checkpoints, stop
 *   saved-run.ts          a saved run opened again: to sample from, diagnose, or resume
 *   run-watch.ts          samples, clock times and forecasts written while a run trains
 *   html.ts, report.ts    the self-contained report of a run (report-data.ts: its data sections)
 *   text-table.ts         the tables printed in the terminal
 *   experiment.ts         the vanishing-gradient experiment: nine runs
 *   experiment-worker.ts  …trained on worker threads
 *   experiment-report.ts  its table, its findings (checked, not assumed), its report
 *   gradcheck-suite.ts    every op, cell and hand-derived pass against central differences
 *   args.ts, commands.ts  flags declared once: parsing, error messages, --help
 *   data-flags.ts, train-data.ts  the flags for the user's own data, checked and applied
 *   progress.ts           progress bars on a terminal, plain lines elsewhere
 *   signals.ts            Ctrl-C and SIGTERM: stop after the step, with a checkpoint
 *   cmd-*.ts, main.ts     the commands
 */

export { type CommandSpec, type FlagSpec, formatHelp, parseFlags, UsageError } from './args.ts';
export {
  type Checkpoint,
  CheckpointError,
  decodeCheckpoint,
  encodeCheckpoint,
  readCheckpoint,
  type TrainingState,
} from './checkpoint.ts';
export { exportCommand, exportFiles } from './cmd-export.ts';
export { importCommand } from './cmd-import.ts';
export { charModel } from './cmd-sample.ts';
export { commands } from './commands.ts';
export {
  CELLS,
  type CellName,
  configProblem,
  defaultConfig,
  OPTIMIZERS,
  type OptimizerName,
  runName,
  TASKS,
  type TaskName,
  type TrainConfig,
} from './config.ts';
export {
  autodiffEngine,
  type Engine,
  fastEngine,
  forwardGraph,
  predict,
  type Window,
} from './engines.ts';
export {
  EXPERIMENT_LENGTHS,
  EXPERIMENT_STEPS,
  experimentConfigs,
  type RunRecord,
} from './experiment.ts';
export { experimentReport, findings, resultTable } from './experiment-report.ts';
export { kerasFiles, kerasRefusal, readKerasModel } from './export/keras.ts';
export {
  BLOCKS_FROM_PYTORCH,
  type ExportModel,
  FormatError,
  GATE_BLOCKS,
  inverseOrder,
  modelFromTensors,
  readoutOfTask,
  reorderBlocks,
  transpose,
} from './export/layout.ts';
export { onnxModel } from './export/onnx.ts';
export { pytorchFiles, readPytorchWeights } from './export/pytorch.ts';
export { backwardStack, forwardStack, type LayerState, stateAt } from './fast-path.ts';
export { writeFileAtomic } from './files.ts';
export { type CheckRow, checkOpCase, runGradchecks } from './gradcheck-suite.ts';
export { type FlowSnapshot, probeGradientFlow } from './gradient-flow.ts';
export { type Io, main, version } from './main.ts';
export { type ModelSpec, SequenceModel } from './model.ts';
export { ProgressBoard } from './progress.ts';
export { runReport, writeRunReport } from './report.ts';
export { executeRun, type RunHooks, type RunOutcome } from './run.ts';
export {
  DataFileError,
  loadRunData,
  readSeriesSource,
  readTextSource,
  type SeriesSource,
  type TextSource,
} from './run-data.ts';
export { createRunFolder, type MetricsLine, readMetrics } from './run-folder.ts';
export { RunWatch, type SampleOptions, sampleAt } from './run-watch.ts';
export {
  type Evaluation,
  makeTask,
  runGenerators,
  type TaskAdapter,
  type TrainingBatch,
} from './task-adapters.ts';
export { gradientNorm, Trainer, windowsOf } from './trainer.ts';
