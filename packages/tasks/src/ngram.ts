/**
 * Counting baselines for a character-level language model, measured on held-out text:
 *
 * - uniform: every one of V characters equally likely, ln V nats per character;
 * - unigram: each character's frequency in the training text, no context at all;
 * - bigram: the frequency of each character after the previous one, one step of context.
 *
 * A recurrent model earns its keep only below the bigram line: that is where it uses more
 * than the last character. Counts get add-α smoothing (α = 1, Laplace's add-one, by
 * default), so a pair never seen in training costs a finite number of nats instead of
 * infinity.
 */

import type { CharModel } from './sampling.ts';

/** ln V: the cross-entropy of a uniform guess over V characters. */
export function uniformCrossEntropy(vocabularySize: number): number {
  return Math.log(vocabularySize);
}

/** log P(c) for each character c, from counts in `train` plus α each. */
export function unigramLogProbs(
  train: ArrayLike<number>,
  vocabularySize: number,
  alpha = 1,
): Float64Array {
  const counts = new Float64Array(vocabularySize).fill(alpha);
  for (let i = 0; i < train.length; i++) counts[train[i]!]! += 1;
  const total = train.length + alpha * vocabularySize;
  return counts.map((n) => Math.log(n / total));
}

/** Row p holds log P(next = c | previous = p), from pair counts in `train` plus α each: [V × V]. */
export function bigramLogProbs(
  train: ArrayLike<number>,
  vocabularySize: number,
  alpha = 1,
): Float64Array {
  const V = vocabularySize;
  const counts = new Float64Array(V * V).fill(alpha);
  for (let i = 1; i < train.length; i++) counts[train[i - 1]! * V + train[i]!]! += 1;
  for (let p = 0; p < V; p++) {
    let rowTotal = 0;
    for (let c = 0; c < V; c++) rowTotal += counts[p * V + c]!;
    for (let c = 0; c < V; c++) counts[p * V + c] = Math.log(counts[p * V + c]! / rowTotal);
  }
  return counts;
}

/** Mean −log P(c) over `test`, in nats per character. */
export function unigramCrossEntropy(
  train: ArrayLike<number>,
  test: ArrayLike<number>,
  vocabularySize: number,
  alpha = 1,
): number {
  const logP = unigramLogProbs(train, vocabularySize, alpha);
  let total = 0;
  for (let i = 0; i < test.length; i++) total -= logP[test[i]!]!;
  return total / test.length;
}

/** Mean −log P(c_i | c_{i−1}) over the test pairs (the first character has no context). */
export function bigramCrossEntropy(
  train: ArrayLike<number>,
  test: ArrayLike<number>,
  vocabularySize: number,
  alpha = 1,
): number {
  const logP = bigramLogProbs(train, vocabularySize, alpha);
  let total = 0;
  for (let i = 1; i < test.length; i++) total -= logP[test[i - 1]! * vocabularySize + test[i]!]!;
  return total / (test.length - 1);
}

/**
 * The bigram table as a CharModel: the logits after character p are row p of the table and
 * the state carries nothing. A model with no training loop, for trying out the sampler.
 */
export function bigramModel(
  train: ArrayLike<number>,
  vocabularySize: number,
  alpha = 1,
): CharModel<null> {
  const logP = bigramLogProbs(train, vocabularySize, alpha);
  return {
    step: (id, state) => ({
      logits: logP.subarray(id * vocabularySize, (id + 1) * vocabularySize),
      state,
    }),
  };
}
