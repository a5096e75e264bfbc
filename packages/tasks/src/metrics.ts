/**
 * Scores computed on plain arrays, outside the autograd graph: evaluation needs numbers,
 * not gradients, and must not keep a graph alive. Rows are row-major, as in a Tensor's
 * `.data`, so `logits.data` of shape [N, C] can be passed straight in.
 */

/** Mean of (prediction − target)². */
export function meanSquaredError(prediction: ArrayLike<number>, target: ArrayLike<number>): number {
  checkSameLength('meanSquaredError', prediction, target);
  let total = 0;
  for (let i = 0; i < target.length; i++) {
    const e = prediction[i]! - target[i]!;
    total += e * e;
  }
  return total / target.length;
}

/** √MSE: an error in the units of the series, the usual forecasting score. */
export function rootMeanSquaredError(
  prediction: ArrayLike<number>,
  target: ArrayLike<number>,
): number {
  return Math.sqrt(meanSquaredError(prediction, target));
}

/**
 * Mean over rows of −log softmax(logits)[target], in nats.
 * −log softmax(l)[y] = logsumexp(l) − l[y], with the row maximum subtracted first so that
 * exp never overflows.
 */
export function crossEntropyOfLogits(
  logits: ArrayLike<number>,
  targets: ArrayLike<number>,
  classes: number,
): number {
  const rows = targets.length;
  if (logits.length !== rows * classes) {
    throw new RangeError(
      `crossEntropyOfLogits: logits hold ${logits.length} numbers, expected ${rows} rows × ${classes} classes`,
    );
  }
  let total = 0;
  for (let r = 0; r < rows; r++) {
    const base = r * classes;
    const y = targets[r]!;
    if (!Number.isInteger(y) || y < 0 || y >= classes) {
      throw new RangeError(
        `crossEntropyOfLogits: target ${r} is ${y}, must be a class in [0, ${classes - 1}]`,
      );
    }
    let max = -Infinity;
    for (let c = 0; c < classes; c++) max = Math.max(max, logits[base + c]!);
    let sumExp = 0;
    for (let c = 0; c < classes; c++) sumExp += Math.exp(logits[base + c]! - max);
    total += max + Math.log(sumExp) - logits[base + y]!;
  }
  return total / rows;
}

/** Index of the largest entry of each row (the first one on ties). */
export function argmaxRows(logits: ArrayLike<number>, classes: number): Int32Array {
  const rows = Math.floor(logits.length / classes);
  const out = new Int32Array(rows);
  for (let r = 0; r < rows; r++) {
    let best = 0;
    for (let c = 1; c < classes; c++) {
      if (logits[r * classes + c]! > logits[r * classes + best]!) best = c;
    }
    out[r] = best;
  }
  return out;
}

/** Fraction of rows whose argmax is the target class. */
export function accuracyOfLogits(
  logits: ArrayLike<number>,
  targets: ArrayLike<number>,
  classes: number,
): number {
  const predicted = argmaxRows(logits, classes);
  checkSameLength('accuracyOfLogits', predicted, targets);
  let correct = 0;
  for (let r = 0; r < targets.length; r++) if (predicted[r] === targets[r]) correct++;
  return correct / targets.length;
}

/** Cross-entropy in nats per character → bits per character (1 bit = ln 2 nats). */
export function bitsPerCharacter(natsPerCharacter: number): number {
  return natsPerCharacter / Math.LN2;
}

/**
 * Perplexity = exp(cross-entropy in nats): the number of equally likely characters the
 * model is, on average, choosing between. A uniform guess over V characters scores V.
 */
export function perplexity(natsPerCharacter: number): number {
  return Math.exp(natsPerCharacter);
}

function checkSameLength(owner: string, a: ArrayLike<number>, b: ArrayLike<number>): void {
  if (a.length !== b.length || a.length === 0) {
    throw new RangeError(
      `${owner}: needs two non-empty arrays of one length, got ${a.length} and ${b.length}`,
    );
  }
}
