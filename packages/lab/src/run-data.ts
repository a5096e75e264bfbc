/**
 * A run on the user's own data: `--text FILE` for the char-LM, `--series FILE.csv` for
 * forecasting. The file is read once, checked, and turned into what training needs —
 * character ids (one or two bytes each) or a column of numbers — before any run folder
 * exists, so a file that cannot be trained on is refused with one line and nothing
 * written.
 *
 * What the run remembers. config.json (and every checkpoint) holds a record of the
 * file — its name, path, size and sha256, and the vocabulary or the column, the split
 * and the normalization — and the run folder holds the data itself, as it was trained
 * on (text-ids.bin: the ids; series.json: the column). So a run is resumed, sampled and
 * reported without the original file; given the file again on resume, its hash must
 * match the record, and a different file is refused.
 *
 * Inside one process the data is kept in a table keyed by the file's sha256, so the
 * several tasks a trainer builds (training, probe, report) share one copy of the ids.
 */

import { createHash } from 'node:crypto';
import { existsSync, readFileSync, statSync } from 'node:fs';
import { basename, join } from 'node:path';
import {
  bigramCrossEntropy,
  encodeUtf8Text,
  type FillMethod,
  splitIds,
  unigramCrossEntropy,
} from '@unroll/tasks';
import type { TrainConfig } from './config.ts';
import { writeFileAtomic } from './files.ts';
import { readSeriesCsv } from './series-csv.ts';

/** The record of a text file, kept in config.json. */
export interface TextSource {
  file: string;
  /** Where it was read from, when the run began. */
  path: string;
  bytes: number;
  sha256: string;
  /** Characters (code points) in the file. */
  characters: number;
  validationFraction: number;
  /** The distinct characters, sorted by code point: the ids are their positions. */
  vocabulary: string[];
  /** Cross-entropy (nats per character) of counting models on the validation part. */
  unigram: number;
  /** null when the vocabulary is too large for a V × V table (over 2048 characters). */
  bigram: number | null;
}

/** The record of a CSV column, kept in config.json. */
export interface SeriesSource {
  file: string;
  path: string;
  bytes: number;
  sha256: string;
  column: string;
  timeColumn: string | null;
  fill: FillMethod | null;
  /** Values (rows) in the column; `filled` of them were missing and filled. */
  values: number;
  filled: number;
  horizon: number;
  validationFraction: number;
  /** The first validation value's index: [0, splitAt) trains. */
  splitAt: number;
  /** μ and σ of the training part: the model sees (x − μ) / σ. */
  mean: number;
  std: number;
  /** m of the seasonal-naive baseline (1: none found, so it is persistence). */
  season: number;
}

/** A file the run cannot use; the message is one line that says why. */
export class DataFileError extends Error {
  override name = 'DataFileError';
}

export const DATA_FILES = { textIds: 'text-ids.bin', series: 'series.json' } as const;

/** The largest vocabulary a bigram table (V² doubles) is built for: 2048² × 8 B = 32 MB. */
const BIGRAM_MAX_VOCABULARY = 2048;

const texts = new Map<string, Uint8Array | Uint16Array>();
const serieses = new Map<string, { values: Float64Array; time: string[] | null }>();

function readBytes(path: string, flag: string): Uint8Array {
  if (!existsSync(path)) throw new DataFileError(`${flag} ${path}: no such file`);
  if (!statSync(path).isFile()) throw new DataFileError(`${flag} ${path}: not a file`);
  return readFileSync(path);
}

const sha256 = (bytes: Uint8Array) => createHash('sha256').update(bytes).digest('hex');

/**
 * Reads and checks a text file for a char-LM with windows of `seqLen` in `batch` streams:
 * both parts must hold at least one window.
 */
export function readTextSource(
  path: string,
  config: Pick<TrainConfig, 'batch' | 'seqLen'>,
  validationFraction: number,
): TextSource {
  const bytes = readBytes(path, '--text');
  let encoded: ReturnType<typeof encodeUtf8Text>;
  try {
    encoded = encodeUtf8Text(bytes);
  } catch (error) {
    throw new DataFileError(`--text ${basename(path)}: ${(error as Error).message}`);
  }
  const { train, validation } = splitIds(encoded.ids, validationFraction);
  const B = config.batch;
  const T = config.seqLen;
  const needed = Math.ceil(
    Math.max((B * (T + 2)) / (1 - validationFraction), (T + 2) / validationFraction),
  );
  if (train.length < B * (T + 2) || validation.length < T + 2) {
    throw new DataFileError(
      `--text ${basename(path)}: ${encoded.ids.length} characters are too few for one window of --seq-len ${T} in each of --batch ${B} streams plus a validation window: give at least ${needed} characters, or a smaller --batch or --seq-len`,
    );
  }
  const V = encoded.vocabulary.size;
  const source: TextSource = {
    file: basename(path),
    path,
    bytes: bytes.length,
    sha256: sha256(bytes),
    characters: encoded.ids.length,
    validationFraction,
    vocabulary: encoded.vocabulary.toJSON(),
    unigram: unigramCrossEntropy(train, validation, V),
    bigram: V <= BIGRAM_MAX_VOCABULARY ? bigramCrossEntropy(train, validation, V) : null,
  };
  texts.set(source.sha256, encoded.ids);
  return source;
}

