/**
 * Mutation testing, shared by every package's `stryker.config.mjs`: StrykerJS plants one
 * small change (a mutant) at a time in the files a package lists in `mutate` and runs the
 * tests that cover it; a mutant the tests do not notice "survives". Not part of
 * `npm test` (it reruns the suite once per mutant). Run `npm run mutate` at the root for
 * every package, or `npm run mutate -w @unroll/tensor` for one.
 *
 * Incremental: the last run's results are kept in reports/mutation/, and a re-run tests
 * again only the mutants whose code or covering tests changed.
 */

/** @param {string[]} mutate the source files (globs) of the package's math */
export function strykerConfig(mutate) {
  return {
    mutate,
    testRunner: 'vitest',
    vitest: { configFile: 'vitest.config.ts' },
    // Type errors in a mutant are not the suite's to catch; tsc would only slow the run.
    // Only the sources and tests: Stryker rewrites (and later restores) every file this
    // matches, and a restored file loses its mode, such as the lab's executable bin/.
    disableTypeChecks: '{src,test}/**/*.{ts,js}',
    coverageAnalysis: 'perTest',
    // Two cores are typical of a laptop and of this project's CI; raise it on a bigger machine.
    concurrency: 2,
    // A mutant that loops forever is stopped this long after the time its tests took unmutated.
    timeoutMS: 10_000,
    incremental: true,
    incrementalFile: 'reports/mutation/incremental.json',
    reporters: ['clear-text', 'progress', 'html', 'json'],
    htmlReporter: { fileName: 'reports/mutation/index.html' },
    jsonReporter: { fileName: 'reports/mutation/mutation.json' },
    thresholds: { high: 95, low: 85, break: null },
    // Mutants are planted in the package's own files (put back when the run ends), not
    // in a copy: a copy elsewhere breaks the relative paths out of the package that the
    // vitest config and some tests use (../../vitest.shared.ts, ../../../docs).
    inPlace: true,
    tempDirName: '.stryker-tmp',
    cleanTempDir: true,
  };
}
