import { arbitraries } from '@unroll/gradcheck';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { loadSafetensors, SafetensorsError, saveSafetensors } from '../src/safetensors.ts';

/** A file made by hand: the header as given (object or raw text) and a buffer of `bufferLength` bytes. */
function craft(header: unknown, bufferLength: number, options: { rawHeader?: string } = {}) {
  const json = new TextEncoder().encode(options.rawHeader ?? JSON.stringify(header));
  const bytes = new Uint8Array(8 + json.length + bufferLength);
  new DataView(bytes.buffer).setBigUint64(0, BigInt(json.length), true);
  bytes.set(json, 8);
  return bytes;
}

const refusal = (bytes: Uint8Array) => {
  try {
    loadSafetensors(bytes);
  } catch (error) {
    expect(error).toBeInstanceOf(SafetensorsError);
    return (error as Error).message;
  }
  throw new Error('the file was accepted');
};

const f64 = (shape: number[], begin: number) => ({
  dtype: 'F64',
  shape,
  data_offsets: [begin, begin + 8 * shape.reduce((a, b) => a * b, 1)],
});

describe('saveSafetensors / loadSafetensors', () => {
  it('round-trips any named float64 tensors and metadata bit for bit', () => {
    const entry = arbitraries.shape({ maxRank: 3, minDim: 0, maxDim: 4 }).chain((shape) =>
      fc
        .array(fc.double({ noNaN: true }), {
          minLength: arbitraries.sizeOf(shape),
          maxLength: arbitraries.sizeOf(shape),
        })
        .map((values) => ({ shape, data: Float64Array.from(values) })),
    );
    const named = fc.dictionary(
      fc.string({ minLength: 1, maxLength: 8 }).filter((s) => s !== '__metadata__'),
      entry,
      { maxKeys: 4 },
    );
    fc.assert(
      fc.property(named, fc.dictionary(fc.string(), fc.string()), (tensors, metadata) => {
        const file = loadSafetensors(saveSafetensors(tensors, metadata));
        expect(file.metadata).toEqual(metadata);
        expect(Object.keys(file.tensors).sort()).toEqual(Object.keys(tensors).sort());
        for (const [name, { shape, data }] of Object.entries(tensors)) {
          expect(file.tensors[name]).toEqual({ dtype: 'F64', shape, data });
        }
      }),
      { numRuns: 60 },
    );
  });

  it('writes the layout of the format: u64 header length, padded JSON, row-major little-endian data', () => {
    const bytes = saveSafetensors(
      { a: { shape: [2], data: [1.5, -2] }, b: { shape: [], data: [3], dtype: 'F32' } },
      { format: 'pt' },
    );
    const view = new DataView(bytes.buffer);
    const headerLength = Number(view.getBigUint64(0, true));
    expect(headerLength % 8).toBe(0);
    const header = JSON.parse(new TextDecoder().decode(bytes.subarray(8, 8 + headerLength)));
    expect(header).toEqual({
      __metadata__: { format: 'pt' },
      a: { dtype: 'F64', shape: [2], data_offsets: [0, 16] },
      b: { dtype: 'F32', shape: [], data_offsets: [16, 20] },
    });
    const start = 8 + headerLength;
    expect(bytes.length).toBe(start + 20);
    expect([view.getFloat64(start, true), view.getFloat64(start + 8, true)]).toEqual([1.5, -2]);
    expect(view.getFloat32(start + 16, true)).toBe(3);
  });

  it('reads F32 tensors widened to float64 and reports their dtype', () => {
    const file = loadSafetensors(
      saveSafetensors({ w: { shape: [3], data: [0.1, 2, -3], dtype: 'F32' } }),
    );
    expect(file.tensors.w!.dtype).toBe('F32');
    expect(Array.from(file.tensors.w!.data)).toEqual([Math.fround(0.1), 2, -3]);
  });

  it("keeps a tensor or a metadata key named '__proto__' as an ordinary name", () => {
    const tensors = JSON.parse(
      '{"__proto__": {"shape": [1], "data": [5]}, "w": {"shape": [1], "data": [1]}}',
    );
    const metadata = JSON.parse('{"__proto__": "x", "a": "b"}');
    const file = loadSafetensors(saveSafetensors(tensors, metadata));
    expect(Object.keys(file.tensors)).toEqual(['__proto__', 'w']);
    expect(
      Array.from(Object.getOwnPropertyDescriptor(file.tensors, '__proto__')!.value.data),
    ).toEqual([5]);
    expect(Object.keys(file.metadata)).toEqual(['__proto__', 'a']);
  });

  it('accepts an empty file: a header {} and no buffer', () => {
    expect(loadSafetensors(craft({}, 0))).toEqual({ tensors: {}, metadata: {} });
  });

  it('accepts a header without padding and data that is not 8-byte aligned', () => {
    const bytes = craft({ x: f64([2], 0) }, 16, {
      rawHeader: '{"x":{"dtype":"F64","shape":[2],"data_offsets":[0,16]}}',
    });
    new DataView(bytes.buffer).setFloat64(bytes.length - 16, 7, true);
    expect(Array.from(loadSafetensors(bytes).tensors.x!.data)).toEqual([7, 0]);
  });
});

