import { unrollTestConfig } from '../vitest.shared.ts';

// Packing and installing every package takes tens of seconds on two cores.
export default unrollTestConfig({ test: { testTimeout: 240_000, hookTimeout: 240_000 } });
