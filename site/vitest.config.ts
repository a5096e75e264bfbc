import { unrollTestConfig } from '../vitest.shared.ts';

// The browser tests build the site first (beforeAll) and train in the page: generous limits.
export default unrollTestConfig({
  test: { testTimeout: 120_000, hookTimeout: 240_000, include: ['test/**/*.test.ts'] },
});
