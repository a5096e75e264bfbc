/**
 * Generating text from any trained character model.
 *
 * A model is anything that reads one character id with a state and returns the logits of
 * the next character with the new state: a cell with an embedding and a readout, a
 * stacked LSTM, or a hand-built table (see `bigramModel`). The sampler feeds the prompt,
 * then repeatedly draws a character from the logits and feeds it back.
 *
 * Drawing: p_i ∝ exp(l_i / τ). The temperature τ sharpens (τ < 1) or flattens (τ > 1) the
 * distribution; as τ → 0 it puts all mass on the largest logit, so τ = 0 means argmax
 * (greedy decoding). Top-k keeps the k largest logits and sets the rest to −∞ before the
 * softmax, so a rare, unlikely character can never be drawn.
 *
 * `cellCharModel` turns a trained cell of @unroll/cells, with its embedding and readout,
 * into such a model.
 */

import type { Embedding, HiddenState, Linear, RecurrentCell } from '@unroll/cells';
import { noGrad, type Rng } from '@unroll/tensor';
import { oneHot } from './one-hot.ts';
import type { Vocabulary } from './vocabulary.ts';

export interface CharModel<S> {
  /** Reads character `id` in `state`; returns logits over the next character and the new state. */
  step(id: number, state: S): { logits: ArrayLike<number>; state: S };
}

export interface SamplingOptions {
  /** τ ≥ 0 (default 1); 0 means argmax. */
  temperature?: number;
  /** Keep only the k most likely characters (default: all). */
  topK?: number;
}

/** Draws one id from logits (one rng.uniform() unless τ = 0 or only one id is kept). */
export function sampleFromLogits(
  logits: ArrayLike<number>,
  rng: Rng,
  options: SamplingOptions = {},
): number {
  const { temperature = 1, topK = logits.length } = options;
  const V = logits.length;
  if (V === 0) throw new RangeError('sampleFromLogits: logits are empty');
  if (!(temperature >= 0 && Number.isFinite(temperature))) {
    throw new RangeError(
      `sampleFromLogits: temperature must be a finite number >= 0, got ${temperature}`,
    );
  }
  if (!Number.isInteger(topK) || topK < 1 || topK > V) {
    throw new RangeError(`sampleFromLogits: topK must be an integer in [1, ${V}], got ${topK}`);
  }
  for (let i = 0; i < V; i++) {
    if (Number.isNaN(logits[i]!) || logits[i] === Infinity) {
      throw new RangeError(`sampleFromLogits: logit ${i} is ${logits[i]}`);
    }
  }
  // Ids by decreasing logit, the lower id first on ties, so top-k and argmax are deterministic.
  const order = Array.from({ length: V }, (_, i) => i).sort(
    (a, b) => logits[b]! - logits[a]! || a - b,
  );
  const kept = order.slice(0, topK);
  if (temperature === 0 || kept.length === 1) return kept[0]!;

  // softmax(l / τ) over the kept ids, shifted by the largest logit so exp cannot overflow.
  const top = logits[kept[0]!]!;
  const weights = kept.map((i) => Math.exp((logits[i]! - top) / temperature));
  const total = weights.reduce((a, b) => a + b, 0);
  let u = rng.uniform() * total;
  for (let j = 0; j < kept.length; j++) {
    u -= weights[j]!;
    if (u < 0) return kept[j]!;
  }
  // u can survive the loop by a rounding error; the last id with weight > 0 is then right.
  for (let j = kept.length - 1; j >= 0; j--) if (weights[j]! > 0) return kept[j]!;
  return kept[0]!;
}

export interface SampleOptions<S> extends SamplingOptions {
  /** Ids fed to the model before sampling starts; at least one. */
  prompt: ArrayLike<number>;
  /** The state to start from (e.g. zeros from the cell's initialState). */
  state: S;
  /** How many ids to generate after the prompt (at most, with `stopAt`). */
  length: number;
  rng: Rng;
  /** Stop when this id is drawn; it is neither returned nor fed to the model. */
  stopAt?: number;
}

/**
 * Feeds the prompt, then draws `length` ids, feeding each back. Returns them and the state
 * after reading the prompt and every drawn id.
 */
export function sample<S>(
  model: CharModel<S>,
  options: SampleOptions<S>,
): { ids: number[]; state: S } {
  const { prompt, length, rng } = options;
  if (prompt.length === 0)
    throw new RangeError('sample: the prompt needs at least one id to condition on');
  if (!Number.isInteger(length) || length < 0) {
    throw new RangeError(`sample: length must be an integer >= 0, got ${length}`);
  }
  let state = options.state;
  let logits: ArrayLike<number> = [];
  for (let i = 0; i < prompt.length; i++) ({ logits, state } = model.step(prompt[i]!, state));
  const ids: number[] = [];
  for (let n = 0; n < length; n++) {
    const id = sampleFromLogits(logits, rng, options);
    if (id === options.stopAt) break;
    ids.push(id);
    ({ logits, state } = model.step(id, state));
  }
  return { ids, state };
}

/** `sample` with text in and out: returns the generated characters (without the prompt). */
export function sampleText<S>(
  model: CharModel<S>,
  vocabulary: Vocabulary,
  options: Omit<SampleOptions<S>, 'prompt'> & { prompt: string },
): string {
  const { ids } = sample(model, { ...options, prompt: vocabulary.encode(options.prompt) });
  return vocabulary.decode(ids);
}

/** A character model made of @unroll/cells parts. */
export interface CellCharModelParts<S extends HiddenState> {
  /** RNNCell, LSTMCell or GRUCell: one step per character. */
  cell: RecurrentCell<S>;
  /** h [1, H] → logits [1, V]: one logit per character of the vocabulary. */
  readout: Linear;
  /** ids → the cell's inputs; without one, the cell reads the one-hot vector of the id. */
  embedding?: Embedding;
}

/**
 * A trained cell as a CharModel: embed (or one-hot encode) the id, take one cell step,
 * read the logits out of h. The state is the cell's own ({ h } or { h, c }); null
 * means its zero state, so sampling starts with `state: null`. Steps run under noGrad:
 * generating text needs no gradients and must not grow a graph.
 */
export function cellCharModel<S extends HiddenState>(
  parts: CellCharModelParts<S>,
): CharModel<S | null> {
  const { cell, readout, embedding } = parts;
  const V = readout.outFeatures;
  const what = 'cellCharModel';
  if (readout.inFeatures !== cell.hiddenSize) {
    throw new RangeError(
      `${what}: readout.inFeatures must be the cell's hiddenSize ${cell.hiddenSize}, got ${readout.inFeatures}`,
    );
  }
  if (embedding !== undefined) {
    if (embedding.numEmbeddings !== V || embedding.embeddingDim !== cell.inputSize) {
      throw new RangeError(
        `${what}: the embedding must be [${V} characters, inputSize ${cell.inputSize}] to sit between the readout's ${V} logits and the cell, got [${embedding.numEmbeddings}, ${embedding.embeddingDim}]`,
      );
    }
  } else if (cell.inputSize !== V) {
    throw new RangeError(
      `${what}: without an embedding the cell reads one-hot ids, so its inputSize must be the readout's ${V} outputs, got ${cell.inputSize}`,
    );
  }
  return {
    step: (id, state) =>
      noGrad(() => {
        const x = embedding === undefined ? oneHot([id], [1], V) : embedding.forward([id]);
        const next = cell.step(x, state ?? undefined);
        return { logits: readout.forward(next.h).data, state: next };
      }),
  };
}
