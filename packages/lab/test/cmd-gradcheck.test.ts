/** cmd-gradcheck.ts: `unroll gradcheck` prints the table of checks; a bad --only is refused. */

import { describe, expect, it } from 'vitest';
import { expectUsageError, unroll } from './helpers.ts';

describe('unroll gradcheck', () => {
  it('prints the table and exits 0 (through the real command, LSTM rows only)', () => {
    const { code, stdout } = unroll(['gradcheck', '--only', 'lstm']);
    expect(code).toBe(0);
    expect(stdout).toMatch(/^op +input +max abs err +max rel err +pass\n/);
    expect(stdout).toMatch(/^LSTMCell +weight_hh +\d\.\de-\d+ +\d\.\de-\d+ +yes$/m);
    expect(stdout).toMatch(/^lstmBackward \(hand-derived\) +xs +/m);
    expect(stdout).toMatch(/^lstmBackward \(hand-derived\) +c0 +\d\.\de-\d+ +\d\.\de-\d+ +yes$/m);
    expect(stdout).toMatch(
      /\n23 of 23 gradients \(3 ops and cells\) agree with central differences/,
    );
  });

  it('refuses an --only that no op or cell has in its name', async () => {
    await expectUsageError(
      ['gradcheck', '--only', 'lstn'],
      "unroll gradcheck: invalid value 'lstn' for --only: no op or cell has it in its name (try lstm, matmul or Backward)",
    );
  });
});
