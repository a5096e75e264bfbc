/**
 * A CSV file → one column as a series, with csv-parse doing the parsing (quotes, commas
 * inside quotes, CRLF line ends, a byte order mark: what is not the lesson). The first
 * row is the header. Everything after parsing — missing values, the split, the
 * training-part normalization, the season — is @unroll/tasks' series-file.ts.
 */

import {
  columnIndex,
  columnValues,
  estimateSeason,
  type FillMethod,
  type Normalization,
  SeriesError,
  type SeriesTable,
  trainingNormalization,
} from '@unroll/tasks';
import { parse } from 'csv-parse/sync';
import { DataFileError } from './run-data.ts';

export interface SeriesCsv {
  values: Float64Array;
  filled: number;
  /** The time column's cells, or null without --time-column. */
  time: string[] | null;
  splitAt: number;
  normalization: Normalization;
  season: number;
}

/**
 * The rows of a CSV file with their line numbers (a row whose quoted cell spans lines is
 * numbered by its last line); a malformed file is refused with csv-parse's reason.
 */
export function parseCsv(bytes: Uint8Array, file: string): SeriesTable {
  let records: { record: string[]; info: { lines: number } }[];
  try {
    records = parse(Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength), {
      bom: true,
      info: true,
      skip_empty_lines: true,
      relax_column_count: false,
    }) as unknown as typeof records;
  } catch (error) {
    throw new DataFileError(
      `--series ${file}: not a CSV file this reader accepts (${(error as Error).message.split('\n')[0]})`,
    );
  }
  if (records.length < 2) {
    throw new DataFileError(
      `--series ${file}: expected a header row and rows of values, found ${records.length} row(s)`,
    );
  }
  const [header, ...rows] = records;
  return {
    header: header!.record.map((h) => h.trim()),
    rows: rows.map((r) => ({ line: r.info.lines, cells: r.record })),
  };
}

/** The column the flags name, checked, split and normalized, for windows of `window` values. */
export function readSeriesCsv(
  bytes: Uint8Array,
  window: number,
  flags: {
    column: string;
    timeColumn: string | null;
    fill: FillMethod | null;
    horizon: number;
    validationFraction: number;
    season: number | null;
  },
  file: string,
): SeriesCsv {
  const table = parseCsv(bytes, file);
  try {
    const { values, filled } = columnValues(table, flags.column, flags.fill);
    const time =
      flags.timeColumn === null
        ? null
        : table.rows.map(
            (r) => r.cells[columnIndex(table, flags.timeColumn!, '--time-column')] ?? '',
          );
    const n = values.length;
    const splitAt = Math.round(n * (1 - flags.validationFraction));
    const span = window + flags.horizon;
    if (splitAt < span + 1 || n - splitAt < flags.horizon + 1) {
      const needed = Math.ceil(
        Math.max(
          (span + 1) / (1 - flags.validationFraction),
          (flags.horizon + 1) / flags.validationFraction,
        ),
      );
      throw new SeriesError(
        `${n} values are too few for windows of --window ${window} + --horizon ${flags.horizon} in both the training and the validation part: give at least ${needed} rows, or a smaller --window or --horizon`,
      );
    }
    const normalization = trainingNormalization(values, splitAt);
    const season = flags.season ?? estimateSeason(values.subarray(0, splitAt), window);
    if (season > window) {
      throw new SeriesError(
        `--season ${season} is longer than --window ${window}: the seasonal-naive forecast reads the last season from the window`,
      );
    }
    return { values, filled, time, splitAt, normalization, season };
  } catch (error) {
    if (error instanceof SeriesError) throw new DataFileError(`--series ${file}: ${error.message}`);
    throw error;
  }
}
