// Brings the toBeAllclose matcher's type (registered by the vitest setup file) into the tests.
import type {} from '@unroll/gradcheck/vitest-setup';
