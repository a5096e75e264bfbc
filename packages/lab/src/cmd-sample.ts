/**
 * `unroll sample`: text from a trained char-LM. The model reads one character at a time
 * (one step of the recurrent stack from the state it has so far, then the readout's
 * logits), @unroll/tasks' sampler draws the next one, and that is fed back. The same
 * --seed gives the same text.
 */

import { type CharModel, sampleText } from '@unroll/tasks';
import { Rng } from '@unroll/tensor';
import { parseFlags, UsageError } from './args.ts';
import { sampleCommand } from './commands.ts';
import { forwardStack, type LayerState, stateAt } from './fast-path.ts';
import type { Io } from './main.ts';
import type { SequenceModel } from './model.ts';
import { openRun, runFolderFlag } from './saved-run.ts';

/** The model as a CharModel: one character in, the next character's logits out. */
export function charModel(model: SequenceModel): CharModel<LayerState[] | null> {
  const { inputSize: V, hiddenSize: H } = model.spec;
  const W = model.readout.weight.data; // [V, H]
  const b = model.readout.bias?.data ?? null;
  return {
    step(id, state) {
      const x = new Float64Array(V);
      x[id] = 1;
      const tape = forwardStack(model, x, 1, 1, state);
      const h = tape.output;
      const logits = new Float64Array(V);
      for (let v = 0; v < V; v++) {
        let z = b === null ? 0 : b[v]!;
        for (let j = 0; j < H; j++) z += W[v * H + j]! * h[j]!;
        logits[v] = z;
      }
      return { logits, state: stateAt(tape, 1) };
    },
  };
}

export async function runSample(argv: readonly string[], io: Io): Promise<number> {
  const flags = parseFlags(argv, sampleCommand);
  const usage = sampleCommand.usage;
  const folder = runFolderFlag(flags.run, usage, 'of a char-LM to sample from');
  let trainer: ReturnType<typeof openRun>;
  try {
    trainer = openRun(folder);
  } catch (error) {
    io.stderr.write(`unroll sample: cannot load ${flags.run}: ${(error as Error).message}\n`);
    return 1;
  }
  const vocabulary = trainer.task.vocabulary;
  if (vocabulary === null) {
    throw new UsageError(
      `invalid value '${flags.run}' for --run: expected a char-LM run (--task charlm), this one is --task ${trainer.config.task}`,
      usage,
    );
  }
  const prime = flags.prime ?? 'The ';
  for (const ch of prime) {
    if (!vocabulary.has(ch)) {
      throw new UsageError(
        `invalid value for --prime: ${JSON.stringify(ch)} is not one of the ${vocabulary.size} characters of the corpus`,
        usage,
      );
    }
  }
  const topK = flags['top-k'];
  if (topK !== undefined && topK > vocabulary.size) {
    throw new UsageError(
      `invalid value '${topK}' for --top-k: expected an integer in [1, ${vocabulary.size}]`,
      usage,
    );
  }
  const text = sampleText(charModel(trainer.model), vocabulary, {
    prompt: prime,
    state: null,
    length: flags.length ?? 300,
    rng: new Rng(flags.seed ?? 0),
    temperature: flags.temperature ?? 0.8,
    ...(topK === undefined ? {} : { topK }),
  });
  io.stdout.write(`${prime}${text}\n`);
  return 0;
}
