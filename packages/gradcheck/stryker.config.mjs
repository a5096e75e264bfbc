import { strykerConfig } from '../../stryker.base.mjs';

// The judge itself: its comparison, its central differences and its checks.
export default strykerConfig(['src/numerical.ts', 'src/compare.ts', 'src/check.ts']);
