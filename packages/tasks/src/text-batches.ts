/**
 * Batches of contiguous text for truncated backpropagation through time.
 *
 * The standard layout (as in Zaremba et al. 2014 and PyTorch's word-language-model
 * example): cut the N ids into B streams of S = ⌊N / B⌋ consecutive ids, one stream per
 * batch row. Window w gives row b the ids stream_b[wT … wT + T) as inputs and the same
 * ids shifted by one, stream_b[wT + 1 … wT + T + 1), as targets. So window w + 1 starts
 * exactly where window w stopped, in every row: the hidden state left by window w is the
 * right state to start window w + 1 from (detached, so gradients stop at the boundary).
 *
 *   stream 0:  |  window 0  |  window 1  |  window 2  | …
 *   stream 1:  |  window 0  |  window 1  |  window 2  | …
 *
 * An epoch is W = ⌊(S − 1) / T⌋ windows; the leftover ids at a stream's end are skipped.
 * The batcher's position — { epoch, window } — is all there is to its state: save it in
 * a checkpoint and `seek` back to it to resume on the same window.
 */

import { fromData, type Rng, type Tensor } from '@unroll/tensor';
import { checkInteger } from './task.ts';

export interface TextBatcherOptions {
  /** B: parallel streams, one per batch row. */
  batchSize: number;
  /** T: characters per window (the truncation length). */
  seqLength: number;
}

/** Where the batcher is: the next call to `next()` returns this window of this epoch. */
export interface TextPosition {
  epoch: number;
  window: number;
}

export interface TextBatch {
  /** [B, T] character ids. */
  inputs: Tensor;
  /** [B, T]: each input's next character. */
  targets: Tensor;
  epoch: number;
  window: number;
  /** True at window 0: the streams start afresh, so start from a fresh hidden state. */
  resetState: boolean;
}

/** Ids as the batcher keeps them: a text file's one or two bytes per character stay that size. */
export type IdArray = Int32Array | Uint16Array | Uint8Array;

export class TextBatcher {
  readonly ids: IdArray;
  readonly batchSize: number;
  readonly seqLength: number;
  /** S: ids per stream. */
  readonly streamLength: number;
  /** W: windows per epoch. */
  readonly windowsPerEpoch: number;
  private epoch = 0;
  private window = 0;

  constructor(ids: ArrayLike<number>, options: TextBatcherOptions) {
    checkInteger('TextBatcher', 'batchSize', options.batchSize, 1);
    checkInteger('TextBatcher', 'seqLength', options.seqLength, 1);
    // Kept as given, not copied: a 100 MB text stays 100 MB.
    this.ids =
      ids instanceof Int32Array || ids instanceof Uint16Array || ids instanceof Uint8Array
        ? ids
        : Int32Array.from(ids);
    this.batchSize = options.batchSize;
    this.seqLength = options.seqLength;
    this.streamLength = Math.floor(this.ids.length / this.batchSize);
    this.windowsPerEpoch = Math.floor((this.streamLength - 1) / this.seqLength);
    if (this.windowsPerEpoch < 1) {
      throw new RangeError(
        `TextBatcher: ${this.ids.length} ids make ${this.batchSize} streams of ${this.streamLength}, too short for one window of ${this.seqLength} + 1`,
      );
    }
  }

  get position(): TextPosition {
    return { epoch: this.epoch, window: this.window };
  }

  /** Moves to a saved position (for example one read from a checkpoint). */
  seek(position: TextPosition): void {
    checkInteger('TextBatcher.seek', 'epoch', position.epoch, 0);
    checkInteger('TextBatcher.seek', 'window', position.window, 0, this.windowsPerEpoch - 1);
    this.epoch = position.epoch;
    this.window = position.window;
  }

  /** The window at the current position; then advances, into the next epoch after the last. */
  next(): TextBatch {
    const batch = this.windowAt(this.window);
    if (++this.window === this.windowsPerEpoch) {
      this.window = 0;
      this.epoch++;
    }
    return batch;
  }

  /** Window w (every epoch sees the same windows), labelled with the current epoch; does not move. */
  windowAt(w: number): TextBatch {
    checkInteger('TextBatcher.windowAt', 'window', w, 0, this.windowsPerEpoch - 1);
    const B = this.batchSize;
    const T = this.seqLength;
    const inputs = new Float64Array(B * T);
    const targets = new Float64Array(B * T);
    for (let b = 0; b < B; b++) {
      const from = b * this.streamLength + w * T;
      for (let t = 0; t < T; t++) {
        inputs[b * T + t] = this.ids[from + t]!;
        targets[b * T + t] = this.ids[from + t + 1]!;
      }
    }
    return {
      inputs: fromData(inputs, [B, T]),
      targets: fromData(targets, [B, T]),
      epoch: this.epoch,
      window: w,
      resetState: w === 0,
    };
  }
}

/**
 * B windows of T + 1 consecutive ids from random places (one rng.int per row), as inputs
 * and shifted targets: for training without carried state, where every window starts
 * from a fresh hidden state.
 */
export function randomTextWindows(
  ids: ArrayLike<number>,
  batchSize: number,
  seqLength: number,
  rng: Rng,
): { inputs: Tensor; targets: Tensor; starts: number[] } {
  checkInteger('randomTextWindows', 'batchSize', batchSize, 1);
  checkInteger('randomTextWindows', 'seqLength', seqLength, 1, ids.length - 1);
  const B = batchSize;
  const T = seqLength;
  const inputs = new Float64Array(B * T);
  const targets = new Float64Array(B * T);
  const starts: number[] = [];
  for (let b = 0; b < B; b++) {
    const from = rng.int(ids.length - T);
    for (let t = 0; t < T; t++) {
      inputs[b * T + t] = ids[from + t]!;
      targets[b * T + t] = ids[from + t + 1]!;
    }
    starts.push(from);
  }
  return { inputs: fromData(inputs, [B, T]), targets: fromData(targets, [B, T]), starts };
}
