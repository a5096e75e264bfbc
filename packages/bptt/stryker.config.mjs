import { strykerConfig } from '../../stryker.base.mjs';

// The hand-derived backward passes through time, and the fused unrolling.
export default strykerConfig(['src/manual/*.ts', 'src/fused.ts']);
