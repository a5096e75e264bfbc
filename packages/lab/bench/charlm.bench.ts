/**
 * The Shakespeare-class benchmark: a 2-layer LSTM trained on a ~1 MB English text for a
 * fixed wall-clock budget, with the validation part's bits per character recorded
 * against time. The question it answers: how far does unroll get, on this machine, in
 * the time a student will wait (30 minutes)?
 *
 *   npm run bench:charlm -- --minutes 30                  (defaults: the novel below, 2 × 128)
 *   npm run bench:charlm -- --minutes 5 --hidden 256 --text ~/tinyshakespeare.txt
 *
 * The text: the whole of Moby-Dick (bench/data/moby-dick.txt, 1.2 MB, see its README).
 *
 * Validation bits per character are measured the way a language model is used: the first
 * --eval-chars characters of the held-out tenth, read as 16 contiguous streams with the
 * hidden state carried from window to window (not from a zero state per window, which
 * would charge every window for its first, context-free characters), scored at every
 * position: bits = −Σ log₂ p(next) / count.
 *
 * Prints a table (wall and CPU minutes, steps, characters read, bits/char) and two samples, and writes
 * bench/results/charlm.json with the machine's load average, so a figure is never quoted
 * without the conditions it was measured in.
 */

import { mkdirSync, writeFileSync } from 'node:fs';
import { availableParallelism, cpus, loadavg } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { splitIds } from '@unroll/tasks';
import { defaultConfig, type TrainConfig } from '../src/config.ts';
import { forwardStack, type LayerState, stateAt } from '../src/fast-path.ts';
import type { SequenceModel } from '../src/model.ts';
import { readTextSource, textIds } from '../src/run-data.ts';
import { sampleAt } from '../src/run-watch.ts';
import { Trainer } from '../src/trainer.ts';

const lab = fileURLToPath(new URL('..', import.meta.url));
const { values } = parseArgs({
  options: {
    minutes: { type: 'string', default: '30' },
    text: { type: 'string', default: join(lab, 'bench', 'data', 'moby-dick.txt') },
    hidden: { type: 'string', default: '128' },
    layers: { type: 'string', default: '2' },
    batch: { type: 'string', default: '32' },
    'seq-len': { type: 'string', default: '64' },
    lr: { type: 'string', default: '0.002' },
    evals: { type: 'string', default: '10' },
    'eval-chars': { type: 'string', default: '20000' },
  },
});
const minutes = Number(values.minutes);
const base: TrainConfig = {
  ...defaultConfig('charlm'),
  layers: Number(values.layers),
  hidden: Number(values.hidden),
  batch: Number(values.batch),
  seqLen: Number(values['seq-len']),
  lr: Number(values.lr),
  clip: 5,
  steps: 1e9,
  evalEvery: 1e9, // the benchmark measures on its own, below
};
base.text = readTextSource(values.text!, base, 0.1);
base.name = `bench-charlm-${base.layers}x${base.hidden}`;
const trainer = new Trainer(base);
const V = base.text.vocabulary.length;
const validation = splitIds(textIds(base.text), 0.1).validation.subarray(
  0,
  Number(values['eval-chars']),
);

/** −Σ log₂ p(next) / count over `ids`, read as `streams` contiguous streams with carried state. */
function validationBits(
  model: SequenceModel,
  ids: ArrayLike<number>,
  streams = 16,
  T = 128,
): number {
  const S = Math.floor(ids.length / streams);
  const H = model.spec.hiddenSize;
  const W = model.readout.weight.data; // [V, H]
  const b = model.readout.bias!.data;
  let state: LayerState[] | null = null;
  let nats = 0;
  let count = 0;
  for (let from = 0; from + 1 < S; from += T) {
    const n = Math.min(T, S - 1 - from);
    const xs = new Float64Array(streams * n * V);
    for (let s = 0; s < streams; s++) {
      for (let t = 0; t < n; t++) xs[(s * n + t) * V + ids[s * S + from + t]!] = 1;
    }
    const tape = forwardStack(model, xs, streams, n, state);
    state = stateAt(tape, n);
    const logits = new Float64Array(V);
    for (let s = 0; s < streams; s++) {
      for (let t = 0; t < n; t++) {
        const h = (s * n + t) * H;
        let max = -Infinity;
        for (let v = 0; v < V; v++) {
          let z = b[v]!;
          for (let j = 0; j < H; j++) z += W[v * H + j]! * tape.output[h + j]!;
          logits[v] = z;
          if (z > max) max = z;
        }
        // −log softmax(z)_target = log Σ exp(z_v − max) + max − z_target
        let sum = 0;
        for (let v = 0; v < V; v++) sum += Math.exp(logits[v]! - max);
        nats += Math.log(sum) + max - logits[ids[s * S + from + t + 1]!]!;
        count++;
      }
    }
  }
  return nats / count / Math.LN2;
}

const load = loadavg()[0]!;
const budget = minutes * 60_000;
const evalTimes = Array.from(
  { length: Number(values.evals) },
  (_, i) => ((i + 1) / Number(values.evals)) * budget,
);
const started = performance.now();
const cpuStart = process.cpuUsage();
const points: {
  minutes: number;
  cpuMinutes: number;
  step: number;
  characters: number;
  bitsPerChar: number;
}[] = [];
const measure = () => {
  const cpu = process.cpuUsage(cpuStart);
  const point = {
    minutes: Number(((performance.now() - started) / 60_000).toFixed(2)),
    // Time this process had a core: on a machine shared with other work, the fair clock.
    cpuMinutes: Number(((cpu.user + cpu.system) / 60e6).toFixed(2)),
    step: trainer.step,
    characters: trainer.step * base.batch * base.seqLen,
    bitsPerChar: Number(validationBits(trainer.model, validation).toFixed(4)),
  };
  points.push(point);
  console.log(
    `${point.minutes.toFixed(2).padStart(7)}  ${point.cpuMinutes.toFixed(2).padStart(7)}  ${String(point.step).padStart(6)}  ${String(point.characters).padStart(10)}  ${point.bitsPerChar.toFixed(3)}`,
  );
};
console.log(
  `${base.name}: ${base.text.file}, ${base.text.characters} characters, V = ${V}; budget ${minutes} min; load average ${load.toFixed(2)} on ${availableParallelism()} cores`,
);
console.log('minutes  cpu-min   steps  characters  validation bits/char');
measure();
for (const at of evalTimes) {
  while (performance.now() - started < at) {
    const result = trainer.trainStep();
    if (!result.ok) throw new Error(result.message);
  }
  measure();
}
const samples = [0.5, 0.8].map((temperature) => ({
  temperature,
  text: `The ${sampleAt(trainer, { every: 1, temperature, prime: 'The ', length: 300 })}`,
}));
for (const s of samples) console.log(`\n── sample, temperature ${s.temperature} ──\n${s.text}`);
const results = join(lab, 'bench', 'results');
mkdirSync(results, { recursive: true });
writeFileSync(
  join(results, 'charlm.json'),
  `${JSON.stringify(
    {
      date: new Date().toISOString(),
      text: { file: base.text.file, characters: base.text.characters, sha256: base.text.sha256 },
      config: { ...base, text: undefined },
      minutes,
      node: process.version,
      cpu: cpus()[0]?.model,
      cores: availableParallelism(),
      loadAverageBefore: load,
      loadAverageAfter: loadavg()[0],
      points,
      samples,
    },
    null,
    2,
  )}\n`,
);
