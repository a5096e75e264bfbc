/**
 * safetensors: the file format PyTorch, JAX and the Hugging Face hub share for weights.
 *
 *   bytes 0..8        N, the header's length, an unsigned 64-bit little-endian integer
 *   bytes 8..8+N      the header: UTF-8 JSON, one object
 *                       { "__metadata__": { "key": "value", ... },          (optional)
 *                         "weight_ih_l0": { "dtype": "F64", "shape": [8, 3],
 *                                           "data_offsets": [begin, end] }, ... }
 *   bytes 8+N..       the data buffer; a tensor's bytes are buffer[begin, end),
 *                     row-major, little-endian
 *
 * A file is data from outside, so the reader trusts nothing in it: every number in
 * the header is checked before it is used, and a bad file is refused with the
 * reason (SafetensorsError), never half-read. The rules are the reference
 * implementation's: the header fits in the file, is a JSON object with unique keys,
 * each tensor's dtype is known and its byte range matches its shape, and the ranges
 * tile the buffer exactly — in bounds, no overlap, no hole.
 *
 * unroll computes in float64; it writes F64 (or F32 on request) and reads either,
 * widening F32 to float64. No tensor import is needed: anything with a `shape` and
 * a `data` array (a Tensor included) can be saved.
 */

/** The element types unroll reads and writes. */
export type SafetensorsDtype = 'F64' | 'F32';

const bytesPerElement: Record<SafetensorsDtype, number> = { F64: 8, F32: 4 };

/** Element types of the format that unroll knows but does not read (named in the error). */
const otherDtypes = new Set([
  'BOOL',
  'U8',
  'I8',
  'F8_E5M2',
  'F8_E4M3',
  'I16',
  'U16',
  'F16',
  'BF16',
  'I32',
  'U32',
  'I64',
  'U64',
]);

/** The reference implementation refuses headers above 100 MB (a JSON bomb guard). */
export const MAX_HEADER_BYTES = 100_000_000;

/** What can be saved: a Tensor, or any `{ shape, data }`, with an optional dtype. */
export interface SafetensorsInput {
  readonly shape: readonly number[];
  readonly data: ArrayLike<number>;
  /** F64 unless given (F32 rounds each entry to the nearest float32). */
  readonly dtype?: SafetensorsDtype;
}

/** A tensor read from a file: data widened to float64, with the dtype it was stored as. */
export interface SafetensorsEntry {
  dtype: SafetensorsDtype;
  shape: number[];
  data: Float64Array;
}

export interface SafetensorsFile {
  /** In the order of their bytes in the buffer. */
  tensors: Record<string, SafetensorsEntry>;
  /** The `__metadata__` map ({} when the file has none). */
  metadata: Record<string, string>;
}

/** A file (or a request to write one) that breaks the format; the message says how. */
export class SafetensorsError extends Error {
  override name = 'SafetensorsError';
}

const METADATA_KEY = '__metadata__';

/**
 * Serialises named tensors and optional string metadata to safetensors bytes. Tensors
 * are laid out in the order of `tensors`' keys; the header is padded with spaces to a
 * multiple of 8 bytes so that every F64 tensor starts 8-byte aligned, as the
 * reference writer does.
 */
