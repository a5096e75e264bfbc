import { defineConfig } from 'vitest/config';

// Property tests are deterministic but CPU-bound; under a parallel `npm test` on two
// cores a test can take several times as long as alone, so the limit is generous.
export default defineConfig({
  test: { setupFiles: ['@unroll/gradcheck/vitest-setup'], testTimeout: 60_000 },
});
