/**
 * forecast-task.ts through `unroll train --series`: on the shipped US births file, the
 * normalization is the training part's (computed here independently, by hand), the saved
 * forecasts are in the file's units and line up with the file's own rows, seasonal naive
 * is the value one season back, and missing values are refused by line or filled.
 */

import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { onlyRun, runMain, tempFolder } from './helpers.ts';

const BIRTHS = fileURLToPath(new URL('../data/us-births-1985-1988.csv', import.meta.url));
const scratch = tempFolder();
const rows = readFileSync(BIRTHS, 'utf8')
  .trim()
  .split('\n')
  .slice(1)
  .map((l) => l.split(','));
const births = rows.map((r) => Number(r[2]));

describe('unroll train --series', () => {
  const out = join(scratch, 'births');
  const trained = runMain([
    'train',
    ...['--series', BIRTHS, '--column', 'births', '--time-column', 'date', '--horizon', '3'],
    ...['--window', '14', '--hidden', '8', '--steps', '4', '--eval-every', '2', '--out', out],
  ]);

  it('normalizes with μ and σ of the first 80% only', async () => {
    expect((await trained).code).toBe(0);
    const { series } = JSON.parse(readFileSync(join(onlyRun(out), 'config.json'), 'utf8'));
    const splitAt = Math.round(births.length * 0.8);
    const train = births.slice(0, splitAt);
    const mean = train.reduce((a, b) => a + b, 0) / splitAt;
    const std = Math.sqrt(train.reduce((a, b) => a + (b - mean) ** 2, 0) / splitAt);
    expect(series).toMatchObject({
      file: 'us-births-1985-1988.csv',
      column: 'births',
      values: 1461,
      splitAt,
      horizon: 3,
      season: 7,
    });
    expect(series.mean).toBeCloseTo(mean, 9);
    expect(series.std).toBeCloseTo(std, 9);
  });

  it('saves forecasts in births per day, aligned with the rows of the file; seasonal naive is a week back', async () => {
    await trained;
    const forecast = JSON.parse(readFileSync(join(onlyRun(out), 'forecast.json'), 'utf8'));
    expect(forecast.step).toBe(4);
    forecast.firstTarget.forEach((t: number, w: number) => {
      for (let h = 0; h < 3; h++) {
        expect(forecast.truth[w][h]).toBe(births[t + h]);
        expect(forecast.seasonal[w][h]).toBe(births[t + h - 7]);
        expect(forecast.persistence[w][h]).toBe(births[t - 1]);
      }
    });
    expect(forecast.firstTarget[0]).toBe(Math.round(births.length * 0.8)); // the first validation value
    expect(forecast.time[forecast.firstTarget[0]]).toBe(rows[forecast.firstTarget[0]]![0]);
    // The model's forecasts are in the same units: within a few σ of the mean, not near 0.
    expect(Math.min(...forecast.model.flat())).toBeGreaterThan(4000);
  });

  it('reports the model against persistence and seasonal naive, and plots truth and forecast', async () => {
    await trained;
    const html = readFileSync(join(onlyRun(out), 'report.html'), 'utf8');
    expect(html).toContain('Forecasts on the validation part');
    expect(html).toContain('1-step-ahead forecast after 4 steps');
    expect(html).toContain('3-step-ahead forecast after 4 steps');
    expect(html).toMatch(/seasonal naive \(m = 7\)/);
    // Row 1169 (0-based) is 1095 days of 1985–87 plus 74 of leap 1988: 15 March.
    expect(html).toContain('Validation from 1988-03-15 to 1988-12-31 (date)');
  });

  it('refuses a missing value with its line, and fills it when asked', async () => {
    const gap = join(scratch, 'gap.csv');
    const lines = readFileSync(BIRTHS, 'utf8').split('\n');
    lines[41] = '1985-02-10,7,'; // line 42 of the file
    writeFileSync(gap, lines.join('\n'));
    const args = ['train', '--series', gap, '--column', 'births', '--hidden', '4', '--steps', '1'];
    const refused = await runMain([...args, '--out', join(scratch, 'gap-refused')]);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toBe(
      'unroll train: --series gap.csv: line 42: column \'births\' has no value (""): fill the gap in the file, or ask for one with --fill previous|linear\n',
    );
    const filled = await runMain([
      ...args,
      '--fill',
      'linear',
      '--out',
      join(scratch, 'gap-filled'),
    ]);
    expect(filled.code).toBe(0);
    expect(filled.stderr).toContain('1461 values (1 filled)');
  });

  it('refuses an unknown column and a file too short for one window', async () => {
    const wrong = await runMain(['train', '--series', BIRTHS, '--column', 'deaths']);
    expect(wrong.stderr).toBe(
      "unroll train: --series us-births-1985-1988.csv: no column 'deaths' for --column: the header has 'date', 'day_of_week', 'births'\n",
    );
    const short = join(scratch, 'short.csv');
    writeFileSync(short, readFileSync(BIRTHS, 'utf8').split('\n').slice(0, 20).join('\n'));
    const tooShort = await runMain(['train', '--series', short, '--column', 'births']);
    expect(tooShort.code).toBe(1);
    expect(tooShort.stderr).toMatch(
      /^unroll train: --series short\.csv: 19 values are too few for windows of --window 28 \+ --horizon 1/,
    );
  });

  it('forecasts a generated sum of sines without --series', async () => {
    const out = join(scratch, 'sines');
    const { code, stdout } = await runMain([
      'train',
      '--task',
      'forecast',
      '--hidden',
      '4',
      '--steps',
      '2',
      '--eval-every',
      '2',
      '--out',
      out,
    ]);
    expect(code).toBe(0);
    expect(stdout).toMatch(/^lstm-forecast-T28: step 2\/2, held-out loss/);
    const forecast = JSON.parse(readFileSync(join(onlyRun(out), 'forecast.json'), 'utf8'));
    expect(forecast.time).toBe(null);
    expect(forecast.truth).toHaveLength(400); // one window per target in the last 20% of 2,000 values
  });
});
