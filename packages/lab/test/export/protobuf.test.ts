/**
 * export/protobuf.ts: the wire format as the protobuf encoding guide gives it — varints
 * of 7 bits a byte, low bits first; keys (field << 3) | wire type; length-delimited bytes.
 */

import { describe, expect, it } from 'vitest';
import { MessageWriter, varint } from '../../src/export/protobuf.ts';

describe('protobuf', () => {
  it('writes varints 7 bits a byte, low bits first', () => {
    // 150 → 0x96 0x01 and 300 → 0xAC 0x02: the encoding guide's examples.
    expect([...varint(150)]).toEqual([0x96, 0x01]);
    expect([...varint(300)]).toEqual([0xac, 0x02]);
    expect([...varint(0)]).toEqual([0]);
    expect([...varint(2 ** 35)]).toEqual([0x80, 0x80, 0x80, 0x80, 0x80, 0x01]);
    expect(() => varint(-1)).toThrow(/non-negative/);
  });

  it('writes a message as the guide does: field 1 = 150 is 08 96 01, field 2 = "testing" is 12 07 …', () => {
    expect([...new MessageWriter().int(1, 150).finish()]).toEqual([0x08, 0x96, 0x01]);
    const text = new MessageWriter().string(2, 'testing').finish();
    expect([...text]).toEqual([0x12, 0x07, ...new TextEncoder().encode('testing')]);
    // A nested message is its bytes, length-delimited: field 3 = { field 1 = 150 }.
    const nested = new MessageWriter().message(3, new MessageWriter().int(1, 150)).finish();
    expect([...nested]).toEqual([0x1a, 0x03, 0x08, 0x96, 0x01]);
    // float 1.0 as fixed32: key (1 << 3) | 5, then 00 00 80 3f.
    expect([...new MessageWriter().float(1, 1).finish()]).toEqual([0x0d, 0, 0, 0x80, 0x3f]);
  });
});