export function saveSafetensors(
  tensors: Readonly<Record<string, SafetensorsInput>>,
  metadata?: Readonly<Record<string, string>>,
): Uint8Array {
  // Built as entries: `header[name] = …` would drop a tensor named '__proto__'.
  const header: [string, unknown][] = [];
  if (metadata !== undefined) {
    for (const [key, value] of Object.entries(metadata)) {
      if (typeof value !== 'string') {
        throw new SafetensorsError(
          `saveSafetensors: metadata '${key}' must be a string, got ${typeof value}`,
        );
      }
    }
    header.push([METADATA_KEY, { ...metadata }]);
  }
  const names = Object.keys(tensors);
  let offset = 0;
  for (const name of names) {
    if (name === METADATA_KEY) {
      throw new SafetensorsError(
        `saveSafetensors: '${METADATA_KEY}' is reserved, not a tensor name`,
      );
    }
    const { shape, data, dtype = 'F64' } = tensors[name]!;
    if (bytesPerElement[dtype] === undefined) {
      throw new SafetensorsError(
        `saveSafetensors: tensor '${name}' has dtype '${String(dtype)}'; allowed: F64, F32`,
      );
    }
    const count = elementCount(shape);
    if (count === null) {
      throw new SafetensorsError(
        `saveSafetensors: tensor '${name}' has shape ${JSON.stringify(shape)}; dims must be non-negative integers`,
      );
    }
    if (data.length !== count) {
      throw new SafetensorsError(
        `saveSafetensors: tensor '${name}' has ${data.length} entries but shape ${JSON.stringify(shape)} needs ${count}`,
      );
    }
    const end = offset + count * bytesPerElement[dtype];
    header.push([name, { dtype, shape: [...shape], data_offsets: [offset, end] }]);
    offset = end;
  }

  const json = new TextEncoder().encode(JSON.stringify(Object.fromEntries(header)));
  const headerLength = Math.ceil(json.length / 8) * 8;
  const bytes = new Uint8Array(8 + headerLength + offset);
  const view = new DataView(bytes.buffer);
  view.setBigUint64(0, BigInt(headerLength), true);
  bytes.set(json, 8);
  bytes.fill(0x20, 8 + json.length, 8 + headerLength); // trailing spaces are valid JSON
  let position = 8 + headerLength;
  for (const name of names) {
    const { data, dtype = 'F64' } = tensors[name]!;
    for (let i = 0; i < data.length; i++) {
      if (dtype === 'F64') view.setFloat64(position + 8 * i, data[i]!, true);
      else view.setFloat32(position + 4 * i, data[i]!, true);
    }
    position += data.length * bytesPerElement[dtype];
  }
  return bytes;
}

/** Reads safetensors bytes, checking every rule of the format; throws SafetensorsError. */
export function loadSafetensors(bytes: Uint8Array): SafetensorsFile {
  const fail = (reason: string): never => {
    throw new SafetensorsError(`loadSafetensors: ${reason}`);
  };
  if (!(bytes instanceof Uint8Array)) fail('expected the file as a Uint8Array');
  if (bytes.length < 8) {
    fail(`the file has ${bytes.length} bytes, fewer than the 8 of the header length`);
  }
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const declared = view.getBigUint64(0, true);
  if (declared > BigInt(MAX_HEADER_BYTES)) {
    fail(`the header length ${declared} exceeds the limit of ${MAX_HEADER_BYTES} bytes`);
  }
  const headerLength = Number(declared);
  if (8 + headerLength > bytes.length) {
    fail(
      `the header length ${headerLength} runs past the end of the file (${bytes.length} bytes, so at most ${bytes.length - 8})`,
    );
  }

  let text = '';
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(bytes.subarray(8, 8 + headerLength));
  } catch {
    fail('the header is not valid UTF-8');
  }
  if (!text.startsWith('{')) fail(`the header must be a JSON object starting with '{'`);
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (error) {
    fail(`the header is not well-formed JSON (${(error as Error).message})`);
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
    fail('the header must be a JSON object');
  }
  const duplicate = firstDuplicateKey(text);
  if (duplicate !== null) fail(`the header names '${duplicate}' twice`);

  const header = parsed as Record<string, unknown>;
  const bufferLength = bytes.length - 8 - headerLength;
  const metadata = readMetadata(header[METADATA_KEY], fail);
  const entries: {
    name: string;
    begin: number;
    end: number;
    dtype: SafetensorsDtype;
    shape: number[];
  }[] = [];
  for (const [name, info] of Object.entries(header)) {
    if (name === METADATA_KEY) continue;
    entries.push({ name, ...readTensorInfo(name, info, bufferLength, fail) });
  }

  // The byte ranges, in order, must tile [0, bufferLength): each begins where the last ended.
  entries.sort((a, b) => a.begin - b.begin || a.end - b.end);
  let covered = 0;
  let previous = '';
  for (const { name, begin, end } of entries) {
    if (begin < covered) {
      fail(
        `tensor '${name}' [${begin}, ${end}) overlaps tensor '${previous}' ending at ${covered}`,
      );
    }
    if (begin > covered) fail(`bytes [${covered}, ${begin}) of the buffer belong to no tensor`);
    covered = end;
    previous = name;
  }
  if (covered !== bufferLength) {
    fail(`bytes [${covered}, ${bufferLength}) at the end of the buffer belong to no tensor`);
  }

  const tensors: [string, SafetensorsEntry][] = []; // entries, for the reason given in save
  const start = 8 + headerLength;
  for (const { name, begin, dtype, shape } of entries) {
    const data = new Float64Array(elementCount(shape)!);
    for (let i = 0; i < data.length; i++) {
      data[i] =
        dtype === 'F64'
          ? view.getFloat64(start + begin + 8 * i, true)
          : view.getFloat32(start + begin + 4 * i, true);
    }
    tensors.push([name, { dtype, shape, data }]);
  }
  return { tensors: Object.fromEntries(tensors), metadata };
}

