import { unrollTestConfig } from '../../vitest.shared.ts';

export default unrollTestConfig({
  // The end-to-end tests run the real command in child processes: seconds, not milliseconds.
  // `unroll train` splits a batch across as many threads as the machine has by default,
  // and a different thread count changes the rounding: the tests train on one thread on
  // every machine (UNROLL_THREADS, thread-count.ts) unless they say --threads, and the
  // tests of the default set the variable themselves.
  test: { hookTimeout: 60_000, env: { UNROLL_THREADS: '1' } },
});
