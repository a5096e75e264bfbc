/**
 * Limits checked before a run starts, so that a flag the parser accepts cannot end in a
 * stack trace after minutes of allocation:
 *
 *   the char-LM's window must fit in its corpus: T + 1 characters of the validation
 *   text for one held-out window, and B streams of T + 1 training characters;
 *
 *   one training step, the held-out evaluation and the gradient-flow probe must fit in
 *   memory. Their size is estimated from what they keep per timestep (8 bytes a number):
 *
 *     step        B·T·(L·k_cell·H + I + O)     the forward tape of the hand-derived BPTT
 *                                              (k_cell numbers of H per step and layer:
 *                                              gates, states, their derivatives), inputs,
 *                                              outputs; with truncated BPTT the tape spans
 *                                              K2 steps, the inputs still T
 *     evaluation  N·T·I + chunk·W·L·k_cell·H + N·O_eval
 *                                              all N held-out inputs, one window of W
 *                                              steps of one chunk of sequences at a time
 *                                              (chunked-eval.ts)
 *     probe       n·T·(I + O + 3H)             the probe's inputs, outputs and the top
 *                 + n·W·L·k_cell·H             layer's h_t with their gradients, over its
 *                                              n sequences (trainer.ts, probeSize), and
 *                                              the tape of one window of W steps
 *                                              (gradient-flow.ts, probeWindow)
 *
 *   The largest of the three, plus the runtime's own ~100 MB, must stay below the
 *   machine's memory (os.totalmem); `--skip-memory-check` trains anyway.
 *
 * The constants were measured (peak RSS of probes at T = 1,000 and 2,000 with 1 and 8
 * sequences, H = 128): an estimate, on the high side, not an exact count.
 */

import { totalmem } from 'node:os';
import { mobyDickCorpus } from '@unroll/tasks';
import { evaluationChunk, evaluationWindow } from './chunked-eval.ts';
import type { CellName, TrainConfig } from './config.ts';
import { probeWindow } from './gradient-flow.ts';
import { probeSize } from './trainer.ts';

/** Numbers of H per timestep and layer that the hand-derived forward tape and backward hold. */
const TAPE: Record<CellName, number> = { rnn: 4, lstm: 12, gru: 11 };
const RUNTIME_BYTES = 100 * 2 ** 20;

/** Input and output widths of a task, without building it. */
function widths(config: TrainConfig): { input: number; output: number } {
  switch (config.task) {
    case 'adding':
      return { input: 2, output: 1 };
    case 'copy':
      return { input: 10, output: 10 };
    case 'order':
      return { input: 8, output: 4 };
    case 'charlm': {
      const V = config.text?.vocabulary.length ?? mobyDickCorpus().vocabulary.size;
      return { input: V, output: V };
    }
    case 'forecast':
      return { input: 1, output: config.series?.horizon ?? 1 };
  }
}

export interface MemoryEstimate {
  step: number;
  evaluation: number;
  probe: number;
  /** The largest of the three plus the runtime: what the run needs at its peak, in bytes. */
  peak: number;
}

/** The estimated bytes of a run's largest phases. */
export function estimateMemory(config: TrainConfig): MemoryEstimate {
  const { input, output } = widths(config);
  const { batch: B, seqLen: T, hidden: H, layers: L } = config;
  const span = config.tbptt === null ? T : Math.min(T, config.tbptt[1]);
  const every = config.task === 'charlm' || config.task === 'copy'; // a readout per step
  const chunk = Math.min(evaluationChunk(config), config.evalBatch);
  const window = evaluationWindow(config, chunk);
  const step = 8 * B * (span * L * TAPE[config.cell] * H + T * (input + output));
  const evaluation =
    8 *
    (config.evalBatch * T * input +
      chunk * window * L * TAPE[config.cell] * H +
      config.evalBatch * (every ? T : 1) * output);
  const n = probeSize(config);
  const probe =
    8 * n * (T * (input + output + 3 * H) + probeWindow(n, T, H, L) * L * TAPE[config.cell] * H);
  return { step, evaluation, probe, peak: Math.max(step, evaluation, probe) + RUNTIME_BYTES };
}

const gb = (bytes: number) => `${(bytes / 2 ** 30).toFixed(bytes < 2 ** 30 ? 2 : 1)} GB`;

/**
 * The first limit the config breaks, as one line naming the flags and the figures, or
 * null. `skipMemory` leaves out the memory check (the corpus check always holds).
 */
export function limitsProblem(
  config: TrainConfig,
  skipMemory: boolean,
  available = totalmem(),
): string | null {
  // A --text file's own length is checked when it is read (run-data.ts).
  if (config.task === 'charlm' && config.text === undefined) {
    const { train, validation } = mobyDickCorpus();
    const longest = Math.min(validation.length - 1, Math.floor(train.length / config.batch) - 1);
    if (config.seqLen > longest) {
      return `--seq-len ${config.seqLen} is too long for --task charlm: the corpus holds ${validation.length} validation characters and ${train.length} training characters (${config.batch} streams of ${Math.floor(train.length / config.batch)}); expected an integer ≤ ${longest}`;
    }
  }
  if (skipMemory) return null;
  const estimate = estimateMemory(config);
  if (estimate.peak <= available) return null;
  const phase =
    estimate.step >= estimate.evaluation && estimate.step >= estimate.probe
      ? 'one training step'
      : estimate.evaluation >= estimate.probe
        ? 'the held-out evaluation'
        : 'the gradient-flow probe';
  return `--seq-len ${config.seqLen} with --hidden ${config.hidden}, --layers ${config.layers} and --batch ${config.batch} needs about ${gb(estimate.peak)} (${phase}), more than this machine's ${gb(available)}; use a shorter --seq-len, a smaller --hidden or --batch, or --tbptt, or add --skip-memory-check to try anyway`;
}
