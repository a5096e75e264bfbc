import { defineConfig } from 'vitest/config';

// The honesty test grades every exercise in a fresh student copy: a few seconds of
// CPU alone, several times that under a parallel `npm test` on two cores.
export default defineConfig({
  test: { setupFiles: ['@unroll/gradcheck/vitest-setup'], testTimeout: 120_000 },
});
