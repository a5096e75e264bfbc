/**
 * The tests StrykerJS runs against a mutant of the trainer (stryker.config.mjs): the unit
 * tests of trainer.ts and engines.ts and the tests written to kill their mutants. The
 * rest of the suite spawns the real command in child processes, seconds per test, which
 * times several hundred mutants would not fit on a laptop; those tests still run in
 * `npm test`.
 */
import { unrollTestConfig } from '../../vitest.shared.ts';

export default unrollTestConfig({
  test: {
    include: ['test/trainer*.test.ts', 'test/engines*.test.ts'],
  },
});
