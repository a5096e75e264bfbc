// Brings the `toBeAllclose` matcher's type into the tests (vitest.config.ts registers it).
import type {} from '@unroll/gradcheck/vitest-setup';
