/**
 * cmd-export.ts and cmd-import.ts, as a user runs them: every format written from a
 * trained run; export → import is the identity bit for bit (weights, optimizer state,
 * config) for PyTorch, and Keras → unroll → Keras gives the same files byte for byte;
 * an imported run resumes and is diagnosed; bad input is refused in one line with
 * nothing written.
 */

import { cpSync, existsSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { saveSafetensors } from '@unroll/cells';
import { beforeAll, describe, expect, it } from 'vitest';
import { readCheckpoint } from '../src/checkpoint.ts';
import { FILES } from '../src/run-folder.ts';
import { expectUsageError, makeRun, onlyRun, runMain, tempFolder } from './helpers.ts';

const scratch = tempFolder();
let lstm: string; // a 2-layer LSTM on the adding problem, 4 Adam steps
let gru: string; // a GRU on copy memory, RMSprop

beforeAll(async () => {
  const small = { hidden: 6, layers: 2, seqLen: 8, batch: 4, steps: 4, evalEvery: 4, evalBatch: 8 };
  lstm = (await makeRun(join(scratch, 'lstm'), { ...small, task: 'adding', cell: 'lstm' })).folder;
  gru = (
    await makeRun(join(scratch, 'gru'), {
      ...small,
      task: 'copy',
      cell: 'gru',
      seqLen: 3,
      optimizer: 'rmsprop',
    })
  ).folder;
});

/** `unroll import …` into a fresh folder; returns the result and the one run folder made. */
async function importInto(name: string, args: string[]) {
  const out = join(scratch, name);
  const result = await runMain(['import', ...args, '--out', out]);
  return { ...result, out, run: result.code === 0 ? onlyRun(out) : null };
}

const listing = (folder: string) => {
  try {
    return readdirSync(folder);
  } catch {
    return [];
  }
};

describe('export', () => {
  it('writes each format, and says where', async () => {
    for (const [to, files] of [
      ['pytorch', ['model.safetensors', 'optimizer.safetensors', 'run.json', 'train.py']],
      ['tfjs', ['model.json', 'weights.bin']],
      ['keras', ['model.json', 'weights.bin']],
    ] as const) {
      const out = join(scratch, `lstm-${to}`);
      const { code, stdout } = await runMain(['export', '--run', lstm, '--to', to, '--out', out]);
      expect(code).toBe(0);
      expect(stdout).toContain(`as ${to}`);
      expect(listing(out).sort()).toEqual([...files].sort());
    }
    const onnx = join(scratch, 'lstm.onnx');
    expect((await runMain(['export', '--run', lstm, '--to', 'onnx', '--out', onnx])).code).toBe(0);
    expect(readFileSync(onnx).length).toBeGreaterThan(100);
  });

  it('refuses the GRU for TensorFlow.js with the reason, exit 1, and writes nothing', async () => {
    const out = join(scratch, 'gru-tfjs');
    const { code, stdout, stderr } = await runMain([
      'export',
      '--run',
      gru,
      '--to',
      'tfjs',
      '--out',
      out,
    ]);
    expect(code).toBe(1);
    expect(stdout).toBe('');
    expect(stderr.trim().split('\n')).toHaveLength(1);
    expect(stderr).toMatch(/cannot export a gru to tfjs: .*Cho et al/);
    expect(listing(out)).toEqual([]);
  });

  it('refuses a run without its checkpoint in one line, exit 1, and writes nothing', async () => {
    const broken = join(scratch, 'broken');
    cpSync(lstm, broken, { recursive: true });
    rmSync(join(broken, FILES.checkpoint));
    const { code, stdout, stderr } = await runMain(['export', '--run', broken, '--to', 'onnx']);
    expect(code).toBe(1);
    expect(stdout).toBe('');
    expect(stderr).toMatch(
      /^unroll export: cannot export .*broken: cannot read .*checkpoint\.safetensors/,
    );
    expect(stderr.trim().split('\n')).toHaveLength(1);
    expect(existsSync(join(broken, 'model.onnx'))).toBe(false);
  });

  it('refuses an unknown format, a missing --to and an --out that exists (exit 2)', async () => {
    await expectUsageError(['export', '--run', lstm, '--to', 'caffe'], "'caffe' for --to");
    await expectUsageError(['export', '--run', lstm], 'missing --to');
    await expectUsageError(
      ['export', '--run', lstm, '--to', 'onnx', '--out', lstm],
      'exists already',
    );
  });
});

describe('import', () => {
  it('refuses a --name that is not one safe folder name, before reading anything (exit 2)', async () => {
    const parent = join(scratch, 'names');
    for (const name of ['../../escaped', 'a/b', '.hidden']) {
      await expectUsageError(
        [
          'import',
          '--from',
          'pytorch',
          join(scratch, 'nothing-here'),
          '--cell',
          'lstm',
          '--out',
          parent,
          '--name',
          name,
        ],
        `invalid value '${name}' for --name`,
      );
    }
    expect(existsSync(parent)).toBe(false);
    expect(existsSync(join(scratch, '..', 'escaped'))).toBe(false);
  });

  it('PyTorch: run → export → import is the identity, bit for bit, optimizer state included', async () => {
    const folder = join(scratch, 'gru-pytorch');
    expect((await runMain(['export', '--run', gru, '--to', 'pytorch', '--out', folder])).code).toBe(
      0,
    );
    const imported = await importInto('gru-back', ['--from', 'pytorch', folder, '--cell', 'gru']);
    expect(imported.stderr).toBe('');
    const before = readCheckpoint(join(gru, FILES.checkpoint));
    const after = readCheckpoint(join(imported.run!, FILES.checkpoint));
    expect(after.config).toEqual(before.config);
    const bits = (x: Float64Array) =>
      Buffer.from(x.buffer, x.byteOffset, x.byteLength).toString('hex');
    for (const [name, p] of Object.entries(before.state.parameters)) {
      expect(bits(after.state.parameters[name]!.data)).toBe(bits(p.data));
    }
    // Every buffer's bits, and every counter and absent buffer (null), of every parameter.
    const optimizerState = (c: typeof before) =>
      Object.values(c.optimizerInput.state).map((entry) =>
        Object.fromEntries(
          Object.entries(entry).map(([k, v]) => [k, v instanceof Float64Array ? bits(v) : v]),
        ),
      );
    expect(Object.keys(before.optimizerInput.state)).toHaveLength(10);
    expect(optimizerState(after)).toEqual(optimizerState(before));
    expect(after.optimizerInput.paramGroups).toEqual(before.optimizerInput.paramGroups);
  });

  it('PyTorch: --lr sets the learning rate and keeps the optimizer state; --optimizer starts afresh', async () => {
    const folder = join(scratch, 'gru-pytorch');
    const withLr = await importInto('gru-lr', [
      '--from',
      'pytorch',
      folder,
      '--cell',
      'gru',
      '--lr',
      '0.5',
    ]);
    const kept = readCheckpoint(join(withLr.run!, FILES.checkpoint));
    expect(kept.config.lr).toBe(0.5);
    expect(kept.optimizerInput.paramGroups[0]).toMatchObject({ lr: 0.5 });
    expect(Object.keys(kept.optimizerInput.state)).toHaveLength(10);
    const fresh = await importInto('gru-sgd', [
      '--from',
      'pytorch',
      folder,
      '--cell',
      'gru',
      '--optimizer',
      'sgd',
    ]);
    const started = readCheckpoint(join(fresh.run!, FILES.checkpoint));
    expect(started.config.optimizer).toBe('sgd');
    expect(Object.keys(started.optimizerInput.state)).toHaveLength(0);
  });

  it('Keras: file → unroll → file gives the same files, byte for byte (LSTM; GRU as reset_after)', async () => {
    const gruKeras = join(scratch, 'gru-keras');
    expect((await runMain(['export', '--run', gru, '--to', 'keras', '--out', gruKeras])).code).toBe(
      0,
    );
    const gruBack = await importInto('gru-keras-back', [
      '--from',
      'keras',
      gruKeras,
      '--cell',
      'gru',
      '--task',
      'copy',
      '--seq-len',
      '3',
    ]);
    expect(gruBack.code).toBe(0);
    const gruAgain = join(scratch, 'gru-keras-again');
    expect(
      (await runMain(['export', '--run', gruBack.run!, '--to', 'keras', '--out', gruAgain])).code,
    ).toBe(0);
    expect(
      readFileSync(join(gruAgain, 'weights.bin')).equals(
        readFileSync(join(gruKeras, 'weights.bin')),
      ),
    ).toBe(true);
    const first = join(scratch, 'lstm-keras');
    const imported = await importInto('lstm-keras-back', [
      '--from',
      'keras',
      join(first, 'model.json'),
      '--cell',
      'lstm',
    ]);
    expect(imported.code).toBe(0);
    const again = join(scratch, 'lstm-keras-again');
    expect(
      (await runMain(['export', '--run', imported.run!, '--to', 'keras', '--out', again])).code,
    ).toBe(0);
    for (const file of ['model.json', 'weights.bin']) {
      expect(readFileSync(join(again, file)).equals(readFileSync(join(first, file)))).toBe(true);
    }
  });

  it('an imported run is taken by train --resume and diagnose', async () => {
    const imported = await importInto('lstm-resume', [
      '--from',
      'pytorch',
      join(scratch, 'lstm-pytorch'),
      '--cell',
      'lstm',
      '--steps',
      '2',
    ]);
    expect(imported.code).toBe(0);
    const resumed = await runMain(['train', '--resume', imported.run!]);
    expect(resumed.code).toBe(0);
    expect(resumed.stderr).toMatch(/^resuming lstm-adding-T8-2x6 from step 0\n/);
    expect(
      readFileSync(join(imported.run!, FILES.metrics), 'utf8').trim().split('\n'),
    ).toHaveLength(2);
    expect((await runMain(['diagnose', '--run', imported.run!, '--batch', '4'])).code).toBe(0);
  });

  describe('refuses bad input in one line and writes nothing', () => {
    const refused = async (name: string, args: string[], message: RegExp) => {
      const result = await importInto(name, args);
      expect(result.code).toBe(1);
      expect(result.stdout).toBe('');
      expect(result.stderr.trim().split('\n')).toHaveLength(1);
      expect(result.stderr).toMatch(message);
      expect(listing(result.out)).toEqual([]);
    };
    const stateDict = (name: string, drop: string | null, reshape: string | null) => {
      const run = readCheckpoint(join(lstm, FILES.checkpoint));
      const tensors: Record<string, { shape: number[]; data: Float64Array }> = {};
      for (const [k, v] of Object.entries(run.state.parameters)) {
        if (k === drop) continue;
        tensors[k] = k === reshape ? { shape: [v.data.length], data: v.data } : v;
      }
      const path = join(scratch, name);
      writeFileSync(path, saveSafetensors(tensors));
      return path;
    };

    it('the wrong cell', () =>
      refused(
        'bad-cell',
        ['--from', 'pytorch', stateDict('ok.safetensors', null, null), '--cell', 'gru'],
        /'weight_hh_l0' has shape \[24, 6\]; a gru .* is --cell right\?/,
      ));
    it('a missing tensor', () =>
      refused(
        'bad-missing',
        [
          '--from',
          'pytorch',
          stateDict('missing.safetensors', 'bias_hh_l1', null),
          '--cell',
          'lstm',
        ],
        /no tensor 'bias_hh_l1' \(expected shape \[24\]\)/,
      ));
    it('a tensor of the wrong shape', () =>
      refused(
        'bad-shape',
        [
          '--from',
          'pytorch',
          stateDict('shape.safetensors', null, 'weight_ih_l1'),
          '--cell',
          'lstm',
        ],
        /'weight_ih_l1' has shape \[144\], expected \[24, 6\]/,
      ));
    it('weights of another task', () =>
      refused(
        'bad-task',
        [
          '--from',
          'pytorch',
          stateDict('task.safetensors', null, null),
          '--cell',
          'lstm',
          '--task',
          'order',
        ],
        /reads out the last step|inputs of size 2 .* --task order has 8/,
      ));
    it('a file that is not safetensors', () =>
      refused(
        'bad-file',
        ['--from', 'pytorch', join(lstm, FILES.config), '--cell', 'lstm'],
        /config\.json/,
      ));
    it('a Keras model of another cell', () =>
      refused(
        'bad-keras',
        ['--from', 'keras', join(scratch, 'lstm-tfjs'), '--cell', 'rnn'],
        /layer 'lstm_l0' is a LSTM, but --cell is rnn/,
      ));

    it('an unknown format, no FILE, no --cell (exit 2)', async () => {
      await expectUsageError(
        ['import', '--from', 'caffe', 'x', '--cell', 'lstm'],
        "'caffe' for --from",
      );
      await expectUsageError(['import', '--from', 'pytorch', '--cell', 'lstm'], 'missing FILE');
      await expectUsageError(
        ['import', '--from', 'pytorch', join(lstm, FILES.config)],
        'missing --cell',
      );
      await expectUsageError(
        ['import', '--from', 'keras', join(scratch, 'nothing-here'), '--cell', 'lstm'],
        'no such file',
      );
    });
  });
});
