/**
 * unroll outside this repository. Every package is packed as it would be published,
 * installed from the tarballs into a fresh project that has no TypeScript tooling and
 * no network (`npm install --offline`), and used four ways: plain `node` in ESM, a
 * TypeScript program checked against the shipped declarations, a browser bundle, and
 * the `unroll` command installed globally.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runInNewContext } from 'node:vm';
import { build } from 'esbuild';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { npm, outsideEnv, packAll } from '../src/pack.ts';
import { publishable, repoDir } from '../src/workspace.ts';

const version = publishable()[0]!.manifest.version;
const work = mkdtempSync(join(tmpdir(), 'unroll-consumer-'));
const app = join(work, 'app');
const globalPrefix = join(work, 'global');
let tarballs: string[] = [];

// Overfit one fixed batch of the adding problem: the loss must fall, and the numbers
// must be the same wherever the code runs (compiled or source, Node or browser).
const TRAINING = `
const rng = new Rng(7);
const task = new AddingProblem({ length: 8 });
const lstm = new LSTM({ inputSize: 2, hiddenSize: 6, rng });
const readout = new Linear({ inFeatures: 6, outFeatures: 1, rng });
const optimizer = new Adam([...lstm.parameters(), ...readout.parameters()], { lr: 0.05 });
const batch = task.batch(4, rng);
const losses = [];
for (let step = 0; step < 40; step++) {
  const { output } = lstm.forward(batch.inputs);
  const last = reshape(narrow(output, 1, 7, 1), [4, 6]);
  const loss = mse(readout.forward(last), batch.targets);
  optimizer.zeroGrad();
  loss.backward();
  optimizer.step();
  losses.push(loss.item());
}
`;
const IMPORTS = `
import { LSTM, Linear } from '@unroll/cells';
import { Adam } from '@unroll/optim';
import { AddingProblem } from '@unroll/tasks';
import { Rng, mse, narrow, reshape } from '@unroll/tensor';
`;

function run(command: string, args: string[], cwd: string) {
  return spawnSync(command, args, { cwd, env: outsideEnv(), encoding: 'utf8', timeout: 120_000 });
}

beforeAll(() => {
  const packed = packAll(join(work, 'tarballs'));
  tarballs = [...packed.unroll.values(), ...packed.thirdParty];
  execFileSync('mkdir', ['-p', app]);
  writeFileSync(
    join(app, 'package.json'),
    JSON.stringify({ name: 'consumer', private: true, type: 'module' }),
  );
  npm(['install', '--offline', ...tarballs], app);
});

afterAll(() => rmSync(work, { recursive: true, force: true }));

describe('installed from tarballs into a plain Node 20 project', () => {
  it('has no TypeScript tooling to lean on', () => {
    const installed = readdirSync(join(app, 'node_modules'));
    expect(installed).not.toContain('tsx');
    expect(installed).not.toContain('typescript');
    expect(readdirSync(join(app, 'node_modules', '@unroll')).sort()).toEqual(
      publishable()
        .map((w) => w.manifest.name.replace('@unroll/', ''))
        .sort(),
    );
  });

  it('trains an LSTM with plain node, to the same numbers as the source', async () => {
    writeFileSync(
      join(app, 'train.mjs'),
      `${IMPORTS}${TRAINING}console.log(JSON.stringify(losses));`,
    );
    const result = run(process.execPath, ['train.mjs'], app);
    expect(result.stderr).toBe('');
    const installed = JSON.parse(result.stdout) as number[];
    expect(installed.at(-1)!).toBeLessThan(installed[0]! / 4);

    const { LSTM, Linear } = await import('@unroll/cells');
    const { Adam } = await import('@unroll/optim');
    const { AddingProblem } = await import('@unroll/tasks');
    const { Rng, mse, narrow, reshape } = await import('@unroll/tensor');
    const fromSource = new Function(
      'LSTM, Linear, Adam, AddingProblem, Rng, mse, narrow, reshape',
      `${TRAINING}return losses;`,
    )(LSTM, Linear, Adam, AddingProblem, Rng, mse, narrow, reshape) as number[];
    expect(installed).toEqual(fromSource);
  });

  it('typechecks a TypeScript consumer against the shipped declarations, and catches its mistakes', () => {
    const tsc = join(repoDir, 'node_modules', 'typescript', 'bin', 'tsc');
    writeFileSync(
      join(app, 'tsconfig.json'),
      JSON.stringify({
        compilerOptions: {
          module: 'nodenext',
          moduleResolution: 'nodenext',
          target: 'es2022',
          strict: true,
          noEmit: true,
          types: [],
        },
        files: ['consumer.ts'],
      }),
    );
    const good = `
import { LSTM, type LSTMState } from '@unroll/cells';
import { unroll } from '@unroll/bptt';
import { gradcheck } from '@unroll/gradcheck';
import { Rng, randn, type Tensor } from '@unroll/tensor';
const rng = new Rng(1);
const lstm = new LSTM({ inputSize: 2, hiddenSize: 3, rng });
const x: Tensor = randn([1, 4, 2], rng);
const out: Tensor = lstm.forward(x).output;
export const shape: readonly number[] = out.shape;
export type State = LSTMState;
export const checks = [unroll, gradcheck];
`;
    writeFileSync(join(app, 'consumer.ts'), good);
    const ok = run(process.execPath, [tsc, '-p', 'tsconfig.json'], app);
    expect(ok.stdout + ok.stderr).toBe('');
    expect(ok.status).toBe(0);

    writeFileSync(
      join(app, 'consumer.ts'),
      `${good}\nnew LSTM({ inputSize: 'two', hiddenSize: 3 });\n`,
    );
    const bad = run(process.execPath, [tsc, '-p', 'tsconfig.json'], app);
    expect(bad.status).not.toBe(0);
    expect(bad.stdout).toMatch(
      /consumer\.ts\(\d+,\d+\): error TS2322: Type 'string' is not assignable to type 'number'/,
    );
  });

  it('bundles the engine for the browser from the installed packages, and it trains there', async () => {
    const result = await build({
      stdin: {
        contents: `${IMPORTS}${TRAINING}globalThis.result = losses;`,
        resolveDir: app,
        loader: 'js',
      },
      bundle: true,
      platform: 'browser',
      format: 'iife',
      write: false,
      logLevel: 'silent',
      absWorkingDir: app,
    });
    const code = result.outputFiles[0]!.text;
    expect(code).not.toMatch(/\/src\/[\w-]+\.ts/);
    const sandbox: Record<string, unknown> = {};
    runInNewContext(code, sandbox);
    expect(runInNewContext('typeof process', sandbox)).toBe('undefined');
    const losses = sandbox.result as number[];
    expect(losses).toHaveLength(40);
    expect(losses.at(-1)!).toBeLessThan(losses[0]! / 4);
  });
});

describe('the unroll command installed globally from the tarballs', () => {
  const unroll = () => join(globalPrefix, 'bin', 'unroll');

  beforeAll(() => {
    npm(['install', '--global', '--prefix', globalPrefix, '--offline', ...tarballs], work);
  });

  it('runs with plain node: no tsx anywhere in the installation', () => {
    expect(existsSync(join(globalPrefix, 'lib', 'node_modules', 'tsx'))).toBe(false);
    const result = run(unroll(), ['--version'], work);
    expect(result.stderr).toBe('');
    expect(result.stdout.trim()).toBe(`unroll ${version}`);
    expect(result.status).toBe(0);
  });

  it('trains a tiny model and writes its run folder', () => {
    const out = join(work, 'runs');
    const result = run(
      unroll(),
      [
        'train',
        '--task',
        'adding',
        '--cell',
        'gru',
        '--hidden',
        '4',
        '--seq-len',
        '5',
        '--batch',
        '4',
        '--steps',
        '3',
        '--out',
        out,
        '--name',
        'tiny',
      ],
      work,
    );
    // Progress lines go to stderr; an error would end the run with a non-zero status.
    expect(result.stderr).not.toMatch(/error|at .*\.js:\d+/i);
    expect(result.status).toBe(0);
    const folder = join(out, readdirSync(out)[0]!);
    expect(readdirSync(folder)).toEqual(
      expect.arrayContaining([
        'config.json',
        'metrics.jsonl',
        'checkpoint.safetensors',
        'report.html',
      ]),
    );
  });
});
