import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: { setupFiles: ['@unroll/gradcheck/vitest-setup'] },
});
