/**
 * data-flags.ts: every flag for the user's own data is listed by `unroll train --help`
 * and its range is enforced by the parser.
 */

import { describe, expect, it } from 'vitest';
import { DATA_FLAGS } from '../src/data-flags.ts';
import { expectUsageError, runMain } from './helpers.ts';

describe('DATA_FLAGS', () => {
  it('are all in the help of unroll train', async () => {
    const { stdout } = await runMain(['train', '--help']);
    for (const flag of Object.keys(DATA_FLAGS)) expect(stdout).toContain(`--${flag} `);
  });

  it.each([
    [
      ['--text', 'a.txt', '--val-fraction', '0'],
      "invalid value '0' for --val-fraction: expected a number > 0 and ≤ 0.9",
    ],
    [
      ['--series', 'a.csv', '--fill', 'mean'],
      "invalid value 'mean' for --fill: expected one of previous, linear",
    ],
    [
      ['--series', 'a.csv', '--horizon', '0'],
      "invalid value '0' for --horizon: expected an integer in [1, 10000]",
    ],
  ])('%j is refused by the parser', async (flags, message) => {
    await expectUsageError(['train', ...flags], message);
  });
});
