import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    setupFiles: ['@unroll/gradcheck/vitest-setup'],
    // The end-to-end tests run the real command in child processes: seconds, not milliseconds.
    testTimeout: 60_000,
    hookTimeout: 60_000,
  },
});
