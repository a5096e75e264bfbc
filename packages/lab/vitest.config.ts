import { unrollTestConfig } from '../../vitest.shared.ts';

export default unrollTestConfig({
  // The end-to-end tests run the real command in child processes: seconds, not milliseconds.
  test: { hookTimeout: 60_000 },
});
