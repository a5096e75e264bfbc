// Brings the `toBeAllclose` matcher's type into the typecheck (vitest.config.ts registers it).
import type {} from '@unroll/gradcheck/vitest-setup';
