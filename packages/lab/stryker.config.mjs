import { strykerConfig } from '../../stryker.base.mjs';

// The trainer: windows of truncated BPTT, the step, clipping, the gradient norm. Run
// against the trainer's and the engines' unit tests only (vitest.mutation.config.ts).
export default {
  ...strykerConfig(['src/trainer.ts', 'src/engines.ts']),
  vitest: { configFile: 'vitest.mutation.config.ts' },
};