/** The ids of a text read (or loaded from its run folder) in this process. */
export function textIds(source: TextSource): Uint8Array | Uint16Array {
  const ids = texts.get(source.sha256);
  if (ids === undefined) {
    throw new DataFileError(`the ids of ${source.file} are not loaded (load the run folder first)`);
  }
  return ids;
}

export interface SeriesFlags {
  column: string;
  timeColumn: string | null;
  fill: FillMethod | null;
  horizon: number;
  validationFraction: number;
  season: number | null;
}

/** Reads and checks a CSV column for forecasting with windows of `seqLen`. */
export function readSeriesSource(
  path: string,
  config: Pick<TrainConfig, 'seqLen'>,
  flags: SeriesFlags,
): SeriesSource {
  const bytes = readBytes(path, '--series');
  const read = readSeriesCsv(bytes, config.seqLen, flags, basename(path));
  const source: SeriesSource = {
    file: basename(path),
    path,
    bytes: bytes.length,
    sha256: sha256(bytes),
    column: flags.column,
    timeColumn: flags.timeColumn,
    fill: flags.fill,
    values: read.values.length,
    filled: read.filled,
    horizon: flags.horizon,
    validationFraction: flags.validationFraction,
    splitAt: read.splitAt,
    mean: read.normalization.mean,
    std: read.normalization.std,
    season: read.season,
  };
  serieses.set(seriesKey(source), { values: read.values, time: read.time });
  return source;
}

const seriesKey = (s: SeriesSource) => `${s.sha256}:${s.column}:${s.fill}`;

/** The column (in the file's units) and its time labels, read or loaded in this process. */
export function seriesData(source: SeriesSource): { values: Float64Array; time: string[] | null } {
  const data = serieses.get(seriesKey(source));
  if (data === undefined) {
    throw new DataFileError(
      `the values of ${source.file} are not loaded (load the run folder first)`,
    );
  }
  return data;
}

/** Writes the run's data into its folder, so the run no longer needs the original file. */
export function saveRunData(folder: string, config: TrainConfig): void {
  if (config.text !== undefined) {
    const ids = textIds(config.text);
    writeFileAtomic(
      join(folder, DATA_FILES.textIds),
      new Uint8Array(ids.buffer, ids.byteOffset, ids.byteLength),
    );
  }
  if (config.series !== undefined) {
    const { values, time } = seriesData(config.series);
    writeFileAtomic(
      join(folder, DATA_FILES.series),
      `${JSON.stringify({ values: Array.from(values), time })}\n`,
    );
  }
}

/**
 * Loads the data a run's config names from its folder (once per process), checking it
 * is the data the record describes.
 */
export function loadRunData(folder: string, config: TrainConfig): void {
  const { text, series } = config;
  if (text !== undefined && !texts.has(text.sha256)) {
    const path = join(folder, DATA_FILES.textIds);
    if (!existsSync(path)) {
      throw new DataFileError(
        `${DATA_FILES.textIds} is missing: the run's text (${text.file}) is gone`,
      );
    }
    const bytes = readFileSync(path);
    const width = text.vocabulary.length <= 256 ? 1 : 2;
    if (bytes.length !== text.characters * width) {
      throw new DataFileError(
        `${DATA_FILES.textIds} holds ${bytes.length} bytes, expected ${text.characters * width} (${text.characters} characters × ${width} byte)`,
      );
    }
    // A copy into fresh memory: Buffer's pool may not be aligned for 2-byte ids.
    const copy = new Uint8Array(bytes);
    texts.set(text.sha256, width === 1 ? copy : new Uint16Array(copy.buffer));
  }
  if (series !== undefined && !serieses.has(seriesKey(series))) {
    const path = join(folder, DATA_FILES.series);
    if (!existsSync(path)) {
      throw new DataFileError(
        `${DATA_FILES.series} is missing: the run's series (${series.file}) is gone`,
      );
    }
    const saved = JSON.parse(readFileSync(path, 'utf8')) as {
      values: number[];
      time: string[] | null;
    };
    if (!Array.isArray(saved.values) || saved.values.length !== series.values) {
      throw new DataFileError(
        `${DATA_FILES.series} does not hold the ${series.values} values of ${series.file}`,
      );
    }
    serieses.set(seriesKey(series), { values: Float64Array.from(saved.values), time: saved.time });
  }
}

/** On resume with the file given again: it must be the very file the run began with. */
export function checkSameFile(
  path: string,
  config: TrainConfig,
  flag: '--text' | '--series',
): void {
  const record = flag === '--text' ? config.text : config.series;
  if (record === undefined) {
    throw new DataFileError(
      `${flag} ${path}: this run was not trained on a ${flag === '--text' ? 'text' : 'CSV'} file`,
    );
  }
  const digest = sha256(readBytes(path, flag));
  if (digest !== record.sha256) {
    throw new DataFileError(
      `${flag} ${basename(path)} is not the file this run began with (${record.file}, ${record.bytes} bytes, sha256 ${record.sha256.slice(0, 12)}…; this one's is ${digest.slice(0, 12)}…): resume without ${flag}, or start a new run`,
    );
  }
}
