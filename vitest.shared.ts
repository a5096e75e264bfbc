/**
 * The vitest settings every workspace shares.
 *
 * Each package's `exports` names its compiled JavaScript in `dist/` for the people who
 * install it, and its TypeScript source under the extra condition `unroll-source`.
 * Inside this repository the tests read the source (no build step), so that condition
 * is switched on here, for every import and for the setup file that registers
 * `toBeAllclose`.
 */
import { fileURLToPath } from 'node:url';
import { defaultServerConditions } from 'vite';
import { defineConfig, mergeConfig, type ViteUserConfig } from 'vitest/config';

export const SOURCE_CONDITION = 'unroll-source';

const matchersSetup = fileURLToPath(
  new URL('./packages/gradcheck/src/vitest-setup.ts', import.meta.url),
);

export function unrollTestConfig(overrides: ViteUserConfig = {}): ViteUserConfig {
  const shared = defineConfig({
    resolve: { conditions: [SOURCE_CONDITION, ...defaultServerConditions] },
    ssr: { resolve: { conditions: [SOURCE_CONDITION, ...defaultServerConditions] } },
    test: {
      setupFiles: [matchersSetup],
      // Property tests are deterministic but CPU-bound; under a parallel `npm test` on
      // two cores a test can take several times as long as alone, so the limit is generous.
      testTimeout: 60_000,
    },
  });
  return mergeConfig(shared, overrides);
}
