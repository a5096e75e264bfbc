/**
 * The part of the Protocol Buffers wire format that writing an ONNX file needs.
 *
 * A message is a list of fields; each field is a key, then a value:
 *
 *   key      varint  (field number << 3) | wire type
 *   type 0   varint  integers: 7 bits per byte, least significant first, high bit = "more"
 *   type 2   length-delimited: a varint byte count, then the bytes (strings, bytes,
 *            nested messages, packed repeated numbers)
 *   type 5   fixed32: 4 bytes little-endian (float)
 *
 * A repeated field is the same key written again for each element. Nothing else of
 * protobuf (decoding, groups, zig-zag) is needed to write a model.
 */

export const WIRE = { varint: 0, bytes: 2, fixed32: 5 } as const;

/** Collects one message's bytes; nested messages are built by their own writer. */
export class MessageWriter {
  private readonly chunks: Uint8Array[] = [];
  private length = 0;

  private push(bytes: Uint8Array): void {
    this.chunks.push(bytes);
    this.length += bytes.length;
  }

  private key(field: number, wire: number): void {
    this.push(varint(field * 8 + wire));
  }

  /** An int32, int64 or enum field (non-negative values: that is all ONNX files here hold). */
  int(field: number, value: number): this {
    this.key(field, WIRE.varint);
    this.push(varint(value));
    return this;
  }

  float(field: number, value: number): this {
    this.key(field, WIRE.fixed32);
    const bytes = new Uint8Array(4);
    new DataView(bytes.buffer).setFloat32(0, value, true);
    this.push(bytes);
    return this;
  }

  bytes(field: number, value: Uint8Array): this {
    this.key(field, WIRE.bytes);
    this.push(varint(value.length));
    this.push(value);
    return this;
  }

  string(field: number, value: string): this {
    return this.bytes(field, new TextEncoder().encode(value));
  }

  message(field: number, value: MessageWriter): this {
    return this.bytes(field, value.finish());
  }

  finish(): Uint8Array {
    const out = new Uint8Array(this.length);
    let at = 0;
    for (const chunk of this.chunks) {
      out.set(chunk, at);
      at += chunk.length;
    }
    return out;
  }
}

/** A non-negative integer below 2^53 as a varint: 7 bits a byte, low bits first. */
export function varint(value: number): Uint8Array {
  if (!Number.isSafeInteger(value) || value < 0) {
    throw new RangeError(`varint: expected a non-negative safe integer, got ${value}`);
  }
  const bytes: number[] = [];
  let rest = value;
  while (rest >= 0x80) {
    bytes.push((rest % 0x80) | 0x80);
    rest = Math.floor(rest / 0x80);
  }
  bytes.push(rest);
  return Uint8Array.from(bytes);
}