describe('loadSafetensors refuses a bad file with the reason', () => {
  it('a file shorter than the 8-byte length', () => {
    expect(refusal(new Uint8Array(5))).toMatch(/5 bytes, fewer than the 8/);
  });

  it('a header length past the end of the file', () => {
    const bytes = craft({}, 0);
    new DataView(bytes.buffer).setBigUint64(0, 1000n, true);
    expect(refusal(bytes)).toMatch(/header length 1000 runs past the end of the file \(10 bytes/);
  });

  it('a header length above the 100 MB limit', () => {
    const bytes = craft({}, 0);
    new DataView(bytes.buffer).setBigUint64(0, 2n ** 63n, true);
    expect(refusal(bytes)).toMatch(/exceeds the limit/);
  });

  it('a header that is not UTF-8', () => {
    const bytes = craft({}, 0, { rawHeader: '{"a":1}' });
    bytes[9] = 0xff;
    expect(refusal(bytes)).toMatch(/not valid UTF-8/);
  });

  it('a header that is not well-formed JSON', () => {
    expect(refusal(craft(null, 0, { rawHeader: '{"a": {"dtype": "F64",' }))).toMatch(
      /not well-formed JSON/,
    );
  });

  it('a header that is JSON but not an object', () => {
    expect(refusal(craft(null, 0, { rawHeader: '[1, 2]' }))).toMatch(/JSON object/);
    expect(refusal(craft(null, 0, { rawHeader: ' {}' }))).toMatch(/starting with '\{'/);
  });

  it('a name given twice', () => {
    const entry = '{"dtype":"F64","shape":[1],"data_offsets":[0,8]}';
    expect(refusal(craft(null, 8, { rawHeader: `{"w":${entry}, "w" :${entry}}` }))).toMatch(
      /names 'w' twice/,
    );
  });

  it('an unknown or unsupported dtype', () => {
    expect(refusal(craft({ w: { ...f64([1], 0), dtype: 'F128' } }, 8))).toMatch(
      /tensor 'w' has unknown dtype "F128" \(allowed: F64, F32\)/,
    );
    expect(
      refusal(craft({ w: { ...f64([1], 0), dtype: 'F16', data_offsets: [0, 2] } }, 2)),
    ).toMatch(/dtype 'F16', which unroll does not read/);
  });

  it('a bad shape', () => {
    expect(refusal(craft({ w: { ...f64([1], 0), shape: [2, -1] } }, 8))).toMatch(
      /tensor 'w' has shape \[2,-1\]/,
    );
    expect(refusal(craft({ w: { ...f64([1], 0), shape: '3' } }, 8))).toMatch(/shape "3"/);
  });

  it('malformed data_offsets', () => {
    expect(refusal(craft({ w: { ...f64([1], 0), data_offsets: [0] } }, 8))).toMatch(
      /data_offsets \[0\]; it must be \[begin, end\]/,
    );
    expect(refusal(craft({ w: { ...f64([1], 0), data_offsets: [8, 0] } }, 8))).toMatch(
      /begin > end/,
    );
  });

  it('offsets past the end of the buffer', () => {
    expect(refusal(craft({ w: f64([2], 0) }, 8))).toMatch(
      /data_offsets \[0, 16\] past the end of the 8-byte buffer/,
    );
  });

  it('a byte size that does not match the shape', () => {
    expect(refusal(craft({ w: { ...f64([3], 0), data_offsets: [0, 16] } }, 16))).toMatch(
      /spans 16 bytes but F64 of shape \[3\] needs 24/,
    );
  });

  it('overlapping tensors', () => {
    expect(refusal(craft({ a: f64([2], 0), b: f64([2], 8) }, 24))).toMatch(
      /tensor 'b' \[8, 24\) overlaps tensor 'a' ending at 16/,
    );
  });

  it('a hole in the buffer, and bytes after the last tensor', () => {
    expect(refusal(craft({ a: f64([1], 0), b: f64([1], 16) }, 24))).toMatch(
      /bytes \[8, 16\) of the buffer belong to no tensor/,
    );
    expect(refusal(craft({ a: f64([1], 0) }, 12))).toMatch(
      /bytes \[8, 12\) at the end of the buffer belong to no tensor/,
    );
  });

  it('unknown fields in a tensor entry and non-string metadata', () => {
    expect(refusal(craft({ w: { ...f64([1], 0), offsets: [0, 8] } }, 8))).toMatch(
      /unknown field 'offsets'/,
    );
    expect(refusal(craft({ __metadata__: { epoch: 3 } }, 0))).toMatch(
      /'__metadata__' entry 'epoch' must be a string, got 3/,
    );
    expect(refusal(craft({ __metadata__: ['x'] }, 0))).toMatch(/must be an object of strings/);
  });
});

describe('saveSafetensors refuses what it cannot write', () => {
  it('data that does not fill the shape, a bad dtype, the reserved name', () => {
    expect(() => saveSafetensors({ w: { shape: [2, 2], data: [1, 2, 3] } })).toThrow(
      /tensor 'w' has 3 entries but shape \[2,2\] needs 4/,
    );
    expect(() => saveSafetensors({ w: { shape: [1], data: [1], dtype: 'F16' as 'F32' } })).toThrow(
      /dtype 'F16'; allowed: F64, F32/,
    );
    expect(() => saveSafetensors({ __metadata__: { shape: [1], data: [1] } })).toThrow(
      SafetensorsError,
    );
  });
});
