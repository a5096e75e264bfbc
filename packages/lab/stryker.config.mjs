import { strykerConfig } from '../../stryker.base.mjs';

// The trainer: windows of truncated BPTT, the step, clipping, the gradient norm.
export default strykerConfig(['src/trainer.ts', 'src/engines.ts']);
