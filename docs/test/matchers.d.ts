// Brings the `toBeAllclose` declaration (registered at run time by vitest.config.ts) into the typecheck.
import type {} from '@unroll/gradcheck/vitest-setup';
