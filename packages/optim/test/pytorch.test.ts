/**
 * Trajectories computed by torch.optim itself (test/data/pytorch-reference.json,
 * made by scripts/pytorch_reference.py): the same starting parameters and the same
 * gradients must give the same parameters after every step, to within a few ulps.
 * (Not to the bit: PyTorch's vectorised kernels compute θ + αg with a fused
 * multiply-add, which JavaScript does not have. Adam and Adagrad mostly match exactly.)
 */

import { readFileSync } from 'node:fs';
import { Tensor, tensor } from '@unroll/tensor';
import { describe, expect, it } from 'vitest';
import {
  Adagrad,
  Adam,
  AdamW,
  CosineAnnealingLR,
  clipGradNorm,
  ExponentialLR,
  LinearLR,
  ReduceLROnPlateau,
  RMSprop,
  SGD,
  StepLR,
} from '../src/index.ts';

interface OptimizerRun {
  name: 'SGD' | 'Adagrad' | 'RMSprop' | 'Adam' | 'AdamW';
  options: Record<string, unknown>;
  groups: { params: number[]; options: Record<string, unknown> }[] | null;
  initial: number[][];
  grads: (number[] | null)[][];
  trajectory: number[][][];
}
interface ScheduleRun {
  name: string;
  options: Record<string, unknown>;
  metrics: number[] | null;
  lrs: number[][];
}
interface ClipRun {
  normType: number | 'Infinity';
  maxNorm: number;
  grads: number[][];
  total: number;
  clipped: number[][];
}
const reference: {
  shapes: number[][];
  optimizers: OptimizerRun[];
  schedulers: ScheduleRun[];
  clipping: ClipRun[];
} = JSON.parse(readFileSync(new URL('./data/pytorch-reference.json', import.meta.url), 'utf8'));

/** Options come from JSON, so they are typed loosely here; the constructors check them. */
function makeOptimizer(
  name: OptimizerRun['name'],
  params: Tensor[] | { params: Tensor[] }[],
  options: Record<string, unknown>,
): { step(): void } {
  const [p, o] = [params as never, options as never];
  switch (name) {
    case 'SGD':
      return new SGD(p, o);
    case 'Adagrad':
      return new Adagrad(p, o);
    case 'RMSprop':
      return new RMSprop(p, o);
    case 'Adam':
      return new Adam(p, o);
    case 'AdamW':
      return new AdamW(p, o);
  }
}

const leaf = (values: number[], shape: number[]) =>
  new Tensor(Float64Array.from(values), shape, true);

/** Relative agreement: |ours − torch| ≤ 1e-13·max(1, |torch|) everywhere. */
const TIGHT = { atol: 1e-13, rtol: 1e-13 };

describe('optimizers against torch.optim trajectories', () => {
  it.each(
    reference.optimizers.map(
      (run) => [run.name, JSON.stringify(run.options), JSON.stringify(run.groups), run] as const,
    ),
  )('%s %s groups %s', (name, _o, _g, run) => {
    const params = run.initial.map((values, i) => leaf(values, reference.shapes[i]!));
    const opt = makeOptimizer(
      name,
      run.groups === null
        ? params
        : run.groups.map((g) => ({ params: g.params.map((i) => params[i]!), ...g.options })),
      run.options,
    );
    run.grads.forEach((stepGrads, step) => {
      params.forEach((p, i) => {
        const g = stepGrads[i];
        p.grad = g === null || g === undefined ? null : tensor(g);
      });
      opt.step();
      params.forEach((p, i) => {
        expect(p.data, `step ${step}, parameter ${i}`).toBeAllclose(
          run.trajectory[step]![i]!,
          TIGHT,
        );
      });
    });
  });
});

/** An SGD over two one-entry parameters in two groups with lrs 0.1 and 0.05, as the script builds. */
function twoGroupSGD() {
  const p = new Tensor(new Float64Array(1), [1], true);
  const q = new Tensor(new Float64Array(1), [1], true);
  return new SGD(
    [
      { params: [p], lr: 0.1 },
      { params: [q], lr: 0.05 },
    ],
    { lr: 0.1 },
  );
}

function makeSchedules(run: ScheduleRun, opt: SGD): { step(metric: number): void }[] {
  const o = run.options as never;
  switch (run.name) {
    case 'StepLR':
      return [new StepLR(opt, o)];
    case 'ExponentialLR':
      return [new ExponentialLR(opt, o)];
    case 'CosineAnnealingLR':
      return [new CosineAnnealingLR(opt, o)];
    case 'LinearLR':
      return [new LinearLR(opt, o)];
    case 'LinearLR+CosineAnnealingLR': {
      const { linear, cosine } = run.options as { linear: never; cosine: never };
      return [new LinearLR(opt, linear), new CosineAnnealingLR(opt, cosine)];
    }
    case 'ReduceLROnPlateau':
      return [new ReduceLROnPlateau(opt, o)];
    default:
      throw new Error(`no schedule named ${run.name}`);
  }
}

describe('schedules against torch.optim.lr_scheduler', () => {
  it.each(reference.schedulers.map((run) => [run.name, JSON.stringify(run.options), run] as const))(
    '%s %s',
    (_name, _options, run) => {
      const opt = twoGroupSGD();
      const schedules = makeSchedules(run, opt);
      const lrs = [opt.paramGroups.map((g) => g.lr)];
      for (let step = 1; step < run.lrs.length; step++) {
        for (const s of schedules) s.step(run.metrics?.[step - 1] ?? Number.NaN);
        lrs.push(opt.paramGroups.map((g) => g.lr));
      }
      // The chainable forms do PyTorch's arithmetic in PyTorch's order: the same bits,
      // except that Math.cos and C's cos may differ in the last bit, a few ulps over a run.
      if (run.name.includes('Cosine')) expect(lrs).toBeAllclose(run.lrs, { atol: 0, rtol: 1e-14 });
      else expect(lrs).toEqual(run.lrs);
    },
  );
});

describe('clipGradNorm against torch.nn.utils.clip_grad_norm_', () => {
  it.each(reference.clipping.map((run) => [run.normType, run.maxNorm, run] as const))(
    'normType %s, maxNorm %s',
    (_p, maxNorm, run) => {
      const params = run.grads.map((g, i) => {
        const p = new Tensor(new Float64Array(g.length), reference.shapes[i]!, true);
        p.grad = tensor(g);
        return p;
      });
      const normType = run.normType === 'Infinity' ? Infinity : run.normType;
      const total = clipGradNorm(params, maxNorm, { normType });
      expect(total).toBeAllclose(run.total, TIGHT);
      params.forEach((p, i) => {
        expect(p.grad!.data).toBeAllclose(run.clipped[i]!, TIGHT);
      });
    },
  );
});
