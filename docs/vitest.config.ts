import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: { setupFiles: ['@unroll/gradcheck/vitest-setup'], testTimeout: 60_000 },
});