type Fail = (reason: string) => never;

function readMetadata(value: unknown, fail: Fail): Record<string, string> {
  if (value === undefined) return {};
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    return fail(`'${METADATA_KEY}' must be an object of strings`);
  }
  const entries = Object.entries(value);
  for (const [key, entry] of entries) {
    if (typeof entry !== 'string') {
      fail(`'${METADATA_KEY}' entry '${key}' must be a string, got ${JSON.stringify(entry)}`);
    }
  }
  return Object.fromEntries(entries);
}

function readTensorInfo(name: string, info: unknown, bufferLength: number, fail: Fail) {
  if (typeof info !== 'object' || info === null || Array.isArray(info)) {
    return fail(`tensor '${name}' must be an object with dtype, shape and data_offsets`);
  }
  const record = info as Record<string, unknown>;
  for (const key of Object.keys(record)) {
    if (key !== 'dtype' && key !== 'shape' && key !== 'data_offsets') {
      fail(`tensor '${name}' has an unknown field '${key}' (allowed: dtype, shape, data_offsets)`);
    }
  }
  const { dtype, shape, data_offsets: offsets } = record;
  if (dtype !== 'F64' && dtype !== 'F32') {
    if (typeof dtype === 'string' && otherDtypes.has(dtype)) {
      fail(`tensor '${name}' has dtype '${dtype}', which unroll does not read (allowed: F64, F32)`);
    }
    fail(`tensor '${name}' has unknown dtype ${JSON.stringify(dtype)} (allowed: F64, F32)`);
  }
  const count = Array.isArray(shape) ? elementCount(shape) : null;
  if (count === null) {
    fail(
      `tensor '${name}' has shape ${JSON.stringify(shape)}; it must be an array of non-negative integers`,
    );
  }
  if (
    !Array.isArray(offsets) ||
    offsets.length !== 2 ||
    !offsets.every((o) => Number.isSafeInteger(o) && o >= 0)
  ) {
    fail(
      `tensor '${name}' has data_offsets ${JSON.stringify(offsets)}; it must be [begin, end] of non-negative integers`,
    );
  }
  const [begin, end] = offsets as [number, number];
  if (begin > end) fail(`tensor '${name}' has data_offsets [${begin}, ${end}] with begin > end`);
  if (end > bufferLength) {
    fail(
      `tensor '${name}' has data_offsets [${begin}, ${end}] past the end of the ${bufferLength}-byte buffer`,
    );
  }
  const expected = count! * bytesPerElement[dtype as SafetensorsDtype];
  if (end - begin !== expected) {
    fail(
      `tensor '${name}' spans ${end - begin} bytes but ${dtype} of shape ${JSON.stringify(shape)} needs ${expected}`,
    );
  }
  return { begin, end, dtype: dtype as SafetensorsDtype, shape: [...(shape as number[])] };
}

/** The product of a shape's dims, or null when a dim is not a non-negative integer. */
function elementCount(shape: readonly unknown[]): number | null {
  let count = 1;
  for (const dim of shape) {
    if (typeof dim !== 'number' || !Number.isSafeInteger(dim) || dim < 0) return null;
    count *= dim;
  }
  return Number.isSafeInteger(count) ? count : null;
}

/**
 * The first key that occurs twice in the top-level object of a JSON text (already
 * known to be well-formed), or null. JSON.parse keeps the last of two equal keys
 * silently; the format forbids them, so they are found by scanning: a string at
 * depth 1 followed by ':' is a top-level key.
 */
function firstDuplicateKey(text: string): string | null {
  const seen = new Set<string>();
  let depth = 0;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i];
    if (ch === '{' || ch === '[') depth++;
    else if (ch === '}' || ch === ']') depth--;
    else if (ch === '"') {
      let j = i + 1;
      while (text[j] !== '"') j += text[j] === '\\' ? 2 : 1;
      const literal = text.slice(i, j + 1);
      i = j;
      if (depth !== 1) continue;
      let k = j + 1;
      while (text[k] === ' ' || text[k] === '\n' || text[k] === '\r' || text[k] === '\t') k++;
      if (text[k] !== ':') continue;
      const key = JSON.parse(literal) as string;
      if (seen.has(key)) return key;
      seen.add(key);
    }
  }
  return null;
}
